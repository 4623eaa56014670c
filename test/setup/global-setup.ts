import 'reflect-metadata';
import { join } from 'node:path';
import { register } from 'tsconfig-paths';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { adminUrl, testEnv } from './test-env';

// The global setup runs outside jest's module mapper: resolve the @app/* aliases here too.
register({
  baseUrl: join(__dirname, '..', '..'),
  paths: {
    '@app/domain': ['libs/domain/src'],
    '@app/domain/*': ['libs/domain/src/*'],
    '@app/catalog': ['libs/catalog/src'],
    '@app/catalog/*': ['libs/catalog/src/*'],
  },
});

/** Creates the test database afresh, migrates it once, and empties the test Redis database. */
export default async function globalSetup(): Promise<void> {
  const { dataSourceOptions } = await import('@app/domain/database/data-source-options');
  const { runMigrationsLocked } = await import('@app/domain/database/migrate');
  const env = testEnv();
  const { adminUrl: admin, database } = adminUrl(env.DATABASE_URL as string);
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [database],
  );
  await client.query(`DROP DATABASE IF EXISTS "${database}"`);
  await client.query(`CREATE DATABASE "${database}"`);
  await client.end();

  const dataSource = new DataSource(dataSourceOptions(env.DATABASE_URL as string));
  await dataSource.initialize();
  await runMigrationsLocked(dataSource);
  await dataSource.destroy();

  const redis = new Redis(env.REDIS_URL as string);
  await redis.flushdb();
  await redis.quit();
}
