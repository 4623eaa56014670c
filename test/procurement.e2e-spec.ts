import request from 'supertest';
import { DataSource } from 'typeorm';
import { TenderClosingService } from '@app/domain';
import { Actor, ActorFactory } from './factories/actors';
import { auth, TenderFlows, tenderBody } from './factories/tenders';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';

describe('Procurement end to end', () => {
  let t: TestApp;
  let factory: ActorFactory;
  let flows: TenderFlows;
  let buyer: Actor;
  let moscowId: string;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    factory = new ActorFactory(t.app);
    flows = new TenderFlows(t.app);
    buyer = await factory.actor('buyer', { cityCode: 'moscow' });
    moscowId = (await factory.city('moscow')).id;
  });
  afterAll(() => t.app.close());

  it('runs a tender from draft to complete: publish, sealed bids, closing, award, stand-still, contract', async () => {
    const draft = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(buyer))
      .send(tenderBody(moscowId, {}, 3))
      .expect(201);
    expect(draft.body).toMatchObject({ status: 'draft', number: null });
    // A draft is invisible to the public.
    await request(t.http).get(`/api/v1/tenders/${draft.body.id}`).expect(404);

    const published = await request(t.http)
      .post(`/api/v1/tenders/${draft.body.id}/publish`)
      .set(auth(buyer))
      .expect(200);
    expect(published.body).toMatchObject({
      status: 'active.tendering',
      number: expect.stringMatching(/^MTP-\d{4}-\d{6}$/),
      ocid: expect.stringMatching(/^ocds-[a-z0-9]{6}-MTP-/),
    });
    const tender = published.body;

    const cheap = await factory.actor('supplier');
    const dear = await factory.actor('supplier', { cityCode: 'almaty' });
    const a = await flows.bid(cheap, tender, ['90000.00']);
    await flows.bid(dear, tender, ['95000.00']);
    expect(a.commitment).toMatch(/^[0-9a-f]{64}$/);

    const sealed = await request(t.http).get(`/api/v1/tenders/${tender.id}/bids`).expect(200);
    expect(sealed.body).toEqual({ sealed: true, items: [], nextCursor: null });

    await flows.closeAfterDeadline(tender);
    const closed = await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200);
    expect(closed.body.status).toBe('active.qualification');
    const opened = await request(t.http).get(`/api/v1/tenders/${tender.id}/bids`).expect(200);
    expect(opened.body.sealed).toBe(false);
    expect(opened.body.items.map((b: any) => [b.supplierId, b.lots[0].rank])).toEqual(
      expect.arrayContaining([
        [cheap.organization.id, 1],
        [dear.organization.id, 2],
      ]),
    );

    const awards = await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200);
    expect(awards.body.items).toHaveLength(1);
    expect(awards.body.items[0]).toMatchObject({
      status: 'pending',
      supplierId: cheap.organization.id,
      amount: '90000.00',
    });
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/awards/${awards.body.items[0].id}/accept`)
      .set(auth(buyer))
      .expect(204);
    const awarded = await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200);
    expect(awarded.body.status).toBe('active.awarded');

    const contracts = await request(t.http).get(`/api/v1/tenders/${tender.id}/contracts`).expect(200);
    expect(contracts.body.items).toHaveLength(1);
    const contractId = contracts.body.items[0].id as string;
    await new Promise((r) => setTimeout(r, 1100)); // the test stand-still is one second
    await request(t.http).post(`/api/v1/contracts/${contractId}/sign`).set(auth(buyer)).expect(204);
    await request(t.http).post(`/api/v1/contracts/${contractId}/confirm`).set(auth(cheap)).expect(204);
    const complete = await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200);
    expect(complete.body.status).toBe('complete');

    const feed = await request(t.http)
      .get('/api/v1/tenders/changes')
      .query({ tenderId: tender.id, limit: 200 })
      .expect(200);
    expect(feed.body.items.map((e: any) => e.type)).toEqual([
      'tender.published',
      'bid.submitted',
      'bid.submitted',
      'bid.opened',
      'bid.opened',
      'tender.closed',
      'award.pending',
      'award.accepted',
      'contract.created',
      'tender.awarded',
      'contract.signed',
      'contract.signed',
      'lot.completed',
      'tender.completed',
    ]);
    const lotCompleted = feed.body.items.find((e: any) => e.type === 'lot.completed');
    expect(lotCompleted.payload).toEqual({ lotId: tender.lots[0].id });
    // The stand-still's end is in the log, as the award shows it.
    const accepted = feed.body.items.find((e: any) => e.type === 'award.accepted');
    const [award] = (await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200)).body.items;
    expect(accepted.payload).toEqual({
      awardId: award.id,
      lotId: tender.lots[0].id,
      standstillEnd: award.standstillEnd,
    });
    expect(Date.parse(award.standstillEnd)).toBeGreaterThan(Date.parse(accepted.occurredAt));
  });

  it('keeps a draft’s lots and items in the order the buyer gave them, through a rewrite too', async () => {
    const base = tenderBody(moscowId) as any;
    const item = base.lots[0].items[0];
    const lot = (n: number, count: number) => ({
      title: `Lot ${n}`,
      estimate: '1000.00',
      items: Array.from({ length: count }, (_, i) => ({ ...item, description: `Item ${n}.${i + 1}` })),
    });
    const body = { ...base, lots: [lot(1, 12), lot(2, 3), lot(3, 9)] };
    const draft = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(body).expect(201);
    const order = (view: any) => view.lots.map((l: any) => [l.title, l.items.map((i: any) => i.description)]);
    const expected = body.lots.map((l: any) => [l.title, l.items.map((i: any) => i.description)]);
    expect(order(draft.body)).toEqual(expected);
    const reversed = {
      ...body,
      lots: [...body.lots].reverse().map((l: any) => ({ ...l, items: [...l.items].reverse() })),
    };
    const rewritten = await request(t.http)
      .put(`/api/v1/tenders/${draft.body.id}`)
      .set(auth(buyer))
      .send(reversed)
      .expect(200);
    expect(order(rewritten.body)).toEqual(
      reversed.lots.map((l: any) => [l.title, l.items.map((i: any) => i.description)]),
    );

    // "My tenders": newest first, a page at a time, for the organiser and for a joint buyer alike.
    const partner = await factory.actor('buyer', { cityCode: 'kazan' });
    const joint = await flows.publish(buyer, {
      ...tenderBody(moscowId),
      jointBuyerIds: [partner.organization.id],
      lots: [
        {
          ...(tenderBody(moscowId) as any).lots[0],
          shares: [
            { buyerId: buyer.organization.id, amount: '60000.00' },
            { buyerId: partner.organization.id, amount: '40000.00' },
          ],
          items: [
            {
              ...item,
              quantities: [
                { buyerId: buyer.organization.id, quantity: '120' },
                { buyerId: partner.organization.id, quantity: '80' },
              ],
            },
          ],
        },
      ],
    });
    const pages = async (actor: Actor) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await request(t.http)
          .get('/api/v1/tenders/mine')
          .query({ limit: 1, ...(cursor ? { cursor } : {}) })
          .set(auth(actor))
          .expect(200);
        ids.push(...res.body.items.map((x: any) => x.id));
        cursor = res.body.nextCursor ?? undefined;
      } while (cursor);
      return ids;
    };
    const mine = await pages(buyer);
    expect(mine.slice(0, 2)).toEqual([joint.id, draft.body.id]);
    expect(new Set(mine).size).toBe(mine.length);
    expect(await pages(partner)).toEqual([joint.id]);
    const [drift] = await t.app.get(DataSource).query(
      `SELECT count(*)::int AS n FROM tender_buyers tb JOIN tenders t ON t.id = tb.tender_id
          WHERE tb.created_at <> t.created_at`,
    );
    expect(drift.n).toBe(0);
  });

  it('pages "my tenders" without skipping one created in the same millisecond as a page\'s last one', async () => {
    const db = t.app.get(DataSource);
    const own = await factory.actor('buyer');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await request(t.http)
        .post('/api/v1/tenders')
        .set(auth(own))
        .send(tenderBody(moscowId))
        .expect(201);
      ids.push(res.body.id);
    }
    // Two drafts made by concurrent requests within one millisecond (created_at is now(), to the microsecond).
    const at = [
      '2030-01-01 00:00:00.100000+00',
      '2030-01-01 00:00:00.123400+00',
      '2030-01-01 00:00:00.123456+00',
    ];
    for (const [i, id] of ids.entries()) {
      await db.query(`UPDATE tenders SET created_at = $2 WHERE id = $1`, [id, at[i]]);
      await db.query(`UPDATE tender_buyers SET created_at = $2 WHERE tender_id = $1`, [id, at[i]]);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await request(t.http)
        .get('/api/v1/tenders/mine')
        .set(auth(own))
        .query({ limit: 1, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...page.body.items.map((x: any) => x.id));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([ids[2], ids[1], ids[0]]);
  });

  it('closes only the tenders asked for, or fills its transaction with other overdue ones, each once', async () => {
    const supplier = await factory.actor('supplier');
    const closing = t.app.get(TenderClosingService);
    // One overdue tender is held by an unanswered question: it is neither due nor closed by a fill.
    const held = await flows.publish(buyer, tenderBody(moscowId, {}, 2));
    await request(t.http)
      .post(`/api/v1/tenders/${held.id}/questions`)
      .set(auth(supplier))
      .send({ text: 'Is recycled paper acceptable?' })
      .expect(201);
    const tenders: any[] = [];
    for (let i = 0; i < 3; i++) {
      const tender = await flows.publish(buyer, tenderBody(moscowId, {}, 2));
      await flows.bid(supplier, tender, ['90000.00']);
      tenders.push(tender);
    }
    expect(await closing.anyDue()).toBe(false);
    const last = new Date(tenders[2].tenderPeriod.endDate).getTime();
    await new Promise((r) => setTimeout(r, last - Date.now() + 50));
    expect(await closing.anyDue()).toBe(true);
    // Overdue for more than a moment: not a closing under way for the log's sequencer to wait for.
    await new Promise((r) => setTimeout(r, 300));
    expect(await closing.anyDue(60)).toBe(true);
    expect(await closing.anyDue(0.1)).toBe(false);
    const [first, ...others] = tenders.map((x) => x.id as string);
    const db = t.app.get(DataSource);
    const statuses = async () =>
      (
        await db.query<{ id: string; status: string }[]>(
          'SELECT id, status FROM tenders WHERE id = ANY($1::uuid[]) ORDER BY id',
          [tenders.map((x) => x.id)],
        )
      ).map((r) => (r.id === first ? `first:${r.status}` : r.status));

    const alone = await closing.closeDue(200, [first!]);
    expect(alone.closed.map((c) => c.tenderId)).toEqual([first]);
    expect((await statuses()).sort()).toEqual(
      ['active.tendering', 'active.tendering', 'first:active.qualification'].sort(),
    );

    // Its own tender is closed already: the transaction takes the other overdue ones instead.
    const filled = await closing.closeDue(200, [first!], { fill: true });
    const filledIds = filled.closed.map((c) => c.tenderId);
    expect(filledIds).toEqual(expect.arrayContaining(others));
    expect(filledIds).not.toContain(first);
    expect(await closing.closeDue(200, [first!], { fill: true })).toEqual({ closed: [] });
    expect(await closing.anyDue()).toBe(false);
    expect((await request(t.http).get(`/api/v1/tenders/${held.id}`).expect(200)).body.status).toBe(
      'active.tendering',
    );

    const [events] = await db.query<{ n: string; tenders: string }[]>(
      `SELECT count(*) AS n, count(DISTINCT tender_id) AS tenders FROM deal_events
        WHERE type = 'tender.closed' AND tender_id = ANY($1::uuid[])`,
      [tenders.map((x) => x.id)],
    );
    expect(events).toEqual({ n: '3', tenders: '3' });
  });

  it('leaves a tender open when a question committed after the claim read its rows, and closes it once answered', async () => {
    const supplier = await factory.actor('supplier');
    const closing = t.app.get(TenderClosingService);
    const db = t.app.get(DataSource);
    const tender = await flows.publish(buyer, tenderBody(moscowId, {}, 2));
    await flows.bid(supplier, tender, ['90000.00']);
    await new Promise((r) =>
      setTimeout(r, new Date(tender.tenderPeriod.endDate).getTime() - Date.now() + 50),
    );
    // The race: a question asked at the deadline commits after the claim's snapshot was taken, once the claim
    // has the tender row; the claim itself cannot have seen it.
    const claim = (closing as any).claim.bind(closing);
    const spy = jest.spyOn(closing as any, 'claim').mockImplementationOnce(async (...args: unknown[]) => {
      const claimed = await claim(...args);
      await db.query(
        `INSERT INTO tender_questions (tender_id, asker_id, text, asked_at) VALUES ($1, $2, 'Late but in time?', now())`,
        [tender.id, supplier.organization.id],
      );
      return claimed;
    });
    try {
      expect(await closing.closeDue(200, [tender.id])).toEqual({ closed: [] });
    } finally {
      spy.mockRestore();
    }
    const view = (await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body;
    expect(view).toMatchObject({ status: 'active.tendering', unansweredQuestions: 1 });
    const [bid] = await db.query(`SELECT status FROM bids WHERE tender_id = $1`, [tender.id]);
    expect(bid.status).toBe('active');

    await db.query(`UPDATE tender_questions SET answer = 'Yes', answered_at = now() WHERE tender_id = $1`, [
      tender.id,
    ]);
    expect((await closing.closeDue(200, [tender.id])).closed.map((c) => c.tenderId)).toEqual([tender.id]);
  });

  it("pages a tender's bids, awards and contracts in a stable order, and refuses a forged cursor", async () => {
    const body = tenderBody(moscowId, {}, 3);
    const lots = ['A', 'B', 'C'].map((name) => ({ ...body.lots[0], title: `Paper ${name}` }));
    const tender = await flows.publish(buyer, tenderBody(moscowId, { lots }, 3));
    for (const price of ['90000.00', '91000.00', '92000.00']) {
      await flows.bid(await factory.actor('supplier'), tender, [price, price, price]);
    }
    await flows.closeAfterDeadline(tender);
    // A rejection hands lot A to the next bid: four awards; accepting the three pending ones makes a contract each.
    const first = (await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200)).body.items;
    await request(t.http)
      .post(
        `/api/v1/tenders/${tender.id}/awards/${first.find((a: any) => a.lotId === tender.lots[0].id).id}/reject`,
      )
      .set(auth(buyer))
      .send({ reason: 'Documents missing' })
      .expect(204);
    for (let i = 0; i < 3; i++) await flows.acceptAward(buyer, tender);

    for (const [list, size] of [
      ['bids', 3],
      ['awards', 4],
      ['contracts', 3],
    ] as const) {
      const path = `/api/v1/tenders/${tender.id}/${list}`;
      const whole = (await request(t.http).get(path).query({ limit: 200 }).expect(200)).body;
      expect(whole.items).toHaveLength(size);
      expect(whole.nextCursor).toBeNull();
      const paged: unknown[] = [];
      let cursor: string | undefined;
      do {
        const page = (
          await request(t.http)
            .get(path)
            .query({ limit: 1, ...(cursor ? { cursor } : {}) })
            .expect(200)
        ).body;
        expect(page.items.length).toBeLessThanOrEqual(1);
        paged.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && paged.length <= size);
      expect(paged).toEqual(whole.items);

      const forged = Buffer.from(JSON.stringify(['2027-02-30T00:00:00Z', 'x'])).toString('base64url');
      const refused = await request(t.http).get(path).query({ cursor: forged }).expect(400);
      expect(refused.body.code).toBe('INVALID_CURSOR');
    }
  });

  describe('cancelling the last undecided lot of a tender in qualification or awarded', () => {
    /** Two lots, one supplier bidding on both, closed: a pending award per lot. */
    const twoLotsClosed = async () => {
      const body = tenderBody(moscowId, {}, 3);
      const tender = await flows.publish(
        buyer,
        tenderBody(moscowId, { lots: [body.lots[0], { ...body.lots[0], title: 'Paper A3' }] }, 3),
      );
      const supplier = await factory.actor('supplier');
      await flows.bid(supplier, tender, ['90000.00', '80000.00']);
      await flows.closeAfterDeadline(tender);
      const [lotA, lotB] = tender.lots.map((l: any) => l.id as string);
      const awards = (await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200)).body
        .items;
      const accept = (lotId: string) =>
        request(t.http)
          .post(`/api/v1/tenders/${tender.id}/awards/${awards.find((a: any) => a.lotId === lotId).id}/accept`)
          .set(auth(buyer))
          .expect(204);
      /** Signs and confirms the contract of the lot, once the one-second test stand-still is over. */
      const contract = async (lotId: string) => {
        const all = (await request(t.http).get(`/api/v1/tenders/${tender.id}/contracts`).expect(200)).body
          .items;
        const id = all.find((c: any) => c.lotId === lotId).id;
        await new Promise((r) => setTimeout(r, 1100));
        await request(t.http).post(`/api/v1/contracts/${id}/sign`).set(auth(buyer)).expect(204);
        await request(t.http).post(`/api/v1/contracts/${id}/confirm`).set(auth(supplier)).expect(204);
      };
      const cancel = (lotId: string) =>
        request(t.http)
          .post(`/api/v1/tenders/${tender.id}/lots/${lotId}/cancel`)
          .set(auth(buyer))
          .send({ reason: 'Bought elsewhere' })
          .expect(200);
      return { tender, lotA, lotB, accept, contract, cancel };
    };
    const progress = async (tenderId: string) => {
      const view = (await request(t.http).get(`/api/v1/tenders/${tenderId}`).expect(200)).body;
      const events = await t.app.get(DataSource).query(
        `SELECT type FROM deal_events WHERE tender_id = $1 AND type IN ('tender.awarded', 'tender.completed')
            ORDER BY id`,
        [tenderId],
      );
      return { status: view.status, events: events.map((e: { type: string }) => e.type) };
    };

    it('moves a tender in qualification on to awarded, and the other lot’s contract completes it', async () => {
      const { tender, lotA, lotB, accept, contract, cancel } = await twoLotsClosed();
      await accept(lotA);
      expect((await progress(tender.id)).status).toBe('active.qualification');
      await cancel(lotB);
      expect(await progress(tender.id)).toEqual({ status: 'active.awarded', events: ['tender.awarded'] });
      await contract(lotA);
      expect(await progress(tender.id)).toEqual({
        status: 'complete',
        events: ['tender.awarded', 'tender.completed'],
      });
    });

    it('holds the contracts while another lot is in qualification: the buyer signs once the tender is awarded', async () => {
      const { tender, lotA, lotB, accept, contract } = await twoLotsClosed();
      await accept(lotA);
      const contracts = (await request(t.http).get(`/api/v1/tenders/${tender.id}/contracts`).expect(200)).body
        .items;
      const id = contracts.find((c: any) => c.lotId === lotA).id;
      await new Promise((r) => setTimeout(r, 1100)); // past the stand-still of lot A's award
      const early = await request(t.http).post(`/api/v1/contracts/${id}/sign`).set(auth(buyer)).expect(409);
      expect(early.body).toMatchObject({
        code: 'TENDER_STATE_CONFLICT',
        details: { status: 'active.qualification', required: 'active.awarded' },
      });
      const [held] = await t.app
        .get(DataSource)
        .query(`SELECT status, buyer_signed_at FROM contracts WHERE id = $1`, [id]);
      expect(held).toEqual({ status: 'pending', buyer_signed_at: null });
      await accept(lotB);
      await contract(lotA);
      expect(await progress(tender.id)).toEqual({ status: 'active.awarded', events: ['tender.awarded'] });
    });

    it('completes an awarded tender whose other lot has its contract', async () => {
      const { tender, lotA, lotB, accept, contract, cancel } = await twoLotsClosed();
      await accept(lotA);
      await accept(lotB);
      await contract(lotA);
      expect(await progress(tender.id)).toEqual({ status: 'active.awarded', events: ['tender.awarded'] });
      await cancel(lotB);
      expect(await progress(tender.id)).toEqual({
        status: 'complete',
        events: ['tender.awarded', 'tender.completed'],
      });
    });

    it('makes an awarded tender unsuccessful, not complete, when its awarded lot is cancelled and the other failed', async () => {
      const { tender, lotA, lotB, accept, cancel } = await twoLotsClosed();
      const awards = (await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200)).body
        .items;
      // Lot A's only bid is rejected: the lot is unsuccessful; lot B's award is accepted: the tender is awarded.
      await request(t.http)
        .post(`/api/v1/tenders/${tender.id}/awards/${awards.find((a: any) => a.lotId === lotA).id}/reject`)
        .set(auth(buyer))
        .send({ reason: 'Documents missing' })
        .expect(204);
      await accept(lotB);
      expect(await progress(tender.id)).toEqual({ status: 'active.awarded', events: ['tender.awarded'] });
      await cancel(lotB);
      expect(await progress(tender.id)).toEqual({ status: 'unsuccessful', events: ['tender.awarded'] });
      const [last] = await t.app
        .get(DataSource)
        .query(`SELECT type FROM deal_events WHERE tender_id = $1 ORDER BY id DESC LIMIT 1`, [tender.id]);
      expect(last.type).toBe('tender.unsuccessful');
    });
  });
});
