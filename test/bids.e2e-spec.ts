import request from 'supertest';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import {
  BID_PLACE_STATE,
  BID_PLACE_WRITE,
  bidCommitment,
  BidPlaceWritten,
  bidPlaceWriteValues,
  sealBid,
} from '@app/domain';
import { Actor, ActorFactory } from './factories/actors';
import { auth, TenderFlows, tenderBody } from './factories/tenders';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';
import { whileTenderHeld } from './setup/tender-held';

describe('BidsController', () => {
  let t: TestApp;
  let factory: ActorFactory;
  let flows: TenderFlows;
  let buyer: Actor;
  let cityId: string;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    factory = new ActorFactory(t.app);
    flows = new TenderFlows(t.app);
    buyer = await factory.actor('buyer');
    cityId = (await factory.city('moscow')).id;
  });
  afterAll(() => t.app.close());

  const place = (supplier: Actor, tender: any, body: object, key?: string) => {
    const req = request(t.http).post(`/api/v1/tenders/${tender.id}/bids`).set(auth(supplier));
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const DOC = {
    title: 'Product certificate',
    url: 'https://docs.example.org/certificate.pdf',
    sha256: 'a'.repeat(64),
  };
  const countBids = async () =>
    Number((await t.app.get(DataSource).query('SELECT count(*) AS n FROM bids'))[0].n);

  it('refuses bad bids with distinct codes and writes nothing', async () => {
    const tender = await flows.publish(buyer, tenderBody(cityId));
    const lotId = tender.lots[0].id;
    const supplier = await factory.actor('supplier');
    const before = await countBids();
    const cases: [object, number, string][] = [
      [{ currency: 'RUB', lots: [{ lotId, price: '100000.01' }] }, 400, 'BID_PRICE_ABOVE_ESTIMATE'],
      [{ currency: 'KZT', lots: [{ lotId, price: '10.00' }] }, 400, 'BID_CURRENCY_MISMATCH'],
      [{ currency: 'RUB', lots: [{ lotId, price: '10.001' }] }, 400, 'VALIDATION_FAILED'],
      [{ currency: 'RUB', lots: [{ lotId, price: '-5' }] }, 400, 'VALIDATION_FAILED'],
      [{ currency: 'RUB', lots: [{ lotId: cityId, price: '10.00' }] }, 400, 'BID_LOT_INVALID'],
      [{ currency: 'RUB', lots: [] }, 400, 'VALIDATION_FAILED'],
      [
        { currency: 'RUB', lots: [{ lotId, price: '10.00' }], documents: [{ ...DOC, sha256: 'ABC' }] },
        400,
        'VALIDATION_FAILED',
      ],
      [
        { currency: 'RUB', lots: [{ lotId, price: '10.00' }], documents: [{ ...DOC, url: 'not a url' }] },
        400,
        'VALIDATION_FAILED',
      ],
      [{ currency: 'RUB', lots: [{ lotId, price: '10.00' }], documents: DOC }, 400, 'VALIDATION_FAILED'],
      // A lone surrogate cannot be put in canonical JSON (the commitment) nor stored in jsonb.
      [
        { currency: 'RUB', lots: [{ lotId, price: '10.00' }], documents: [{ ...DOC, title: 'Cert \ud800' }] },
        400,
        'VALIDATION_FAILED',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await place(supplier, tender, body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status, code });
    }
    expect(await countBids()).toBe(before);
  });

  it('refuses a second bid, a pending supplier, a draft and a cancelled tender', async () => {
    const tender = await flows.publish(buyer, tenderBody(cityId));
    const body = { currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price: '5000.00' }] };
    const supplier = await factory.actor('supplier');
    await place(supplier, tender, body).expect(201);
    expect((await place(supplier, tender, body).expect(409)).body.code).toBe('BID_ALREADY_EXISTS');

    const pending = await factory.actor('supplier', { status: 'pending' });
    expect((await place(pending, tender, body).expect(403)).body.code).toBe('SUPPLIER_NOT_ACTIVE');

    const draft = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(buyer))
      .send(tenderBody(cityId))
      .expect(201);
    expect((await place(supplier, draft.body, body).expect(404)).body.code).toBe('TENDER_NOT_FOUND');

    const cancelled = await flows.publish(buyer, tenderBody(cityId));
    const unstorable = await request(t.http)
      .post(`/api/v1/tenders/${cancelled.id}/cancel`)
      .set(auth(buyer))
      .send({ reason: 'Budget \udc00 withdrawn' })
      .expect(400);
    expect(unstorable.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ field: 'reason' }] },
    });
    await request(t.http)
      .post(`/api/v1/tenders/${cancelled.id}/cancel`)
      .set(auth(buyer))
      .send({ reason: 'Budget withdrawn' })
      .expect(200);
    const res = await place(supplier, cancelled, {
      currency: 'RUB',
      lots: [{ lotId: cancelled.lots[0].id, price: '1.00' }],
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'TENDER_NOT_ACCEPTING_BIDS', details: { status: 'cancelled' } });
  });

  it('takes bids once the enquiry period is over, before any worker moved the tender, logging the move first', async () => {
    const db = t.app.get(DataSource);
    const enquiryEnd = new Date(Date.now() + 1500).toISOString();
    const tender = await flows.publish(buyer, tenderBody(cityId, { enquiryPeriod: { endDate: enquiryEnd } }));
    expect(tender.status).toBe('active.enquiries');
    const body = { currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price: '90000.00' }] };
    const early = await place(await factory.actor('supplier'), tender, body).expect(409);
    expect(early.body.code).toBe('TENDER_NOT_ACCEPTING_BIDS');
    // No worker runs here: only the API can notice that the enquiry period is over.
    await new Promise((r) => setTimeout(r, Date.parse(enquiryEnd) - Date.now() + 100));
    await place(await factory.actor('supplier'), tender, body).expect(201);
    await place(await factory.actor('supplier'), tender, body).expect(201);
    const events = await db.query(
      `SELECT type FROM deal_events WHERE tender_id = $1 AND type IN ('tender.tendering', 'bid.submitted')
        ORDER BY txid, id`,
      [tender.id],
    );
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'tender.tendering',
      'bid.submitted',
      'bid.submitted',
    ]);
  });

  it('stamps a bid and its logged commitment with the one time its deadline was checked at', async () => {
    const tender = await flows.publish(buyer, tenderBody(cityId));
    const supplier = await factory.actor('supplier');
    const bid = await flows.bid(supplier, tender, ['5000.00']);
    const [row] = await t.app.get(DataSource).query(
      `SELECT b.submitted_at = e.occurred_at AS same, b.submitted_at < t.tender_end AS in_time
         FROM bids b JOIN tenders t ON t.id = b.tender_id
         JOIN deal_events e ON e.tender_id = b.tender_id AND e.type = 'bid.submitted'
          AND e.payload->>'commitment' = b.commitment
        WHERE b.id = $1`,
      [bid.id],
    );
    // So the verifier can hold every logged commitment to the deadline: none carries a later time than its check.
    expect(row).toEqual({ same: true, in_time: true });
  });

  it('makes a retried POST with the same Idempotency-Key safe', async () => {
    const tender = await flows.publish(buyer, tenderBody(cityId));
    const supplier = await factory.actor('supplier');
    const body = { currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price: '7000.00' }] };
    const first = await place(supplier, tender, body, 'retry-key-0001').expect(201);
    const again = await place(supplier, tender, body, 'retry-key-0001').expect(200);
    expect(again.body).toEqual(first.body);
    const other = { currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price: '6000.00' }] };
    expect((await place(supplier, tender, other, 'retry-key-0001').expect(409)).body.code).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
    const withDocument = { ...body, documents: [DOC] };
    expect((await place(supplier, tender, withDocument, 'retry-key-0001').expect(409)).body.code).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
    // A bid with documents retried as it was sent: the same bid, however the database orders the keys.
    const documented = await factory.actor('supplier');
    const firstWithDocument = await place(documented, tender, withDocument, 'retry-key-0002').expect(201);
    const retried = await place(documented, tender, withDocument, 'retry-key-0002').expect(200);
    expect(retried.body).toEqual(firstWithDocument.body);
  });

  it('recognises a retry by the request its Idempotency-Key was first sent with, not by the bid as changed since', async () => {
    const tender = await flows.publish(buyer, tenderBody(cityId));
    const supplier = await factory.actor('supplier');
    const lots = (price: string) => ({ currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price }] });
    await place(supplier, tender, lots('50000.00'), 'retry-key-change').expect(201);
    await request(t.http)
      .put(`/api/v1/tenders/${tender.id}/bids/mine`)
      .set(auth(supplier))
      .send(lots('45000.00'))
      .expect(200);
    // The first request, retried after the change (a retry queue after a lost answer): the bid as it stands.
    const retried = await place(supplier, tender, lots('50000'), 'retry-key-change').expect(200);
    expect(retried.body.lots).toEqual([{ lotId: tender.lots[0].id, price: '45000.00' }]);
    // Another request under the key, even one that reads like the changed bid, is refused.
    const other = await place(supplier, tender, lots('45000.00'), 'retry-key-change').expect(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('answers concurrent retries with the same Idempotency-Key with the one bid they placed', async () => {
    const tender = await flows.publish(buyer, tenderBody(cityId));
    const supplier = await factory.actor('supplier');
    const body = { currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price: '7000.00' }] };
    const retries = await Promise.all(
      Array.from({ length: 8 }, () => place(supplier, tender, body, 'retry-key-race-1')),
    );
    expect(retries.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(retries.map((r) => r.body.id)).size).toBe(1);

    // The same key sent at once for two tenders: one bid, and the key refused for the other (never a 500).
    const other = await flows.publish(buyer, tenderBody(cityId));
    const suppliers = [
      await factory.actor('supplier'),
      await factory.actor('supplier'),
      await factory.actor('supplier'),
    ];
    const pairs = await Promise.all(
      suppliers.map((s) =>
        Promise.all(
          [tender, other].map((x) =>
            place(
              s,
              x,
              { currency: 'RUB', lots: [{ lotId: x.lots[0].id, price: '6000.00' }] },
              'retry-key-race-2',
            ),
          ),
        ),
      ),
    );
    for (const pair of pairs) {
      expect(pair.map((r) => [r.status, r.body.code]).sort()).toEqual([
        [201, undefined],
        [409, 'IDEMPOTENCY_KEY_REUSED'],
      ]);
    }
    const [{ n }] = await t.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM bids WHERE idempotency_key = 'retry-key-race-2'`);
    expect(n).toBe(3);
  });

  it('lets a supplier read, change and withdraw its own bid until the deadline', async () => {
    const tender = await flows.publish(buyer, tenderBody(cityId));
    const supplier = await factory.actor('supplier');
    const placed = (
      await place(supplier, tender, {
        currency: 'RUB',
        lots: [{ lotId: tender.lots[0].id, price: '8000.00' }],
        documents: [DOC],
      }).expect(201)
    ).body;
    expect(placed.documents).toEqual([DOC]);
    const mine = await request(t.http)
      .get(`/api/v1/tenders/${tender.id}/bids/mine`)
      .set(auth(supplier))
      .expect(200);
    expect(mine.body).toMatchObject({
      id: placed.id,
      lots: [{ lotId: tender.lots[0].id, price: '8000.00' }],
      documents: [DOC],
    });
    const changed = await request(t.http)
      .put(`/api/v1/tenders/${tender.id}/bids/mine`)
      .set(auth(supplier))
      .send({ currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price: '7500.00' }] })
      .expect(200);
    expect(changed.body.commitment).not.toBe(placed.commitment);
    expect(changed.body.documents).toEqual([]);
    const list = await request(t.http).get('/api/v1/bids/mine').set(auth(supplier)).expect(200);
    expect(list.body.items.map((b: any) => b.id)).toEqual([placed.id]);
    await request(t.http).delete(`/api/v1/tenders/${tender.id}/bids/mine`).set(auth(supplier)).expect(204);
    await request(t.http).get(`/api/v1/tenders/${tender.id}/bids/mine`).set(auth(supplier)).expect(404);
    // The log says which commitment each change replaced and which one was withdrawn, and nothing more.
    const logged = await t.app
      .get(DataSource)
      .query(`SELECT type, payload FROM deal_events WHERE tender_id = $1 AND type LIKE 'bid.%' ORDER BY id`, [
        tender.id,
      ]);
    expect(logged).toEqual([
      { type: 'bid.submitted', payload: { commitment: placed.commitment } },
      {
        type: 'bid.changed',
        payload: { commitment: changed.body.commitment, replaces: placed.commitment },
      },
      { type: 'bid.withdrawn', payload: { commitment: changed.body.commitment } },
    ]);
  });

  it('pages "my bids" by when each was placed, so a bid changed between two pages is still shown once', async () => {
    const supplier = await factory.actor('supplier');
    const tenders = [];
    for (let i = 0; i < 3; i++) tenders.push(await flows.publish(buyer, tenderBody(cityId)));
    for (const tender of tenders) await flows.bid(supplier, tender, ['90000.00']);
    const page = (cursor?: string) =>
      request(t.http)
        .get('/api/v1/bids/mine')
        .set(auth(supplier))
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
    const first = await page();
    // The supplier lowers its price on its oldest bid, not shown yet.
    await request(t.http)
      .put(`/api/v1/tenders/${tenders[0].id}/bids/mine`)
      .set(auth(supplier))
      .send({ currency: 'RUB', lots: [{ lotId: tenders[0].lots[0].id, price: '85000.00' }] })
      .expect(200);
    const second = await page(first.body.nextCursor);
    const seen = [...first.body.items, ...second.body.items].map((b: any) => b.tenderId);
    expect(seen).toEqual([tenders[2].id, tenders[1].id, tenders[0].id]);
    expect(second.body.items[0]).toMatchObject({ lots: [{ price: '85000.00' }] });
    expect(second.body.nextCursor).toBeNull();
  });

  it('checks in the write statement everything that may refuse a bid, and then writes nothing', async () => {
    // BidsService.place sends BID_PLACE_WRITE first, without a read, and reads only when the write refused:
    // the write alone must stop every bid that may not be written.
    const db = t.app.get(DataSource);
    const write = (
      tender: any,
      supplier: Actor,
      price: string,
      opts: { bidId?: string; currency?: string } = {},
    ) => {
      const input = { currency: opts.currency ?? 'RUB', lots: [{ lotId: tender.lots[0].id, price }] };
      const sealed = sealBid(opts.bidId ?? randomUUID(), tender.id, supplier.organization.id, input);
      return BID_PLACE_WRITE.run<BidPlaceWritten>(db, bidPlaceWriteValues(sealed, null));
    };
    const writes = async () =>
      (
        await db.query(
          `SELECT (SELECT count(*) FROM bids)::int AS bids, (SELECT count(*) FROM bid_lots)::int AS prices,
                  (SELECT count(*) FROM deal_events WHERE type = 'bid.submitted')::int AS events`,
        )
      )[0];
    const tender = await flows.publish(buyer, tenderBody(cityId));
    const supplier = await factory.actor('supplier');
    const before = await writes();

    expect(await write(tender, supplier, '100000.01')).toEqual([{ checked: false, submitted_at: null }]);
    expect(await write(tender, supplier, '0.00')).toEqual([{ checked: false, submitted_at: null }]);
    expect(await write(tender, supplier, '10.00', { currency: 'KZT' })).toEqual([
      { checked: false, submitted_at: null },
    ]);
    const suspended = await factory.actor('supplier', { status: 'suspended' });
    expect(await write(tender, suspended, '10.00')).toEqual([{ checked: false, submitted_at: null }]);
    const passed = await flows.publish(buyer, tenderBody(cityId));
    await db.query(`UPDATE tenders SET tender_end = now() - interval '1 second' WHERE id = $1`, [passed.id]);
    expect(await write(passed, supplier, '10.00')).toEqual([{ checked: false, submitted_at: null }]);
    const cancelled = await flows.publish(buyer, tenderBody(cityId));
    await request(t.http)
      .post(`/api/v1/tenders/${cancelled.id}/cancel`)
      .set(auth(buyer))
      .send({ reason: 'The need has gone away' })
      .expect(200);
    expect(await write(cancelled, supplier, '10.00')).toEqual([{ checked: false, submitted_at: null }]);
    expect(await writes()).toEqual(before);

    // Checks passed: the bid, its price and its event are written together, once; a second bid is not.
    const first = randomUUID();
    expect((await write(tender, supplier, '10.00', { bidId: first }))[0]).toMatchObject({
      checked: true,
      submitted_at: expect.any(String),
    });
    expect(await write(tender, supplier, '9.00')).toEqual([{ checked: true, submitted_at: null }]);
    expect(await writes()).toEqual({
      bids: before.bids + 1,
      prices: before.prices + 1,
      events: before.events + 1,
    });
    // After a withdrawal, only a bid that keeps the withdrawn bid's id (as the service's read gives it) replaces it.
    await request(t.http).delete(`/api/v1/tenders/${tender.id}/bids/mine`).set(auth(supplier)).expect(204);
    expect(await write(tender, supplier, '8.00')).toEqual([{ checked: true, submitted_at: null }]);
    expect((await write(tender, supplier, '8.00', { bidId: first }))[0]).toMatchObject({
      checked: true,
      submitted_at: expect.any(String),
    });
    const [row] = await db.query(
      `SELECT id, status, content->>'bidId' AS "contentId" FROM bids WHERE id = $1`,
      [first],
    );
    expect(row).toEqual({ id: first, status: 'active', contentId: first });
  });

  it('answers a bid from the tender as it is when written, should it change while the bid waits for it', async () => {
    const db = t.app.get(DataSource);
    const tender = await flows.publish(buyer, tenderBody(cityId));
    const supplier = await factory.actor('supplier');
    const before = await countBids();
    // The bid's write waits for the tender row while the lot's estimate is lowered.
    const res = await whileTenderHeld(
      db,
      tender.id,
      'FOR SHARE',
      () =>
        place(supplier, tender, { currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price: '90000.00' }] }),
      (holder) => holder.query('UPDATE lots SET estimate = 50000 WHERE id = $1', [tender.lots[0].id]),
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'BID_PRICE_ABOVE_ESTIMATE', details: { estimate: '50000.00' } });
    expect(await countBids()).toBe(before);
  });

  it('asks the supplier to send the bid again when the tender changes under three writes in a row', async () => {
    // Three changes landing each between the read and the write cannot be timed from outside: the write is
    // made to report a change every time, and the service's answer is what is checked.
    const tender = await flows.publish(buyer, tenderBody(cityId));
    const supplier = await factory.actor('supplier');
    const before = await countBids();
    const reads = jest.spyOn(BID_PLACE_STATE, 'run');
    const writes = jest
      .spyOn(BID_PLACE_WRITE, 'run')
      .mockResolvedValue([{ checked: false, submitted_at: null }]);
    try {
      const res = await place(supplier, tender, {
        currency: 'RUB',
        lots: [{ lotId: tender.lots[0].id, price: '5000.00' }],
      }).expect(409);
      expect(res.body).toMatchObject({ code: 'BID_TENDER_CHANGING', details: { tenderId: tender.id } });
      // The first write goes without a read (the common path); then three rounds of read and write.
      expect([reads.mock.calls.length, writes.mock.calls.length]).toEqual([3, 4]);
    } finally {
      reads.mockRestore();
      writes.mockRestore();
    }
    expect(await countBids()).toBe(before);
  });

  it('keeps prices and bidders sealed from everyone else until the opening, then reveals what hashes to the commitment', async () => {
    const tender = await flows.publish(buyer, tenderBody(cityId, {}, 3));
    const rival = await factory.actor('supplier');
    const auditor = await factory.actor('auditor');
    const operator = await factory.actor('operator');
    const secretPrice = '87654.32';
    const bidder = await factory.actor('supplier');
    const document = {
      title: 'Сертификат соответствия Ж4711Щ',
      url: 'https://docs.example.org/zq4711x.pdf',
      sha256: 'c'.repeat(64),
    };
    const placed = (
      await place(bidder, tender, {
        currency: 'RUB',
        lots: [{ lotId: tender.lots[0].id, price: secretPrice }],
        documents: [document],
      }).expect(201)
    ).body;
    const sealed = [
      secretPrice,
      '87654',
      bidder.organization.id,
      bidder.organization.legalName,
      placed.id,
      document.url,
      'Ж4711Щ',
      'zq4711x',
      document.sha256,
    ];

    // Every reader but the bidder, on every endpoint that could show the tender or its bids.
    const responses: string[] = [];
    const readers = [undefined, buyer, rival, auditor, operator];
    const paths = [
      `/api/v1/tenders/${tender.id}`,
      `/api/v1/tenders/${tender.id}/bids`,
      `/api/v1/tenders/${tender.id}/awards`,
      `/api/v1/tenders/${tender.id}/questions`,
      '/api/v1/tenders?limit=200',
      `/api/v1/tenders/changes?limit=200&tenderId=${tender.id}`,
      '/api/v1/tenders/changes?limit=200',
      `/api/v1/tenders/${tender.id}/bids/mine`,
      '/api/v1/bids/mine',
      '/api/v1/tenders/mine',
      '/metrics',
    ];
    for (const reader of readers) {
      for (const path of paths) {
        const req = request(t.http).get(path);
        if (reader) req.set(auth(reader));
        const res = await req;
        responses.push(JSON.stringify(res.body) + res.text + JSON.stringify(res.headers));
      }
      // Trying to bid again or to act on the bid must not leak it either.
      if (reader && reader !== buyer) {
        const res = await place(reader, tender, {
          currency: 'RUB',
          lots: [{ lotId: tender.lots[0].id, price: '1.00' }],
        });
        responses.push(JSON.stringify(res.body));
      }
    }
    // A value counts as leaked when it stands alone: inside a longer word or number (a byte count in the
    // metrics, a hex id or hash, another organisation's name that extends this one's) it is chance.
    const leaks = (text: string, value: string): boolean =>
      new RegExp(
        `(?<![\\p{L}\\p{N}.])${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![\\p{L}\\p{N}])`,
        'u',
      ).test(text);
    for (const text of responses)
      for (const value of sealed) expect(leaks(text, value) ? value : null).toBeNull();

    await flows.closeAfterDeadline(tender);
    const feed = await request(t.http)
      .get('/api/v1/tenders/changes')
      .query({ tenderId: tender.id, limit: 200 })
      .expect(200);
    // The rival's probe above placed a bid too; follow the sealed bidder's own entries.
    const submitted = feed.body.items.find(
      (e: any) => e.type === 'bid.submitted' && e.payload.commitment === placed.commitment,
    );
    const opened = feed.body.items.find(
      (e: any) => e.type === 'bid.opened' && e.payload.supplierId === bidder.organization.id,
    );
    expect(submitted.payload).toEqual({ commitment: placed.commitment });
    expect(opened.payload).toMatchObject({
      supplierId: bidder.organization.id,
      commitment: placed.commitment,
    });
    expect(bidCommitment(opened.payload.content, opened.payload.salt)).toBe(submitted.payload.commitment);
    expect(opened.payload.content.lots).toEqual([{ lotId: tender.lots[0].id, price: secretPrice }]);
    // The documents are revealed with the prices, under the same commitment.
    expect(opened.payload.content.documents).toEqual([document]);
    const bids = await request(t.http).get(`/api/v1/tenders/${tender.id}/bids`).expect(200);
    expect(bids.body.items.find((b: any) => b.bidId === placed.id).documents).toEqual([document]);
  });
});
