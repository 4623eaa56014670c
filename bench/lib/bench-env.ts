import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrationsLocked } from '@app/domain';
import { API_NODE_ARGS } from '../../apps/marketplace/src/node-args';

/** Compiled output root (bench runs from dist/, after `npm run build`). */
export const DIST = resolve(__dirname, '..', '..');

/** The API's entry point under dist. */
export const API_SCRIPT = 'apps/marketplace/src/main.js';

/** The benchmark's own database and Redis database, never the ones of a running marketplace. */
export function benchEnv(): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/marketplace_bench',
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/13',
    JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
    QUEUE_PREFIX: 'mtpbench',
    LOG_LEVEL: 'warn',
    WORKER_METRICS_PORT: '0',
    PORT: process.env.BENCH_PORT ?? '3900',
    LOGIN_MAX_FAILURES: '1000',
    // As many API processes as a default start runs, unless BENCH_API_PROCESSES says otherwise (0: one per CPU).
    API_PROCESSES: process.env.BENCH_API_PROCESSES ?? '1',
  };
}

/**
 * The bench environment on a database of its own (next to the bench database), for a scenario whose large seed
 * must survive the scenarios that start from an empty database.
 */
export function benchEnvWithDatabase(name: string): Record<string, string> {
  const env = benchEnv();
  const url = new URL(env.DATABASE_URL as string);
  url.pathname = `/${name}`;
  return { ...env, DATABASE_URL: url.toString() };
}

/** Creates the bench database if missing (keeping data between runs, so large seeds are reused) and migrates it. */
export async function prepareDatabase(env = benchEnv(), fresh = false): Promise<DataSource> {
  const url = new URL(env.DATABASE_URL as string);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  if (fresh) {
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  }
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!rowCount) await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const dataSource = new DataSource(dataSourceOptions(env.DATABASE_URL as string));
  await dataSource.initialize();
  await runMigrationsLocked(dataSource);
  const redis = new Redis(env.REDIS_URL as string);
  await redis.flushdb();
  await redis.quit();
  return dataSource;
}

/**
 * Starts a compiled entry point (API or worker) as a child process and waits until it answers. BENCH_NODE_ARGS
 * (space-separated) goes to its node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it under load.
 * The API is ready when it has said it listens: with several API processes, it says so once all of them do
 * (a request answered only proves that one of them does).
 */
export async function startProcess(
  script: string,
  env: Record<string, string>,
  readyUrl?: string,
): Promise<ChildProcess> {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // The API runs with the flags every start of it passes.
  const ownArgs = script === API_SCRIPT ? API_NODE_ARGS : [];
  const child = spawn(process.execPath, [...ownArgs, ...nodeArgs, join(DIST, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let said = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    said = (said + chunk.toString()).slice(-4000);
  });
  if (readyUrl) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
      const ok = await fetch(readyUrl)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok && (!script.includes('marketplace') || said.includes(' listening on '))) break;
      if (Date.now() > deadline) throw new Error(`${script} did not become ready`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return child;
}

export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}
