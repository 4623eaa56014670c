import request from 'supertest';
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
    expect(sealed.body).toEqual({ sealed: true, items: [] });

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
    expect(awards.body).toHaveLength(1);
    expect(awards.body[0]).toMatchObject({
      status: 'pending',
      supplierId: cheap.organization.id,
      amount: '90000.00',
    });
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/awards/${awards.body[0].id}/accept`)
      .set(auth(buyer))
      .expect(204);
    const awarded = await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200);
    expect(awarded.body.status).toBe('active.awarded');

    const contracts = await request(t.http).get(`/api/v1/tenders/${tender.id}/contracts`).expect(200);
    expect(contracts.body).toHaveLength(1);
    const contractId = contracts.body[0].id as string;
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
      'tender.completed',
    ]);
  });
});
