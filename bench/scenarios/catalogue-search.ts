import { Pool, type PoolClient } from 'pg';
import { createHash } from 'node:crypto';
import {
  buildSearchSql,
  cpvSignificantPrefix,
  keysReachingCity,
  NATIONAL_CURRENCY,
  SEARCH_SESSION_OPTIONS,
  type SearchPlan,
  searchWords,
} from '@app/catalog';
import { seedCatalogue } from '../../scripts/catalogue-seed/seed';
import {
  API_SCRIPT,
  benchEnvWithDatabase,
  prepareDatabase,
  startProcess,
  stopProcess,
} from '../lib/bench-env';
import { load, loadFn, printComparison } from '../lib/measure';

type Query = Record<string, string>;
interface City {
  id: string;
  code: string;
  country: string;
  region: string;
}

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a number`);
  return value;
}

/**
 * The fixed mix of 50 searches: single words, phrases, misspellings, English, CPV subtrees, delivery and
 * supplier cities, a price range and the three orderings. Broad words ("ремонт", "услуги") are included on
 * purpose: they hit the search window.
 */
export function queryMix(city: (code: string) => string): Query[] {
  const words = ['бумага', 'картридж', 'стулья', 'цемент', 'перчатки', 'молоко', 'хлеб', 'бензин', 'краска'];
  const more = ['шприцы', 'бинты', 'учебники', 'принтеры', 'мыло', 'песок', 'асфальт', 'таблетки', 'ремонт'];
  const phrases = [
    'бумага для печати',
    'офисная мебель',
    'услуги по уборке',
    'ремонт дорог',
    'медицинские перчатки',
  ];
  const english = ['paper', 'chairs', 'cement', 'gloves', 'laser printer'];
  const typos = ['бумгаа', 'картриж', 'цемнт', 'перчатк', 'принтров', 'мебль'];
  return [
    ...[...words, ...more].map((q) => ({ q })),
    ...phrases.map((q) => ({ q })),
    ...english.map((q) => ({ q })),
    ...typos.map((q) => ({ q })),
    { q: 'бумага', cpv: '30197630-1' },
    { q: 'перчатки', cpv: '18000000-9' },
    { cpv: '30197630-1' },
    { cpv: '33600000-6', sort: 'newest' },
    { q: 'ремонт', cpv: '50000000-5' },
    { q: 'бумага', deliveryCityId: city('moscow') },
    { q: 'цемент', deliveryCityId: city('kazan') },
    { q: 'хлеб', deliveryCityId: city('novosibirsk'), withOffers: 'true' },
    { q: 'кабель', deliveryCityId: city('almaty') },
    { q: 'перчатки', deliveryCityId: city('minsk') },
    { q: 'стулья', deliveryCityId: city('moscow'), sort: 'price' },
    { q: 'трубы', supplierCountry: 'KZ', currency: 'KZT' },
    { q: 'краска', supplierCityId: city('saint-petersburg') },
    { q: 'бумага', priceMax: '1000', sort: 'price' },
    { deliveryCityId: city('yekaterinburg'), cpv: '30000000-9' },
    { q: 'услуги' },
  ];
}

/** The plan the API builds for a query, computed without the API: the raw baseline's input. */
export function planOf(query: Query, cities: Map<string, City>): SearchPlan {
  const words = searchWords(query.q ?? '');
  const delivery = query.deliveryCityId ? cities.get(query.deliveryCityId) : undefined;
  const sort = (query.sort ?? (words.length > 0 ? 'relevance' : 'newest')) as SearchPlan['sort'];
  return {
    words,
    cpvPrefix: query.cpv ? cpvSignificantPrefix(query.cpv.slice(0, 8)) : null,
    areaKeys: delivery ? keysReachingCity(delivery) : null,
    supplierCityId: query.supplierCityId ?? null,
    supplierCountry: query.supplierCountry ?? null,
    currency: query.currency ?? (delivery ? NATIONAL_CURRENCY[delivery.country] : undefined) ?? 'RUB',
    priceMin: query.priceMin ?? null,
    priceMax: query.priceMax ? Number(query.priceMax).toFixed(2) : null,
    withOffers: query.withOffers === 'true',
    vatIncluded: query.vatIncluded === undefined ? null : query.vatIncluded === 'true',
    sort: sort === 'relevance' && words.length === 0 ? 'newest' : sort,
    limit: 20,
    after: null,
  };
}

/** The statement the search service sends for one query, prepared by name as the service prepares it. */
export async function rawSearch(db: Pool | PoolClient, plan: SearchPlan): Promise<void> {
  const sql = buildSearchSql(plan);
  const name = `raw-${createHash('sha1').update(sql.text).digest('hex').slice(0, 16)}`;
  await db.query({ name, text: sql.text, values: sql.values });
}

/**
 * GET /api/v1/catalogue/items over a seeded catalogue (default 1,000,000 items and 3,000,000 offers): a fixed
 * mix of 50 searches through the whole API at 16 connections, beside the same SQL statements sent straight
 * through a pg pool by 16 concurrent workers. Options: --items N --offers M --seconds S --connections C.
 */
export async function run(args: string[]): Promise<void> {
  const items = option(args, 'items', 1_000_000);
  const offers = option(args, 'offers', 3 * items);
  const seconds = option(args, 'seconds', 20);
  const connections = option(args, 'connections', 16);
  // A database of its own: the scenarios that start from an empty bench database would drop the catalogue.
  const env = benchEnvWithDatabase('marketplace_bench_catalogue');
  const dataSource = await prepareDatabase(env);
  const say = (m: string) => process.stdout.write(`[catalogue-search] ${m}\n`);
  try {
    const report = await seedCatalogue(dataSource, { items, offers, log: say });
    say(
      `catalogue: ${items} items, ${offers} offers (${report.itemsInserted + report.offersInserted} rows added)`,
    );
  } finally {
    await dataSource.destroy();
  }
  // The search pool's session settings (CatalogSearchPool), on as many connections as clients.
  const pool = new Pool({
    connectionString: env.DATABASE_URL,
    max: connections,
    options: SEARCH_SESSION_OPTIONS,
  });
  const cities: City[] = (await pool.query<City>(`SELECT id, code, country, region FROM cities`)).rows;
  const byId = new Map(cities.map((c) => [c.id, c]));
  const mix = queryMix((code) => cities.find((c) => c.code === code)?.id ?? '');
  const plans = mix.map((q) => planOf(q, byId));
  const base = `http://127.0.0.1:${env.PORT}`;
  const api = await startProcess(API_SCRIPT, env, `${base}/health`);
  try {
    const paths = mix.map((q) => `/api/v1/catalogue/items?${new URLSearchParams(q).toString()}`);
    for (const path of paths) {
      const res = await fetch(`${base}${path}`);
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    }
    const requests = paths.map((path) => ({ method: 'GET' as const, path }));
    await load('warm-up', { url: base, requests, connections, durationSeconds: 3 });
    await loadFn('warm-up', connections, 3, (i) => rawSearch(pool, plans[i % plans.length]!));
    const system = await load(`API GET /api/v1/catalogue/items (${mix.length}-query mix)`, {
      url: base,
      requests,
      connections,
      durationSeconds: seconds,
    });
    const raw = await loadFn('raw SQL, same statements (pg Pool)', connections, seconds, (i) =>
      rawSearch(pool, plans[i % plans.length]!),
    );
    printComparison(
      `catalogue-search: ${items} items, ${offers} offers, ${connections} concurrent, ${seconds} s each`,
      system,
      raw,
    );
    process.stdout.write(
      `targets: API p95 <= 30 ms (measured ${system.p95.toFixed(1)}), ` +
        `API/raw p95 <= 1.5 (measured ${(system.p95 / raw.p95).toFixed(2)})\n`,
    );
    await printHeaviest(pool, mix, plans);
  } finally {
    await stopProcess(api);
    await pool.end();
  }
}

/**
 * Where the database's time goes: each query of the mix alone on one connection (its statement prepared, mean
 * of 10 runs after 3), the heaviest first. Under 16 clients a query's latency is about its share of both cores.
 */
async function printHeaviest(pool: Pool, mix: Query[], plans: SearchPlan[]): Promise<void> {
  const client = await pool.connect();
  const costs: { query: string; ms: number }[] = [];
  try {
    for (let i = 0; i < mix.length; i++) {
      for (let run = 0; run < 3; run++) await rawSearch(client, plans[i]!);
      const started = process.hrtime.bigint();
      for (let run = 0; run < 10; run++) await rawSearch(client, plans[i]!);
      costs.push({ query: JSON.stringify(mix[i]), ms: Number(process.hrtime.bigint() - started) / 1e7 });
    }
  } finally {
    client.release();
  }
  const total = costs.reduce((sum, c) => sum + c.ms, 0);
  costs.sort((a, b) => b.ms - a.ms);
  process.stdout.write(
    `\none client, raw SQL: mean ${(total / costs.length).toFixed(2)} ms a query; the ten heaviest ` +
      `(${((costs.slice(0, 10).reduce((sum, c) => sum + c.ms, 0) / total) * 100).toFixed(0)}% of the time):\n`,
  );
  for (const c of costs.slice(0, 10))
    process.stdout.write(`  ${c.ms.toFixed(2).padStart(7)} ms  ${c.query}\n`);
}
