import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The environment of the end-to-end suites: a database of their own (created and migrated by the global
 * setup), Redis database 15 and a queue prefix of their own, so a running marketplace is never touched.
 */
export function testEnv(): Record<string, string> {
  const base = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/marketplace_test';
  return {
    NODE_ENV: 'test',
    DATABASE_URL: base,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    QUEUE_PREFIX: 'mtptest',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    WORKER_METRICS_PORT: '0',
    WORKER_HEARTBEAT_SECONDS: '1',
    LOGIN_MAX_FAILURES: '5',
    // The suites register many suppliers from one address; the limit has a test of its own.
    REGISTRATIONS_PER_HOUR: '100000',
    // Likewise password resets (the suites use reset tokens from one address); the limit has a test of its own.
    PASSWORD_RESETS_PER_HOUR: '100000',
    MIGRATIONS_RUN: 'false',
    TENDER_MIN_PERIOD_SECONDS: '1',
    STANDSTILL_SECONDS: '1',
    CLOSING_SWEEP_SECONDS: '1',
    LOG_SIGNING_KEY_FILE: join(tmpdir(), 'marketplace-test-log-signing-key.pem'),
    SEQUENCER_INTERVAL_MS: '50',
  };
}

/** The maintenance database URL next to the test database, for CREATE/DROP DATABASE. */
export function adminUrl(databaseUrl: string): { adminUrl: string; database: string } {
  const url = new URL(databaseUrl);
  const database = url.pathname.slice(1);
  url.pathname = '/postgres';
  return { adminUrl: url.toString(), database };
}
