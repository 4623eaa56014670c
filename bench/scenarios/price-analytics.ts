import { createHash, randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import { Client, Pool } from 'pg';
import type { DataSource } from 'typeorm';
import {
  bidCommitment,
  hashPassword,
  makeValidTaxId,
  newSalt,
  QUEUES,
  redisConnectionOptions,
  TAX_ID_SCHEME_COUNTRY,
  type TaxIdScheme,
} from '@app/domain';
import {
  cpvKey,
  MAX_PRICE_STATS_PAGE_SIZE,
  PRICE_STATS_PAGE_SIZE,
  PRICE_STATS_DEBOUNCE_MS,
  PRICE_STATS_QUERY,
  priceStatsQueryParams,
  PriceStatsService,
  REBUILD_WORK_MEM,
} from '@app/domain/analytics';
import {
  API_SCRIPT,
  benchEnvWithDatabase,
  prepareDatabase,
  startProcess,
  stopProcess,
} from '../lib/bench-env';
import { postJson } from '../lib/http';
import { load, loadFn, type LoadResult, percentile, printComparison, sleep, waitFor } from '../lib/measure';
import { BENCH_PASSWORD, loginSuppliers } from '../lib/world';

/**
 * Price statistics of contracted items (PriceStatsService) at --items contracted items (1,000,000) across
 * 100 cities (the member cities and bench cities) and --codes CPV leaf codes (5,000), signed over 24 months.
 * Three figures, each beside a baseline measured in the same run:
 *
 * 1. Full rebuild: PriceStatsService.rebuild() through the DataSource, as the worker's nightly job runs it, beside
 *    the one plain SELECT computing the same groups (percentile_cont quartiles) without writing them.
 * 2. New contract -> updated statistics: the winner confirms a buyer-signed contract through the API
 *    (POST /api/v1/contracts/:id/confirm) while the real worker runs; from the 204 (the commit) until the
 *    statistics row of the item's CPV code, city, unit, currency and month counts it, polled every 20 ms. One at
 *    a time, then in waves of 16. Baseline: the raw aggregation of each (division, month) touched, timed alone.
 * 3. GET /api/v1/analytics/prices for a fixed mix of 50 queries (division, group, class and leaf codes, with and
 *    without city, country, unit, currency and period filters) at --connections (4), beside the service's SQL
 *    sent straight through a pg Pool at the same concurrency: the first page as a client gets it (the default
 *    page size, the target), then the largest page allowed.
 *
 * The data lives in its own database (marketplace_bench_prices), kept between runs: it is reseeded only when it
 * holds a different number of items or codes, or with --fresh. Options: --items 1000000, --codes 5000, --fresh,
 * --runs 3 (rebuild and raw runs each), --sequential 100, --waves 7, --wave-size 16, --seconds 20,
 * --connections 4, --only rebuild,endpoint,latency.
 */

interface Options {
  items: number;
  codes: number;
  fresh: boolean;
  runs: number;
  sequential: number;
  waves: number;
  waveSize: number;
  seconds: number;
  connections: number;
  parts: Set<Part>;
}

type Part = 'rebuild' | 'endpoint' | 'latency';

interface CityRow {
  id: string;
  code: string;
  country: string;
  weight: number;
}

/** What the closing summary prints. */
interface Figures {
  rebuild?: { rebuildMs: number; rawMs: number; rows: number; groups: number };
  latency?: {
    sequential: number[];
    waves: number[];
    timeouts: number;
    partRawMs: number[];
    partRebuildMs: number[];
  };
  endpoint?: { system: LoadResult; raw: LoadResult };
}

const say = (message: string) => process.stdout.write(`[price-analytics] ${message}\n`);

export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const env = pricesEnv();
  process.stdout.write(
    `price-analytics: ${options.items.toLocaleString('en')} contracted items, ${options.codes} CPV codes, ` +
      `${cpus().length} CPUs, load average ${loadAverage()}; database ${new URL(env.DATABASE_URL as string).pathname.slice(1)}\n`,
  );
  const dataSource = await prepareSeededDatabase(env, options);
  const pool = new Pool({ connectionString: env.DATABASE_URL, max: Math.max(4, options.connections) });
  pool.on('error', () => undefined);
  const figures: Figures = {};
  try {
    await printDatabaseFacts(pool);
    if (options.parts.has('rebuild')) {
      figures.rebuild = await rebuildBenchmark(dataSource, pool, options.runs);
    } else if (!(await pool.query('SELECT 1 FROM price_stats LIMIT 1')).rowCount) {
      say('no statistics yet: one full rebuild first');
      await new PriceStatsService(dataSource).rebuild();
    }
    // What autovacuum would do soon after a nightly rebuild (half the table is dead tuples, and new rows lack stats).
    await pool.query('VACUUM ANALYZE price_stats');
    if (options.parts.has('endpoint') || options.parts.has('latency')) {
      const base = `http://127.0.0.1:${env.PORT}`;
      const api = await startProcess(API_SCRIPT, env, `${base}/health`);
      try {
        if (options.parts.has('endpoint')) figures.endpoint = await endpointBenchmark(pool, base, options);
        if (options.parts.has('latency')) {
          figures.latency = await latencyBenchmark(dataSource, pool, env, base, options);
        }
      } finally {
        await stopProcess(api);
      }
    }
    printSummary(options, figures);
  } finally {
    await pool.end();
    await dataSource.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Options and environment.

function parseOptions(args: string[]): Options {
  const value = (name: string): string | undefined => {
    const inline = args.find((a) => a.startsWith(`--${name}=`));
    if (inline) return inline.slice(name.length + 3);
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const int = (name: string, fallback: number, min: number): number => {
    const raw = value(name);
    const n = raw === undefined ? fallback : Number(raw.replaceAll('_', ''));
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
    return n;
  };
  const all: Part[] = ['rebuild', 'endpoint', 'latency'];
  const only = value('only');
  const parts = new Set<Part>(only ? (only.split(',') as Part[]) : all);
  for (const part of parts) if (!all.includes(part)) throw new Error(`--only takes ${all.join(',')}`);
  return {
    items: int('items', 1_000_000, 1_000),
    codes: int('codes', 5_000, 100),
    fresh: args.includes('--fresh'),
    runs: int('runs', 3, 1),
    sequential: int('sequential', 100, 0),
    waves: int('waves', 7, 0),
    waveSize: int('wave-size', 16, 1),
    seconds: int('seconds', 20, 1),
    connections: int('connections', 4, 1),
    parts,
  };
}

/** This scenario's own database, so that its large seed survives the other scenarios. */
const pricesEnv = () => benchEnvWithDatabase('marketplace_bench_prices');

const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function printDatabaseFacts(pool: Pool): Promise<void> {
  const { rows } = await pool.query<Record<string, string>>(
    `SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS shared_buffers,
            current_setting('work_mem') AS work_mem, current_setting('jit') AS jit,
            current_setting('max_parallel_workers_per_gather') AS parallel_workers,
            (SELECT count(*) FROM cities)::text AS cities,
            (SELECT count(*) FROM contracts WHERE status = 'signed')::text AS signed_contracts,
            (SELECT count(*) FROM tender_items)::text AS tender_items,
            pg_size_pretty(pg_database_size(current_database())) AS size`,
  );
  say(`database: ${JSON.stringify(rows[0])}`);
}

// ---------------------------------------------------------------------------------------------------------
// Seeding: set-based SQL in one transaction (all or nothing, so a seed found complete is complete).

/** Deterministic ids of the seeded rows: `seedId('i', n)` is the n-th contracted item. */
const seedId = (kind: string, n: number | string) =>
  `md5('bench-prices-${kind}-' || ${typeof n === 'number' ? String(n) : n})::uuid`;

async function prepareSeededDatabase(env: Record<string, string>, options: Options): Promise<DataSource> {
  let dataSource = await prepareDatabase(env, options.fresh);
  const [state] = await dataSource.query<
    { last: boolean; beyond: boolean; code: boolean; codeBeyond: boolean }[]
  >(
    `SELECT EXISTS (SELECT 1 FROM tender_items WHERE id = ${seedId('i', '$1::int')}) AS last,
            EXISTS (SELECT 1 FROM tender_items WHERE id = ${seedId('i', '$1::int + 1')}) AS beyond,
            EXISTS (SELECT 1 FROM catalog_items WHERE id = ${seedId('ci', "$2::int || '-1'")}) AS code,
            EXISTS (SELECT 1 FROM catalog_items WHERE id = ${seedId('ci', "$2::int + 1 || '-1'")}) AS "codeBeyond"`,
    [options.items, options.codes],
  );
  if (state?.last && !state.beyond && state.code && !state.codeBeyond) {
    say(`reusing the seed of ${options.items.toLocaleString('en')} items (--fresh to reseed)`);
    return dataSource;
  }
  const empty = !(await dataSource.query<unknown[]>(`SELECT 1 FROM tenders LIMIT 1`)).length;
  if (!empty) {
    say('the database holds another seed: dropping it');
    await dataSource.destroy();
    dataSource = await prepareDatabase(env, true);
  }
  const started = performance.now();
  await seed(env.DATABASE_URL as string, options);
  say(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s; vacuuming and analysing`);
  // The signing trigger recorded every seeded contract as a change waiting for a refresh; the statistics are
  // built by a full rebuild instead, so none is waiting (else the first refreshes measured would count them).
  await dataSource.query('TRUNCATE price_stats_changes');
  const vacuum = performance.now();
  await dataSource.query(
    `VACUUM ANALYZE cities, organizations, users, catalog_items, tenders, tender_buyers, lots, tender_items,
       awards, contracts, contracted_items`,
  );
  await dataSource.query('CHECKPOINT');
  say(`vacuum, analyze and checkpoint in ${((performance.now() - vacuum) / 1000).toFixed(1)} s`);
  return dataSource;
}

/**
 * UN/CEFACT units with a price range in RUB per unit (a code's base price is drawn log-uniformly within it), the
 * largest quantity bought at once, the quantity's decimals, and a second unit some buyers use for the same goods
 * with its size in the first (a tonne is 1000 kg).
 */
const UNITS: {
  code: string;
  lo: number;
  hi: number;
  qmax: number;
  qscale: number;
  alt?: [string, number];
}[] = [
  { code: 'KGM', lo: 40, hi: 2_000, qmax: 5_000, qscale: 3, alt: ['TNE', 1000] },
  { code: 'TNE', lo: 1_500, hi: 40_000, qmax: 300, qscale: 3, alt: ['KGM', 0.001] },
  { code: 'LTR', lo: 40, hi: 200, qmax: 20_000, qscale: 3, alt: ['MTQ', 1000] },
  { code: 'MTQ', lo: 40, hi: 2_000, qmax: 2_000, qscale: 3, alt: ['LTR', 0.001] },
  { code: 'KWH', lo: 4, hi: 12, qmax: 200_000, qscale: 0 },
  { code: 'MTK', lo: 800, hi: 8_000, qmax: 5_000, qscale: 2 },
  { code: 'MTR', lo: 30, hi: 3_000, qmax: 5_000, qscale: 2 },
  { code: 'H87', lo: 50, hi: 300_000, qmax: 500, qscale: 0, alt: ['XPK', 10] },
  { code: 'XPK', lo: 150, hi: 5_000, qmax: 300, qscale: 0, alt: ['H87', 0.1] },
  { code: 'C62', lo: 5_000, hi: 2_000_000, qmax: 12, qscale: 0, alt: ['HUR', 0.02] },
  { code: 'HUR', lo: 600, hi: 6_000, qmax: 500, qscale: 1, alt: ['DAY', 8] },
  { code: 'DAY', lo: 2_500, hi: 15_000, qmax: 60, qscale: 0, alt: ['HUR', 0.125] },
  { code: 'KMT', lo: 30, hi: 250, qmax: 10_000, qscale: 1 },
];

const UNITS_VALUES = UNITS.map(
  (u) =>
    `('${u.code}', ${u.lo}, ${u.hi}, ${u.qmax}, ${u.qscale}, ${u.alt ? `'${u.alt[0]}'` : 'NULL'}, ${u.alt ? u.alt[1] : 'NULL'})`,
).join(', ');

/** The unit most buyers use for a CPV code, by its division, group or class. */
const UNIT_OF_CODE = (code: string) => `CASE
    WHEN ${code} LIKE '0931%' THEN 'KWH'
    WHEN ${code} LIKE '09%' OR ${code} LIKE '159%' OR ${code} LIKE '1551%' THEN 'LTR'
    WHEN ${code} LIKE '03%' OR ${code} LIKE '15%' OR ${code} LIKE '24%' THEN 'KGM'
    WHEN ${code} LIKE '14%' OR ${code} LIKE '4411%' OR ${code} LIKE '4491%' OR ${code} LIKE '90%' THEN 'TNE'
    WHEN ${code} LIKE '4416%' OR ${code} LIKE '3132%' OR ${code} LIKE '3133%' THEN 'MTR'
    WHEN ${code} LIKE '45%' THEN 'MTK'
    WHEN ${code} LIKE '41%' OR ${code} LIKE '651%' THEN 'MTQ'
    WHEN ${code} LIKE '3019%' OR ${code} LIKE '336%' THEN 'XPK'
    WHEN left(${code}, 1) IN ('1', '2', '3', '4') THEN 'H87'
    WHEN ${code} LIKE '55%' THEN 'DAY'
    WHEN ${code} LIKE '60%' THEN 'KMT'
    WHEN left(${code}, 2) IN ('71', '72', '79', '80') THEN 'HUR'
    ELSE 'C62' END`;

/** A code's base price in RUB per its unit: log-uniform in the unit's range, from a hash of the code. */
function basePrice(code: string, unit: string): number {
  const u = UNITS.find((x) => x.code === unit) ?? UNITS[0]!;
  const h = parseInt(createHash('md5').update(code).digest('hex').slice(0, 8), 16) / 2 ** 32;
  return Math.exp(Math.log(u.lo) + (Math.log(u.hi) - Math.log(u.lo)) * h);
}

const BASE_PRICE_SQL = (code: string, lo: string, hi: string) =>
  `exp(ln(${lo}) + (ln(${hi}) - ln(${lo})) * (('x' || substr(md5(${code}), 1, 8))::bit(32)::bigint / 4294967296.0))`;

/** National currencies of the two members whose buyers mostly pay in them; others contract in roubles. */
const CURRENCY: Record<string, { code: string; perRub: number }> = {
  KZ: { code: 'KZT', perRub: 5.3 },
  BY: { code: 'BYN', perRub: 0.036 },
};
const currencyOf = (country: string) => CURRENCY[country] ?? { code: 'RUB', perRub: 1 };

/** Prices drift up this much per month over the two years. */
const MONTHLY_INFLATION = 0.006;

/** A city's price level, 0.85..1.25, from a hash of its code. */
const cityFactor = (code: string) =>
  0.85 + (0.4 * parseInt(createHash('md5').update(code).digest('hex').slice(0, 8), 16)) / 2 ** 32;

const SCHEME_OF_COUNTRY = new Map(
  Object.entries(TAX_ID_SCHEME_COUNTRY).map(([scheme, country]) => [country, scheme as TaxIdScheme]),
);

async function seed(databaseUrl: string, options: Options): Promise<void> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'bench-prices-seed' });
  await client.connect();
  const step = async (label: string, sql: string, values: unknown[] = []) => {
    const t0 = performance.now();
    const result = await client.query(sql, values);
    say(`  ${label}: ${result.rowCount ?? 0} rows, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };
  const N = options.items;
  const L = Math.round(N / 1.1); // lots: one item, every tenth or so two
  const T = Math.round(L / 1.5); // tenders: one or two lots
  say(`seeding ${N} items in ${L} lots of ${T} tenders (one transaction)`);
  try {
    await client.query('BEGIN');
    await client.query('SELECT setseed(0.2024)');
    await step(
      'bench cities',
      `INSERT INTO cities (code, name_ru, name_en, country, region, time_zone)
       SELECT code, name_ru, name_en, country, region, time_zone
         FROM jsonb_to_recordset($1::jsonb)
           AS c(code text, name_ru text, name_en text, country text, region text, time_zone text)
       ON CONFLICT (code) DO NOTHING`,
      [
        JSON.stringify(
          BENCH_CITIES.map(([code, nameRu, nameEn, country, region, timeZone]) => ({
            code,
            name_ru: nameRu,
            name_en: nameEn,
            country,
            region,
            time_zone: timeZone,
          })),
        ),
      ],
    );
    const cities = await seedOrganisations(client, step);
    const slots = cities.flatMap((c, i) => Array<number>(Math.max(1, Math.round(c.weight / 10))).fill(i));
    await step(
      'slots',
      `CREATE TEMP TABLE bench_slot ON COMMIT DROP AS
       SELECT (s.n - 1)::int AS slot, s.city_idx FROM unnest($1::int[]) WITH ORDINALITY AS s(city_idx, n)`,
      [slots],
    );
    await step(
      'units',
      `CREATE TEMP TABLE bench_unit (code, lo, hi, qmax, qscale, alt, alt_factor) ON COMMIT DROP AS
       VALUES ${UNITS_VALUES}`,
    );
    // Leaf codes (no published child), round-robin over the divisions, then ranked by a hash for popularity.
    await step(
      `${options.codes} CPV leaf codes`,
      `CREATE TEMP TABLE bench_cpv ON COMMIT DROP AS
       WITH leaves AS (
         SELECT c.code, c.name_ru, row_number() OVER (PARTITION BY left(c.code, 2) ORDER BY md5(c.code)) AS r
           FROM classifications c
          WHERE c.scheme = 'CPV' AND c.code NOT LIKE '99%'
            AND NOT EXISTS (SELECT 1 FROM classifications d WHERE d.scheme = 'CPV' AND d.parent_code = c.code)
       ), picked AS (
         SELECT code, name_ru, ${UNIT_OF_CODE('code')} AS unit FROM leaves ORDER BY r, md5(code) LIMIT $1
       )
       SELECT row_number() OVER (ORDER BY md5('popularity ' || p.code))::int AS rank, p.code, p.name_ru, p.unit,
              u.alt, u.alt_factor, ${BASE_PRICE_SQL('p.code', 'u.lo', 'u.hi')} AS base_price
         FROM picked p JOIN bench_unit u ON u.code = p.unit`,
      [options.codes],
    );
    const [{ n: codes } = { n: 0 }] = (
      await client.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_cpv')
    ).rows;
    if (codes !== options.codes) throw new Error(`only ${codes} CPV leaf codes available`);
    await seedCatalogue(client, step);
    await seedContracts(client, step, { N, L, T, codes: options.codes, slots: slots.length });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

type Step = (label: string, sql: string, values?: unknown[]) => Promise<void>;

/**
 * Two buyers and three suppliers per city, with valid tax ids of the city's country; the first supplier of the
 * sixteen largest cities has a user (bench-supplier-N@example.test) to confirm contracts through the API.
 */
async function seedOrganisations(client: Client, step: Step): Promise<CityRow[]> {
  const { rows } = await client.query<{ id: string; code: string; country: string; name_ru: string }>(
    'SELECT id, code, country, name_ru FROM cities',
  );
  const cities = rows
    .map((c) => ({ ...c, weight: POPULATION.get(c.code) ?? 200 }))
    .sort((a, b) => b.weight - a.weight || a.code.localeCompare(b.code));
  const orgs: { id: string; kind: string; name: string; scheme: TaxIdScheme; taxId: string; city: number }[] =
    [];
  cities.forEach((city, i) => {
    const scheme = SCHEME_OF_COUNTRY.get(city.country) ?? 'RU-INN';
    const buyerNames = [
      `ГКУ «Центр закупок г. ${city.name_ru}»`,
      `ГБУЗ «Городская больница № ${1 + (i % 7)}»`,
    ];
    buyerNames.forEach((name, k) =>
      orgs.push({
        id: randomUUID(),
        kind: 'buyer',
        name,
        scheme,
        taxId: makeValidTaxId(scheme, 100_000 + 10 * i + 2 * k),
        city: i,
      }),
    );
    for (let k = 0; k < 3; k++) {
      const name = `ООО «${['Снабжение', 'Торговый дом', 'Промресурс'][k]} ${city.name_ru}»`;
      orgs.push({
        id: randomUUID(),
        kind: 'supplier',
        name,
        scheme,
        taxId: makeValidTaxId(scheme, 300_000 + 10 * i + 2 * k),
        city: i,
      });
    }
  });
  await step(
    'organisations',
    `INSERT INTO organizations (id, kind, legal_name, tax_scheme, tax_id, country, city_id, status)
     SELECT o.id, o.kind, o.name, o.scheme, o.tax_id, c.country, c.id, 'active'
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[])
         AS o(id, kind, name, scheme, tax_id, city_id)
       JOIN cities c ON c.id = o.city_id`,
    [
      orgs.map((o) => o.id),
      orgs.map((o) => o.kind),
      orgs.map((o) => o.name),
      orgs.map((o) => o.scheme),
      orgs.map((o) => o.taxId),
      orgs.map((o) => cities[o.city]!.id),
    ],
  );
  const suppliers = orgs.filter((o) => o.kind === 'supplier');
  const withUsers = cities.slice(0, CONFIRMING_SUPPLIERS).map((_, i) => suppliers.find((s) => s.city === i)!);
  await step(
    'supplier users',
    `INSERT INTO users (email, full_name, password_hash, organization_id, role)
     SELECT 'bench-supplier-' || x.n || '@example.test', 'Bench Supplier ' || x.n, $2, x.id, 'supplier'
       FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, n)`,
    [withUsers.map((s) => s.id), await hashPassword(BENCH_PASSWORD)],
  );
  for (const kind of ['buyer', 'supplier']) {
    const list = orgs.filter((o) => o.kind === kind);
    const k = list.map((o) => list.filter((x) => x.city === o.city).indexOf(o) + 1);
    await step(
      `${kind} lookup`,
      `CREATE TEMP TABLE bench_${kind} ON COMMIT DROP AS
       SELECT x.city_idx, x.k, x.id FROM unnest($1::int[], $2::int[], $3::uuid[]) AS x(city_idx, k, id)`,
      [list.map((o) => o.city), k, list.map((o) => o.id)],
    );
  }
  await step(
    'city lookup',
    `CREATE TEMP TABLE bench_city ON COMMIT DROP AS
     SELECT x.city_idx, x.id, x.currency, x.rate, x.factor
       FROM unnest($1::int[], $2::uuid[], $3::text[], $4::numeric[], $5::numeric[])
         AS x(city_idx, id, currency, rate, factor)`,
    [
      cities.map((_, i) => i),
      cities.map((c) => c.id),
      cities.map((c) => currencyOf(c.country).code),
      cities.map((c) => currencyOf(c.country).perRub),
      cities.map((c) => cityFactor(c.code).toFixed(4)),
    ],
  );
  await step(
    'proposer',
    `CREATE TEMP TABLE bench_proposer ON COMMIT DROP AS
     SELECT u.organization_id, u.id AS user_id FROM users u WHERE u.email = 'bench-supplier-1@example.test'`,
  );
  return cities;
}

/** Suppliers with a user, one per wave slot (16 confirm at once, each its own contract). */
const CONFIRMING_SUPPLIERS = 16;

/** Two catalogue items per code (a third of the contracted items name one), active, each with its version 1. */
async function seedCatalogue(client: Client, step: Step): Promise<void> {
  await step(
    'catalogue items',
    `INSERT INTO catalog_items (id, status, title_ru, description_ru, classification_scheme, classification_code,
                                unit_code, proposed_by_organization_id, proposed_by_user_id, version, published_at,
                                created_at, updated_at)
     SELECT ${seedId('ci', "c.rank || '-' || v")}, 'active', left(c.name_ru, 180) || ', вариант ' || v, c.name_ru,
            'CPV', c.code, c.unit, p.organization_id, p.user_id, 1, now() - interval '800 days',
            now() - interval '800 days', now() - interval '800 days'
       FROM bench_cpv c CROSS JOIN generate_series(1, 2) v CROSS JOIN bench_proposer p`,
  );
  await step(
    'catalogue item versions',
    `INSERT INTO catalog_item_versions (item_id, version, action, actor_user_id, actor_organization_id, actor_role,
                                        reason, created_at)
     SELECT i.id, 1, 'proposed', p.user_id, p.organization_id, 'supplier', 'Imported by the price bench', i.created_at
       FROM catalog_items i CROSS JOIN bench_proposer p WHERE i.proposed_by_user_id = p.user_id`,
  );
}

/**
 * Complete tenders (one or two lots; a lot has one item, about one in ten two), each lot awarded and its one
 * contract signed by both sides at a time spread over the last 24 months. Buyers are drawn by city weight; one
 * item in ten is delivered to another city; one in ten uses the code's second unit. No bids or deal events:
 * nothing measured here reads them (awards name a bid id without a row).
 */
async function seedContracts(
  client: Client,
  step: Step,
  n: { N: number; L: number; T: number; codes: number; slots: number },
): Promise<void> {
  await step(
    'tender plan',
    `CREATE TEMP TABLE bench_t ON COMMIT DROP AS
     SELECT y.*, y.standstill_end - interval '10 days' AS decided_at,
            y.standstill_end - interval '10 days' - (1 + 4 * y.g_eval) * interval '1 day' AS tender_end
       FROM (SELECT x.t, b.id AS buyer_id, c.id AS city_id, c.currency, c.rate, c.factor, s.id AS supplier_id,
                    x.signed, LEAST(x.signed + x.g_supplier * interval '2 days', now() - interval '1 minute')
                      AS supplier_signed,
                    x.signed - x.g_standstill * interval '3 days' AS standstill_end, x.g_eval, x.g_pub
               FROM (SELECT t, floor(random() * $2)::int AS bslot, (1 + floor(random() * 2))::int AS bk,
                            floor(random() * $2)::int AS sslot, (1 + floor(random() * 3))::int AS sk,
                            now() - interval '1 hour' - random() * interval '730 days' AS signed,
                            random() AS g_supplier, random() AS g_standstill, random() AS g_eval, random() AS g_pub
                       FROM generate_series(1, $1::int) t) x
               JOIN bench_slot bs ON bs.slot = x.bslot
               JOIN bench_city c ON c.city_idx = bs.city_idx
               JOIN bench_buyer b ON b.city_idx = bs.city_idx AND b.k = x.bk
               JOIN bench_slot ss ON ss.slot = x.sslot
               JOIN bench_supplier s ON s.city_idx = ss.city_idx AND s.k = x.sk) y`,
    [n.T, n.slots],
  );
  await step(
    'lot plan',
    `CREATE TEMP TABLE bench_l ON COMMIT DROP AS
     SELECT j, t, row_number() OVER (PARTITION BY t ORDER BY j)::int AS number, items
       FROM (SELECT j, ((j - 1)::bigint * $2 / $1 + 1)::int AS t,
                    CASE WHEN j::bigint * ($3 - $1) / $1 > (j - 1)::bigint * ($3 - $1) / $1 THEN 2 ELSE 1 END AS items
               FROM generate_series(1, $1::int) j) l`,
    [n.L, n.T, n.N],
  );
  await client.query(
    'ANALYZE bench_t; ANALYZE bench_l; ANALYZE bench_cpv; ANALYZE bench_city; ANALYZE bench_slot',
  );
  await step(
    'item plan',
    `CREATE TEMP TABLE bench_i ON COMMIT DROP AS
     SELECT z.n, z.j, z.t, z.code, z.name_ru, z.unit, z.catalog_item_id, z.city_id, z.signed, z.quantity,
            GREATEST(0.01, round((z.quantity * z.price)::numeric, 2)) AS value
       FROM (SELECT y.*, GREATEST(1, round(exp(y.r_q * ln(u.qmax))::numeric, u.qscale)) AS quantity,
                    y.base_price * y.unit_factor * t.factor * t.rate
                      * (1 + ${MONTHLY_INFLATION} * extract(epoch FROM t.signed - (now() - interval '730 days')) / 2592000)
                      * exp(0.25 * sqrt(-2 * ln(1 - y.r1)) * cos(2 * pi() * y.r2)) AS price,
                    CASE WHEN y.r_city < 0.1 THEN dc.id ELSE t.city_id END AS city_id, t.signed
               FROM (SELECT i.*, c.code, c.name_ru, c.base_price,
                            CASE WHEN i.r_alt < 0.1 AND c.alt IS NOT NULL THEN c.alt ELSE c.unit END AS unit,
                            CASE WHEN i.r_alt < 0.1 AND c.alt IS NOT NULL THEN c.alt_factor ELSE 1 END AS unit_factor,
                            CASE WHEN (i.r_alt >= 0.1 OR c.alt IS NULL) AND i.r_cat < 1.0 / 3
                                 THEN ${seedId('ci', "c.rank || '-' || (1 + floor(i.r_cat * 6)::int)")} END
                              AS catalog_item_id
                       FROM (SELECT w.*, LEAST($1::int, 1 + floor($1 * random() ^ 2)::int) AS rank,
                                    random() AS r_alt, random() AS r_cat, random() AS r_q, random() AS r1,
                                    random() AS r2, random() AS r_city, floor(random() * $2)::int AS dslot
                               FROM (SELECT row_number() OVER (ORDER BY l.j, k)::int AS n, l.j, l.t
                                       FROM bench_l l CROSS JOIN generate_series(1, l.items) k) w) i
                       JOIN bench_cpv c ON c.rank = i.rank) y
               JOIN bench_unit u ON u.code = y.unit
               JOIN bench_t t ON t.t = y.t
               JOIN bench_slot ds ON ds.slot = y.dslot
               JOIN bench_city dc ON dc.city_idx = ds.city_idx) z`,
    [n.codes, n.slots],
  );
  await step(
    'lot amounts',
    `CREATE TEMP TABLE bench_la ON COMMIT DROP AS
     SELECT l.j, l.t, l.number, a.amount, a.title, round(a.amount * (1.05 + 0.25 * random())::numeric, 2) AS estimate
       FROM bench_l l
       JOIN (SELECT j, sum(value) AS amount, (array_agg(name_ru ORDER BY n))[1] AS title FROM bench_i GROUP BY j) a
         ON a.j = l.j`,
  );
  await client.query('ANALYZE bench_i; ANALYZE bench_la');
  await step(
    'tenders',
    `INSERT INTO tenders (id, number, ocid, title, description, status, method, currency, min_bids, organizer_id,
                          tender_start, tender_end, clarifications_until, published_at, closed_at, created_at,
                          updated_at)
     SELECT ${seedId('t', 's.t')}, s.number, 'ocds-mtp001-' || s.number, left(s.title, 200),
            'Поставка по лотам: ' || left(s.title, 200), 'complete', 'open', s.currency, 1, s.buyer_id,
            s.published_at, s.tender_end, s.tender_end - interval '3 days', s.published_at, s.tender_end,
            s.published_at - interval '1 day', s.supplier_signed
       FROM (SELECT t.*, f.title,
                    t.tender_end - (15 + 15 * t.g_pub) * interval '1 day' AS published_at,
                    'MTP-' || to_char(t.tender_end, 'YYYY') || '-' || lpad(nextval('tender_number_seq')::text, 6, '0')
                      AS number
               FROM bench_t t JOIN bench_la f ON f.t = t.t AND f.number = 1) s`,
  );
  await step(
    'tender buyers',
    `INSERT INTO tender_buyers (tender_id, buyer_id) SELECT ${seedId('t', 't')}, buyer_id FROM bench_t`,
  );
  await step(
    'lots',
    `INSERT INTO lots (id, tender_id, number, title, estimate, status)
     SELECT ${seedId('l', 'j')}, ${seedId('t', 't')}, number, left(title, 200), estimate, 'complete' FROM bench_la`,
  );
  await step(
    'tender items',
    `INSERT INTO tender_items (id, lot_id, tender_id, catalog_item_id, description, cpv_code, unit_code, quantity,
                               delivery_city_id, delivery_date)
     SELECT ${seedId('i', 'n')}, ${seedId('l', 'j')}, ${seedId('t', 't')}, catalog_item_id, name_ru, code, unit,
            quantity, city_id, (signed + interval '30 days')::date
       FROM bench_i`,
  );
  await step(
    'awards',
    `INSERT INTO awards (id, tender_id, lot_id, bid_id, supplier_id, status, amount, rank, created_at, decided_at,
                         standstill_end)
     SELECT ${seedId('a', 'l.j')}, ${seedId('t', 'l.t')}, ${seedId('l', 'l.j')}, ${seedId('b', 'l.j')}, t.supplier_id,
            'active', l.amount, 1, t.tender_end, t.decided_at, t.standstill_end
       FROM bench_la l JOIN bench_t t ON t.t = l.t`,
  );
  await step(
    'contracts',
    `INSERT INTO contracts (id, tender_id, lot_id, award_id, buyer_id, supplier_id, amount, status, buyer_signed_at,
                            supplier_signed_at, created_at)
     SELECT ${seedId('k', 'l.j')}, ${seedId('t', 'l.t')}, ${seedId('l', 'l.j')}, ${seedId('a', 'l.j')}, t.buyer_id,
            t.supplier_id, l.amount, 'signed', t.signed, t.supplier_signed, t.decided_at
       FROM bench_la l JOIN bench_t t ON t.t = l.t`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// 1. Full rebuild beside the one raw aggregation.

/**
 * The plain SELECT the rebuild is equivalent to: every contracted item's unit price (its lot's amount split
 * evenly among the lot's items, over its quantity), counted under each CPV roll-up key of its code and under its
 * catalogue item, per (unit, currency, country, city, month) and per country; percentile_cont for the
 * quartiles. Nothing is written; only the number of groups comes back, counted over every figure (a column the
 * outer query did not read would be dropped by the planner unevaluated: an earlier version of this baseline
 * computed no aggregate at all). `part` restricts it to one division
 * ($1) and month ($2, its first day), as a refresh of the whole part would.
 */
function rawAggregationSql(part: boolean): string {
  const filter = part
    ? `AND left(ti.cpv_code, 2) = $1
       AND GREATEST(k.buyer_signed_at, k.supplier_signed_at) >= ($2::date::timestamp AT TIME ZONE 'UTC')
       AND GREATEST(k.buyer_signed_at, k.supplier_signed_at) < (($2::date + interval '1 month') AT TIME ZONE 'UTC')`
    : '';
  return `
    SELECT count(*) FILTER (WHERE g.n IS NOT NULL AND g.min IS NOT NULL AND g.q1 IS NOT NULL AND g.median IS NOT NULL
                             AND g.q3 IS NOT NULL AND g.max IS NOT NULL AND g.mean IS NOT NULL
                             AND g.quantity IS NOT NULL AND g.value IS NOT NULL)::int AS groups FROM (
      SELECT s.kind, s.subject, s.division, s.unit_code, s.currency, s.country, s.city_id, s.month, count(*) AS n,
             min(s.unit_price) AS min, percentile_cont(0.25) WITHIN GROUP (ORDER BY s.unit_price) AS q1,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY s.unit_price) AS median,
             percentile_cont(0.75) WITHIN GROUP (ORDER BY s.unit_price) AS q3,
             max(s.unit_price) AS max, avg(s.unit_price) AS mean, sum(s.quantity) AS quantity, sum(s.value) AS value
        FROM (SELECT p.*, round(p.value / p.quantity, 4) AS unit_price, left(p.cpv_code, 2) AS division, key.*
                FROM (SELECT ti.cpv_code, ti.catalog_item_id, ti.unit_code, t.currency, c.id AS city_id, c.country,
                             date_trunc('month', GREATEST(k.buyer_signed_at, k.supplier_signed_at) AT TIME ZONE 'UTC')::date
                               AS month,
                             COALESCE(q.quantity, ti.quantity) AS quantity,
                             round(a.amount / (SELECT count(*) FROM tender_items x WHERE x.lot_id = ti.lot_id)
                                   * COALESCE(q.quantity, ti.quantity) / ti.quantity, 2) AS value
                        FROM contracts k
                        JOIN awards a ON a.id = k.award_id
                        JOIN tenders t ON t.id = k.tender_id
                        JOIN tender_items ti ON ti.lot_id = k.lot_id
                        LEFT JOIN tender_item_quantities q ON q.item_id = ti.id AND q.buyer_id = k.buyer_id
                        JOIN cities c ON c.id = ti.delivery_city_id
                       WHERE k.status = 'signed' ${filter}) p
                CROSS JOIN LATERAL (
                  SELECT DISTINCT 'cpv' AS kind, left(g, GREATEST(2, length(rtrim(g, '0')))) AS subject
                    FROM (SELECT left(left(p.cpv_code, 8), n) AS g FROM generate_series(2, 8) n) prefixes
                  UNION ALL
                  SELECT 'item', p.catalog_item_id::text WHERE p.catalog_item_id IS NOT NULL
                ) key
               WHERE p.quantity > 0) s
       GROUP BY GROUPING SETS (
         (s.kind, s.subject, s.division, s.unit_code, s.currency, s.country, s.city_id, s.month),
         (s.kind, s.subject, s.division, s.unit_code, s.currency, s.country, s.month))
    ) g`;
}

async function rebuildBenchmark(
  dataSource: DataSource,
  pool: Pool,
  runs: number,
): Promise<NonNullable<Figures['rebuild']>> {
  const stats = new PriceStatsService(dataSource);
  const rebuildMs: number[] = [];
  const rawMs: number[] = [];
  let rows = 0;
  let groups = 0;
  process.stdout.write(
    `\n== full rebuild: PriceStatsService.rebuild() vs the raw aggregation, ${runs} runs each, alternating ==\n`,
  );
  const { rows: plan } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${rawAggregationSql(false)}`);
  const parallel = plan.some((r) => /Gather/.test(r['QUERY PLAN']));
  say(
    `the raw plan ${parallel ? 'uses' : 'does not use'} parallel workers (an INSERT ... SELECT, as the ` +
      `rebuild's, never does); before each rebuild price_stats is vacuumed (untimed), as autovacuum would have ` +
      `done since the last nightly rebuild`,
  );
  for (let i = 0; i < runs; i++) {
    await pool.query('CHECKPOINT').catch(() => undefined);
    let t0 = performance.now();
    const { rows: raw } = await pool.query<{ groups: number }>(rawAggregationSql(false));
    rawMs.push(performance.now() - t0);
    groups = raw[0]?.groups ?? 0;
    await pool.query('VACUUM price_stats');
    await pool.query('CHECKPOINT').catch(() => undefined);
    t0 = performance.now();
    rows = (await stats.rebuild()).rows;
    rebuildMs.push(performance.now() - t0);
    say(
      `run ${i + 1}: raw ${s(rawMs[i]!)} s (${groups} groups), rebuild ${s(rebuildMs[i]!)} s (${rows} rows ` +
        `written); load average ${loadAverage()}`,
    );
  }
  const table = [
    { run: 'PriceStatsService.rebuild() (new table, indexed, swapped in)', times: rebuildMs, rows },
    { run: 'raw SELECT count(*) FROM (same groups, percentile_cont)', times: rawMs, rows: groups },
  ];
  if (parallel) {
    const serial = await pool.connect();
    try {
      await serial.query('SET max_parallel_workers_per_gather = 0');
      const t0 = performance.now();
      await serial.query(rawAggregationSql(false));
      table.push({
        run: 'the same raw SELECT without parallel workers (once)',
        times: [performance.now() - t0],
        rows: groups,
      });
      await serial.query('RESET max_parallel_workers_per_gather');
    } finally {
      serial.release();
    }
  }
  {
    // The rebuild sets its own work_mem (REBUILD_WORK_MEM): the raw aggregation with the same memory, for fairness.
    const same = await pool.connect();
    try {
      await same.query(`SET work_mem = '${REBUILD_WORK_MEM}'`);
      const t0 = performance.now();
      await same.query(rawAggregationSql(false));
      table.push({
        run: `the same raw SELECT with work_mem ${REBUILD_WORK_MEM}, as the rebuild (once)`,
        times: [performance.now() - t0],
        rows: groups,
      });
      await same.query('RESET work_mem');
    } finally {
      same.release();
    }
  }
  const median = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  console.table(
    table.map((r) => ({
      run: r.run,
      'median s': s(median(r.times)),
      all: r.times.map(s).join(' / '),
      rows: r.rows,
    })),
  );
  const result = { rebuildMs: median(rebuildMs), rawMs: median(rawMs), rows, groups };
  const serialMs = parallel && table[2] ? median(table[2].times) : NaN;
  const sameMemMs = median(table[table.length - 1]!.times);
  process.stdout.write(
    `ratio rebuild/raw: ${(result.rebuildMs / result.rawMs).toFixed(2)}x (target <= 2)` +
      `${parallel ? `; against the serial raw SELECT ${(result.rebuildMs / serialMs).toFixed(2)}x` : ''}; ` +
      `against the raw SELECT with the same work_mem ${(result.rebuildMs / sameMemMs).toFixed(2)}x; ` +
      `rows written ${rows}, raw groups ${groups}` +
      `${rows === groups ? ' (same)' : ' (DIFFERENT: the two do not compute the same groups)'}\n`,
  );
  return result;
}

const s = (ms: number) => (ms / 1000).toFixed(2);

// ---------------------------------------------------------------------------------------------------------
// 2. Statistics endpoint beside its SQL.

type StatsQuery = Record<string, string>;

/** The service's own parameters for a query of the mix (the raw baseline sends its statement as is). */
const statsParams = (q: StatsQuery): unknown[] =>
  priceStatsQueryParams({ ...q, limit: q.limit ? Number(q.limit) : undefined });

/**
 * 50 queries: 8 division, 10 group, 10 class and 22 leaf codes (the most contracted ones, and a few from the
 * tail), in turn with no filter (every city), a city, a country, a city with unit and currency, and a country
 * over the last 6 months; every third also from a year back.
 */
async function queryMix(pool: Pool): Promise<StatsQuery[]> {
  const { rows: popular } = await pool.query<{ code: string; unit: string; n: number }>(
    `SELECT cpv_code AS code, mode() WITHIN GROUP (ORDER BY unit_code) AS unit, count(*)::int AS n
       FROM tender_items GROUP BY cpv_code ORDER BY count(*) DESC, cpv_code`,
  );
  const ancestor = async (code: string, digits: number): Promise<string | undefined> => {
    const body = code.slice(0, digits).padEnd(8, '0');
    const { rows } = await pool.query<{ code: string }>(
      `SELECT code FROM classifications WHERE scheme = 'CPV' AND left(code, 8) = $1`,
      [body],
    );
    return rows[0]?.code;
  };
  const pick = async (digits: number, count: number): Promise<{ code: string; unit: string }[]> => {
    const out: { code: string; unit: string }[] = [];
    for (const p of popular) {
      if (out.length === count) break;
      const code = digits === 8 ? p.code : await ancestor(p.code, digits);
      if (code && !out.some((o) => o.code === code)) out.push({ code, unit: p.unit });
    }
    return out;
  };
  const leaves = [
    ...(await pick(8, 16)),
    ...popular
      .slice(-200)
      .filter((_, i) => i % 33 === 0)
      .slice(0, 6),
  ];
  const codes = [...(await pick(2, 8)), ...(await pick(3, 10)), ...(await pick(4, 10)), ...leaves];
  const { rows: cities } = await pool.query<{ id: string; country: string }>(
    `SELECT id, country FROM cities WHERE code = ANY($1) ORDER BY array_position($1, code)`,
    [['moscow', 'saint-petersburg', 'almaty', 'minsk', 'kazan', 'voronezh', 'karaganda', 'tashkent']],
  );
  const month = (back: number) => {
    const d = new Date();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() - back);
    return d.toISOString().slice(0, 7);
  };
  return codes.map(({ code, unit }, i) => {
    const city = cities[i % cities.length]!;
    const q: StatsQuery = { cpv: code };
    switch (i % 5) {
      case 1:
        q.cityId = city.id;
        break;
      case 2:
        q.country = ['RU', 'KZ', 'BY'][i % 3]!;
        break;
      case 3:
        Object.assign(q, { cityId: city.id, unitCode: unit, currency: currencyOf(city.country).code });
        break;
      case 4:
        Object.assign(q, { country: 'RU', from: month(6), to: month(0) });
        break;
    }
    if (i % 3 === 2 && !q.from) q.from = month(12);
    return q;
  });
}

async function endpointBenchmark(
  pool: Pool,
  base: string,
  options: Options,
): Promise<NonNullable<Figures['endpoint']>> {
  const mix = await queryMix(pool);
  const c = options.connections;
  // The first page as a client gets it (the default page size: the target), then the largest page allowed.
  const measured: { system: LoadResult; raw: LoadResult }[] = [];
  for (const limit of [undefined, MAX_PRICE_STATS_PAGE_SIZE]) {
    const pages = mix.map((q) => (limit ? { ...q, limit: String(limit) } : q));
    const size = limit ?? PRICE_STATS_PAGE_SIZE;
    const paths = pages.map((q) => `/api/v1/analytics/prices?${new URLSearchParams(q).toString()}`);
    const counts: number[] = [];
    const bytes: number[] = [];
    for (const path of paths) {
      const res = await fetch(`${base}${path}`);
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body}`);
      counts.push((JSON.parse(body) as { items: unknown[] }).items.length);
      bytes.push(body.length);
    }
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    say(
      `query mix: ${mix.length} queries, ${limit ? `limit=${limit}` : `no limit (default page of ${size})`}; ` +
        `rows per answer min ${Math.min(...counts)}, median ${percentile(sorted(counts), 50)}, max ` +
        `${Math.max(...counts)} (${counts.filter((n) => n === size).length} full pages, ` +
        `${counts.filter((n) => n === 0).length} empty); body median ` +
        `${(percentile(sorted(bytes), 50) / 1024).toFixed(1)} KiB, max ${(Math.max(...bytes) / 1024).toFixed(1)} KiB`,
    );
    const requests = paths.map((path) => ({ method: 'GET' as const, path }));
    const raw = (seconds: number) =>
      loadFn(`raw SQL, the service's statement (pg Pool(${c}))`, c, seconds, (i) =>
        pool.query(PRICE_STATS_QUERY, statsParams(pages[i % pages.length]!)),
      );
    await load('warm-up', { url: base, requests, connections: c, durationSeconds: 3 });
    await raw(3);
    const system = await load(
      `API GET /api/v1/analytics/prices (${mix.length}-query mix, pages of ${size})`,
      {
        url: base,
        requests,
        connections: c,
        durationSeconds: options.seconds,
      },
    );
    const baseline = await raw(options.seconds);
    printComparison(
      `statistics endpoint: ${mix.length}-query mix, pages of ${size} rows, ${c} connections, ${options.seconds} s each`,
      system,
      baseline,
    );
    process.stdout.write(
      limit
        ? `(the largest page, for comparison; not the target)\n`
        : `target: API p95 <= 20 ms at ${c} connections (measured ${system.p95.toFixed(2)} ms)\n`,
    );
    measured.push({ system, raw: baseline });
  }
  await explainSlowest(pool, mix);
  return measured[0]!;
}

/** Each query of the mix once, EXPLAIN ANALYZE; the plans of the three slowest. */
async function explainSlowest(pool: Pool, mix: StatsQuery[]): Promise<void> {
  const plans: { q: StatsQuery; ms: number; plan: string[] }[] = [];
  for (const q of mix) {
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${PRICE_STATS_QUERY}`,
      statsParams(q),
    );
    const plan = rows.map((r) => r['QUERY PLAN']);
    const ms = Number(/Execution Time: ([\d.]+)/.exec(plan.join('\n'))?.[1] ?? NaN);
    plans.push({ q, ms, plan });
  }
  plans.sort((a, b) => b.ms - a.ms);
  const all = plans.map((p) => p.ms).sort((a, b) => a - b);
  process.stdout.write(
    `\nserver execution time over the mix (EXPLAIN ANALYZE, one at a time): p50 ${percentile(all, 50).toFixed(2)} ms, ` +
      `max ${(all[all.length - 1] ?? NaN).toFixed(2)} ms; the three slowest:\n`,
  );
  for (const { q, ms, plan } of plans.slice(0, 3)) {
    const { cityId, ...rest } = q;
    process.stdout.write(
      `-- ${JSON.stringify({ ...rest, ...(cityId ? { cityId: '<city>' } : {}) })}: ${ms.toFixed(2)} ms\n`,
    );
    for (const line of plan.filter((l) => !/^\s*(Planning|Buffers: shared hit=\d+$)/.test(l)).slice(0, 14)) {
      process.stdout.write(`   ${line.length > 150 ? `${line.slice(0, 147)}...` : line}\n`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// 3. New contract -> updated statistics, through the API and the real worker.

interface Confirmable {
  contractId: string;
  supplier: number;
  code: string;
  subject: string;
  division: string;
  geo: string;
  unit: string;
  currency: string;
}

async function latencyBenchmark(
  dataSource: DataSource,
  pool: Pool,
  env: Record<string, string>,
  base: string,
  options: Options,
): Promise<NonNullable<Figures['latency']>> {
  const total = 1 + options.sequential + options.waves * options.waveSize;
  const confirmables = await seedConfirmable(pool, total);
  const queue = new Queue(QUEUES.priceAnalytics, {
    connection: redisConnectionOptions(env.REDIS_URL as string),
    prefix: env.QUEUE_PREFIX as string,
  });
  const { rows: supplierIds } = await pool.query<{ id: string }>(
    `SELECT organization_id AS id FROM users WHERE email LIKE 'bench-supplier-%@example.test'
      ORDER BY substring(email FROM 16 FOR length(email) - 28)::int`,
  );
  const suppliers = await loginSuppliers(
    base,
    supplierIds.map((r) => r.id),
  );
  const agents = suppliers.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
  const port = Number(new URL(base).port);
  const poller = new Client({ connectionString: env.DATABASE_URL, application_name: 'bench-prices-poll' });
  await poller.connect();
  const worker = await startProcess('apps/worker/src/main.js', env);
  let timeouts = 0;
  try {
    await waitFor(
      async () => (await queue.getWorkersCount()) > 0,
      60_000,
      'the worker did not connect to its queue',
    );
    await sleep(2_000); // the worker's startup sweeps settle
    process.stdout.write(
      `\n== new contract -> updated statistics: ${options.sequential} one at a time, ${options.waves} waves of ` +
        `${options.waveSize}; debounce window ${PRICE_STATS_DEBOUNCE_MS} ms ==\n`,
    );
    /** Confirms the batch at once; adds each one's HTTP time to `confirmMs` and returns its commit -> visible time. */
    const confirmAll = async (batch: Confirmable[], confirmMs: number[]): Promise<number[]> => {
      const month = new Date().toISOString().slice(0, 7) + '-01';
      const before = await statCounts(poller, batch, month);
      const committed = await Promise.all(
        batch.map(async (c) => {
          const t0 = performance.now();
          const { token } = suppliers[c.supplier]!;
          const res = await postJson(
            agents[c.supplier]!,
            port,
            `/api/v1/contracts/${c.contractId}/confirm`,
            token,
            '{}',
          );
          if (res.status !== 204) throw new Error(`confirm ${c.contractId}: ${res.status} ${res.body}`);
          const at = performance.now();
          confirmMs.push(at - t0);
          return at;
        }),
      );
      const seen = await waitUntilCounted(poller, batch, month, before, 30_000);
      timeouts += seen.filter((t) => t === undefined).length;
      return seen.flatMap((t, i) => (t === undefined ? [] : [t - committed[i]!]));
    };
    await confirmAll(confirmables.slice(0, 1), []); // warm-up, not counted
    const sequential: number[] = [];
    const sequentialConfirmMs: number[] = [];
    for (const c of confirmables.slice(1, 1 + options.sequential)) {
      sequential.push(...(await confirmAll([c], sequentialConfirmMs)));
    }
    say(`one at a time: ${sequential.length} measured; load average ${loadAverage()}`);
    const waves: number[] = [];
    const waveConfirmMs: number[] = [];
    for (let w = 0; w < options.waves; w++) {
      const start = 1 + options.sequential + w * options.waveSize;
      waves.push(...(await confirmAll(confirmables.slice(start, start + options.waveSize), waveConfirmMs)));
    }
    say(
      `waves: ${waves.length} measured; ${timeouts} not visible within 30 s; price-analytics jobs ` +
        `${JSON.stringify(await queue.getJobCounts('completed', 'failed', 'delayed', 'waiting', 'active'))}`,
    );
    const partTimes = await partBaselines(dataSource, pool, confirmables);
    printLatency({ sequential, waves, sequentialConfirmMs, waveConfirmMs, timeouts, ...partTimes });
    return { sequential, waves, timeouts, ...partTimes };
  } finally {
    await stopProcess(worker);
    await poller.end();
    await queue.close();
    agents.forEach((a) => a.destroy());
  }
}

/**
 * `count` awarded tenders (one lot, one item, three opened bids, the lowest one's award active and past its
 * stand-still) with the buyer-signed contract the winner confirms next: each with its own CPV code (so each
 * waits for its own statistics row), in a city drawn by weight, won by one of the suppliers with a user.
 */
async function seedConfirmable(pool: Pool, count: number): Promise<Confirmable[]> {
  const { rows: codes } = await pool.query<{ code: string; unit: string }>(
    `SELECT DISTINCT classification_code AS code, unit_code AS unit FROM catalog_items
      WHERE proposed_by_user_id = (SELECT id FROM users WHERE email = 'bench-supplier-1@example.test')
      ORDER BY 1`,
  );
  if (codes.length < count) throw new Error(`only ${codes.length} codes for ${count} contracts`);
  for (let i = codes.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [codes[i], codes[j]] = [codes[j]!, codes[i]!];
  }
  const { rows: cities } = await pool.query<{ id: string; code: string; country: string; buyer_id: string }>(
    `SELECT DISTINCT ON (c.id) c.id, c.code, c.country, o.id AS buyer_id
       FROM cities c JOIN organizations o ON o.city_id = c.id AND o.kind = 'buyer' ORDER BY c.id, o.id`,
  );
  const { rows: suppliers } = await pool.query<{ id: string }>(
    `SELECT u.organization_id AS id FROM users u WHERE u.email LIKE 'bench-supplier-%@example.test'
      ORDER BY substring(u.email FROM 16 FOR length(u.email) - 28)::int`,
  );
  const { rows: losers } = await pool.query<{ id: string }>(
    `SELECT id FROM organizations WHERE kind = 'supplier' AND id <> ALL($1::uuid[]) ORDER BY id LIMIT 50`,
    [suppliers.map((x) => x.id)],
  );
  const weights = cities.map((c) => POPULATION.get(c.code) ?? 200);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const drawCity = () => {
    let r = Math.random() * totalWeight;
    for (const [i, w] of weights.entries()) if ((r -= w) < 0) return cities[i]!;
    return cities[0]!;
  };
  const rows = codes.slice(0, count).map(({ code, unit }, i) => {
    const city = drawCity();
    const currency = currencyOf(city.country);
    const u = UNITS.find((x) => x.code === unit) ?? UNITS[0]!;
    const quantity = Math.max(1, Number(Math.exp(Math.random() * Math.log(u.qmax)).toFixed(u.qscale)));
    const price =
      basePrice(code, unit) * cityFactor(city.code) * currency.perRub * (1 + 24 * MONTHLY_INFLATION);
    const amount = Math.max(0.01, quantity * price * Math.exp(0.2 * (Math.random() - 0.5)));
    const supplier = i % Math.min(CONFIRMING_SUPPLIERS, suppliers.length);
    const tenderId = randomUUID();
    const lotId = randomUUID();
    const bidders = [
      suppliers[supplier]!.id,
      losers[(2 * i) % losers.length]!.id,
      losers[(2 * i + 1) % losers.length]!.id,
    ];
    const bids = bidders.map((supplierId, rank) => {
      const bidId = randomUUID();
      const lotPrice = (amount * (1 + rank * (0.03 + 0.05 * Math.random()))).toFixed(2);
      const content = {
        bidId,
        tenderId,
        supplierId,
        currency: currency.code,
        lots: [{ lotId, price: lotPrice }],
      };
      const salt = newSalt();
      return {
        bidId,
        supplierId,
        price: lotPrice,
        rank: rank + 1,
        content,
        salt,
        commitment: bidCommitment(content, salt),
      };
    });
    return {
      code,
      unit,
      city,
      currency: currency.code,
      quantity,
      tenderId,
      lotId,
      bids,
      supplier,
      awardId: randomUUID(),
      contractId: randomUUID(),
    };
  });
  await pool.query(
    `WITH x AS (
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::uuid[],
                            $8::uuid[], $9::text[], $10::numeric[], $11::numeric[], $12::uuid[], $13::uuid[])
         AS x(tender_id, lot_id, award_id, contract_id, code, unit, city_id, buyer_id, currency, quantity, amount,
              supplier_id, bid_id)
     ), t AS (
       INSERT INTO tenders (id, number, ocid, title, description, status, method, currency, min_bids, organizer_id,
                            tender_start, tender_end, clarifications_until, published_at, closed_at, created_at)
       SELECT n.tender_id, n.number, 'ocds-mtp001-' || n.number, left(c.name_ru, 200), 'Поставка: ' || left(c.name_ru, 200),
              'active.awarded', 'open', n.currency, 1, n.buyer_id, now() - interval '40 days',
              now() - interval '15 days', now() - interval '18 days', now() - interval '40 days',
              now() - interval '15 days', now() - interval '41 days'
         FROM (SELECT x.*, 'MTP-' || to_char(now(), 'YYYY') || '-' || lpad(nextval('tender_number_seq')::text, 6, '0')
                      AS number FROM x) n
         JOIN classifications c ON c.scheme = 'CPV' AND c.code = n.code
     ), b AS (
       INSERT INTO tender_buyers (tender_id, buyer_id) SELECT tender_id, buyer_id FROM x
     ), l AS (
       INSERT INTO lots (id, tender_id, number, title, estimate, status)
       SELECT x.lot_id, x.tender_id, 1, left(c.name_ru, 200), round(x.amount * 1.15, 2), 'active'
         FROM x JOIN classifications c ON c.scheme = 'CPV' AND c.code = x.code
     ), i AS (
       INSERT INTO tender_items (lot_id, tender_id, description, cpv_code, unit_code, quantity, delivery_city_id,
                                 delivery_date)
       SELECT x.lot_id, x.tender_id, c.name_ru, x.code, x.unit, x.quantity, x.city_id, (now() + interval '30 days')::date
         FROM x JOIN classifications c ON c.scheme = 'CPV' AND c.code = x.code
     ), a AS (
       INSERT INTO awards (id, tender_id, lot_id, bid_id, supplier_id, status, amount, rank, created_at, decided_at,
                           standstill_end)
       SELECT award_id, tender_id, lot_id, bid_id, supplier_id, 'active', amount, 1, now() - interval '15 days',
              now() - interval '12 days', now() - interval '2 days'
         FROM x
     )
     INSERT INTO contracts (id, tender_id, lot_id, award_id, buyer_id, supplier_id, amount, status, buyer_signed_at,
                            created_at)
     SELECT contract_id, tender_id, lot_id, award_id, buyer_id, supplier_id, amount, 'buyer_signed',
            now() - interval '1 hour', now() - interval '12 days'
       FROM x`,
    [
      rows.map((r) => r.tenderId),
      rows.map((r) => r.lotId),
      rows.map((r) => r.awardId),
      rows.map((r) => r.contractId),
      rows.map((r) => r.code),
      rows.map((r) => r.unit),
      rows.map((r) => r.city.id),
      rows.map((r) => r.city.buyer_id),
      rows.map((r) => r.currency),
      rows.map((r) => r.quantity),
      rows.map((r) => r.bids[0]!.price),
      rows.map((r) => r.bids[0]!.supplierId),
      rows.map((r) => r.bids[0]!.bidId),
    ],
  );
  const bids = rows.flatMap((r) => r.bids.map((b) => ({ ...b, tenderId: r.tenderId, lotId: r.lotId })));
  await pool.query(
    `WITH b AS (
       INSERT INTO bids (id, tender_id, supplier_id, status, commitment, salt, content, submitted_at, sequence, opened_at)
       SELECT x.id, x.tender_id, x.supplier_id, 'opened', x.commitment, x.salt, x.content::jsonb,
              now() - interval '16 days', nextval('bid_sequence'), now() - interval '15 days'
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[])
           AS x(id, tender_id, supplier_id, commitment, salt, content)
     )
     INSERT INTO bid_lots (bid_id, lot_id, price, evaluated_price, rank, preference_applied)
     SELECT id, lot_id, price, price, rank, false
       FROM unnest($1::uuid[], $7::uuid[], $8::numeric[], $9::int[]) AS y(id, lot_id, price, rank)`,
    [
      bids.map((b) => b.bidId),
      bids.map((b) => b.tenderId),
      bids.map((b) => b.supplierId),
      bids.map((b) => b.commitment),
      bids.map((b) => b.salt),
      bids.map((b) => JSON.stringify(b.content)),
      bids.map((b) => b.lotId),
      bids.map((b) => b.price),
      bids.map((b) => b.rank),
    ],
  );
  await pool.query('ANALYZE contracts, awards, tenders, lots, tender_items');
  say(
    `seeded ${count} buyer-signed contracts to confirm (${new Set(rows.map((r) => r.code.slice(0, 2))).size} divisions)`,
  );
  return rows.map((r) => ({
    contractId: r.contractId,
    supplier: r.supplier,
    code: r.code,
    subject: cpvKey(r.code),
    division: r.code.slice(0, 2),
    geo: r.city.id,
    unit: r.unit,
    currency: r.currency,
  }));
}

/** The statistics row of each contract's code, city, unit, currency and `month`: its count (0 when absent). */
async function statCounts(client: Client, batch: Confirmable[], month: string): Promise<number[]> {
  const { rows } = await client.query<{ i: string; count: number }>(
    `SELECT u.i, p.count
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY
              AS u(subject, division, geo, unit, currency, i)
       JOIN price_stats p ON p.kind = 'cpv' AND p.subject = u.subject AND p.division = u.division AND p.geo = u.geo
                         AND p.unit_code = u.unit AND p.currency = u.currency AND p.month = $6::date`,
    [
      batch.map((c) => c.subject),
      batch.map((c) => c.division),
      batch.map((c) => c.geo),
      batch.map((c) => c.unit),
      batch.map((c) => c.currency),
      month,
    ],
  );
  const counts = batch.map(() => 0);
  for (const r of rows) counts[Number(r.i) - 1] = r.count;
  return counts;
}

/** Polls every 20 ms until each row counts one more than `before`; the instant each was seen (or undefined). */
async function waitUntilCounted(
  client: Client,
  batch: Confirmable[],
  month: string,
  before: number[],
  timeoutMs: number,
): Promise<(number | undefined)[]> {
  const seen: (number | undefined)[] = batch.map(() => undefined);
  const deadline = performance.now() + timeoutMs;
  while (seen.some((t) => t === undefined) && performance.now() < deadline) {
    const counts = await statCounts(client, batch, month);
    const now = performance.now();
    counts.forEach((count, i) => {
      if (seen[i] === undefined && count > before[i]!) seen[i] = now;
    });
    await sleep(20);
  }
  return seen;
}

/**
 * Baseline for the latency: each (division, month) the contracts touched, recomputed by the raw aggregation
 * alone (nothing written), and by PriceStatsService.refreshChanges with every item of the part changed, called
 * directly (no queue, no debounce).
 */
async function partBaselines(
  dataSource: DataSource,
  pool: Pool,
  confirmables: Confirmable[],
): Promise<{ partRawMs: number[]; partRebuildMs: number[] }> {
  const month = new Date().toISOString().slice(0, 7);
  const divisions = [...new Set(confirmables.map((c) => c.division))].sort();
  const stats = new PriceStatsService(dataSource);
  const partRawMs: number[] = [];
  const partRebuildMs: number[] = [];
  for (const division of divisions) {
    let t0 = performance.now();
    await pool.query(rawAggregationSql(true), [division, `${month}-01`]);
    partRawMs.push(performance.now() - t0);
    // Every item of the part marked as changed (untimed): the worker's statement then recomputes the whole part.
    await pool.query(
      `INSERT INTO price_stats_changes (division, month, cpv_code, catalog_item_id, unit_code, currency, country)
       SELECT division, month, cpv_code, catalog_item_id, unit_code, currency, country FROM contracted_items
        WHERE division = $1 AND month = $2`,
      [division, `${month}-01`],
    );
    t0 = performance.now();
    await stats.refreshChanges([{ division, month }]);
    partRebuildMs.push(performance.now() - t0);
  }
  return { partRawMs: partRawMs.sort((a, b) => a - b), partRebuildMs: partRebuildMs.sort((a, b) => a - b) };
}

function printLatency(l: {
  sequential: number[];
  waves: number[];
  sequentialConfirmMs: number[];
  waveConfirmMs: number[];
  timeouts: number;
  partRawMs: number[];
  partRebuildMs: number[];
}): void {
  const row = (label: string, xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return {
      run: label,
      n: sorted.length,
      'p50 ms': ms(percentile(sorted, 50)),
      'p95 ms': ms(percentile(sorted, 95)),
      'p99 ms': ms(percentile(sorted, 99)),
      'max ms': ms(percentile(sorted, 100)),
    };
  };
  console.table([
    row('confirm 204 -> statistics row counts it, one at a time', l.sequential),
    row('the same, in waves of confirms sent at once', l.waves),
    row('POST /contracts/:id/confirm itself, one at a time', l.sequentialConfirmMs),
    row('POST /contracts/:id/confirm itself, in waves', l.waveConfirmMs),
    row('baseline: raw aggregation of one (division, month)', l.partRawMs),
    row('PriceStatsService.refreshChanges, whole part changed', l.partRebuildMs),
  ]);
  process.stdout.write(
    `${l.timeouts} contracts not visible within 30 s; baselines over the ${l.partRawMs.length} (division, month) ` +
      `parts touched, each once, after the measurement; target p99 <= 2000 ms\n`,
  );
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');

// ---------------------------------------------------------------------------------------------------------

function printSummary(options: Options, f: Figures): void {
  process.stdout.write(`\n== price-analytics summary (${options.items.toLocaleString('en')} items) ==\n`);
  if (f.rebuild) {
    const ratio = f.rebuild.rebuildMs / f.rebuild.rawMs;
    process.stdout.write(
      `full rebuild ${s(f.rebuild.rebuildMs)} s (${f.rebuild.rows} rows) vs raw aggregation ${s(f.rebuild.rawMs)} s: ` +
        `ratio ${ratio.toFixed(2)} (target <= 2: ${ratio <= 2 ? 'met' : 'NOT met'})\n`,
    );
  }
  if (f.latency) {
    const p99 = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        99,
      );
    const worst = Math.max(p99(f.latency.sequential), p99(f.latency.waves));
    process.stdout.write(
      `new contract -> statistics p99: one at a time ${ms(p99(f.latency.sequential))} ms, waves of ` +
        `${options.waveSize} ${ms(p99(f.latency.waves))} ms, ${f.latency.timeouts} timeouts (target <= 2000 ms: ` +
        `${worst <= 2000 && f.latency.timeouts === 0 ? 'met' : 'NOT met'}); raw (division, month) aggregation p50 ` +
        `${ms(percentile(f.latency.partRawMs, 50))} ms, max ${ms(percentile(f.latency.partRawMs, 100))} ms\n`,
    );
  }
  if (f.endpoint) {
    const { system, raw } = f.endpoint;
    process.stdout.write(
      `statistics endpoint p95 ${system.p95.toFixed(2)} ms at ${options.connections} connections ` +
        `(target <= 20 ms: ${system.p95 <= 20 ? 'met' : 'NOT met'}), raw SQL p95 ${raw.p95.toFixed(2)} ms, ` +
        `ratio ${(system.p95 / raw.p95).toFixed(2)}x; ${system.rps.toFixed(0)} vs ${raw.rps.toFixed(0)} req/s\n`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Cities: 61 bench cities beside the member cities (public geographic facts; population in thousands, rounded,
// used only as the weight of a city's share of the contracts).

type CitySeed = [
  code: string,
  nameRu: string,
  nameEn: string,
  country: string,
  region: string,
  timeZone: string,
  population: number,
];

const BENCH_CITIES: CitySeed[] = [
  ['voronezh', 'Воронеж', 'Voronezh', 'RU', 'Voronezh Oblast', 'Europe/Moscow', 1050],
  ['krasnodar', 'Краснодар', 'Krasnodar', 'RU', 'Krasnodar Krai', 'Europe/Moscow', 1100],
  ['saratov', 'Саратов', 'Saratov', 'RU', 'Saratov Oblast', 'Europe/Saratov', 900],
  ['tyumen', 'Тюмень', 'Tyumen', 'RU', 'Tyumen Oblast', 'Asia/Yekaterinburg', 850],
  ['tolyatti', 'Тольятти', 'Tolyatti', 'RU', 'Samara Oblast', 'Europe/Samara', 680],
  ['izhevsk', 'Ижевск', 'Izhevsk', 'RU', 'Udmurt Republic', 'Europe/Samara', 630],
  ['barnaul', 'Барнаул', 'Barnaul', 'RU', 'Altai Krai', 'Asia/Barnaul', 630],
  ['ulyanovsk', 'Ульяновск', 'Ulyanovsk', 'RU', 'Ulyanovsk Oblast', 'Europe/Ulyanovsk', 610],
  ['makhachkala', 'Махачкала', 'Makhachkala', 'RU', 'Republic of Dagestan', 'Europe/Moscow', 620],
  ['tomsk', 'Томск', 'Tomsk', 'RU', 'Tomsk Oblast', 'Asia/Tomsk', 570],
  ['kemerovo', 'Кемерово', 'Kemerovo', 'RU', 'Kemerovo Oblast', 'Asia/Novokuznetsk', 550],
  ['novokuznetsk', 'Новокузнецк', 'Novokuznetsk', 'RU', 'Kemerovo Oblast', 'Asia/Novokuznetsk', 540],
  ['astrakhan', 'Астрахань', 'Astrakhan', 'RU', 'Astrakhan Oblast', 'Europe/Astrakhan', 470],
  ['penza', 'Пенза', 'Penza', 'RU', 'Penza Oblast', 'Europe/Moscow', 500],
  ['lipetsk', 'Липецк', 'Lipetsk', 'RU', 'Lipetsk Oblast', 'Europe/Moscow', 500],
  ['tula', 'Тула', 'Tula', 'RU', 'Tula Oblast', 'Europe/Moscow', 470],
  ['kirov', 'Киров', 'Kirov', 'RU', 'Kirov Oblast', 'Europe/Kirov', 470],
  ['cheboksary', 'Чебоксары', 'Cheboksary', 'RU', 'Chuvash Republic', 'Europe/Moscow', 490],
  ['kursk', 'Курск', 'Kursk', 'RU', 'Kursk Oblast', 'Europe/Moscow', 440],
  ['bryansk', 'Брянск', 'Bryansk', 'RU', 'Bryansk Oblast', 'Europe/Moscow', 380],
  ['ivanovo', 'Иваново', 'Ivanovo', 'RU', 'Ivanovo Oblast', 'Europe/Moscow', 360],
  ['magnitogorsk', 'Магнитогорск', 'Magnitogorsk', 'RU', 'Chelyabinsk Oblast', 'Asia/Yekaterinburg', 410],
  ['tver', 'Тверь', 'Tver', 'RU', 'Tver Oblast', 'Europe/Moscow', 420],
  ['stavropol', 'Ставрополь', 'Stavropol', 'RU', 'Stavropol Krai', 'Europe/Moscow', 550],
  ['belgorod', 'Белгород', 'Belgorod', 'RU', 'Belgorod Oblast', 'Europe/Moscow', 340],
  ['sochi', 'Сочи', 'Sochi', 'RU', 'Krasnodar Krai', 'Europe/Moscow', 470],
  ['arkhangelsk', 'Архангельск', 'Arkhangelsk', 'RU', 'Arkhangelsk Oblast', 'Europe/Moscow', 300],
  ['vladimir', 'Владимир', 'Vladimir', 'RU', 'Vladimir Oblast', 'Europe/Moscow', 340],
  ['kaluga', 'Калуга', 'Kaluga', 'RU', 'Kaluga Oblast', 'Europe/Moscow', 330],
  ['chita', 'Чита', 'Chita', 'RU', 'Zabaykalsky Krai', 'Asia/Chita', 350],
  ['smolensk', 'Смоленск', 'Smolensk', 'RU', 'Smolensk Oblast', 'Europe/Moscow', 310],
  ['surgut', 'Сургут', 'Surgut', 'RU', 'Khanty-Mansi Autonomous Okrug', 'Asia/Yekaterinburg', 400],
  ['murmansk', 'Мурманск', 'Murmansk', 'RU', 'Murmansk Oblast', 'Europe/Moscow', 270],
  ['vologda', 'Вологда', 'Vologda', 'RU', 'Vologda Oblast', 'Europe/Moscow', 310],
  ['petrozavodsk', 'Петрозаводск', 'Petrozavodsk', 'RU', 'Republic of Karelia', 'Europe/Moscow', 280],
  ['yakutsk', 'Якутск', 'Yakutsk', 'RU', 'Sakha Republic', 'Asia/Yakutsk', 360],
  ['ulan-ude', 'Улан-Удэ', 'Ulan-Ude', 'RU', 'Republic of Buryatia', 'Asia/Irkutsk', 440],
  [
    'naberezhnye-chelny',
    'Набережные Челны',
    'Naberezhnye Chelny',
    'RU',
    'Republic of Tatarstan',
    'Europe/Moscow',
    550,
  ],
  ['syktyvkar', 'Сыктывкар', 'Syktyvkar', 'RU', 'Komi Republic', 'Europe/Moscow', 220],
  ['orel', 'Орёл', 'Oryol', 'RU', 'Oryol Oblast', 'Europe/Moscow', 300],
  ['tambov', 'Тамбов', 'Tambov', 'RU', 'Tambov Oblast', 'Europe/Moscow', 260],
  ['kostroma', 'Кострома', 'Kostroma', 'RU', 'Kostroma Oblast', 'Europe/Moscow', 260],
  ['novorossiysk', 'Новороссийск', 'Novorossiysk', 'RU', 'Krasnodar Krai', 'Europe/Moscow', 340],
  ['yoshkar-ola', 'Йошкар-Ола', 'Yoshkar-Ola', 'RU', 'Mari El Republic', 'Europe/Moscow', 280],
  ['karaganda', 'Караганда', 'Karaganda', 'KZ', 'Karaganda Region', 'Asia/Almaty', 500],
  ['aktobe', 'Актобе', 'Aktobe', 'KZ', 'Aktobe Region', 'Asia/Aqtobe', 520],
  ['pavlodar', 'Павлодар', 'Pavlodar', 'KZ', 'Pavlodar Region', 'Asia/Almaty', 360],
  ['oskemen', 'Усть-Каменогорск', 'Oskemen', 'KZ', 'East Kazakhstan Region', 'Asia/Almaty', 330],
  ['atyrau', 'Атырау', 'Atyrau', 'KZ', 'Atyrau Region', 'Asia/Atyrau', 300],
  ['kostanay', 'Костанай', 'Kostanay', 'KZ', 'Kostanay Region', 'Asia/Qostanay', 260],
  ['taraz', 'Тараз', 'Taraz', 'KZ', 'Jambyl Region', 'Asia/Almaty', 360],
  ['oral', 'Уральск', 'Oral', 'KZ', 'West Kazakhstan Region', 'Asia/Oral', 320],
  ['vitebsk', 'Витебск', 'Vitebsk', 'BY', 'Vitebsk Region', 'Europe/Minsk', 360],
  ['grodno', 'Гродно', 'Grodno', 'BY', 'Grodno Region', 'Europe/Minsk', 360],
  ['babruysk', 'Бобруйск', 'Babruysk', 'BY', 'Mogilev Region', 'Europe/Minsk', 210],
  ['baranovichi', 'Барановичи', 'Baranavichy', 'BY', 'Brest Region', 'Europe/Minsk', 170],
  ['namangan', 'Наманган', 'Namangan', 'UZ', 'Namangan Region', 'Asia/Tashkent', 650],
  ['andijan', 'Андижан', 'Andijan', 'UZ', 'Andijan Region', 'Asia/Tashkent', 450],
  ['bukhara', 'Бухара', 'Bukhara', 'UZ', 'Bukhara Region', 'Asia/Samarkand', 280],
  ['jalal-abad', 'Джалал-Абад', 'Jalal-Abad', 'KG', 'Jalal-Abad Region', 'Asia/Bishkek', 120],
  ['bokhtar', 'Бохтар', 'Bokhtar', 'TJ', 'Khatlon Region', 'Asia/Dushanbe', 110],
];

/** Member cities' populations in thousands (rounded), for the same weights. */
const POPULATION = new Map<string, number>([
  ...Object.entries({
    moscow: 13_000,
    'saint-petersburg': 5_600,
    novosibirsk: 1_630,
    yekaterinburg: 1_540,
    kazan: 1_320,
    'nizhny-novgorod': 1_210,
    omsk: 1_110,
    samara: 1_160,
    ufa: 1_160,
    'rostov-on-don': 1_140,
    ryazan: 530,
    yaroslavl: 570,
    orenburg: 550,
    magadan: 90,
    vladivostok: 600,
    krasnoyarsk: 1_190,
    irkutsk: 620,
    khabarovsk: 610,
    kaliningrad: 490,
    volgograd: 1_020,
    perm: 1_030,
    chelyabinsk: 1_190,
    astana: 1_350,
    almaty: 2_200,
    shymkent: 1_200,
    minsk: 2_000,
    mogilev: 360,
    gomel: 500,
    brest: 340,
    bishkek: 1_100,
    osh: 320,
    yerevan: 1_090,
    gyumri: 110,
    chisinau: 640,
    balti: 100,
    dushanbe: 860,
    khujand: 190,
    tashkent: 3_000,
    samarkand: 570,
  }),
  ...BENCH_CITIES.map(([code, , , , , , population]): [string, number] => [code, population]),
]);
