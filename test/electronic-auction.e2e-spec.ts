import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Actor, ActorFactory } from './factories/actors';
import { auth, TenderFlows, tenderBody } from './factories/tenders';
import { DealLogWriter, TenderClosingService } from '@app/domain';
import { RedFlagsService } from '@app/domain/analytics';
import { createTestApp, createTestWorker, TestApp } from './setup/app-factory';
import { eventually } from './setup/eventually';
import { OcdsValidator } from './setup/ocds-validator';
import { pauseNextCall } from './setup/paused-call';
import { resetState } from './setup/reset';
import { untilWaitingOnLock } from './setup/tender-held';

describe('Electronic auctions', () => {
  let t: TestApp;
  let db: DataSource;
  let factory: ActorFactory;
  let flows: TenderFlows;
  let buyer: Actor;
  let cityId: string;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    db = t.app.get(DataSource);
    factory = new ActorFactory(t.app);
    flows = new TenderFlows(t.app);
    buyer = await factory.actor('buyer', { cityCode: 'moscow' });
    cityId = (await factory.city('moscow')).id;
  });
  afterAll(() => t.app.close());

  /** An auction over one lot estimated at 100,000.00 with a step of 1% (1,000.00). */
  const auctionBody = (overrides: Record<string, unknown> = {}, seconds = 2) =>
    tenderBody(cityId, { method: 'auction', auctionStepPercent: '1', ...overrides }, seconds);
  const offer = (supplier: Actor, tender: any, price: string, lotId = tender.lots[0].id) =>
    request(t.http)
      .post(`/api/v1/tenders/${tender.id}/auction/bids`)
      .set(auth(supplier))
      .send({ lotId, price });
  const eventsOf = async (tenderId: string, type: string) =>
    (
      await db.query(`SELECT payload FROM deal_events WHERE tender_id = $1 AND type = $2 ORDER BY id`, [
        tenderId,
        type,
      ])
    ).map((r: { payload: any }) => r.payload);
  /** Ends the auction now, as the passing of its round would, and finishes it as the worker does. */
  const endAuction = async (tenderId: string) => {
    await db.query(`UPDATE tenders SET auction_end = clock_timestamp() WHERE id = $1`, [tenderId]);
    return (await t.app.get(TenderClosingService).finishAuctions(10, [tenderId])).closed;
  };
  /** A published auction with first bids at these prices, opened: its auction running. */
  const runningAuction = async (prices: string[]) => {
    const tender = await flows.publish(buyer, auctionBody());
    const suppliers: Actor[] = [];
    for (const price of prices) {
      const supplier = await factory.actor('supplier', { cityCode: 'kazan' });
      await flows.bid(supplier, tender, [price]);
      suppliers.push(supplier);
    }
    await flows.closeAfterDeadline(tender);
    return { tender, suppliers };
  };

  it('needs a step of 0.5% to 5%, and only an auction has one', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [auctionBody({ auctionStepPercent: undefined }), 'auctionStepPercent'],
      [auctionBody({ auctionStepPercent: '0.49' }), 'auctionStepPercent'],
      [auctionBody({ auctionStepPercent: '5.01' }), 'auctionStepPercent'],
      [tenderBody(cityId, { auctionStepPercent: '1' }), 'auctionStepPercent'],
    ];
    const before = await db.query(`SELECT count(*)::int AS n FROM tenders`);
    for (const [body, field] of cases) {
      const res = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(body);
      expect({ status: res.status, code: res.body.code, field: res.body.details?.field }).toEqual({
        status: 400,
        code: 'TENDER_INVALID',
        field,
      });
    }
    const malformed = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(buyer))
      .send(auctionBody({ auctionStepPercent: '1.005' }));
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('VALIDATION_FAILED');
    expect(await db.query(`SELECT count(*)::int AS n FROM tenders`)).toEqual(before);
  });

  it('starts the auction at the deadline with the bids still sealed: prices by participant number, no names', async () => {
    const { tender, suppliers } = await runningAuction(['97000.00', '95000.00', '99000.00']);
    const view = (await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body;
    expect(view.status).toBe('active.auction');
    expect(view.closedAt).toBeNull();
    expect(view.auction.stepPercent).toBe('1.00');
    expect(view.auction.auctionPeriod.startDate).toBe(view.tenderPeriod.endDate);
    expect(Date.parse(view.auction.auctionPeriod.endDate)).toBeGreaterThan(Date.now() + 500_000);
    const awards = (await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200)).body;
    expect(awards.items).toEqual([]);
    const [started] = await eventsOf(tender.id, 'auction.started');
    expect(started).toMatchObject({
      status: 'active.auction',
      stepPercent: '1.00',
      lots: [{ lotId: tender.lots[0].id, step: '1000.00', status: 'active', participants: 3 }],
    });
    // Nothing is opened yet: no bid.opened, no tender.closed, and the public bids are sealed.
    expect(await eventsOf(tender.id, 'bid.opened')).toEqual([]);
    expect(await eventsOf(tender.id, 'tender.closed')).toEqual([]);
    const bids = (await request(t.http).get(`/api/v1/tenders/${tender.id}/bids`).expect(200)).body;
    expect(bids).toMatchObject({ sealed: true, items: [] });

    const auction = (await request(t.http).get(`/api/v1/tenders/${tender.id}/auction`).expect(200)).body;
    expect(auction).toMatchObject({
      status: 'active.auction',
      stepPercent: '1.00',
      roundSeconds: 600,
      lots: [{ lotId: tender.lots[0].id, estimate: '100000.00', step: '1000.00' }],
    });
    const standings = auction.lots[0].standings;
    expect(standings.map((x: any) => [x.rank, x.price])).toEqual([
      [1, '95000.00'],
      [2, '97000.00'],
      [3, '99000.00'],
    ]);
    expect(standings.map((x: any) => x.participant).sort()).toEqual([1, 2, 3]);
    const names = JSON.stringify(auction);
    for (const supplier of suppliers) expect(names).not.toContain(supplier.organization.id);
    // The sealed phase is over: no new first bid.
    const late = await factory.actor('supplier', { cityCode: 'kazan' });
    const sealed = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/bids`)
      .set(auth(late))
      .send({ currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price: '90000.00' }] });
    expect(sealed.status).toBe(409);
  });

  it('takes lower prices by the step, moves the end, and awards the lowest last price', async () => {
    const { tender, suppliers } = await runningAuction(['97000.00', '95000.00', '99000.00']);
    const [a, b, c] = suppliers as [Actor, Actor, Actor];
    const before = (await request(t.http).get(`/api/v1/tenders/${tender.id}/auction`)).body.auctionPeriod
      .endDate;

    const short = await offer(a, tender, '94500.00');
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({
      code: 'AUCTION_STEP_TOO_SMALL',
      details: { step: '1000.00', lowestEvaluatedPrice: '95000.00', maximumPrice: '94000.00' },
    });
    const endInDb = async () =>
      (
        (await db.query(`SELECT auction_end FROM tenders WHERE id = $1`, [tender.id]))[0].auction_end as Date
      ).toISOString();
    const lead = await offer(a, tender, '94000');
    expect(lead.status).toBe(201);
    expect(lead.body).toMatchObject({ price: '94000.00', evaluatedPrice: '94000.00', leads: true });
    // A lead moves the end: the answer and the log say where to.
    expect(Date.parse(lead.body.auctionEnd)).toBeGreaterThan(Date.parse(before));
    expect(lead.body.auctionEnd).toBe(await endInDb());
    const [logged] = await eventsOf(tender.id, 'auction.bid');
    expect(logged).toEqual({
      lotId: tender.lots[0].id,
      participant: lead.body.participant,
      price: '94000.00',
      previousPrice: '97000.00',
      evaluatedPrice: '94000.00',
      leads: true,
      auctionEnd: lead.body.auctionEnd,
    });
    // Who bid is sealed with the bid: no actor, the supplier only in the sealed payload.
    const [row] = await db.query(
      `SELECT actor_id, sealed_payload FROM deal_events WHERE tender_id = $1 AND type = 'auction.bid'`,
      [tender.id],
    );
    expect(row).toEqual({
      actor_id: null,
      sealed_payload: { bidId: lead.body.bidId, supplierId: a.organization.id },
    });

    // The leader does not bid against itself.
    const again = await offer(a, tender, '90000.00');
    expect([again.status, again.body.code]).toEqual([409, 'AUCTION_ALREADY_LEADING']);
    const higher = await offer(c, tender, '99500.00');
    expect(higher.status).toBe(400);
    expect(higher.body).toMatchObject({ code: 'AUCTION_PRICE_NOT_LOWER', details: { ownPrice: '99000.00' } });
    // C improves its place without taking the lead: no step needed, and the end stays.
    const improved = await offer(c, tender, '96000.00');
    expect(improved.body).toMatchObject({ leads: false, auctionEnd: lead.body.auctionEnd });
    expect(await endInDb()).toBe(lead.body.auctionEnd);
    expect((await offer(c, tender, '0.00')).body.code).toBe('AUCTION_PRICE_INVALID');

    // The auction shows the live ranking, by participant number.
    const live = (await request(t.http).get(`/api/v1/tenders/${tender.id}/auction`)).body.lots[0].standings;
    expect(live.map((x: any) => [x.participant, x.price, x.rank])).toEqual([
      [lead.body.participant, '94000.00', 1],
      [expect.any(Number), '95000.00', 2],
      [improved.body.participant, '96000.00', 3],
    ]);

    await db.query(`UPDATE tenders SET auction_end = clock_timestamp() WHERE id = $1`, [tender.id]);
    const ended = await offer(b, tender, '90000.00');
    expect(ended.status).toBe(409);
    expect(ended.body.code).toBe('AUCTION_ENDED');

    expect(await endAuction(tender.id)).toEqual([{ tenderId: tender.id, status: 'active.qualification' }]);
    expect(await endAuction(tender.id)).toEqual([]); // exactly once
    // Opened at the end: every commitment (of the first bids) revealed, then ranked on the last prices.
    const opened = await eventsOf(tender.id, 'bid.opened');
    expect(opened.map((o: any) => o.content.lots[0].price).sort()).toEqual([
      '95000.00',
      '97000.00',
      '99000.00',
    ]);
    const [result] = await eventsOf(tender.id, 'tender.closed');
    expect(result.rule).toContain('electronic auction');
    expect(result.lots[0].ranking.map((r: any) => [r.supplierId, r.price, r.rank])).toEqual([
      [a.organization.id, '94000.00', 1],
      [b.organization.id, '95000.00', 2],
      [c.organization.id, '96000.00', 3],
    ]);
    const contracts = await flows.acceptAward(buyer, tender);
    expect(contracts.map((x) => x.value?.amount ?? x.amount)).toEqual(['94000.00']);
    const bids = (await request(t.http).get(`/api/v1/tenders/${tender.id}/bids`).expect(200)).body.items;
    const standing = (s: Actor) => bids.find((x: any) => x.supplierId === s.organization.id).lots[0];
    expect([standing(a), standing(b), standing(c)].map((l) => [l.price, l.rank])).toEqual([
      ['94000.00', 1],
      ['95000.00', 2],
      ['96000.00', 3],
    ]);
    expect((await offer(b, tender, '80000.00')).body.code).toBe('AUCTION_NOT_RUNNING');

    const pkg = (await request(t.http).get(`/api/v1/ocds/releases/${tender.ocid}`).expect(200)).body;
    const validator = new OcdsValidator();
    expect(validator.errors(validator.releasePackage, pkg)).toEqual([]);
    const last = pkg.releases[pkg.releases.length - 1];
    expect(last.tender).toMatchObject({
      procurementMethod: 'open',
      procurementMethodDetails: 'Electronic auction',
      submissionMethod: ['electronicAuction'],
      awardCriteriaDetails:
        'Lowest price, of the last prices of the electronic auction, wins each lot; ties go to the price offered first.',
    });
    // Each bid's value is its last price.
    const values = last.bids.details.map((d: any) => d.value.amount).sort();
    expect(values).toEqual([94000, 95000, 96000]);
  });

  it('ranks a tie of last prices to the price offered first, not to the bid placed first', async () => {
    // C bids before B, then matches B's price in the auction: B offered it first.
    const { tender, suppliers } = await runningAuction(['95000.00', '98000.00', '97000.00']);
    const [a, c, b] = suppliers as [Actor, Actor, Actor];
    expect((await offer(c, tender, '97000.00')).body).toMatchObject({ leads: false });
    await endAuction(tender.id);
    const [closed] = await eventsOf(tender.id, 'tender.closed');
    expect(closed.lots[0].ranking.map((r: any) => [r.supplierId, r.price])).toEqual([
      [a.organization.id, '95000.00'],
      [b.organization.id, '97000.00'],
      [c.organization.id, '97000.00'],
    ]);
  });

  it('lets only the lot participants bid, and names what is wrong', async () => {
    const { tender, suppliers } = await runningAuction(['97000.00', '95000.00']);
    const outsider = await factory.actor('supplier', { cityCode: 'kazan' });
    expect((await offer(outsider, tender, '90000.00')).body.code).toBe('AUCTION_NOT_PARTICIPANT');
    expect((await offer(outsider, tender, '90000.00')).status).toBe(403);
    expect((await offer(buyer, tender, '90000.00')).status).toBe(403);
    const unknownLot = await offer(suppliers[0]!, tender, '90000.00', '3fa85f64-5717-4562-b3fc-2c963f66afa6');
    expect([unknownLot.status, unknownLot.body.code]).toEqual([404, 'LOT_NOT_FOUND']);
    const open = await flows.publish(buyer, tenderBody(cityId));
    const notAuction = await offer(suppliers[0]!, open, '90000.00');
    expect([notAuction.status, notAuction.body.code]).toEqual([409, 'AUCTION_NOT_RUNNING']);
    const noView = await request(t.http).get(`/api/v1/tenders/${open.id}/auction`);
    expect([noView.status, noView.body.code]).toEqual([404, 'AUCTION_NOT_FOUND']);
    expect(await eventsOf(tender.id, 'auction.bid')).toEqual([]);
  });

  it('takes the prices of an auction one at a time: of two equal leads, the second is short of the step', async () => {
    const { tender, suppliers } = await runningAuction(['97000.00', '98000.00', '99000.00']);
    const [, b, c] = suppliers as [Actor, Actor, Actor];
    // B's price is held inside its transaction (about to log it) while C sends the same price.
    const paused = pauseNextCall(t.app.get(DealLogWriter), 'append');
    let answers: request.Response[] = [];
    try {
      const first = offer(b, tender, '96000.00').then((r) => r);
      await paused.reached;
      const second = offer(c, tender, '96000.00').then((r) => r);
      await untilWaitingOnLock(db, 'auction');
      paused.resume();
      answers = await Promise.all([first, second]);
      expect(answers.map((r) => [r.status, r.body.code])).toEqual([
        [201, undefined],
        [400, 'AUCTION_STEP_TOO_SMALL'],
      ]);
    } finally {
      paused.resume();
      paused.restore();
    }
    const won = answers.find((r) => r.status === 201)!.body;
    expect(won.bidId).toBe(
      (
        await db.query(`SELECT id FROM bids WHERE tender_id = $1 AND supplier_id = $2`, [
          tender.id,
          b.organization.id,
        ])
      )[0].id,
    );
    expect((await eventsOf(tender.id, 'auction.bid')).map((p: any) => p.participant)).toEqual([
      won.participant,
    ]);
  });

  it('keeps a supplier suspended during the auction in the public standings, and drops its bid at the end', async () => {
    const operator = await factory.actor('operator');
    const suspend = (s: Actor, status: 'suspended' | 'active') =>
      request(t.http)
        .patch(`/api/v1/admin/organizations/${s.organization.id}/status`)
        .set(auth(operator))
        .send({ status, reason: 'Проверка документов поставщика' })
        .expect(200);
    const standingsOf = async (tenderId: string) =>
      (await request(t.http).get(`/api/v1/tenders/${tenderId}/auction`)).body.lots[0].standings;
    const { tender, suppliers } = await runningAuction(['97000.00', '95000.00', '99000.00']);
    const [a, b, c] = suppliers as [Actor, Actor, Actor];
    const before = await standingsOf(tender.id);
    await suspend(b, 'suspended');
    // Nothing public changes with the suspension: a number leaving the standings would name its supplier.
    expect(await standingsOf(tender.id)).toEqual(before);
    // Its sessions end with the suspension.
    expect((await offer(b, tender, '90000.00')).status).toBe(401);
    expect((await offer(c, tender, '94000.00')).body).toMatchObject({ leads: true });
    await endAuction(tender.id);
    const [award] = (await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200)).body.items;
    expect(award).toMatchObject({ supplierId: c.organization.id, amount: '94000.00' });
    const [closed] = await eventsOf(tender.id, 'tender.closed');
    expect(closed.lots[0].ranking.map((r: any) => r.supplierId)).toEqual([
      c.organization.id,
      a.organization.id,
    ]);
    const dropped = (await eventsOf(tender.id, 'bid.opened')).find(
      (o: any) => o.supplierId === b.organization.id,
    );
    expect(dropped).toMatchObject({ status: 'dropped', reason: 'the supplier is suspended' });
    await suspend(b, 'active');

    // Suspended at the deadline, a supplier is left out of the auction even if reinstated during it.
    const tender2 = await flows.publish(buyer, auctionBody());
    const [x, y, z] = [0, 1, 2].map(() => factory.actor('supplier', { cityCode: 'kazan' }));
    const [sx, sy, sz] = [await x!, await y!, await z!];
    await flows.bid(sx, tender2, ['97000.00']);
    await flows.bid(sy, tender2, ['95000.00']);
    await flows.bid(sz, tender2, ['90000.00']);
    await suspend(sz, 'suspended');
    await flows.closeAfterDeadline(tender2);
    await suspend(sz, 'active');
    expect((await standingsOf(tender2.id)).map((r: any) => r.price)).toEqual(['95000.00', '97000.00']);
    const back = { ...sz, ...(await factory.login(sz.email, sz.password)) };
    expect((await offer(back, tender2, '85000.00')).body.code).toBe('AUCTION_NOT_PARTICIPANT');
    await endAuction(tender2.id);
    const [award2] = (await request(t.http).get(`/api/v1/tenders/${tender2.id}/awards`).expect(200)).body
      .items;
    expect(award2.supplierId).toBe(sy.organization.id);
    const left = (await eventsOf(tender2.id, 'bid.opened')).find(
      (o: any) => o.supplierId === sz.organization.id,
    );
    expect(left).toMatchObject({
      status: 'dropped',
      reason: 'left out of the auction: its supplier was suspended at the deadline',
    });

    // A lot whose participants are all suspended by the end is unsuccessful.
    const lonely = await runningAuction(['97000.00', '95000.00']);
    for (const s of lonely.suppliers) await suspend(s, 'suspended');
    expect(await endAuction(lonely.tender.id)).toEqual([
      { tenderId: lonely.tender.id, status: 'unsuccessful' },
    ]);
    const view = (await request(t.http).get(`/api/v1/tenders/${lonely.tender.id}`).expect(200)).body;
    expect(view.lots[0]).toMatchObject({ status: 'unsuccessful', statusReason: 'too few bids' });
  });

  it('refuses a price whose transaction runs past the end it was offered under', async () => {
    const { tender, suppliers } = await runningAuction(['97000.00', '95000.00']);
    await db.query(`UPDATE tenders SET auction_end = clock_timestamp() + interval '1 second' WHERE id = $1`, [
      tender.id,
    ]);
    const paused = pauseNextCall(t.app.get(DealLogWriter), 'append');
    let late: request.Response;
    try {
      const pending = offer(suppliers[0]!, tender, '94000.00').then((r) => r);
      await paused.reached;
      await new Promise((r) => setTimeout(r, 1500));
      paused.resume();
      late = await pending;
    } finally {
      paused.resume();
      paused.restore();
    }
    expect([late.status, late.body.code]).toEqual([409, 'AUCTION_ENDED']);
    expect(await eventsOf(tender.id, 'auction.bid')).toEqual([]);
    expect(await endAuction(tender.id)).toEqual([{ tenderId: tender.id, status: 'active.qualification' }]);
    const [award] = (await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200)).body.items;
    expect(award).toMatchObject({ supplierId: suppliers[1]!.organization.id, amount: '95000.00' });
  });

  it('opens the bids of an auction cancelled while it runs, as of a tender cancelled after its deadline', async () => {
    const { tender } = await runningAuction(['97000.00', '95000.00']);
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/cancel`)
      .set(auth(buyer))
      .send({ reason: 'Потребность отпала' })
      .expect(200);
    expect((await eventsOf(tender.id, 'bid.opened')).length).toBe(2);
    const bids = (await request(t.http).get(`/api/v1/tenders/${tender.id}/bids`).expect(200)).body;
    expect(bids.sealed).toBe(false);
    expect(await endAuction(tender.id)).toEqual([]);
  });

  it('raises AUCTION_WITHOUT_BIDDING on a lot whose participants lowered no price, once the auction ends', async () => {
    const flagsOf = async (tenderId: string) => {
      await t.app.get(RedFlagsService).recompute(tenderId);
      return (
        await db.query<{ code: string; figures: any }[]>(
          `SELECT code, figures FROM red_flags WHERE tender_id = $1 ORDER BY code`,
          [tenderId],
        )
      ).filter((f) => f.code === 'AUCTION_WITHOUT_BIDDING');
    };
    const passive = await runningAuction(['97000.00', '95000.00']);
    expect(await flagsOf(passive.tender.id)).toEqual([]); // still running
    await endAuction(passive.tender.id);
    expect(await flagsOf(passive.tender.id)).toEqual([
      {
        code: 'AUCTION_WITHOUT_BIDDING',
        figures: { participants: 2, auctionPrices: 0, winningAmount: '95000.00', estimate: '100000.00' },
      },
    ]);
    const active = await runningAuction(['97000.00', '95000.00']);
    expect((await offer(active.suppliers[0]!, active.tender, '94000.00')).status).toBe(201);
    await endAuction(active.tender.id);
    expect(await flagsOf(active.tender.id)).toEqual([]);
  });

  it('makes a tender without enough first bids unsuccessful at the deadline, with no auction', async () => {
    const tender = await flows.publish(buyer, auctionBody({ minBids: 2 }));
    await flows.bid(await factory.actor('supplier', { cityCode: 'kazan' }), tender, ['90000.00']);
    await flows.closeAfterDeadline(tender);
    const view = (await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body;
    expect(view.status).toBe('unsuccessful');
    expect(view.auction.auctionPeriod).toBeNull();
    expect(await eventsOf(tender.id, 'auction.started')).toEqual([]);
    expect((await eventsOf(tender.id, 'bid.opened')).length).toBe(1);
  });

  describe('with the worker', () => {
    let worker: INestApplicationContext;
    let fast: TestApp;

    beforeAll(async () => {
      fast = await createTestApp({ AUCTION_ROUND_SECONDS: '2' });
      worker = await createTestWorker({ AUCTION_ROUND_SECONDS: '2' });
    });
    afterAll(async () => {
      await worker.close();
      await fast.app.close();
    });

    it('opens at the deadline and finishes the auction at its end, by itself', async () => {
      const tender = await new TenderFlows(fast.app).publish(buyer, auctionBody());
      const a = await factory.actor('supplier', { cityCode: 'kazan' });
      const b = await factory.actor('supplier', { cityCode: 'kazan' });
      await flows.bid(a, tender, ['97000.00']);
      await flows.bid(b, tender, ['95000.00']);
      const status = async () =>
        (await db.query(`SELECT status FROM tenders WHERE id = $1`, [tender.id]))[0].status as string;
      await eventually(async () => ((await status()) === 'active.auction' ? true : undefined), 15_000);
      const price = await request(fast.http)
        .post(`/api/v1/tenders/${tender.id}/auction/bids`)
        .set(auth(a))
        .send({ lotId: tender.lots[0].id, price: '94000.00' });
      // The round is short: a price may just miss it, and then the auction ends with the first bids.
      expect([201, 409]).toContain(price.status);
      await eventually(async () => ((await status()) === 'active.qualification' ? true : undefined), 15_000);
      const [award] = (await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200)).body
        .items;
      expect(award.supplierId).toBe(price.status === 201 ? a.organization.id : b.organization.id);
      expect((await eventsOf(tender.id, 'tender.closed')).length).toBe(1);
    });
  });
});
