import { randomUUID } from 'node:crypto';
import { postJson } from '../lib/http';
import { Agent } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { Pool, type PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { bidCommitment, hashPassword, makeValidTaxId, newSalt } from '@app/domain';
import { benchEnv, prepareDatabase, startProcess, stopProcess } from '../lib/bench-env';
import { type LoadResult, percentile, printComparison } from '../lib/measure';

/**
 * 64 suppliers bidding at once on 1,000 open tenders through the whole API (JWT, validation, the sealed-bid
 * transaction), beside the same transaction issued straight through a pg Pool of 64 clients.
 * Every supplier bids once per tender, in its own order, so no request is refused for a duplicate bid.
 * The load is one closed loop per supplier over its own keep-alive socket, not autocannon: autocannon resets a
 * connection's context whenever its request list wraps, so a connection cannot keep one supplier's JWT and cursor.
 *
 * Options: --seconds=15 (measured), --warmup=2 (not counted; both runs get the same).
 */

const TENDERS = 1_000;
const SUPPLIERS = 64;
const PASSWORD = 'bench-supplier-password';
const CPV = '30197630-1';

interface OpenTender {
  id: string;
  lotId: string;
}

interface Supplier {
  id: string;
  email: string;
  token: string;
}

/** What one run did: successes (with their latencies) and every other outcome counted by kind. */
interface Phase {
  ok: number;
  latenciesMs: number[];
  others: Map<string, number>;
  errors: number;
  elapsedMs: number;
}

/** One bid attempt: 'ok' for an accepted bid, otherwise a label counted separately; throws on a transport error. */
type Attempt = (worker: number, tender: OpenTender) => Promise<string>;

export async function run(args: string[]): Promise<void> {
  const seconds = option(args, 'seconds', 15);
  const warmup = option(args, 'warmup', 2);
  const env = benchEnv();
  process.stdout.write(
    `bid-intake: ${SUPPLIERS} suppliers x ${TENDERS} tenders, ${warmup} s warm-up + ${seconds} s measured; ` +
      `${cpus().length} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
  );

  const dataSource = await prepareDatabase(env, true);
  const { apiTenders, rawTenders, supplierIds } = await seed(dataSource);
  await dataSource.destroy();

  const base = `http://127.0.0.1:${env.PORT}`;
  const api = await startProcess('apps/marketplace/src/main.js', env, `${base}/health`);
  let system: LoadResult;
  let systemPhase: Phase;
  try {
    const suppliers = await login(base, supplierIds);
    const agents = suppliers.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
    const viaApi: Attempt = async (worker, tender) => {
      const supplier = suppliers[worker] as Supplier;
      const body = JSON.stringify({ currency: 'RUB', lots: [{ lotId: tender.lotId, price: price() }] });
      const res = await postJson(
        agents[worker] as Agent,
        Number(env.PORT),
        `/api/v1/tenders/${tender.id}/bids`,
        supplier.token,
        body,
      );
      // Only a 201 is a placed bid; anything else (even another 2xx) is counted apart.
      return res.status === 201 ? 'ok' : `HTTP ${res.status} ${errorCode(res.body)}`;
    };
    const cursors = new Array<number>(SUPPLIERS).fill(0);
    const orders = supplierOrders();
    await drive(warmup, apiTenders, orders, cursors, viaApi);
    await checkpoint(env.DATABASE_URL as string);
    systemPhase = await drive(seconds, apiTenders, orders, cursors, viaApi);
    system = toResult('API POST /tenders/:id/bids', systemPhase);
    agents.forEach((a) => a.destroy());
  } finally {
    await stopProcess(api);
  }

  const pool = new Pool({
    connectionString: env.DATABASE_URL,
    max: SUPPLIERS,
    application_name: 'bench-raw',
  });
  let raw: LoadResult;
  let rawPhase: Phase;
  try {
    const apiBids = await countBids(pool);
    printPhase('API', systemPhase, apiBids);
    const viaSql: Attempt = (worker, tender) => rawBid(pool, tender, supplierIds[worker] as string);
    const cursors = new Array<number>(SUPPLIERS).fill(0);
    const orders = supplierOrders();
    await drive(warmup, rawTenders, orders, cursors, viaSql);
    await checkpoint(env.DATABASE_URL as string);
    rawPhase = await drive(seconds, rawTenders, orders, cursors, viaSql);
    raw = toResult('raw SQL, pg Pool(64)', rawPhase);
    printPhase('raw SQL', rawPhase, (await countBids(pool)) - apiBids);
  } finally {
    await pool.end();
  }

  printComparison(
    `bid-intake: ${SUPPLIERS} suppliers placing sealed bids on ${TENDERS} tenders, ${seconds} s ` +
      `(req/s = accepted bids/s; errors+non2xx = transport errors + every response that was not 201)`,
    system,
    raw,
  );
  const share = system.rps / raw.rps;
  process.stdout.write(
    `API/raw throughput: ${(share * 100).toFixed(1)}% of the raw rate\n` +
      `targets: >= 1,200 bids/s: ${verdict(system.rps >= 1200, `${system.rps.toFixed(0)} bids/s`)}; ` +
      `p99 <= 50 ms: ${verdict(system.p99 <= 50, `${system.p99.toFixed(1)} ms`)}; ` +
      `>= 40% of raw: ${verdict(share >= 0.4, `${(share * 100).toFixed(1)}%`)}\n` +
      `load average after the run: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
  );
}

/** An active buyer with two sets of 1,000 open tenders and 64 active suppliers with a user each. */
async function seed(
  dataSource: DataSource,
): Promise<{ apiTenders: OpenTender[]; rawTenders: OpenTender[]; supplierIds: string[] }> {
  const [city] = await dataSource.query<{ id: string }[]>(`SELECT id FROM cities WHERE code = 'moscow'`);
  if (!city) throw new Error('the member city moscow is missing; are the migrations applied?');
  const [buyer] = await dataSource.query<{ id: string }[]>(
    `INSERT INTO organizations (kind, legal_name, tax_scheme, tax_id, country, city_id, status)
     VALUES ('buyer', 'Bench buyer', 'RU-INN', $1, 'RU', $2, 'active') RETURNING id`,
    [makeValidTaxId('RU-INN', 2), city.id],
  );
  // Even seeds give 10-digit legal-entity INNs; seed 2 is the buyer's.
  const taxIds = Array.from({ length: SUPPLIERS }, (_, i) => makeValidTaxId('RU-INN', 2 * i + 4));
  const suppliers = await dataSource.query<{ id: string; n: string }[]>(
    `INSERT INTO organizations (kind, legal_name, tax_scheme, tax_id, country, city_id, status)
     SELECT 'supplier', 'Bench supplier ' || x.n, 'RU-INN', x.tax_id, 'RU', $2, 'active'
       FROM unnest($1::text[]) WITH ORDINALITY AS x(tax_id, n)
     RETURNING id, substring(legal_name FROM 16) AS n`,
    [taxIds, city.id],
  );
  suppliers.sort((a, b) => Number(a.n) - Number(b.n));
  // One hash for every user (they share a password): argon2 is slow on purpose.
  const hash = await hashPassword(PASSWORD);
  await dataSource.query(
    `INSERT INTO users (email, full_name, password_hash, organization_id, role)
     SELECT 'bench-supplier-' || x.n || '@example.test', 'Bench Supplier ' || x.n, $2, x.id, 'supplier'
       FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, n)`,
    [suppliers.map((s) => s.id), hash],
  );
  // Each run bids on a set of its own, so the baseline never has to remove history (deal events are append-only).
  const apiTenders = await insertTenders(dataSource, buyer?.id as string, city.id);
  const rawTenders = await insertTenders(dataSource, buyer?.id as string, city.id);
  await dataSource.query('ANALYZE');
  return { apiTenders, rawTenders, supplierIds: suppliers.map((s) => s.id) };
}

/** 1,000 published open tenders with a deadline 30 days away, one lot and one item each. */
function insertTenders(dataSource: DataSource, buyerId: string, cityId: string): Promise<OpenTender[]> {
  return dataSource.query<OpenTender[]>(
    `WITH t AS (
       INSERT INTO tenders (number, ocid, title, description, status, method, currency, min_bids, organizer_id,
                            tender_start, tender_end, clarifications_until, published_at)
       SELECT n.number, 'ocds-mtp001-' || n.number, 'Office paper, bench ' || n.g, 'A4 office paper, 80 g/m2',
              'active.tendering', 'open', 'RUB', 1, $2, now(), now() + interval '30 days',
              now() + interval '30 days', now()
         FROM (SELECT g, 'MTP-' || extract(year FROM now()) || '-' || lpad(nextval('tender_number_seq')::text, 6, '0')
                      AS number
                 FROM generate_series(1, $1::int) g) n
       RETURNING id
     ), l AS (
       INSERT INTO lots (tender_id, number, title, estimate) SELECT id, 1, 'Paper A4', 100000.00 FROM t
       RETURNING id, tender_id
     ), i AS (
       INSERT INTO tender_items (lot_id, tender_id, description, cpv_code, unit_code, quantity, delivery_city_id,
                                 delivery_date)
       SELECT id, tender_id, 'Бумага офисная A4, 500 листов', $3, 'XPK', 200, $4, '2027-03-01' FROM l
     ), b AS (
       INSERT INTO tender_buyers (tender_id, buyer_id) SELECT id, $2 FROM t
     )
     SELECT tender_id AS id, id AS "lotId" FROM l ORDER BY tender_id`,
    [TENDERS, buyerId, CPV, cityId],
  );
}

/** Signs every supplier's user in through the API, a few at a time (argon2 verification is deliberately slow). */
async function login(base: string, supplierIds: string[]): Promise<Supplier[]> {
  const suppliers: Supplier[] = [];
  for (let i = 0; i < supplierIds.length; i += 8) {
    const batch = supplierIds.slice(i, i + 8).map(async (id, j) => {
      const email = `bench-supplier-${i + j + 1}@example.test`;
      const res = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
      const { accessToken } = (await res.json()) as { accessToken: string };
      return { id, email, token: accessToken };
    });
    suppliers.push(...(await Promise.all(batch)));
  }
  return suppliers;
}

/** Each supplier's own order over the tenders: a seeded shuffle, the same in both runs. */
function supplierOrders(): number[][] {
  return Array.from({ length: SUPPLIERS }, (_, w) => {
    const next = mulberry32(w + 1);
    const order = Array.from({ length: TENDERS }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    return order;
  });
}

/**
 * Runs one closed loop per supplier for `seconds` (or until every supplier has bid on every tender). Cursors
 * carry on from the warm-up, so a tender is never bid on twice by the same supplier.
 */
async function drive(
  seconds: number,
  tenders: OpenTender[],
  orders: number[][],
  cursors: number[],
  attempt: Attempt,
): Promise<Phase> {
  const phase: Phase = { ok: 0, latenciesMs: [], others: new Map(), errors: 0, elapsedMs: 0 };
  const started = process.hrtime.bigint();
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    orders.map(async (order, worker) => {
      while (Date.now() < end) {
        const index = cursors[worker] as number;
        if (index >= order.length) return;
        cursors[worker] = index + 1;
        const tender = tenders[order[index] as number] as OpenTender;
        const t0 = process.hrtime.bigint();
        try {
          const outcome = await attempt(worker, tender);
          if (outcome === 'ok') {
            phase.ok++;
            phase.latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
          } else {
            phase.others.set(outcome, (phase.others.get(outcome) ?? 0) + 1);
          }
        } catch (error) {
          phase.errors++;
          const label = `error ${(error as { code?: string }).code ?? (error as Error).message}`;
          phase.others.set(label, (phase.others.get(label) ?? 0) + 1);
        }
      }
    }),
  );
  phase.elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  phase.latenciesMs.sort((a, b) => a - b);
  return phase;
}

function toResult(label: string, phase: Phase): LoadResult {
  const failures = [...phase.others.values()].reduce((a, b) => a + b, 0);
  return {
    label,
    requests: phase.ok,
    rps: phase.ok / (phase.elapsedMs / 1000),
    p50: percentile(phase.latenciesMs, 50),
    p95: percentile(phase.latenciesMs, 95),
    p99: percentile(phase.latenciesMs, 99),
    errors: phase.errors,
    non2xx: failures - phase.errors,
  };
}

function printPhase(label: string, phase: Phase, bidsInDatabase: number): void {
  const others = [...phase.others.entries()].map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
  process.stdout.write(
    `${label}: ${phase.ok} accepted in ${(phase.elapsedMs / 1000).toFixed(2)} s, max ${percentile(
      phase.latenciesMs,
      100,
    ).toFixed(
      1,
    )} ms; not accepted: ${others}; bids stored by this run (warm-up included): ${bidsInDatabase}\n`,
  );
}

/** The bid transaction of BidsService.place, minus the framework: lock, clock check, inserts, clock re-check. */
async function rawBid(pool: Pool, tender: OpenTender, supplierId: string): Promise<string> {
  const client: PoolClient = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ status: string; tender_end: Date; on_time: boolean }>(
      `SELECT id, status, currency, tender_end, clock_timestamp() < tender_end AS on_time
         FROM tenders WHERE id = $1 FOR SHARE`,
      [tender.id],
    );
    const locked = rows[0];
    if (!locked || locked.status !== 'active.tendering' || !locked.on_time) {
      await client.query('ROLLBACK');
      return 'refused: not open';
    }
    const bidId = randomUUID();
    const lots = [{ lotId: tender.lotId, price: price() }];
    const content = { bidId, tenderId: tender.id, supplierId, currency: 'RUB', lots };
    const salt = newSalt();
    const commitment = bidCommitment(content, salt);
    await client.query(
      `INSERT INTO bids (id, tender_id, supplier_id, status, commitment, salt, content, submitted_at, sequence)
       VALUES ($1, $2, $3, 'active', $4, $5, $6, clock_timestamp(), nextval('bid_sequence'))`,
      [bidId, tender.id, supplierId, commitment, salt, content],
    );
    await client.query('INSERT INTO bid_lots (bid_id, lot_id, price) VALUES ($1, $2, $3)', [
      bidId,
      tender.lotId,
      lots[0]?.price,
    ]);
    await client.query(
      `INSERT INTO deal_events (type, tender_id, actor_id, payload, sealed_payload, txid)
       VALUES ('bid.submitted', $1, NULL, $2, $3, pg_current_xact_id()::text::bigint)`,
      [tender.id, { commitment }, { bidId, supplierId }],
    );
    const clock = await client.query<{ on_time: boolean }>(
      'SELECT clock_timestamp() < $1::timestamptz AS on_time',
      [locked.tender_end],
    );
    if (!clock.rows[0]?.on_time) {
      await client.query('ROLLBACK');
      return 'refused: late';
    }
    await client.query('COMMIT');
    return 'ok';
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function countBids(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM bids');
  return Number(rows[0]?.n ?? 0);
}

/** Both runs start without a pending checkpoint, so neither pays for the other's writes. */
async function checkpoint(databaseUrl: string): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  await pool.query('CHECKPOINT').catch(() => undefined);
  await pool.end();
}

function errorCode(body: string): string {
  try {
    const { code } = JSON.parse(body) as { code?: unknown };
    return typeof code === 'string' ? code : '';
  } catch {
    return '';
  }
}

/** A price below the lot's maximum (100,000.00), with cents. */
function price(): string {
  return (50_000 + Math.random() * 49_999).toFixed(2);
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function option(args: string[], name: string, fallback: number): number {
  const arg = args.find((a) => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.slice(name.length + 3)) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number of seconds`);
  return value;
}

const verdict = (met: boolean, figure: string) => `${figure} (${met ? 'met' : 'NOT met'})`;
