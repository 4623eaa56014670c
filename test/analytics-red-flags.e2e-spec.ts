import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { jobId, JOBS, QUEUES } from '@app/domain';
import { RedFlagsService } from '@app/domain/analytics';
import { Actor, ActorFactory } from './factories/actors';
import { auth, TenderFlows, tenderBody } from './factories/tenders';
import { createTestApp, createTestWorker, TestApp } from './setup/app-factory';
import { eventually } from './setup/eventually';
import { resetState } from './setup/reset';

describe('RedFlags', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let factory: ActorFactory;
  let flows: TenderFlows;
  let buyer: Actor;
  let auditor: Actor;
  let cityId: string;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    worker = await createTestWorker({ ANALYTICS_SWEEP_SECONDS: '1' });
    factory = new ActorFactory(t.app);
    flows = new TenderFlows(t.app);
    buyer = await factory.actor('buyer', { cityCode: 'moscow' });
    auditor = await factory.actor('auditor');
    cityId = (await factory.city('moscow')).id;
  });
  afterAll(async () => {
    await worker?.close();
    await t.app.close();
  });

  /** The flag codes of a tender once the worker has computed at least `expected` of them. */
  const codesOf = (tenderId: string, expected: string[]) =>
    eventually(async () => {
      const res = await request(t.http).get(`/api/v1/tenders/${tenderId}/red-flags`).expect(200);
      const codes = (res.body.items as { code: string }[]).map((f) => f.code).sort();
      return expected.every((c) => codes.includes(c)) ? { codes, items: res.body.items } : undefined;
    }, 15_000);

  it('drops SPLIT_DIRECT_PURCHASES from a later direct purchase, and never raises it on one, once one it counted is cancelled', async () => {
    const own = await factory.actor('buyer', { cityCode: 'moscow' });
    const supplier = await factory.actor('supplier');
    const report = async () => {
      const body = tenderBody(cityId, { method: 'direct' }) as any;
      delete body.tenderPeriod;
      body.directAward = {
        supplierId: supplier.organization.id,
        reason: 'small_purchase',
        rationale: 'Малая закупка канцелярских товаров у местного поставщика',
      };
      return flows.publish(own, body);
    };
    const [first, , third, fourth] = [await report(), await report(), await report(), await report()];
    await codesOf(third.id, ['SPLIT_DIRECT_PURCHASES']);
    await codesOf(fourth.id, ['SPLIT_DIRECT_PURCHASES']);
    await request(t.http)
      .post(`/api/v1/tenders/${first.id}/cancel`)
      .set(auth(own))
      .send({ reason: 'Reported twice by mistake' })
      .expect(200);
    // The worker recomputes the later purchases although nothing of their own changed: the third now makes two.
    await eventually(async () => {
      const res = await request(t.http).get(`/api/v1/tenders/${third.id}/red-flags`).expect(200);
      return res.body.items.length === 0 ? true : undefined;
    }, 15_000);
    // The fourth is recomputed by a job of its own, which may run after the third's: wait for it too.
    const still = await eventually(async () => {
      const res = await request(t.http).get(`/api/v1/tenders/${fourth.id}/red-flags`).expect(200);
      const items = res.body.items as { figures: { purchases?: number } }[];
      return items.some((f) => f.figures.purchases === 4) ? undefined : items;
    }, 15_000);
    expect(still).toEqual([
      expect.objectContaining({
        code: 'SPLIT_DIRECT_PURCHASES',
        figures: expect.objectContaining({ purchases: 3 }),
      }),
    ]);
    // Cancelled itself, the fourth raises nothing, though two others remain before it.
    await request(t.http)
      .post(`/api/v1/tenders/${fourth.id}/cancel`)
      .set(auth(own))
      .send({ reason: 'Not needed' })
      .expect(200);
    expect(await t.app.get(RedFlagsService).recompute(fourth.id)).toBe(0);
  });

  it('flags a single bid near the estimate after closing, with the figures behind each flag', async () => {
    const tender = await flows.publish(buyer, tenderBody(cityId, {}, 2));
    const supplier = await factory.actor('supplier');
    await flows.bid(supplier, tender, ['99500.00']);
    await flows.closeAfterDeadline(tender);
    const { codes, items } = await codesOf(tender.id, ['SINGLE_BID', 'PRICE_NEAR_ESTIMATE']);
    // The test environment allows a 1-second submission period, far below the 7 working days of an open tender.
    expect(codes).toEqual(['PRICE_NEAR_ESTIMATE', 'SHORT_SUBMISSION_PERIOD', 'SINGLE_BID']);
    const near = items.find((f: any) => f.code === 'PRICE_NEAR_ESTIMATE');
    expect(near).toMatchObject({
      tenderId: tender.id,
      lotId: tender.lots[0].id,
      buyerId: buyer.organization.id,
      supplierId: supplier.organization.id,
      cityId,
      figures: { amount: '99500.00', estimate: '100000.00', difference: '500.00' },
    });
    expect(items.find((f: any) => f.code === 'SHORT_SUBMISSION_PERIOD').figures).toMatchObject({
      minimumWorkingDays: 7,
    });
  });

  it('raises no flag on a cancelled lot, counts the period from when bids opened, and keeps an unchanged flag’s time', async () => {
    const body = tenderBody(cityId, {}, 2);
    const lots = [body.lots[0], { ...body.lots[0], title: 'Paper A3' }];
    // A buyer of its own: a later test counts the flags of the suite's buyer.
    const organiser = await factory.actor('buyer', { cityCode: 'moscow' });
    const tender = await flows.publish(organiser, tenderBody(cityId, { lots }, 2));
    await flows.bid(await factory.actor('supplier'), tender, ['60000.00', '70000.00']);
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/lots/${tender.lots[1].id}/cancel`)
      .set(auth(organiser))
      .send({ reason: 'Bought elsewhere' })
      .expect(200);
    await flows.closeAfterDeadline(tender);
    // Published 30 days before the deadline, but taking bids for its last day only (a long enquiry period).
    const db = t.app.get(DataSource);
    await db.query(
      `UPDATE tenders SET published_at = tender_end - interval '30 days', enquiry_end = tender_end - interval '1 day'
        WHERE id = $1`,
      [tender.id],
    );
    const redFlags = t.app.get(RedFlagsService);
    await eventually(async () => (await redFlags.recompute(tender.id)) ?? undefined, 15_000);
    const flags = async () =>
      db.query<{ code: string; lot_id: string | null; figures: any; computed_at: Date }[]>(
        `SELECT code, lot_id, figures, computed_at FROM red_flags WHERE tender_id = $1 ORDER BY code`,
        [tender.id],
      );
    const first = await flags();
    expect(first.map((f) => [f.code, f.lot_id])).toEqual([
      ['SHORT_SUBMISSION_PERIOD', null],
      ['SINGLE_BID', tender.lots[0].id],
    ]);
    expect(first[0]!.figures.workingDays).toBeLessThanOrEqual(1);
    // Recomputed with nothing changed (a later event of the deal): the flags keep their time.
    await redFlags.recompute(tender.id);
    expect(await flags()).toEqual(first);
  });

  it('follows the deal log from its watermark, and asks again for a recomputation that Redis lost', async () => {
    const db = t.app.get(DataSource);
    const otherBuyer = await factory.actor('buyer', { cityCode: 'moscow' });
    const tender = await flows.publish(otherBuyer, tenderBody(cityId, {}, 2));
    await flows.bid(await factory.actor('supplier'), tender, ['50000.00']);
    await flows.closeAfterDeadline(tender);
    await codesOf(tender.id, ['SINGLE_BID']);
    const runOf = async () =>
      (
        await db.query(
          `SELECT r.wanted_idx::int AS wanted, r.done_idx::int AS done,
                  (SELECT max(idx)::int FROM log_entries e WHERE e.tender_id = r.tender_id) AS logged,
                  (SELECT position::int FROM analytics_cursors WHERE name = 'red-flags') AS cursor
             FROM red_flag_runs r WHERE r.tender_id = $1`,
          [tender.id],
        )
      )[0] as { wanted: number; done: number; logged: number; cursor: number };
    const run = await eventually(async () => {
      const r = await runOf();
      return r.wanted === r.logged && r.done >= r.wanted ? r : undefined;
    }, 15_000);
    expect(run.cursor).toBeGreaterThan(run.logged);

    // The recomputation is undone and its finished job forgotten, as if Redis had lost it before it ran.
    await db.query(`DELETE FROM red_flags WHERE tender_id = $1`, [tender.id]);
    await db.query(`UPDATE red_flag_runs SET done_idx = -1 WHERE tender_id = $1`, [tender.id]);
    const queue = worker.get<Queue>(getQueueToken(QUEUES.redFlags), { strict: false });
    await queue.remove(jobId(JOBS.computeRedFlags, tender.id, run.wanted));
    await codesOf(tender.id, ['SINGLE_BID']);
    expect((await runOf()).done).toBeGreaterThanOrEqual(run.wanted);
  });

  it('asks again for a recomputation whose job used up its attempts', async () => {
    const db = t.app.get(DataSource);
    const tender = await flows.publish(
      await factory.actor('buyer', { cityCode: 'moscow' }),
      tenderBody(cityId, {}, 2),
    );
    await flows.bid(await factory.actor('supplier'), tender, ['50000.00']);
    await flows.closeAfterDeadline(tender);
    await codesOf(tender.id, ['SINGLE_BID']);
    const [run] = await db.query(`SELECT wanted_idx::int AS wanted FROM red_flag_runs WHERE tender_id = $1`, [
      tender.id,
    ]);
    await db.query(`DELETE FROM red_flags WHERE tender_id = $1`, [tender.id]);
    await db.query(`UPDATE red_flag_runs SET done_idx = -1 WHERE tender_id = $1`, [tender.id]);
    // Its job, under the id the sweep uses, fails for good (as one would with the database down through every retry).
    const queue = worker.get<Queue>(getQueueToken(QUEUES.redFlags), { strict: false });
    const id = jobId(JOBS.computeRedFlags, tender.id, run.wanted);
    await queue.remove(id);
    await queue.add(
      JOBS.computeRedFlags,
      { tenderId: 'not-a-tender' },
      { jobId: id, attempts: 1, removeOnFail: false },
    );
    await eventually(async () => ((await queue.getJobState(id)) === 'failed' ? true : undefined), 10_000);
    await codesOf(tender.id, ['SINGLE_BID']);
  });

  it('recomputes on award decisions: identical prices, the lowest bid and all but the winner disqualified', async () => {
    const tender = await flows.publish(buyer, tenderBody(cityId, {}, 2));
    const first = await factory.actor('supplier');
    const second = await factory.actor('supplier');
    const third = await factory.actor('supplier');
    await flows.bid(first, tender, ['50000.00']);
    await flows.bid(second, tender, ['50000.00']);
    await flows.bid(third, tender, ['60000.00']);
    await flows.closeAfterDeadline(tender);
    await codesOf(tender.id, ['IDENTICAL_PRICES']);
    const reject = async () => {
      const awards = await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200);
      const pending = awards.body.items.find((a: any) => a.status === 'pending');
      await request(t.http)
        .post(`/api/v1/tenders/${tender.id}/awards/${pending.id}/reject`)
        .set(auth(buyer))
        .send({ reason: 'Certificates missing' })
        .expect(204);
    };
    await reject();
    await reject();
    const { codes, items } = await codesOf(tender.id, [
      'ALL_BUT_WINNER_DISQUALIFIED',
      'LOWEST_BID_DISQUALIFIED',
    ]);
    expect(codes).toEqual([
      'ALL_BUT_WINNER_DISQUALIFIED',
      'IDENTICAL_PRICES',
      'LOWEST_BID_DISQUALIFIED',
      'SHORT_SUBMISSION_PERIOD',
    ]);
    expect(items.find((f: any) => f.code === 'IDENTICAL_PRICES').figures).toEqual({
      groups: [{ price: '50000.00', supplierIds: [first.organization.id, second.organization.id].sort() }],
    });
    expect(items.find((f: any) => f.code === 'ALL_BUT_WINNER_DISQUALIFIED')).toMatchObject({
      supplierId: third.organization.id,
      figures: { bids: 3, disqualified: 2, winningAmount: '60000.00' },
    });

    // Recomputing again changes nothing: flags are unique per code and subject.
    const service = t.app.get(RedFlagsService);
    expect(await service.recompute(tender.id)).toBe(4);
    expect(await service.recompute(tender.id)).toBe(4);
    const again = await request(t.http).get(`/api/v1/tenders/${tender.id}/red-flags`).expect(200);
    expect(again.body.items).toHaveLength(4);
  });

  it('lists flags to auditors by code and buyer, a page at a time', async () => {
    const list = (query: Record<string, string | number>) =>
      request(t.http).get('/api/v1/red-flags').set(auth(auditor)).query(query).expect(200);
    const all = await list({ code: 'SHORT_SUBMISSION_PERIOD', buyerId: buyer.organization.id, cityId });
    expect(all.body.items).toHaveLength(2);
    expect(all.body.items.every((f: any) => f.code === 'SHORT_SUBMISSION_PERIOD')).toBe(true);

    const first = await list({ buyerId: buyer.organization.id, limit: 3 });
    const second = await list({ buyerId: buyer.organization.id, limit: 3, cursor: first.body.nextCursor });
    const third = await list({ buyerId: buyer.organization.id, limit: 3, cursor: second.body.nextCursor });
    const ids = [...first.body.items, ...second.body.items, ...third.body.items].map((f: any) => f.id);
    expect(new Set(ids).size).toBe(7);
    expect(third.body.nextCursor).toBeNull();

    const future = await list({ from: new Date(Date.now() + 3_600_000).toISOString() });
    expect(future.body.items).toEqual([]);
  });

  it('keeps the list from suppliers and refuses unknown codes', async () => {
    const supplier = await factory.actor('supplier');
    await request(t.http).get('/api/v1/red-flags').set(auth(supplier)).expect(403);
    await request(t.http).get('/api/v1/red-flags').expect(401);
    const bad = await request(t.http)
      .get('/api/v1/red-flags')
      .set(auth(auditor))
      .query({ code: 'NOPE' })
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('answers 404 for the flags of an unknown tender', async () => {
    const res = await request(t.http)
      .get('/api/v1/tenders/00000000-0000-4000-8000-000000000000/red-flags')
      .expect(404);
    expect(res.body.code).toBe('TENDER_NOT_FOUND');
  });
});
