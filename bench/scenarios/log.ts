import { execFile } from 'node:child_process';
import { getJsonFresh, postJson } from '../lib/http';
import { createHash, createPrivateKey, randomInt, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import {
  canonicalJson,
  CompactRange,
  distinctNodes,
  generateLogKey,
  inclusionProofNodes,
  leafHash,
  signTreeHead,
  storeFullPages,
} from '@app/domain';
import { API_SCRIPT, benchEnv, DIST, prepareDatabase, startProcess, stopProcess } from '../lib/bench-env';
import { insertOpenTenders, loginSuppliers, seedBuyerAndSuppliers } from '../lib/world';
import { type LoadResult, percentile, printComparison, sleep, waitFor } from '../lib/measure';

/**
 * The provable deal log (docs/transparency.md), three figures, each beside a baseline measured in the same run:
 *
 * 1. Append rate through the full path: active suppliers asking questions on published tenders through the
 *    API (JWT, validation, the question transaction that writes its `question.asked` deal event), paced at
 *    --rate events/s over --connections keep-alive sockets, while the real worker sequences them into the Merkle
 *    log and signs tree heads (SEQUENCER_INTERVAL_MS as configured, 200 ms by default). Merge delay per event,
 *    computed in SQL afterwards: created_at of the first signed tree head whose size covers the event's log
 *    index, minus the event's occurred_at. Baseline: the same deal-event INSERT issued straight through a pg
 *    Pool at the same concurrency, unpaced, for the same time (what the database alone absorbs).
 * 2. Inclusion-proof latency on a log of --entries entries (1,000,000), built in-process with CompactRange and
 *    multi-row inserts, with one signed tree head: autocannon GET /api/v1/log/proof/inclusion at random indexes,
 *    once the API has the tree in memory, beside the one query that fetches a proof's nodes from the database (what
 *    LogService issues for a proof it does not have at hand), through a pg Pool at the same concurrency.
 * 3. The offline verifier (`npm run verify-log`, its own process) over that whole log through the API, beside
 *    `sha256sum` over the same entry bytes (the canonical JSON of every entry, one per line); median of 3 each.
 *
 * Options: --entries=1000000, --seconds=15, --warmup=2, --rate=1000 (0: as fast as possible),
 * --connections=32 (writers), --proof-seconds=10, --proof-connections=16, --samples=16,
 * --only=append,proofs,verifier (the parts to run; 2 and 3 share the built log, so either builds it).
 */

const TENDERS = 200;
/** Rows per multi-row insert while building the big log. */
const CHUNK = 8_192;

/** The node query of LogService.nodes: every perfect node a proof needs, in one statement. */
const NODES_SQL = `SELECT n.level, n.idx::text, n.hash FROM log_nodes n
  JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, idx) ON n.level = w.level AND n.idx = w.idx`;

interface Supplier {
  id: string;
  token: string;
}

/** What one timed run did: successes (with their latencies) and every other outcome counted by kind. */
interface Phase {
  ok: number;
  latenciesMs: number[];
  others: Map<string, number>;
  errors: number;
  elapsedMs: number;
}

/** One attempt by loop `worker`: 'ok' on success, otherwise a label counted apart; throws on transport errors. */
type Attempt = (worker: number) => Promise<string>;

interface Options {
  entries: number;
  seconds: number;
  warmup: number;
  rate: number;
  connections: number;
  proofSeconds: number;
  proofConnections: number;
  samples: number;
  parts: Set<Part>;
}

type Part = 'append' | 'proofs' | 'verifier';
const PARTS: Part[] = ['append', 'proofs', 'verifier'];

export async function run(args: string[]): Promise<void> {
  const options: Options = {
    entries: option(args, 'entries', 1_000_000, 1),
    seconds: option(args, 'seconds', 15, 1),
    warmup: option(args, 'warmup', 2, 0),
    rate: option(args, 'rate', 1_000, 0),
    connections: option(args, 'connections', 32, 1),
    proofSeconds: option(args, 'proof-seconds', 10, 1),
    proofConnections: option(args, 'proof-connections', 16, 1),
    samples: option(args, 'samples', 16, 1),
    parts: parts(args),
  };
  const dir = mkdtempSync(join(tmpdir(), 'bench-log-'));
  const keyFile = join(dir, 'log-signing-key.pem');
  writeFileSync(keyFile, generateLogKey().privatePem, { mode: 0o600 });
  // The key comes from the temporary file only (an empty LOG_SIGNING_KEY counts as unset).
  const env: Record<string, string> = { ...benchEnv(), LOG_SIGNING_KEY: '', LOG_SIGNING_KEY_FILE: keyFile };
  const interval = process.env.SEQUENCER_INTERVAL_MS ?? '200';
  process.stdout.write(
    `log: appends at ${options.rate > 0 ? `${options.rate}/s` : 'full speed'} for ${options.seconds} s ` +
      `(${options.warmup} s warm-up) over ${options.connections} connections, sequencer interval ${interval} ms; ` +
      `proofs and verifier on ${options.entries.toLocaleString('en')} entries; ${cpus().length} CPUs, ` +
      `load average ${loadAverage()}\n`,
  );
  try {
    if (options.parts.has('append')) await appendBenchmark(env, options);
    if (options.parts.has('proofs') || options.parts.has('verifier'))
      await proofAndVerifierBenchmark(env, options, keyFile, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`\nload average after the run: ${loadAverage()}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// 1. Append rate and merge delay.

async function appendBenchmark(env: Record<string, string>, options: Options): Promise<void> {
  const dataSource = await prepareDatabase(env, true);
  const { tenderIds, supplierIds } = await seed(dataSource, options.connections);
  await dataSource.destroy();

  const url = env.DATABASE_URL as string;
  const pool = new Pool({ connectionString: url, max: options.connections, application_name: 'bench-log' });
  pool.on('error', ignoreIdleError);
  const base = `http://127.0.0.1:${env.PORT}`;
  let system: LoadResult;
  let systemPhase: Phase;
  let span: { from: string; to: string; startedAt: number };
  try {
    const worker = await startProcess('apps/worker/src/main.js', env);
    try {
      // The sequencer's first tick signs the empty tree: from then on it is leading.
      await waitFor(
        async () => (await pool.query('SELECT 1 FROM log_tree_heads LIMIT 1')).rowCount === 1,
        60_000,
        'the worker did not start sequencing within 60 s',
      );
      const api = await startProcess(API_SCRIPT, env, `${base}/health`);
      try {
        const suppliers = await loginSuppliers(base, supplierIds);
        const agents = suppliers.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
        let n = 0;
        const ask: Attempt = async (w) => {
          const supplier = suppliers[w] as Supplier;
          const tenderId = tenderIds[randomInt(tenderIds.length)] as string;
          const body = JSON.stringify({ text: questionText(++n) });
          const res = await postJson(
            agents[w] as Agent,
            Number(env.PORT),
            `/api/v1/tenders/${tenderId}/questions`,
            supplier.token,
            body,
          );
          return res.status === 201 ? 'ok' : `HTTP ${res.status} ${errorCode(res.body)}`;
        };
        if (options.warmup > 0) await drive(options.warmup, options.connections, options.rate, ask);
        await checkpoint(pool);
        const from = await maxEventId(pool);
        const startedAt = Date.now();
        systemPhase = await drive(options.seconds, options.connections, options.rate, ask);
        span = { from, to: await maxEventId(pool), startedAt };
        system = toResult(
          `API POST /tenders/:id/questions${options.rate > 0 ? ` (paced <= ${options.rate}/s)` : ''}`,
          systemPhase,
        );
        agents.forEach((a) => a.destroy());
      } finally {
        await stopProcess(api);
      }
      // Everything the API committed must reach a signed tree head; the worker is still running.
      await waitFor(
        async () => {
          const { rows } = await pool.query<{ missing: string }>(
            `SELECT count(*) AS missing FROM deal_events e
              WHERE e.id > $1 AND e.id <= $2 AND NOT EXISTS (SELECT 1 FROM log_entries l WHERE l.event_id = e.id)`,
            [span.from, span.to],
          );
          return Number(rows[0]?.missing) === 0;
        },
        120_000,
        'the sequencer did not catch up within 120 s',
      );
    } finally {
      await stopProcess(worker);
    }
    const merge = await mergeDelays(pool, span.from, span.to, span.startedAt);
    printPhase('API', systemPhase);

    // Baseline: the same event inserted straight into deal_events, no API and no sequencer running.
    let k = 0;
    const insert: Attempt = async () => {
      const tenderId = tenderIds[randomInt(tenderIds.length)] as string;
      const payload = { questionId: randomUUID(), lotId: null, text: questionText(++k) };
      await pool.query(
        `INSERT INTO deal_events (type, tender_id, actor_id, payload, sealed_payload, txid)
         VALUES ('question.asked', $1, NULL, $2, NULL, pg_current_xact_id()::text::bigint)`,
        [tenderId, payload],
      );
      return 'ok';
    };
    if (options.warmup > 0) await drive(options.warmup, options.connections, 0, insert);
    await checkpoint(pool);
    const rawPhase = await drive(options.seconds, options.connections, 0, insert);
    const raw = toResult(`raw SQL INSERT deal_events, pg Pool(${options.connections})`, rawPhase);
    printPhase('raw SQL', rawPhase);

    printComparison(
      `log append: question.asked events committed, ${options.seconds} s, ${options.connections} connections ` +
        `(req/s = committed events/s; the raw baseline is unpaced)`,
      system,
      raw,
    );
    const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : 'n/a');
    process.stdout.write(`\n== log merge delay: signed tree head created_at - deal event occurred_at ==\n`);
    console.table([
      {
        events: merge.delays.length,
        'committed ev/s': system.rps.toFixed(0),
        'full-path ev/s': merge.fullPathRate.toFixed(0),
        'p50 ms': ms(percentile(merge.delays, 50)),
        'p90 ms': ms(percentile(merge.delays, 90)),
        'p99 ms': ms(percentile(merge.delays, 99)),
        'max ms': ms(percentile(merge.delays, 100)),
        'tree heads': merge.heads,
        'entries/head': (merge.delays.length / Math.max(1, merge.heads)).toFixed(0),
      },
    ]);
    const p99 = percentile(merge.delays, 99);
    // The paced schedule offers at most rate x seconds attempts, so a run that keeps up ends a hair under the
    // rate (14,999 of 15,000 started before the end): within 1% counts as keeping up.
    const keptUp = system.rps >= 1000 * 0.99;
    const verdict =
      p99 <= 1000 && keptUp
        ? 'met'
        : `NOT met${keptUp ? '' : `: the rate fell short of 1,000/s`}${p99 > 1000 ? ': p99 above 1 s' : ''}`;
    const rateNote =
      options.rate > 0
        ? `${system.rps.toFixed(0)} of the ${options.rate} events/s asked for ` +
          `(${((system.rps / options.rate) * 100).toFixed(0)}%)`
        : `${system.rps.toFixed(0)} events/s, unpaced`;
    process.stdout.write(
      `created_at: start of the sequencer transaction that stores the entries with that head; occurred_at: ` +
        `clock time of the event insert in the API transaction.\n` +
        `full-path ev/s: events of the window / (last of them in a signed tree head - window start).\n` +
        `achieved append rate through the API: ${rateNote}; ` +
        `${((system.rps / raw.rps) * 100).toFixed(1)}% of the raw insert rate (${raw.rps.toFixed(0)}/s)\n` +
        `target: merge delay p99 <= 1 s at 1,000 events/s: ${ms(p99)} ms at ${system.rps.toFixed(0)} events/s ` +
        `(${verdict})\n`,
    );
  } finally {
    await pool.end();
  }
}

async function seed(
  dataSource: DataSource,
  suppliers: number,
): Promise<{ tenderIds: string[]; supplierIds: string[] }> {
  const { cityId, buyerId, supplierIds } = await seedBuyerAndSuppliers(dataSource, suppliers);
  const tenders = await insertOpenTenders(dataSource, TENDERS, buyerId, cityId);
  await dataSource.query('ANALYZE');
  return { tenderIds: tenders.map((t) => t.id), supplierIds };
}

/**
 * `workers` closed loops for `seconds`. With a rate, attempts take start slots 1/rate apart on one shared
 * schedule (a loop that falls behind starts at once), so the offered load is at most `rate` per second.
 */
async function drive(seconds: number, workers: number, rate: number, attempt: Attempt): Promise<Phase> {
  const phase: Phase = { ok: 0, latenciesMs: [], others: new Map(), errors: 0, elapsedMs: 0 };
  const gap = rate > 0 ? 1000 / rate : 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  let slot = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (;;) {
        if (gap > 0) {
          const due = started + slot++ * gap;
          if (due >= end) return;
          const wait = due - performance.now();
          if (wait > 0) await sleep(wait);
        }
        // A run that falls behind its schedule still ends on time.
        if (performance.now() >= end) return;
        const t0 = performance.now();
        try {
          const outcome = await attempt(worker);
          if (outcome === 'ok') {
            phase.ok++;
            phase.latenciesMs.push(performance.now() - t0);
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
  phase.elapsedMs = performance.now() - started;
  phase.latenciesMs.sort((a, b) => a - b);
  return phase;
}

/**
 * Merge delay of every event of the window: created_at of the first tree head covering its index (heads grow
 * with time, so the smallest covering size is the earliest) minus occurred_at; both are database clock times.
 */
async function mergeDelays(
  pool: Pool,
  from: string,
  to: string,
  startedAt: number,
): Promise<{ delays: number[]; heads: number; fullPathRate: number }> {
  const { rows } = await pool.query<{ ms: number; at: Date }>(
    `SELECT extract(epoch FROM h.created_at - e.occurred_at) * 1000 AS ms, h.created_at AS at
       FROM deal_events e
       JOIN log_entries l ON l.event_id = e.id
       CROSS JOIN LATERAL (SELECT created_at FROM log_tree_heads
                            WHERE tree_size > l.idx ORDER BY tree_size LIMIT 1) h
      WHERE e.id > $1 AND e.id <= $2`,
    [from, to],
  );
  const { rows: heads } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM log_tree_heads
      WHERE tree_size > (SELECT min(idx) FROM log_entries WHERE event_id > $1 AND event_id <= $2)
        AND tree_size <= (SELECT max(idx) + 1 FROM log_entries WHERE event_id > $1 AND event_id <= $2)`,
    [from, to],
  );
  const last = Math.max(...rows.map((r) => r.at.getTime()));
  return {
    delays: rows.map((r) => Number(r.ms)).sort((a, b) => a - b),
    heads: Number(heads[0]?.n ?? 0),
    fullPathRate: rows.length / ((last - startedAt) / 1000),
  };
}

async function maxEventId(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    'SELECT coalesce(max(id), 0)::text AS id FROM deal_events',
  );
  return rows[0]?.id ?? '0';
}

function questionText(n: number): string {
  return `Bench question ${n}: may the paper be delivered in two batches, and is a 70 g/m2 grade acceptable?`;
}

// ---------------------------------------------------------------------------------------------------------
// 2 and 3. Inclusion proofs and the verifier on a large log.

async function proofAndVerifierBenchmark(
  env: Record<string, string>,
  options: Options,
  keyFile: string,
  dir: string,
): Promise<void> {
  const size = options.entries;
  const dataSource = await prepareDatabase(env, true);
  await dataSource.destroy();
  const pool = new Pool({
    connectionString: env.DATABASE_URL as string,
    max: Math.max(2, options.proofConnections),
    application_name: 'bench-log',
  });
  pool.on('error', ignoreIdleError);
  const entriesFile = join(dir, 'entries.jsonl');
  try {
    const built = await buildLog(pool, size, keyFile, entriesFile);
    process.stdout.write(
      `\nbuilt a log of ${size.toLocaleString('en')} entries (${(built.bytes / 1e6).toFixed(1)} MB of leaves, ` +
        `${built.nodes.toLocaleString('en')} perfect nodes) in ${(built.ms / 1000).toFixed(1)} s; ` +
        `root ${built.root}\n`,
    );
    const base = `http://127.0.0.1:${env.PORT}`;
    const api = await startProcess(API_SCRIPT, env, `${base}/health`);
    try {
      const sth = (await (await fetch(`${base}/api/v1/log/sth`)).json()) as {
        treeSize: number;
        rootHash: string;
      };
      if (sth.treeSize !== size || sth.rootHash !== built.root) {
        throw new Error(`the API serves tree head ${JSON.stringify(sth)}, not the one just built`);
      }
      if (options.parts.has('proofs')) await proofBenchmark(base, pool, options);
      if (options.parts.has('verifier')) {
        // A server at rest, as for the other parts: the tree loaded, and the log's writes checkpointed.
        await treeInMemory(base, size);
        await checkpoint(pool);
        await verifierBenchmark(base, options, entriesFile, built.bytes);
      }
    } finally {
      await stopProcess(api);
    }
  } finally {
    await pool.end();
  }
}

/**
 * Waits until the API has loaded the log's tree (it does so in the background at start, about 2 s of CPU for
 * 1M entries), so a measurement sees an API that has been running; returns how long that took. Each check is
 * a new connection, and new connections go round the API processes, so a run of them all ready means every
 * process is.
 */
async function treeInMemory(base: string, size: number): Promise<number> {
  const started = Date.now();
  const inARow = 4 * availableParallelism();
  let ready = 0;
  await waitFor(
    async () => {
      const body = await getJsonFresh<{ checks: { logTree: { treeSize: number } } }>(`${base}/health/ready`);
      ready = body.checks.logTree.treeSize >= size ? ready + 1 : 0;
      return ready >= inARow;
    },
    120_000,
    'the API did not load the log tree within 120 s',
  );
  return Date.now() - started;
}

/** 2. Inclusion proofs through the API, beside the node query alone. */
async function proofBenchmark(base: string, pool: Pool, options: Options): Promise<void> {
  const size = options.entries;
  const proofPath = () => `/api/v1/log/proof/inclusion?index=${randomInt(size)}&treeSize=${size}`;
  const loadedAfter = await treeInMemory(base, size);
  process.stdout.write(
    `\nthe API had the tree of ${size.toLocaleString('en')} in memory ${(loadedAfter / 1000).toFixed(1)} s after the first check\n`,
  );
  await cannon(base, options.proofConnections, 2, proofPath);
  const system = await cannon(base, options.proofConnections, options.proofSeconds, proofPath);
  const lookup: Attempt = async () => {
    const refs = distinctNodes(inclusionProofNodes(randomInt(size), size));
    const { rowCount } = await pool.query(NODES_SQL, [refs.map((r) => r.level), refs.map((r) => r.index)]);
    return rowCount === refs.length ? 'ok' : 'missing nodes';
  };
  await drive(2, options.proofConnections, 0, lookup);
  const rawPhase = await drive(options.proofSeconds, options.proofConnections, 0, lookup);
  const raw = toResult(`raw SQL node lookup, pg Pool(${options.proofConnections})`, rawPhase);
  printComparison(
    `inclusion proof, tree of ${size.toLocaleString('en')}, random index, ${options.proofConnections} ` +
      `connections, ${options.proofSeconds} s (raw: the one query fetching a proof's nodes from the database)`,
    system,
    raw,
  );
  // The same requests one at a time: service time without queueing behind 15 other connections.
  const single = await cannon(base, 1, Math.min(3, options.proofSeconds), proofPath);
  process.stdout.write(
    `same API requests over 1 connection, ${Math.min(3, options.proofSeconds)} s: ` +
      `${single.rps.toFixed(0)} req/s, p50 ${single.p50.toFixed(2)} ms, p95 ${single.p95.toFixed(2)} ms, ` +
      `p99 ${single.p99.toFixed(2)} ms\n` +
      `target: inclusion proof p99 <= 5 ms through HTTP (${options.proofConnections} connections): ` +
      `${system.p99.toFixed(2)} ms (${system.p99 <= 5 ? 'met' : 'NOT met'})\n`,
  );
}

/**
 * 3. The verifier over every entry, as a user runs it (`npm run verify-log`: its own process), beside sha256sum
 * over the same bytes; the median of three runs of each. The first run also fills the API's page cache
 * (LOG_PAGE_CACHE_MB), as the first download after a restart does; all three are printed.
 */
async function verifierBenchmark(
  base: string,
  options: Options,
  entriesFile: string,
  bytes: number,
): Promise<void> {
  const size = options.entries;
  const runs: { ms: number; ok: boolean; output: string }[] = [];
  for (let i = 0; i < 3; i++) runs.push(await timeVerifier(base, options.samples));
  const verifier = [...runs].sort((a, b) => a.ms - b.ms)[1]!;
  const hashTimes: number[] = [];
  for (let i = 0; i < 3; i++) hashTimes.push(await timeSha256sum(entriesFile));
  hashTimes.sort((a, b) => a - b);
  const shaMs = hashTimes[1] as number;
  const mbps = (ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(1);
  const seconds = (list: number[]) => list.map((t) => (t / 1000).toFixed(2)).join(' / ');
  process.stdout.write(
    `\n== verifier over ${size.toLocaleString('en')} entries (${(bytes / 1e6).toFixed(1)} MB), ` +
      `${options.samples} sampled inclusion proofs ==\n`,
  );
  console.table([
    {
      run: 'verify-log (tools/verify-log/cli.js) via the API, median of 3',
      seconds: (verifier.ms / 1000).toFixed(2),
      'MB/s': mbps(verifier.ms),
      outcome: `${runs.every((r) => r.ok) ? 'OK every time' : 'FAILED'}: ${seconds(runs.map((r) => r.ms))} s`,
    },
    {
      run: 'sha256sum over the entries file, median of 3',
      seconds: (shaMs / 1000).toFixed(2),
      'MB/s': mbps(shaMs),
      outcome: `${seconds(hashTimes)} s`,
    },
  ]);
  for (const run of runs.filter((r) => !r.ok))
    process.stdout.write(`verifier output:\n${run.output.slice(0, 2000)}\n`);
  const ratio = verifier.ms / shaMs;
  process.stdout.write(
    `ratio verifier/sha256sum: ${ratio.toFixed(1)}x; target <= 5x: ${ratio <= 5 ? 'met' : 'NOT met'}` +
      `${runs.every((r) => r.ok) ? '' : ' (a verification failed, so its time is not that of a full verification)'}\n`,
  );
}

/**
 * One run of the verifier's command line program: wall time, whether it verified, what it printed.
 * BENCH_VERIFIER_NODE_ARGS (space-separated) goes to its node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", and
 * BENCH_VERIFIER_ARGS to the program, e.g. "--threads 1".
 */
function timeVerifier(base: string, samples: number): Promise<{ ms: number; ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    execFile(
      process.execPath,
      [
        ...(process.env.BENCH_VERIFIER_NODE_ARGS ?? '').split(' ').filter(Boolean),
        join(DIST, 'tools/verify-log/cli.js'),
        '--url',
        base,
        '--samples',
        String(samples),
        ...(process.env.BENCH_VERIFIER_ARGS ?? '').split(' ').filter(Boolean),
      ],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ ms: performance.now() - t0, ok: !error, output: `${stdout}${stderr}` }),
    );
  });
}

/**
 * Writes a log of `size` synthetic entries (shaped as the sequencer's: question.asked and sealed bid.submitted
 * events, canonical JSON) with every perfect node and full page, as the sequencer would have stored them, and one tree head
 * signed with the log's key. The entries also go, one per line, to `file` for sha256sum.
 */
async function buildLog(
  pool: Pool,
  size: number,
  keyFile: string,
  file: string,
): Promise<{ ms: number; bytes: number; nodes: number; root: string }> {
  const started = performance.now();
  const range = CompactRange.empty();
  const out = createWriteStream(file);
  const tenders = Array.from({ length: 1_000 }, () => randomUUID());
  const epoch = Date.parse('2026-01-12T09:00:00.000Z');
  let bytes = 0;
  let nodeCount = 0;
  let pending: Promise<unknown> = Promise.resolve();
  for (let start = 0; start < size; start += CHUNK) {
    const end = Math.min(size, start + CHUNK);
    const idx: number[] = [];
    const tenderIds: string[] = [];
    const texts: string[] = [];
    const hashes: Buffer[] = [];
    const levels: number[] = [];
    const nodeIdx: number[] = [];
    const nodeHashes: Buffer[] = [];
    for (let i = start; i < end; i++) {
      const tenderId = tenders[i % tenders.length] as string;
      const entry = canonicalJson(syntheticEntry(i, tenderId, epoch));
      const leaf = Buffer.from(entry, 'utf8');
      const hash = leafHash(leaf);
      for (const node of range.append(hash)) {
        levels.push(node.level);
        nodeIdx.push(node.index);
        nodeHashes.push(node.hash);
      }
      idx.push(i);
      tenderIds.push(tenderId);
      texts.push(entry);
      hashes.push(hash);
      bytes += leaf.length + 1;
    }
    nodeCount += levels.length;
    if (!out.write(`${texts.join('\n')}\n`)) await once(out, 'drain');
    await pending;
    pending = Promise.all([
      pool.query(
        `INSERT INTO log_entries (idx, event_id, tender_id, entry, leaf_hash)
         SELECT x.idx, x.idx + 1, x.tender_id, x.entry, x.leaf_hash
           FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::bytea[]) AS x(idx, tender_id, entry, leaf_hash)`,
        [idx, tenderIds, texts, hashes],
      ),
      pool.query(
        `INSERT INTO log_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`,
        [levels, nodeIdx, nodeHashes],
      ),
    ]);
  }
  await pending;
  out.end();
  await once(out, 'finish');
  await storeFullPages((sql, params) => pool.query(sql, params), 0, size);
  const head = {
    rootHash: range.root().toString('hex'),
    timestamp: new Date().toISOString(),
    treeSize: size,
  };
  const key = createPrivateKey(readFileSync(keyFile, 'utf8'));
  await pool.query(
    `INSERT INTO log_tree_heads (tree_size, root_hash, timestamp, signature) VALUES ($1, decode($2, 'hex'), $3, $4)`,
    [head.treeSize, head.rootHash, head.timestamp, signTreeHead(head, key)],
  );
  // As a log that has been running a while: vacuumed (hint bits set), so the first reader does not write.
  await pool.query('VACUUM (ANALYZE) log_entries, log_nodes, log_pages, log_tree_heads');
  await pool.query('CHECKPOINT');
  if (statSync(file).size !== bytes) throw new Error('the entries file is incomplete');
  return { ms: performance.now() - started, bytes, nodes: nodeCount, root: head.rootHash };
}

/** Entry i: three sealed bid submissions for every question, as the sequencer's logEntryOf shapes them. */
function syntheticEntry(i: number, tenderId: string, epoch: number): Record<string, unknown> {
  const occurredAt = new Date(epoch + i * 3)
    .toISOString()
    .replace('Z', `${String(i % 1000).padStart(3, '0')}Z`);
  const common = { eventId: String(i + 1), tenderId, actorId: null, occurredAt };
  if (i % 4 === 0) {
    return {
      ...common,
      type: 'question.asked',
      payload: { questionId: randomUUID(), lotId: null, text: questionText(i) },
    };
  }
  return {
    ...common,
    type: 'bid.submitted',
    payload: { commitment: createHash('sha256').update(`bench-bid-${i}`).digest('hex') },
  };
}

/** autocannon with one request whose path is drawn anew each time; latencies of 2xx responses kept exactly. */
function cannon(base: string, connections: number, seconds: number, path: () => string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon(
      {
        url: base,
        connections,
        duration: seconds,
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: path() }) }],
      },
      (error: unknown, result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(`autocannon failed: ${JSON.stringify(error)}`));
          return;
        }
        latencies.sort((a, b) => a - b);
        resolve({
          label: 'API GET /api/v1/log/proof/inclusion',
          requests: latencies.length,
          rps: latencies.length / result.duration,
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
        });
      },
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
}

function timeSha256sum(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile('sha256sum', [file], (error) =>
      error ? reject(new Error(`sha256sum: ${error.message}`)) : resolve(performance.now() - t0),
    );
  });
}

// ---------------------------------------------------------------------------------------------------------

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

function printPhase(label: string, phase: Phase): void {
  const others = [...phase.others.entries()].map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
  process.stdout.write(
    `${label}: ${phase.ok} events committed in ${(phase.elapsedMs / 1000).toFixed(2)} s, max ` +
      `${percentile(phase.latenciesMs, 100).toFixed(1)} ms; not committed: ${others}\n`,
  );
}

/**
 * An idle pooled client may still be closing when the next part drops the database and terminates its
 * sessions; that error is expected and must not crash the run (queries in flight still reject as usual).
 */
function ignoreIdleError(): void {}

/** Both runs start without a pending checkpoint, so neither pays for the other's writes. */
async function checkpoint(pool: Pool): Promise<void> {
  await pool.query('CHECKPOINT').catch(() => undefined);
}

function errorCode(body: string): string {
  try {
    const { code } = JSON.parse(body) as { code?: unknown };
    return typeof code === 'string' ? code : '';
  } catch {
    return '';
  }
}

const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** --only=append,proofs,verifier: the parts to run, all by default. */
function parts(args: string[]): Set<Part> {
  const arg = args.find((a) => a.startsWith('--only='));
  const chosen = new Set((arg ? arg.slice('--only='.length).split(',') : PARTS) as Part[]);
  for (const part of chosen) if (!PARTS.includes(part)) throw new Error(`--only takes ${PARTS.join(',')}`);
  return chosen;
}

function option(args: string[], name: string, fallback: number, min: number): number {
  const arg = args.find((a) => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.slice(name.length + 3)) : fallback;
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min}`);
  return value;
}
