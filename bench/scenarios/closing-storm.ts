import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import {
  bidCommitment,
  CLAIM_TENDERS,
  CLOSE_TENDERS,
  DEFAULT_JOB_OPTIONS,
  describeRule,
  type JobPayloads,
  JOBS,
  makeValidTaxId,
  newSalt,
  QUEUES,
  redisConnectionOptions,
  TenderClosingScheduler,
  type TaxIdScheme,
} from '@app/domain';
import { benchEnv, prepareDatabase, startProcess, stopProcess } from '../lib/bench-env';
import {
  commandCpuSeconds,
  cpuMeter,
  cpuSeconds,
  percentile,
  postgresCpuSeconds,
  sleep,
  waitFor,
} from '../lib/measure';

/**
 * 10,000 tenders with 5 sealed bids each and one deadline, closed by the real worker (a delayed close-tender
 * job per tender, as publication enqueues it, backed by the sweep every second): time from the deadline until
 * the last tender is closed with its awards, and per-tender lateness. Beside it, a second identical set closed
 * in one transaction by the closing's own set-based statement (CLOSE_TENDERS), without the worker.
 *
 * Options: --tenders=10000, --lead=20 (seconds from seeding to the deadline).
 */

const BIDS_PER_TENDER = 5;
const CPV = '30197630-1';
/** The published rule of a tender without a local preference (the bench's tenders). */
const RULE = describeRule(null);

/** Suppliers in five member cities of four countries, one tax scheme each. */
const SUPPLIER_CITIES: { code: string; scheme: TaxIdScheme }[] = [
  { code: 'moscow', scheme: 'RU-INN' },
  { code: 'kazan', scheme: 'RU-INN' },
  { code: 'minsk', scheme: 'BY-UNP' },
  { code: 'almaty', scheme: 'KZ-BIN' },
  { code: 'bishkek', scheme: 'KG-INN' },
];

interface Actors {
  buyerId: string;
  cityId: string;
  supplierIds: string[];
}

interface Outcome {
  label: string;
  tenders: number;
  /** From the deadline (worker) or the statement start (raw SQL) until the last tender was visibly closed. */
  allClosedMs: number;
  /** CPU time per tender of the processes at work, from the deadline (raw: the statement) until all closed. */
  cpuPerTender: string;
  /** closed_at - tender_end (closed_at is the closing transaction's start). */
  closedAt: number[];
  /** tender.closed event time (written just before the commit) - tender_end. */
  visible: number[];
}

export async function run(args: string[]): Promise<void> {
  const count = option(args, 'tenders', 10_000);
  const lead = option(args, 'lead', 20);
  const env: Record<string, string> = { ...benchEnv(), CLOSING_SWEEP_SECONDS: '1' };
  process.stdout.write(
    `closing-storm: ${count} tenders x ${BIDS_PER_TENDER} bids, one deadline; ${cpus().length} CPUs, ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
  );
  const dataSource = await prepareDatabase(env, true);
  await dataSource.destroy();
  const pool = new Pool({
    connectionString: env.DATABASE_URL as string,
    max: 4,
    application_name: 'bench-closing',
  });
  const queue = new Queue(QUEUES.tenderClosing, {
    connection: redisConnectionOptions(env.REDIS_URL as string),
    prefix: env.QUEUE_PREFIX as string,
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
  try {
    const actors = await seedActors(pool);
    const system = await closeByWorker(pool, queue, env, actors, count, lead);
    const raw = await closeByRawSql(pool, actors, count);
    print(system, raw);
  } finally {
    await queue.close();
    await pool.end();
  }
}

/** The servers whose CPU time per tender both runs report. */
const serverCpu = { PostgreSQL: postgresCpuSeconds, Redis: () => commandCpuSeconds('redis-server') };

async function closeByWorker(
  pool: Pool,
  queue: Queue,
  env: Record<string, string>,
  actors: Actors,
  count: number,
  lead: number,
): Promise<Outcome> {
  const worker = await startProcess('apps/worker/src/main.js', env);
  try {
    await waitFor(
      async () => (await queue.getWorkersCount()) > 0,
      60_000,
      'the worker did not connect to its queue',
    );
    const deadline = new Date(Date.now() + lead * 1000);
    const seeding = Date.now();
    const ids = await seedTenders(pool, actors, count, deadline);
    await enqueueClosings(queue, ids, deadline);
    await pool.query('ANALYZE');
    await pool.query('CHECKPOINT').catch(() => undefined);
    const spare = deadline.getTime() - Date.now();
    process.stdout.write(
      `worker: seeded ${count} tenders and enqueued ${count} delayed close-tender jobs in ` +
        `${((Date.now() - seeding) / 1000).toFixed(1)} s; ${(spare / 1000).toFixed(1)} s left before the deadline\n`,
    );
    if (spare < 0) process.stdout.write('warning: the deadline passed while seeding; raise --lead\n');
    await sleep(Math.max(0, spare));
    const cpu = cpuMeter({ ...serverCpu, worker: () => cpuSeconds(worker.pid) });
    let open = count;
    let half = NaN;
    for (;;) {
      const { rows } = await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM tenders WHERE status = 'active.tendering'`,
      );
      open = Number(rows[0]?.n ?? 0);
      const elapsed = Date.now() - deadline.getTime();
      if (Number.isNaN(half) && open <= count / 2) half = elapsed;
      if (open === 0 || elapsed > 180_000) break;
      await sleep(50);
    }
    const allClosedMs = open === 0 ? Date.now() - deadline.getTime() : NaN;
    const cpuPerTender = cpu(count);
    process.stdout.write(
      `worker: half closed after ${half} ms, ${open === 0 ? `all closed after ${allClosedMs} ms` : `${open} still open after 180 s`}\n`,
    );
    const counts = await queue.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
    process.stdout.write(`worker: close-tender/sweep jobs at that moment ${JSON.stringify(counts)}\n`);
    const outcome = await lateness(pool, ids);
    // The log sequencer lets due closings go first (ClosingsFirst), then catches up: how long after the deadline.
    // Counted once (the storm's events are all committed by now); then each poll reads one index entry, the
    // log's last index (entries are numbered from 0), instead of counting both tables while the sequencer works.
    const { rows: events } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM deal_events`);
    await waitFor(
      async () => {
        const { rows } = await pool.query<{ done: boolean }>(
          `SELECT coalesce(max(idx) + 1, 0) >= $1 AS done FROM log_entries`,
          [Number(events[0]?.n ?? 0)],
        );
        return rows[0]?.done === true;
      },
      180_000,
      'the deal log did not catch up with the closing events',
    );
    process.stdout.write(
      `worker: every event of the storm in the deal log ${Date.now() - deadline.getTime()} ms after the deadline\n`,
    );
    return {
      label: 'worker (delayed jobs + 1 s sweep)',
      tenders: count,
      allClosedMs,
      cpuPerTender,
      ...outcome,
    };
  } finally {
    await stopProcess(worker);
    await verify(pool, 'worker');
  }
}

/** The same closing in one transaction and one statement, on a second identical set of tenders. */
async function closeByRawSql(pool: Pool, actors: Actors, count: number): Promise<Outcome> {
  const ids = await seedTenders(pool, actors, count, new Date());
  await pool.query('ANALYZE');
  await pool.query('CHECKPOINT').catch(() => undefined);
  const client = await pool.connect();
  let started: Date;
  let allClosedMs: number;
  let cpuPerTender: string;
  try {
    const cpu = cpuMeter(serverCpu);
    const t0 = process.hrtime.bigint();
    await client.query('BEGIN');
    const { rows: began } = await client.query<{ now: Date }>('SELECT now() AS now');
    // The service's own claim and closing statements, for every due tender at once.
    const { rows: claimed } = await client.query<{ id: string }>(CLAIM_TENDERS, [count, null, null]);
    const { rows: closed } = await client.query<{ id: string }>(CLOSE_TENDERS, [
      claimed.map((t) => t.id),
      claimed.map(() => RULE),
    ]);
    await client.query('COMMIT');
    allClosedMs = Number(process.hrtime.bigint() - t0) / 1e6;
    cpuPerTender = cpu(count);
    started = began[0]?.now ?? new Date();
    process.stdout.write(`raw SQL: closed ${closed.length} tenders in ${allClosedMs.toFixed(0)} ms\n`);
  } finally {
    client.release();
  }
  await verify(pool, 'raw SQL');
  // Lateness is counted from the statement's start, the moment the baseline could begin closing.
  return {
    label: 'raw SQL (claim + CLOSE_TENDERS)',
    tenders: count,
    allClosedMs,
    cpuPerTender,
    ...(await lateness(pool, ids, started)),
  };
}

/** An active buyer in Moscow and five active suppliers in five cities. */
async function seedActors(pool: Pool): Promise<Actors> {
  const { rows: cities } = await pool.query<{ id: string; code: string; country: string }>(
    'SELECT id, code, country FROM cities WHERE code = ANY($1)',
    [SUPPLIER_CITIES.map((c) => c.code)],
  );
  const cityOf = (code: string) => {
    const city = cities.find((c) => c.code === code);
    if (!city) throw new Error(`the member city ${code} is missing; are the migrations applied?`);
    return city;
  };
  const moscow = cityOf('moscow');
  const { rows: buyer } = await pool.query<{ id: string }>(
    `INSERT INTO organizations (kind, legal_name, tax_scheme, tax_id, country, city_id, status)
     VALUES ('buyer', 'Bench buyer', 'RU-INN', $1, 'RU', $2, 'active') RETURNING id`,
    [makeValidTaxId('RU-INN', 2), moscow.id],
  );
  const supplierIds: string[] = [];
  for (const [i, { code, scheme }] of SUPPLIER_CITIES.entries()) {
    const city = cityOf(code);
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO organizations (kind, legal_name, tax_scheme, tax_id, country, city_id, status)
       VALUES ('supplier', $1, $2, $3, $4, $5, 'active') RETURNING id`,
      [`Bench supplier ${code}`, scheme, makeValidTaxId(scheme, 2 * i + 4), city.country, city.id],
    );
    supplierIds.push((rows[0] as { id: string }).id);
  }
  return { buyerId: (buyer[0] as { id: string }).id, cityId: moscow.id, supplierIds };
}

/**
 * Published open tenders (one lot, one item) in active.tendering with the given deadline, each with one sealed
 * bid per supplier: real commitments over the content, as BidsService seals them.
 */
async function seedTenders(pool: Pool, actors: Actors, count: number, deadline: Date): Promise<string[]> {
  const tenderIds = Array.from({ length: count }, () => randomUUID());
  const lotIds = tenderIds.map(() => randomUUID());
  await pool.query(
    `WITH t AS (
       INSERT INTO tenders (id, number, ocid, title, description, status, method, currency, min_bids, organizer_id,
                            tender_start, tender_end, clarifications_until, published_at)
       SELECT n.id, n.number, 'ocds-mtp001-' || n.number, 'Office paper, bench', 'A4 office paper, 80 g/m2',
              'active.tendering', 'open', 'RUB', 1, $3, now() - interval '10 days', $4, $4,
              now() - interval '10 days'
         FROM (SELECT x.id, 'MTP-' || extract(year FROM now()) || '-' ||
                            lpad(nextval('tender_number_seq')::text, 6, '0') AS number
                 FROM unnest($1::uuid[]) AS x(id)) n
       RETURNING id
     ), l AS (
       INSERT INTO lots (id, tender_id, number, title, estimate)
       SELECT x.lot_id, x.tender_id, 1, 'Paper A4', 100000.00
         FROM unnest($2::uuid[], $1::uuid[]) AS x(lot_id, tender_id)
       RETURNING id, tender_id
     ), i AS (
       INSERT INTO tender_items (lot_id, tender_id, description, cpv_code, unit_code, quantity, delivery_city_id,
                                 delivery_date)
       SELECT id, tender_id, 'Бумага офисная A4, 500 листов', $5, 'XPK', 200, $6, '2027-03-01' FROM l
     )
     INSERT INTO tender_buyers (tender_id, buyer_id) SELECT id, $3 FROM t`,
    [tenderIds, lotIds, actors.buyerId, deadline, CPV, actors.cityId],
  );
  const CHUNK = 2_000;
  for (let start = 0; start < count; start += CHUNK) {
    const bids = tenderIds.slice(start, start + CHUNK).flatMap((tenderId, j) =>
      actors.supplierIds.map((supplierId) => {
        const bidId = randomUUID();
        const lots = [
          { lotId: lotIds[start + j] as string, price: (50_000 + Math.random() * 49_999).toFixed(2) },
        ];
        const content = { bidId, tenderId, supplierId, currency: 'RUB', lots };
        const salt = newSalt();
        return { bidId, tenderId, supplierId, lots, content, salt, commitment: bidCommitment(content, salt) };
      }),
    );
    await pool.query(
      `WITH b AS (
         INSERT INTO bids (id, tender_id, supplier_id, status, commitment, salt, content, submitted_at, sequence)
         SELECT x.id, x.tender_id, x.supplier_id, 'active', x.commitment, x.salt, x.content::jsonb,
                now() - interval '1 day' + random() * interval '12 hours', nextval('bid_sequence')
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[])
             AS x(id, tender_id, supplier_id, commitment, salt, content)
       )
       INSERT INTO bid_lots (bid_id, lot_id, price)
       SELECT * FROM unnest($1::uuid[], $7::uuid[], $8::numeric[])`,
      [
        bids.map((b) => b.bidId),
        bids.map((b) => b.tenderId),
        bids.map((b) => b.supplierId),
        bids.map((b) => b.commitment),
        bids.map((b) => b.salt),
        bids.map((b) => JSON.stringify(b.content)),
        bids.map((b) => b.lots[0]?.lotId),
        bids.map((b) => b.lots[0]?.price),
      ],
    );
  }
  return tenderIds;
}

/** What publication would have enqueued: one delayed close-tender job per tender, with its deterministic id. */
async function enqueueClosings(queue: Queue, tenderIds: string[], deadline: Date): Promise<void> {
  for (let start = 0; start < tenderIds.length; start += 1_000) {
    await queue.addBulk(
      tenderIds.slice(start, start + 1_000).map((tenderId) => {
        const data: JobPayloads[typeof JOBS.closeTender] = { tenderId };
        return {
          name: JOBS.closeTender,
          data,
          opts: {
            jobId: TenderClosingScheduler.jobIdFor(tenderId, deadline),
            delay: Math.max(0, deadline.getTime() - Date.now()),
          },
        };
      }),
    );
  }
}

/** Lateness of each tender in milliseconds, from its deadline (or from `from` when given). */
async function lateness(
  pool: Pool,
  ids: string[],
  from?: Date,
): Promise<{ closedAt: number[]; visible: number[] }> {
  const { rows } = await pool.query<{ closed: number; visible: number }>(
    `SELECT extract(epoch FROM t.closed_at - coalesce($2, t.tender_end)) * 1000 AS closed,
            extract(epoch FROM e.occurred_at - coalesce($2, t.tender_end)) * 1000 AS visible
       FROM tenders t JOIN deal_events e ON e.tender_id = t.id AND e.type = 'tender.closed'
      WHERE t.id = ANY($1::uuid[])`,
    [ids, from ?? null],
  );
  const sorted = (values: number[]) => values.map(Number).sort((a, b) => a - b);
  return { closedAt: sorted(rows.map((r) => r.closed)), visible: sorted(rows.map((r) => r.visible)) };
}

/** Every tender closed exactly once, with its awards and its events (checked over the whole database). */
async function verify(pool: Pool, label: string): Promise<void> {
  const { rows } = await pool.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM tenders WHERE status = 'active.tendering') AS open,
            (SELECT count(*) FROM tenders WHERE status = 'active.qualification') AS qualification,
            (SELECT count(*) FROM tenders WHERE status = 'unsuccessful') AS unsuccessful,
            (SELECT count(*) FROM awards WHERE status = 'pending') AS awards,
            (SELECT count(*) FROM bids WHERE status = 'opened') AS opened_bids,
            (SELECT count(*) FROM bid_lots WHERE rank IS NOT NULL) AS ranked_bid_lots,
            (SELECT count(*) FROM deal_events WHERE type = 'tender.closed') AS closed_events,
            (SELECT count(*) FROM deal_events WHERE type = 'bid.opened') AS opened_events,
            (SELECT count(*) FROM deal_events WHERE type = 'award.pending') AS award_events,
            (SELECT count(*) FROM (SELECT tender_id FROM deal_events WHERE type = 'tender.closed'
                                    GROUP BY tender_id HAVING count(*) > 1) d) AS closed_twice,
            (SELECT count(*) FROM awards a JOIN bid_lots bl ON bl.bid_id = a.bid_id AND bl.lot_id = a.lot_id
              WHERE bl.rank <> 1) AS awards_not_first`,
  );
  process.stdout.write(`${label}: database totals so far ${JSON.stringify(rows[0])}\n`);
}

function print(system: Outcome, raw: Outcome): void {
  const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');
  const row = (o: Outcome) => ({
    run: o.label,
    tenders: o.tenders,
    'all closed after ms': ms(o.allClosedMs),
    'tenders/s': ms(o.tenders / (o.allClosedMs / 1000)),
    'p50 closed_at ms': ms(percentile(o.closedAt, 50)),
    'p99 closed_at ms': ms(percentile(o.closedAt, 99)),
    'p50 visible ms': ms(percentile(o.visible, 50)),
    'p99 visible ms': ms(percentile(o.visible, 99)),
  });
  process.stdout.write(
    `\n== closing-storm: ${system.tenders} tenders x ${BIDS_PER_TENDER} bids, one deadline ` +
      `(lateness: closed_at - deadline, and the tender.closed event time - deadline; raw SQL from its start) ==\n`,
  );
  console.table([row(system), row(raw)]);
  const p50 = percentile(system.closedAt, 50);
  process.stdout.write(
    `closed_at is now() of the closing transaction (its start); "visible" is the tender.closed event's clock time,\n` +
      `written just before the commit. The raw baseline is one transaction: every tender becomes visible at its\n` +
      `commit, ${ms(raw.allClosedMs)} ms after the statement started.\n`,
  );
  process.stdout.write(
    `CPU per tender until all closed: worker run: ${system.cpuPerTender}; raw run: ${raw.cpuPerTender}\n`,
  );
  process.stdout.write(
    `ratio worker/raw: time to close all ${(system.allClosedMs / raw.allClosedMs).toFixed(2)}x, ` +
      `throughput ${(raw.allClosedMs / system.allClosedMs).toFixed(3)}x\n` +
      `targets: all closed within 5 s: ${ms(system.allClosedMs)} ms (${system.allClosedMs <= 5000 ? 'met' : 'NOT met'}); ` +
      `p50 lateness <= 1 s: ${ms(p50)} ms (${p50 <= 1000 ? 'met' : 'NOT met'})\n` +
      `load average after the run: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
  );
}

function option(args: string[], name: string, fallback: number): number {
  const arg = args.find((a) => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.slice(name.length + 3)) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}
