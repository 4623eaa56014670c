import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import Redis from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bidCommitment, CLAIM_TENDERS, QUEUES } from '@app/domain';
import { Actor, ActorFactory } from './factories/actors';
import { auth, TenderFlows, tenderBody } from './factories/tenders';
import { createTestApp, createTestWorker, TestApp } from './setup/app-factory';
import { eventually } from './setup/eventually';
import { resetState } from './setup/reset';
import { whileTenderHeld } from './setup/tender-held';

describe('Tender closing by the worker', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let factory: ActorFactory;
  let flows: TenderFlows;
  let buyer: Actor;
  let supplier: Actor;
  let cityId: string;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    worker = await createTestWorker();
    factory = new ActorFactory(t.app);
    flows = new TenderFlows(t.app);
    buyer = await factory.actor('buyer');
    supplier = await factory.actor('supplier');
    cityId = (await factory.city('moscow')).id;
  });
  afterAll(async () => {
    await worker.close();
    await t.app.close();
  });

  const statusOf = async (id: string) =>
    (await request(t.http).get(`/api/v1/tenders/${id}`)).body.status as string;
  const closingEvents = async (id: string) =>
    Number(
      (
        await t.app
          .get(DataSource)
          .query(`SELECT count(*) AS n FROM deal_events WHERE tender_id = $1 AND type = 'tender.closed'`, [
            id,
          ])
      )[0].n,
    );

  /** Waits until the tender has the status (the worker moves it in the background). */
  const reaches = (id: string, status: string) =>
    eventually(async () => ((await statusOf(id)) === status ? true : undefined), 10_000);
  /** FLUSHDB of the test's own Redis database: every queued job is lost, only the sweep is left. */
  const loseJobs = async () => {
    const redis = new Redis(process.env.REDIS_URL as string);
    await redis.flushdb();
    await redis.quit();
  };
  /** Runs `during` while a trigger makes every status change of the tender fail. */
  const whileStatusRefused = async (tenderId: string, during: () => Promise<void>) => {
    const db = t.app.get(DataSource);
    await db.query(`
      CREATE FUNCTION test_refuse_status() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.id = '${tenderId}' AND NEW.status <> OLD.status THEN RAISE EXCEPTION 'refused by the test'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_refuse_status BEFORE UPDATE ON tenders FOR EACH ROW EXECUTE FUNCTION test_refuse_status();`);
    try {
      await during();
    } finally {
      await db.query('DROP TRIGGER test_refuse_status ON tenders; DROP FUNCTION test_refuse_status()');
    }
  };

  it('claims only tenders overdue when its transaction began, so every bid it opens is logged before it', async () => {
    const tender = await flows.publish(buyer, tenderBody(cityId, {}, 3600));
    const { Client } = await import('pg');
    const closer = new Client({ connectionString: process.env.DATABASE_URL });
    await closer.connect();
    try {
      await closer.query('BEGIN');
      // Held by this transaction, so the worker leaves it alone; its deadline passes while the transaction runs.
      await closer.query('SELECT id FROM tenders WHERE id = $1 FOR UPDATE', [tender.id]);
      await closer.query(
        `UPDATE tenders SET tender_end = now() + interval '200 milliseconds' WHERE id = $1`,
        [tender.id],
      );
      await closer.query('SELECT pg_sleep(0.4)');
      const late = await closer.query(CLAIM_TENDERS, [10, [tender.id], null]);
      expect(late.rows).toEqual([]);
      // A transaction that begins after the deadline claims it.
      await closer.query(`UPDATE tenders SET tender_end = now() - interval '1 millisecond' WHERE id = $1`, [
        tender.id,
      ]);
      const due = await closer.query(CLAIM_TENDERS, [10, [tender.id], null]);
      expect(due.rows.map((r: { id: string }) => r.id)).toEqual([tender.id]);
    } finally {
      await closer.query('ROLLBACK');
      await closer.end();
    }
  });

  it('closes a tender at its deadline through the delayed job, exactly once', async () => {
    const tender = await flows.publish(buyer, tenderBody(cityId, {}, 2));
    await flows.bid(supplier, tender, ['99000.00']);
    await eventually(
      async () => ((await statusOf(tender.id)) === 'active.qualification' ? true : undefined),
      10_000,
    );
    // Past the next sweeps (every second in tests) too: none closes it again.
    await new Promise((r) => setTimeout(r, 2_200));
    expect(await closingEvents(tender.id)).toBe(1);
  });

  it('closes at once a tender whose row a bid racing the deadline holds, without waiting for the sweep', async () => {
    // A worker whose sweep comes only at its start and then once in five minutes: the job alone closes the tender.
    await worker.close();
    const slow = await createTestWorker({ CLOSING_SWEEP_SECONDS: '300' });
    const db = t.app.get(DataSource);
    const holder = db.createQueryRunner();
    try {
      const tender = await flows.publish(buyer, tenderBody(cityId, {}, 4));
      await flows.bid(supplier, tender, ['98000.00']);
      const deadline = new Date(tender.tenderPeriod.endDate).getTime();
      // A bid's transaction, share-locking the tender row from just before the deadline until just after it.
      await new Promise((r) => setTimeout(r, deadline - Date.now() - 300));
      await holder.connect();
      await holder.startTransaction();
      await holder.query('SELECT 1 FROM tenders WHERE id = $1 FOR SHARE', [tender.id]);
      await new Promise((r) => setTimeout(r, deadline - Date.now() + 400));
      expect(await statusOf(tender.id)).toBe('active.tendering');
      await holder.commitTransaction();
      await eventually(
        async () => ((await statusOf(tender.id)) === 'active.qualification' ? true : undefined),
        3_000,
      );
      expect(await closingEvents(tender.id)).toBe(1);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
      await slow.close();
      worker = await createTestWorker();
    }
  });

  it('opens the bids of a cancellation that waited for the tender row past the deadline', async () => {
    const db = t.app.get(DataSource);
    const tender = await flows.publish(buyer, tenderBody(cityId, {}, 4));
    const bid = await flows.bid(supplier, tender, ['97000.00']);
    const deadline = new Date(tender.tenderPeriod.endDate).getTime();
    await new Promise((r) => setTimeout(r, deadline - Date.now() - 1_000));
    // Sent before the deadline, the cancellation waits for the row until after it: the bid that arrived in time
    // is opened with it.
    // Waiting is told by the cancellation's own locking statement: 'FOR UPDATE' alone is also in statements of the
    // worker, which may wait on locks of their own while the cancellation has not reached the row yet.
    const res = await whileTenderHeld(
      db,
      tender.id,
      'clock_timestamp() AS now',
      () =>
        request(t.http)
          .post(`/api/v1/tenders/${tender.id}/cancel`)
          .set(auth(buyer))
          .send({ reason: 'The need has gone away' }),
      () => new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now() + 300))),
    );
    expect(res.status).toBe(200);
    const types = (
      await db.query(`SELECT type FROM deal_events WHERE tender_id = $1 ORDER BY id`, [tender.id])
    ).map((e: { type: string }) => e.type);
    expect(types.slice(-2)).toEqual(['bid.opened', 'tender.cancelled']);
    const bids = (await request(t.http).get(`/api/v1/tenders/${tender.id}/bids`).expect(200)).body;
    expect(bids.sealed).toBe(false);
    expect(bids.items.map((b: any) => [b.bidId, b.status])).toEqual([[bid.id, 'opened']]);
  });

  it('opens every bid at the closing, and drops one still awaiting confirmation after a change of terms', async () => {
    const db = t.app.get(DataSource);
    const tender = await flows.publish(buyer, tenderBody(cityId));
    const confirming = await factory.actor('supplier');
    const silent = await factory.actor('supplier');
    await flows.bid(confirming, tender, ['70000.00']);
    await flows.bid(silent, tender, ['65000.00']);
    const later = new Date(Date.now() + 4 * 86_400_000).toISOString();
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/amendments`)
      .set(auth(buyer))
      .send({
        rationale: 'Estimate corrected',
        lots: [{ lotId: tender.lots[0].id, estimate: '120000.00' }],
        tenderPeriod: { endDate: later },
      })
      .expect(201);
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/bids/mine/confirm`)
      .set(auth(confirming))
      .send({ amendment: 1 })
      .expect(200);
    // Four days pass: the deadline is moved into the past, and the sweep closes the tender.
    await db.query(`UPDATE tenders SET tender_end = now() - interval '1 second' WHERE id = $1`, [tender.id]);
    await eventually(
      async () => ((await statusOf(tender.id)) === 'active.qualification' ? true : undefined),
      10_000,
    );

    const events = await db.query<{ type: string; actor_id: string; payload: any }[]>(
      `SELECT type, actor_id, payload FROM deal_events WHERE tender_id = $1 AND type IN ('bid.opened', 'tender.closed')
        ORDER BY id`,
      [tender.id],
    );
    const opened = events.filter((e) => e.type === 'bid.opened');
    const bySupplier = new Map(opened.map((e) => [e.payload.supplierId, e]));
    expect(opened).toHaveLength(2);
    expect(bySupplier.get(confirming.organization.id)?.payload).toMatchObject({
      status: 'opened',
      content: expect.objectContaining({ lots: [expect.objectContaining({ price: '70000.00' })] }),
    });
    expect(bySupplier.get(confirming.organization.id)?.payload.reason).toBeUndefined();
    expect(bySupplier.get(silent.organization.id)?.payload).toMatchObject({
      status: 'dropped',
      reason: 'not confirmed after an amendment of terms',
    });
    for (const e of opened) {
      expect(e.actor_id).toBe(e.payload.supplierId);
      expect(bidCommitment(e.payload.content, e.payload.salt)).toBe(e.payload.commitment);
    }
    // The closing comes after the openings, and ranks only the confirmed bid, though the dropped one was cheaper.
    expect(events[events.length - 1]?.type).toBe('tender.closed');
    const closed = events[events.length - 1]?.payload;
    expect(closed.lots[0].ranking.map((r: any) => r.supplierId)).toEqual([confirming.organization.id]);
  });

  it('refuses a bid after the deadline even before the worker has closed the tender', async () => {
    const tender = await flows.publish(buyer, tenderBody(cityId, {}, 2));
    // An unanswered question holds the closing: past its deadline, the tender is still in tendering.
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/questions`)
      .set(auth(supplier))
      .send({ text: 'Is recycled paper acceptable?' })
      .expect(201);
    const wait = new Date(tender.tenderPeriod.endDate).getTime() - Date.now() + 100;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    expect(await statusOf(tender.id)).toBe('active.tendering');
    const late = await factory.actor('supplier');
    const res = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/bids`)
      .set(auth(late))
      .send({ currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price: '1000.00' }] });
    expect([res.status, res.body.code]).toEqual([409, 'BID_AFTER_DEADLINE']);
    const [row] = await t.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM bids WHERE tender_id = $1`, [tender.id]);
    expect(row.n).toBe(0);
  });

  it('still closes tenders within the sweep interval when Redis loses every job', async () => {
    const tender = await flows.publish(buyer, tenderBody(cityId, {}, 2));
    await flows.bid(supplier, tender, ['98000.00']);
    // The delayed closing job is lost.
    await loseJobs();
    await reaches(tender.id, 'active.qualification');
    expect(await closingEvents(tender.id)).toBe(1);
  });

  it.each([
    ['its delayed job queued', false],
    ['Redis having lost its job', true],
  ])(
    'moves a tender from enquiries into tendering when the enquiry period ends, with %s, once',
    async (_, lost) => {
      const db = t.app.get(DataSource);
      const enquiryEnd = new Date(Date.now() + 2000).toISOString();
      const tender = await flows.publish(
        buyer,
        tenderBody(cityId, { enquiryPeriod: { endDate: enquiryEnd } }),
      );
      expect(tender.status).toBe('active.enquiries');
      const bidder = await factory.actor('supplier');
      const early = await request(t.http)
        .post(`/api/v1/tenders/${tender.id}/bids`)
        .set(auth(bidder))
        .send({ currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price: '91000.00' }] })
        .expect(409);
      expect(early.body).toMatchObject({
        code: 'TENDER_NOT_ACCEPTING_BIDS',
        details: { status: 'active.enquiries' },
      });
      // The publication queued the job for the end of the enquiry period (the sweep every second backs it up).
      const queue = t.app.get<Queue>(getQueueToken(QUEUES.tenderClosing), { strict: false });
      const job = await queue.getJob(`start-tendering.${tender.id}.${Date.parse(enquiryEnd)}`);
      expect(job?.data).toEqual({ tenderId: tender.id });
      if (lost) await loseJobs();
      await reaches(tender.id, 'active.tendering');
      // Later sweeps find nothing more to do: one event, with the submission period it opened.
      await new Promise((r) => setTimeout(r, 1500));
      const events = await db.query(
        `SELECT payload FROM deal_events WHERE tender_id = $1 AND type = 'tender.tendering'`,
        [tender.id],
      );
      expect(events).toEqual([
        {
          payload: {
            status: 'active.tendering',
            tenderPeriod: { startDate: enquiryEnd, endDate: tender.tenderPeriod.endDate },
          },
        },
      ]);
      await flows.bid(bidder, tender, ['91000.00']);
    },
  );

  it('moves past a tender that cannot move into tendering, by the sweep: it moves once it can', async () => {
    const db = t.app.get(DataSource);
    const body = () =>
      tenderBody(cityId, { enquiryPeriod: { endDate: new Date(Date.now() + 2000).toISOString() } });
    const stuck = await flows.publish(buyer, body());
    const other = await flows.publish(buyer, body());
    // The jobs are lost: the sweep moves both in one statement, which the stuck tender fails.
    await loseJobs();
    await whileStatusRefused(stuck.id, async () => {
      await reaches(other.id, 'active.tendering');
      expect(await statusOf(stuck.id)).toBe('active.enquiries');
    });
    await reaches(stuck.id, 'active.tendering');
    const [row] = await db.query(
      `SELECT count(*)::int AS n FROM deal_events WHERE type = 'tender.tendering' AND tender_id = ANY($1::uuid[])`,
      [[stuck.id, other.id]],
    );
    expect(row.n).toBe(2);
  });

  it.each([
    ['close-tender jobs', false],
    ['the sweep alone, Redis having lost the jobs', true],
  ])('closes past a tender that cannot be closed, by %s: it closes once it can', async (_, lost) => {
    const stuck = await flows.publish(buyer, tenderBody(cityId, {}, 2));
    const other = await flows.publish(buyer, tenderBody(cityId, {}, 2));
    await flows.bid(supplier, stuck, ['97000.00']);
    await flows.bid(supplier, other, ['96000.00']);
    if (lost) await loseJobs();
    // A trigger makes one tender's closing fail.
    await whileStatusRefused(stuck.id, async () => {
      await reaches(other.id, 'active.qualification');
      expect(await statusOf(stuck.id)).toBe('active.tendering');
    });
    await reaches(stuck.id, 'active.qualification');
    expect([await closingEvents(stuck.id), await closingEvents(other.id)]).toEqual([1, 1]);
  });

  it('holds the closing while a question is unanswered, and closes once it is answered', async () => {
    const tender = await flows.publish(buyer, tenderBody(cityId, {}, 2));
    const asker = await factory.actor('supplier');
    const question = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/questions`)
      .set('Authorization', `Bearer ${asker.accessToken}`)
      .send({ text: 'Is recycled paper acceptable?' })
      .expect(201);
    await new Promise((r) => setTimeout(r, 3500));
    expect(await statusOf(tender.id)).toBe('active.tendering');
    const view = (await request(t.http).get(`/api/v1/tenders/${tender.id}`)).body;
    expect(view.unansweredQuestions).toBe(1);
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/questions/${question.body.id}/answer`)
      .set('Authorization', `Bearer ${buyer.accessToken}`)
      .send({ answer: 'Yes, if it meets ISO 9706.' })
      .expect(200);
    await eventually(async () => ((await statusOf(tender.id)) === 'unsuccessful' ? true : undefined), 10_000);
  });

  it('opens the bids of a tender cancelled after its deadline, and keeps sealed those cancelled before it', async () => {
    const db = t.app.get(DataSource);
    const ask = (tender: any) =>
      request(t.http)
        .post(`/api/v1/tenders/${tender.id}/questions`)
        .set(auth(supplier))
        .send({ text: 'Is recycled paper acceptable?' })
        .expect(201);
    const cancel = (tender: any) =>
      request(t.http)
        .post(`/api/v1/tenders/${tender.id}/cancel`)
        .set(auth(buyer))
        .send({ reason: 'The need has gone away' })
        .expect(200);
    const events = async (id: string) =>
      db.query(`SELECT type, payload FROM deal_events WHERE tender_id = $1 ORDER BY id`, [id]);

    // Held past its deadline by an unanswered question, then cancelled: its bids arrived in time.
    const late = await flows.publish(buyer, tenderBody(cityId, {}, 2));
    const other = await factory.actor('supplier');
    const bids = [await flows.bid(supplier, late, ['1234.56']), await flows.bid(other, late, ['1200.00'])];
    await ask(late);
    const wait = new Date(late.tenderPeriod.endDate).getTime() - Date.now() + 200;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    expect(await statusOf(late.id)).toBe('active.tendering');
    await cancel(late);
    const opened = (await request(t.http).get(`/api/v1/tenders/${late.id}/bids`).expect(200)).body;
    expect(opened.sealed).toBe(false);
    expect(opened.items.map((b: any) => [b.bidId, b.status, b.lots[0].price]).sort()).toEqual(
      [
        [bids[0].id, 'opened', '1234.56'],
        [bids[1].id, 'opened', '1200.00'],
      ].sort(),
    );
    const logged = await events(late.id);
    const types = logged.map((e: any) => e.type);
    expect(types.slice(-3)).toEqual(['bid.opened', 'bid.opened', 'tender.cancelled']);
    for (const e of logged.filter((x: any) => x.type === 'bid.opened')) {
      expect(bidCommitment(e.payload.content, e.payload.salt)).toBe(e.payload.commitment);
    }
    expect(await statusOf(late.id)).toBe('cancelled');

    // The same when the last lot goes, and the tender with it.
    const lastLot = await flows.publish(buyer, tenderBody(cityId, {}, 2));
    await flows.bid(supplier, lastLot, ['1100.00']);
    await ask(lastLot);
    const waitLot = new Date(lastLot.tenderPeriod.endDate).getTime() - Date.now() + 200;
    if (waitLot > 0) await new Promise((r) => setTimeout(r, waitLot));
    await request(t.http)
      .post(`/api/v1/tenders/${lastLot.id}/lots/${lastLot.lots[0].id}/cancel`)
      .set(auth(buyer))
      .send({ reason: 'The need has gone away' })
      .expect(200);
    expect(await statusOf(lastLot.id)).toBe('cancelled');
    const lotBids = (await request(t.http).get(`/api/v1/tenders/${lastLot.id}/bids`).expect(200)).body;
    expect(lotBids.sealed).toBe(false);
    expect(lotBids.items.map((b: any) => b.status)).toEqual(['opened']);
    expect((await events(lastLot.id)).map((e: any) => e.type).slice(-3)).toEqual([
      'lot.cancelled',
      'bid.opened',
      'tender.cancelled',
    ]);

    // Cancelled before its deadline: nothing is opened, to anyone, ever.
    const early = await flows.publish(buyer, tenderBody(cityId, {}, 2));
    await flows.bid(supplier, early, ['1000.00']);
    await cancel(early);
    const wait2 = new Date(early.tenderPeriod.endDate).getTime() - Date.now() + 200;
    if (wait2 > 0) await new Promise((r) => setTimeout(r, wait2));
    expect((await request(t.http).get(`/api/v1/tenders/${early.id}/bids`).expect(200)).body).toEqual({
      sealed: true,
      items: [],
      nextCursor: null,
    });
    expect((await events(early.id)).map((e: any) => e.type)).not.toContain('bid.opened');
  });
});
