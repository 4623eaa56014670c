import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { adminUrl, testEnv } from './setup/test-env';

/** The compiled `npm run seed:catalogue`, run as a real child process (`npm test` builds it first). */
const SEED_MAIN = resolve(__dirname, '..', 'dist', 'scripts', 'seed-catalogue.js');
const GIN_INDEXES = ['ix_catalog_offers_delivery_area', 'ix_catalog_search_entries_document'];
/** A small catalogue, loaded as a bulk load (GIN indexes dropped, then rebuilt) from the first missing row on. */
const bulkLoad = (items: number) => [
  '--items',
  String(items),
  '--offers',
  '3000',
  '--suppliers',
  '20',
  '--bulk-threshold',
  '1',
];

/**
 * A database of the test's own, next to the test database: a bulk load drops indexes and leaves planner
 * statistics behind, which must not reach the other suites' query plans. The seed migrates it itself.
 */
const { adminUrl: ADMIN_URL, database: TEST_DATABASE } = adminUrl(testEnv().DATABASE_URL as string);
const SEED_DATABASE = `${TEST_DATABASE}_seed`;
const SEED_DATABASE_URL = (() => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${SEED_DATABASE}`;
  return url.toString();
})();

/** Creates (fresh) or drops the seed's database. */
async function seedDatabase(action: 'create' | 'drop'): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${SEED_DATABASE}" WITH (FORCE)`);
    if (action === 'create') await admin.query(`CREATE DATABASE "${SEED_DATABASE}"`);
  } finally {
    await admin.end();
  }
}

/**
 * Runs the seed on its database. With `killOn`, sends SIGKILL as soon as a line of its output contains it
 * (nothing of the seed's own cleanup runs) and resolves once it has died; otherwise resolves with its output
 * once it has exited by itself, and rejects unless that exit is 0.
 */
function seed(args: string[], killOn?: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [SEED_MAIN, ...args], {
      env: { ...process.env, ...testEnv(), DATABASE_URL: SEED_DATABASE_URL },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (killOn && output.includes(killOn) && child.exitCode === null) child.kill('SIGKILL');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', fail);
    child.once('exit', (code, signal) => {
      if (killOn ? signal === 'SIGKILL' : code === 0) done(output);
      else fail(new Error(`the seed ended with ${signal ?? code}: ${output}`));
    });
  });
}

describe('npm run seed:catalogue', () => {
  let db: Client;

  beforeAll(async () => {
    if (!existsSync(SEED_MAIN)) throw new Error(`${SEED_MAIN} is missing: run \`npm run build\` first`);
    await seedDatabase('create');
    // Migrated by the seed itself, with nothing to load yet.
    await seed(['--items', '0', '--offers', '0', '--suppliers', '20']);
    db = new Client({ connectionString: SEED_DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await seedDatabase('drop');
  });

  /** The GIN indexes present (and valid, on every partition), by name. */
  const ginIndexes = async () => {
    const { rows } = await db.query<{ name: string; valid: boolean }>(
      `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE c.relname = ANY($1) ORDER BY 1`,
      [GIN_INDEXES],
    );
    return rows;
  };

  /** The indexes that wait in the seed's record to be rebuilt, or null when there is no record. */
  const waiting = async () => {
    const { rows } = await db.query<{ present: boolean }>(
      `SELECT to_regclass('public.catalogue_seed_dropped_indexes') IS NOT NULL AS present`,
    );
    if (!rows[0]?.present) return null;
    const names = await db.query<{ name: string }>(
      `SELECT name FROM catalogue_seed_dropped_indexes ORDER BY name`,
    );
    return names.rows.map((r) => r.name);
  };
  const allValid = GIN_INDEXES.map((name) => ({ name, valid: true }));
  const KILLED_AFTER_DROP = 'GIN indexes dropped';

  it('rebuilds the GIN indexes that a killed bulk load dropped, first thing on its next run', async () => {
    expect(await ginIndexes()).toEqual(allValid);

    // Killed right after the bulk load dropped them: its own rebuild at the end never runs.
    await seed(bulkLoad(6000), KILLED_AFTER_DROP);
    expect(await ginIndexes()).toEqual([]);
    expect(await waiting()).toEqual(GIN_INDEXES);

    // The next run is no bulk load (fewer missing rows than the default threshold): it rebuilds them first.
    const output = await seed(['--items', '6000', '--offers', '3000', '--suppliers', '20']);
    for (const name of GIN_INDEXES) {
      expect(output).toContain(`rebuilding ${name}, which an interrupted bulk load dropped`);
    }
    expect(output.indexOf('rebuilding')).toBeLessThan(output.indexOf('items 6000/6000'));
    expect(await ginIndexes()).toEqual(allValid);
    expect(await waiting()).toBeNull();
    // The load itself completed, and the search index serves its rows.
    const { rows: counts } = await db.query<{ items: number; offers: number; matched: number }>(
      `SELECT (SELECT count(*)::int FROM catalog_items) AS items, (SELECT count(*)::int FROM catalog_offers) AS offers,
              (SELECT count(*)::int FROM catalog_search_entries WHERE document @@ to_tsquery('russian', 'бумага')) AS matched`,
    );
    expect(counts[0]).toMatchObject({ items: 6000, offers: 3000 });
    expect(counts[0]?.matched).toBeGreaterThan(0);
  });

  it('rebuilds them at the end of the next bulk load, which finds them dropped already', async () => {
    await seed(bulkLoad(7000), KILLED_AFTER_DROP);
    expect(await ginIndexes()).toEqual([]);

    const output = await seed(bulkLoad(8000));
    expect(output).toContain('bulk load: 0 GIN indexes dropped');
    for (const name of GIN_INDEXES) expect(output).toContain(`rebuilding ${name}\n`);
    expect(await ginIndexes()).toEqual(allValid);
    expect(await waiting()).toBeNull();
  });
});
