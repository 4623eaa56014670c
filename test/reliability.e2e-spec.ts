import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Redis from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { aliveWorkers, bidCommitment, loadConfig, newSalt, TenderClosingScheduler } from '@app/domain';
import { Actor, ActorFactory } from './factories/actors';
import { auth, PAPER_CPV, TenderFlows, tenderBody } from './factories/tenders';
import { createTestApp, TestApp } from './setup/app-factory';
import { eventually } from './setup/eventually';
import { resetState } from './setup/reset';
import { testEnv } from './setup/test-env';

/** The compiled worker, run as a real child process (`npm test` builds it first). */
const WORKER_MAIN = resolve(__dirname, '..', 'dist', 'apps', 'worker', 'src', 'main.js');

/** `node dist/apps/worker/src/main.js` with the test environment, its stderr kept for failure messages. */
class WorkerProcess {
  private readonly child: ChildProcess;
  private stderr = '';
  private readonly exited: Promise<void>;

  constructor() {
    if (!existsSync(WORKER_MAIN)) {
      throw new Error(
        `${WORKER_MAIN} is missing: run \`npm run build\` first (\`npm test\` does it in pretest)`,
      );
    }
    this.child = spawn(process.execPath, [WORKER_MAIN], {
      env: { ...process.env, ...testEnv(), LOG_LEVEL: 'silent', WORKER_METRICS_PORT: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.exited = new Promise((done) => this.child.once('exit', () => done()));
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** Ready once its heartbeat is in Redis: the Nest context, BullMQ workers and sweep timer are up. */
  async ready(redis: Redis): Promise<this> {
    const config = loadConfig(process.env);
    await eventually(async () => {
      if (this.child.exitCode !== null) {
        throw new Error(`the worker exited with ${this.child.exitCode} before it was ready: ${this.stderr}`);
      }
      const alive = await aliveWorkers(redis, config);
      return alive.some((w) => w.id.includes(`-${this.pid}-`)) ? true : undefined;
    }, 20_000);
    return this;
  }

  /** kill -9: no shutdown hook runs, its open transaction is cut off and its active jobs stall in Redis. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) process.kill(this.pid, 'SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

interface Storm {
  tenderIds: string[];
  bids: number;
  lots: number;
}

describe('Reliability with real processes', () => {
  let t: TestApp;
  let db: DataSource;
  let redis: Redis;
  let factory: ActorFactory;
  let flows: TenderFlows;
  let buyer: Actor;
  let cityId: string;
  const workers: WorkerProcess[] = [];

  const startWorker = async () => {
    const worker = new WorkerProcess();
    workers.push(worker);
    return worker.ready(redis);
  };

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    // Listen once, so concurrent supertest requests share one server instead of starting and stopping it.
    await t.app.listen(0, '127.0.0.1');
    db = t.app.get(DataSource);
    redis = new Redis(process.env.REDIS_URL as string);
    factory = new ActorFactory(t.app);
    flows = new TenderFlows(t.app);
    buyer = await factory.actor('buyer');
    cityId = (await factory.city('moscow')).id;
  });
  afterAll(async () => {
    for (const worker of workers) await worker.kill();
    redis?.disconnect();
    await t?.app.close();
  });

  /** Published tenders with one or two lots and one or two sealed bids each, written straight to the tables. */
  async function seedStorm(count: number, suppliers: Actor[]): Promise<Storm> {
    const { OCDS_PREFIX } = loadConfig(process.env);
    const tenderIds = Array.from({ length: count }, () => randomUUID());
    const lots = tenderIds.flatMap((tenderId, i) =>
      Array.from({ length: i % 5 === 0 ? 2 : 1 }, (_, l) => ({
        id: randomUUID(),
        tender_id: tenderId,
        number: l + 1,
        estimate: '100000.00',
      })),
    );
    const bids: Record<string, unknown>[] = [];
    const bidLots: { bid_id: string; lot_id: string; price: string }[] = [];
    tenderIds.forEach((tenderId, i) => {
      const bidders = i % 2 === 0 ? suppliers : suppliers.slice(0, 1);
      bidders.forEach((supplier, s) => {
        const bidId = randomUUID();
        const prices = lots
          .filter((l) => l.tender_id === tenderId)
          .map((l) => ({ lotId: l.id, price: (90_000 - s * 1_000 - (i % 100)).toFixed(2) }))
          .sort((a, b) => a.lotId.localeCompare(b.lotId));
        const content = {
          bidId,
          tenderId,
          supplierId: supplier.organization.id,
          currency: 'RUB',
          lots: prices,
        };
        const salt = newSalt();
        bids.push({
          id: bidId,
          tender_id: tenderId,
          supplier_id: supplier.organization.id,
          commitment: bidCommitment(content, salt),
          salt,
          content,
        });
        for (const p of prices) bidLots.push({ bid_id: bidId, lot_id: p.lotId, price: p.price });
      });
    });

    await db.transaction(async (m) => {
      // The deadline is far away while seeding; the test moves it to one common instant later.
      await m.query(
        `INSERT INTO tenders (id, number, ocid, title, description, status, currency, organizer_id,
                              tender_start, tender_end, clarifications_until, published_at)
         SELECT n.id, n.number, $2 || '-' || n.number, 'Storm tender ' || n.number, 'Office paper', 'active.tendering',
                'RUB', $3, now(), now() + interval '1 hour', now() + interval '1 hour', now()
           FROM (SELECT id, 'MTP-' || to_char(now(), 'YYYY') || '-' || lpad(nextval('tender_number_seq')::text, 6, '0')
                          AS number
                   FROM unnest($1::uuid[]) AS id) n`,
        [tenderIds, OCDS_PREFIX, buyer.organization.id],
      );
      await m.query(`INSERT INTO tender_buyers (tender_id, buyer_id) SELECT unnest($1::uuid[]), $2`, [
        tenderIds,
        buyer.organization.id,
      ]);
      await m.query(
        `INSERT INTO lots (id, tender_id, number, title, estimate)
         SELECT l.id, l.tender_id, l.number, 'Paper A4, lot ' || l.number, l.estimate
           FROM jsonb_to_recordset($1::jsonb) AS l(id uuid, tender_id uuid, number int, estimate numeric)`,
        [JSON.stringify(lots)],
      );
      await m.query(
        `INSERT INTO tender_items (lot_id, tender_id, description, cpv_code, unit_code, quantity, delivery_city_id,
                                   delivery_date)
         SELECT id, tender_id, 'Бумага офисная A4, 500 листов', $2, 'PK', 200, $3, '2027-03-01'
           FROM lots WHERE tender_id = ANY($1::uuid[])`,
        [tenderIds, PAPER_CPV, cityId],
      );
      await m.query(
        `INSERT INTO bids (id, tender_id, supplier_id, status, commitment, salt, content, submitted_at, sequence)
         SELECT b.id, b.tender_id, b.supplier_id, 'active', b.commitment, b.salt, b.content, clock_timestamp(),
                nextval('bid_sequence')
           FROM jsonb_to_recordset($1::jsonb)
             AS b(id uuid, tender_id uuid, supplier_id uuid, commitment text, salt text, content jsonb)`,
        [JSON.stringify(bids)],
      );
      await m.query(
        `INSERT INTO bid_lots (bid_id, lot_id, price)
         SELECT bl.bid_id, bl.lot_id, bl.price FROM jsonb_to_recordset($1::jsonb) AS bl(bid_id uuid, lot_id uuid, price numeric)`,
        [JSON.stringify(bidLots)],
      );
    });
    return { tenderIds, bids: bids.length, lots: lots.length };
  }

  const closedCount = async (ids: string[]) =>
    Number(
      (
        await db.query<{ n: string }[]>(
          `SELECT count(*) AS n FROM tenders WHERE id = ANY($1::uuid[]) AND status <> 'active.tendering'`,
          [ids],
        )
      )[0]?.n,
    );

  it('closes every tender exactly once when the worker is killed with -9 in the middle of a closing storm', async () => {
    const suppliers = [
      await factory.actor('supplier'),
      await factory.actor('supplier', { cityCode: 'kazan' }),
    ];
    const storm = await seedStorm(600, suppliers);
    const ids = storm.tenderIds;

    const first = await startWorker();
    // One common deadline by the database clock, and one delayed closing job per tender, as publishing schedules.
    const [{ deadline }] = (await db.query<{ deadline: Date }[]>(
      `UPDATE tenders SET tender_end = d.at, clarifications_until = d.at
         FROM (SELECT now() + interval '1 second' AS at) d WHERE id = ANY($1::uuid[]) RETURNING d.at AS deadline`,
      [ids],
    )) as [{ deadline: Date }];
    const scheduler = t.app.get(TenderClosingScheduler);
    await Promise.all(ids.map((id) => scheduler.schedule(id, deadline)));

    const closedAtKill = await eventually(
      async () => {
        const n = await closedCount(ids);
        if (n === ids.length) {
          throw new Error(
            `the storm of ${ids.length} closings ended before the worker could be killed: enlarge it`,
          );
        }
        return n > 0 ? n : undefined;
      },
      20_000,
      5,
    );
    await first.kill();

    // Whatever the kill cut off rolled back whole: a tender is closed if and only if it has its closing event.
    const [torn] = await db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM tenders t WHERE t.id = ANY($1::uuid[])
          AND (t.status <> 'active.tendering')
              <> EXISTS (SELECT 1 FROM deal_events e WHERE e.tender_id = t.id AND e.type = 'tender.closed')`,
      [ids],
    );
    expect(Number(torn?.n)).toBe(0);
    const closedAfterKill = await closedCount(ids);
    expect(closedAtKill).toBeGreaterThan(0);
    // The restarted worker must have work left, or this test proves nothing about the restart.
    expect(closedAfterKill).toBeLessThan(ids.length);

    const second = await startWorker();
    await eventually(async () => ((await closedCount(ids)) === ids.length ? true : undefined), 30_000);
    await second.stop();

    const closings = await db.query<{ id: string; status: string; n: number }[]>(
      `SELECT t.id, t.status,
              (SELECT count(*) FROM deal_events e WHERE e.tender_id = t.id AND e.type = 'tender.closed')::int AS n
         FROM tenders t WHERE t.id = ANY($1::uuid[])`,
      [ids],
    );
    expect(closings).toHaveLength(ids.length);
    expect(closings.filter((c) => c.status !== 'active.qualification' || c.n !== 1)).toEqual([]);

    const openings = await db.query<{ id: string; status: string; n: number; unranked: number }[]>(
      `SELECT b.id, b.status,
              (SELECT count(*) FROM deal_events e
                WHERE e.tender_id = b.tender_id AND e.type = 'bid.opened' AND e.payload->>'bidId' = b.id::text)::int AS n,
              (SELECT count(*) FROM bid_lots bl WHERE bl.bid_id = b.id AND bl.rank IS NULL)::int AS unranked
         FROM bids b WHERE b.tender_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(openings).toHaveLength(storm.bids);
    expect(openings.filter((b) => b.status !== 'opened' || b.n !== 1 || b.unranked !== 0)).toEqual([]);

    // Every lot had a bid and needed one: exactly one live award each, and one award event per award.
    const awards = await db.query<{ id: string; live: number; events: number }[]>(
      `SELECT l.id,
              (SELECT count(*) FROM awards a WHERE a.lot_id = l.id AND a.status IN ('pending', 'active'))::int AS live,
              (SELECT count(*) FROM deal_events e
                WHERE e.tender_id = l.tender_id AND e.type = 'award.pending' AND e.payload->>'lotId' = l.id::text)::int
                AS events
         FROM lots l WHERE l.tender_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(awards).toHaveLength(storm.lots);
    expect(awards.filter((a) => a.live !== 1 || a.events !== 1)).toEqual([]);
  }, 60_000);

  type Outcome =
    | { kind: 'accepted'; supplierId: string; bidId: string; price: string }
    | { kind: 'refused'; supplierId: string; code: string }
    | { kind: 'unexpected'; supplierId: string; status: number; body: unknown };

  const REFUSALS = ['BID_AFTER_DEADLINE', 'TENDER_NOT_ACCEPTING_BIDS'];
  /** Milliseconds from the deadline at which each wave of bids is fired: before, right at, and after it. */
  const WAVES = [-500, -200, -120, -90, -60, -40, -20, 0, 30, 150];

  async function placeBid(supplier: Actor, tender: any, price: string): Promise<Outcome> {
    const res = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/bids`)
      .set(auth(supplier))
      .send({ currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price }] });
    const supplierId = supplier.organization.id;
    if (res.status === 201) return { kind: 'accepted', supplierId, bidId: res.body.id, price };
    if (res.status === 409 && REFUSALS.includes(res.body.code)) {
      return { kind: 'refused', supplierId, code: res.body.code };
    }
    return { kind: 'unexpected', supplierId, status: res.status, body: res.body };
  }

  /** One tender, every supplier bidding once, in waves around its deadline; then the worker closes it. */
  async function raceTheDeadline(suppliers: Actor[]): Promise<Outcome[]> {
    const tender = await flows.publish(buyer, tenderBody(cityId, {}, 2));
    const deadline = new Date(tender.tenderPeriod.endDate).getTime();
    const perWave = Math.ceil(suppliers.length / WAVES.length);
    const outcomes = (
      await Promise.all(
        WAVES.map(async (offset, w) => {
          const wave = suppliers.slice(w * perWave, (w + 1) * perWave);
          await new Promise((r) => setTimeout(r, Math.max(0, deadline + offset - Date.now())));
          return Promise.all(
            wave.map((s, i) => placeBid(s, tender, (95_000 - (w * perWave + i) * 10).toFixed(2))),
          );
        }),
      )
    ).flat();
    expect(outcomes.filter((o) => o.kind === 'unexpected')).toEqual([]);

    const status = await eventually(async () => {
      const res = await request(t.http).get(`/api/v1/tenders/${tender.id}`);
      return res.body.status !== 'active.tendering' ? (res.body.status as string) : undefined;
    }, 15_000);
    const accepted = outcomes.flatMap((o) => (o.kind === 'accepted' ? [o] : []));
    const refused = outcomes.flatMap((o) => (o.kind === 'refused' ? [o] : []));
    expect(status).toBe(accepted.length > 0 ? 'active.qualification' : 'unsuccessful');

    const { body } = await request(t.http).get(`/api/v1/tenders/${tender.id}/bids`).expect(200);
    expect(body.sealed).toBe(false);
    const items = body.items as { bidId: string; supplierId: string; status: string; lots: any[] }[];
    // Every bid answered 201 is opened and ranked; nothing else was written.
    expect(items.map((i) => i.bidId).sort()).toEqual(accepted.map((a) => a.bidId).sort());
    expect(items.filter((i) => i.status !== 'opened' || i.lots[0]?.rank == null)).toEqual([]);
    const refusedIds = new Set(refused.map((r) => r.supplierId));
    expect(items.filter((i) => refusedIds.has(i.supplierId))).toEqual([]);
    const [written] = await db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM bids WHERE tender_id = $1 AND supplier_id = ANY($2::uuid[])`,
      [tender.id, [...refusedIds]],
    );
    expect(Number(written?.n)).toBe(0);

    // Ranks 1..n by price (all prices differ, no preference), and one closing event.
    const byPrice = [...accepted].sort((a, b) => Number(a.price) - Number(b.price)).map((a) => a.bidId);
    const byRank = [...items].sort((a, b) => a.lots[0].rank - b.lots[0].rank);
    expect(byRank.map((i) => i.lots[0].rank)).toEqual(accepted.map((_, i) => i + 1));
    expect(byRank.map((i) => i.bidId)).toEqual(byPrice);
    const [events] = await db.query<{ closed: string; opened: string }[]>(
      `SELECT count(*) FILTER (WHERE type = 'tender.closed') AS closed, count(*) FILTER (WHERE type = 'bid.opened') AS opened
         FROM deal_events WHERE tender_id = $1`,
      [tender.id],
    );
    expect({ closed: Number(events?.closed), opened: Number(events?.opened) }).toEqual({
      closed: 1,
      opened: accepted.length,
    });
    return outcomes;
  }

  it('ranks every bid answered 2xx and none of those refused, with bids racing the deadline', async () => {
    const worker = await startWorker();
    const suppliers: Actor[] = [];
    for (let i = 0; i < 5; i++) {
      suppliers.push(...(await Promise.all(Array.from({ length: 8 }, () => factory.actor('supplier')))));
    }
    let accepted = 0;
    let refused = 0;
    // Another round runs only if the timing of the last one missed a side of the race.
    for (let round = 0; round < 3 && (accepted === 0 || refused === 0); round++) {
      const outcomes = await raceTheDeadline(suppliers);
      accepted += outcomes.filter((o) => o.kind === 'accepted').length;
      refused += outcomes.filter((o) => o.kind === 'refused').length;
    }
    await worker.stop();
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  }, 60_000);
});
