import { randomUUID } from 'node:crypto';
import { postJson } from '../lib/http';
import { Agent } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { BID_PLACE_WRITE, type BidPlaceWritten, bidPlaceWriteValues, sealBid } from '@app/domain';
import { API_SCRIPT, benchEnv, prepareDatabase, startProcess, stopProcess } from '../lib/bench-env';
import { insertOpenTenders, loginSuppliers, seedBuyerAndSuppliers } from '../lib/world';
import {
  cpuMeter,
  treeCpuSeconds,
  type LoadResult,
  ownCpuSeconds,
  percentile,
  postgresCpuSeconds,
  printComparison,
} from '../lib/measure';

/**
 * 64 suppliers bidding at once on 1,000 open tenders through the whole API (JWT, validation, the sealed-bid
 * statements), beside the same statements issued straight through a pg Pool of 64 clients.
 * Every supplier bids once per tender, in its own order, so no request is refused for a duplicate bid.
 * The load is one closed loop per supplier over its own keep-alive socket, not autocannon: autocannon resets a
 * connection's context whenever its request list wraps, so a connection cannot keep one supplier's JWT and cursor.
 *
 * Options: --seconds=15 (measured), --warmup=2 (not counted; both runs get the same).
 */

const TENDERS = 1_000;
const SUPPLIERS = 64;

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
  const api = await startProcess(API_SCRIPT, env, `${base}/health`);
  let system: LoadResult;
  let systemPhase: Phase;
  let systemCpu: string;
  try {
    const suppliers = await loginSuppliers(base, supplierIds);
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
    const cpu = cpuMeter({
      [env.API_PROCESSES === '1' ? 'API process' : 'API processes']: () => treeCpuSeconds(api.pid),
      'bench process': ownCpuSeconds,
      PostgreSQL: postgresCpuSeconds,
    });
    systemPhase = await drive(seconds, apiTenders, orders, cursors, viaApi);
    systemCpu = cpu(systemPhase.ok);
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
  let rawCpu: string;
  try {
    const apiBids = await countBids(pool);
    printPhase('API', systemPhase, apiBids, systemCpu);
    const viaSql: Attempt = (worker, tender) => rawBid(pool, tender, supplierIds[worker] as string);
    const cursors = new Array<number>(SUPPLIERS).fill(0);
    const orders = supplierOrders();
    await drive(warmup, rawTenders, orders, cursors, viaSql);
    await checkpoint(env.DATABASE_URL as string);
    const cpu = cpuMeter({ 'bench process': ownCpuSeconds, PostgreSQL: postgresCpuSeconds });
    rawPhase = await drive(seconds, rawTenders, orders, cursors, viaSql);
    rawCpu = cpu(rawPhase.ok);
    raw = toResult('raw SQL, pg Pool(64)', rawPhase);
    printPhase('raw SQL', rawPhase, (await countBids(pool)) - apiBids, rawCpu);
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

async function seed(
  dataSource: DataSource,
): Promise<{ apiTenders: OpenTender[]; rawTenders: OpenTender[]; supplierIds: string[] }> {
  const { cityId, buyerId, supplierIds } = await seedBuyerAndSuppliers(dataSource, SUPPLIERS);
  // Each run bids on a set of its own, so the baseline never has to remove history (deal events are append-only).
  const apiTenders = await insertOpenTenders(dataSource, TENDERS, buyerId, cityId);
  const rawTenders = await insertOpenTenders(dataSource, TENDERS, buyerId, cityId);
  await dataSource.query('ANALYZE');
  return { apiTenders, rawTenders, supplierIds };
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

function printPhase(label: string, phase: Phase, bidsInDatabase: number, cpu: string): void {
  const others = [...phase.others.entries()].map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
  process.stdout.write(
    `${label}: ${phase.ok} accepted in ${(phase.elapsedMs / 1000).toFixed(2)} s, max ${percentile(
      phase.latenciesMs,
      100,
    ).toFixed(
      1,
    )} ms; not accepted: ${others}; bids stored by this run (warm-up included): ${bidsInDatabase}\n` +
      `${label}: CPU per accepted bid: ${cpu}\n`,
  );
}

/**
 * BidsService.place minus the framework, on its common path: the service's sealing, then the same prepared write
 * statement as one transaction (it share-locks the tender and the lot and checks everything before writing).
 */
async function rawBid(pool: Pool, tender: OpenTender, supplierId: string): Promise<string> {
  const input = { currency: 'RUB', lots: [{ lotId: tender.lotId, price: price() }] };
  const sealed = sealBid(randomUUID(), tender.id, supplierId, input);
  const written = await pool.query<BidPlaceWritten>({
    name: BID_PLACE_WRITE.name,
    text: BID_PLACE_WRITE.text,
    values: bidPlaceWriteValues(sealed, null),
  });
  const outcome = written.rows[0];
  if (!outcome?.checked) return 'refused: not open';
  return outcome.submitted_at ? 'ok' : 'refused: bid exists';
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
