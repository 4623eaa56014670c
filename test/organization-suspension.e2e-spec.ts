import request from 'supertest';
import { DataSource } from 'typeorm';
import { bidCommitment } from '@app/domain';
import { Actor, ActorFactory } from './factories/actors';
import { auth, tenderBody, TenderFlows } from './factories/tenders';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';

/** What an operator's suspension of a supplier or a buyer does to the tenders they take part in. */
describe('Suspended organisations in tenders', () => {
  let t: TestApp;
  let factory: ActorFactory;
  let flows: TenderFlows;
  let operator: Actor;
  let cityId: string;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    factory = new ActorFactory(t.app);
    flows = new TenderFlows(t.app);
    operator = await factory.actor('operator');
    cityId = (await factory.city('moscow')).id;
  });
  afterAll(() => t.app.close());

  const suspend = (org: Actor) =>
    request(t.http)
      .patch(`/api/v1/admin/organizations/${org.organization.id}/status`)
      .set(auth(operator))
      .send({ status: 'suspended', reason: 'Under investigation' })
      .expect(200);
  const awardsOf = async (tenderId: string) =>
    (await request(t.http).get(`/api/v1/tenders/${tenderId}/awards`).expect(200)).body.items as any[];

  it('opens the bid of a supplier suspended before the deadline but drops it: no rank, no award', async () => {
    const buyer = await factory.actor('buyer', { cityCode: 'moscow' });
    const suspended = await factory.actor('supplier');
    const honest = await factory.actor('supplier');
    const tender = await flows.publish(buyer, tenderBody(cityId, {}, 2));
    await flows.bid(suspended, tender, ['50000.00']);
    await flows.bid(honest, tender, ['95000.00']);
    await suspend(suspended);
    await flows.closeAfterDeadline(tender);

    const pending = (await awardsOf(tender.id)).filter((a) => a.status === 'pending');
    expect(pending.map((a) => a.supplierId)).toEqual([honest.organization.id]);
    const events = await t.app
      .get(DataSource)
      .query<{ type: string; payload: any }[]>(
        `SELECT type, payload FROM deal_events WHERE tender_id = $1 AND type IN ('bid.opened', 'tender.closed') ORDER BY id`,
        [tender.id],
      );
    const opened = new Map(
      events.filter((e) => e.type === 'bid.opened').map((e) => [e.payload.supplierId, e.payload]),
    );
    // Opened all the same, so its commitment can be checked like any other.
    const dropped = opened.get(suspended.organization.id);
    expect(dropped).toMatchObject({ status: 'dropped', reason: 'the supplier is suspended' });
    expect(bidCommitment(dropped.content, dropped.salt)).toBe(dropped.commitment);
    expect(opened.get(honest.organization.id)).toMatchObject({ status: 'opened' });
    const closed = events.find((e) => e.type === 'tender.closed')!.payload;
    expect(closed.lots[0].ranking.map((r: any) => r.supplierId)).toEqual([honest.organization.id]);
    expect(closed.lots[0].bids).toBe(1);
  });

  it('counts a suspended supplier out of the minimum number of bids', async () => {
    const buyer = await factory.actor('buyer', { cityCode: 'moscow' });
    const [first, second] = [await factory.actor('supplier'), await factory.actor('supplier')];
    const tender = await flows.publish(buyer, tenderBody(cityId, { minBids: 2 }, 2));
    await flows.bid(first, tender, ['60000.00']);
    await flows.bid(second, tender, ['70000.00']);
    await suspend(second);
    await flows.closeAfterDeadline(tender);
    const res = await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200);
    expect(res.body.status).toBe('unsuccessful');
    expect(await awardsOf(tender.id)).toEqual([]);
  });

  it('passes a rejected award over a supplier suspended since the closing, to the next active one', async () => {
    const buyer = await factory.actor('buyer', { cityCode: 'moscow' });
    const suppliers = [
      await factory.actor('supplier'),
      await factory.actor('supplier'),
      await factory.actor('supplier'),
    ];
    const tender = await flows.publish(buyer, tenderBody(cityId, {}, 2));
    for (const [i, supplier] of suppliers.entries()) {
      await flows.bid(supplier, tender, [`${60000 + i * 1000}.00`]);
    }
    await flows.closeAfterDeadline(tender);
    await suspend(suppliers[1]!);
    const [first] = await awardsOf(tender.id);
    expect(first.supplierId).toBe(suppliers[0]!.organization.id);
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/awards/${first.id}/reject`)
      .set(auth(buyer))
      .send({ reason: 'Documents missing' })
      .expect(204);
    const pending = (await awardsOf(tender.id)).filter((a) => a.status === 'pending');
    expect(pending.map((a) => [a.supplierId, a.rank])).toEqual([[suppliers[2]!.organization.id, 3]]);
  });

  it("refuses bids on a suspended buyer's tender, and still lets a supplier withdraw its bid", async () => {
    const buyer = await factory.actor('buyer', { cityCode: 'moscow' });
    const [early, late] = [await factory.actor('supplier'), await factory.actor('supplier')];
    const tender = await flows.publish(buyer, tenderBody(cityId, {}, 60));
    await flows.bid(early, tender, ['90000.00']);
    await suspend(buyer);
    const lots = [{ lotId: tender.lots[0].id, price: '80000.00' }];
    const refused = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/bids`)
      .set(auth(late))
      .send({ currency: tender.currency, lots })
      .expect(409);
    expect(refused.body).toMatchObject({ code: 'TENDER_BUYER_SUSPENDED', details: { tenderId: tender.id } });
    const changed = await request(t.http)
      .put(`/api/v1/tenders/${tender.id}/bids/mine`)
      .set(auth(early))
      .send({ currency: tender.currency, lots })
      .expect(409);
    expect(changed.body.code).toBe('TENDER_BUYER_SUSPENDED');
    await request(t.http).delete(`/api/v1/tenders/${tender.id}/bids/mine`).set(auth(early)).expect(204);
    const [row] = await t.app
      .get(DataSource)
      .query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM bids WHERE tender_id = $1 AND status = 'active'`,
        [tender.id],
      );
    expect(row?.n).toBe(0);
  });

  it('does not publish the profile of an organisation no operator has verified yet', async () => {
    const pending = await factory.actor('supplier', { status: 'pending' });
    const res = await request(t.http).get(`/api/v1/organizations/${pending.organization.id}`).expect(404);
    expect(res.body.code).toBe('ORGANIZATION_NOT_FOUND');
    // A suspended one stays public, with its status.
    const suspended = await factory.actor('supplier');
    await suspend(suspended);
    const shown = await request(t.http).get(`/api/v1/organizations/${suspended.organization.id}`).expect(200);
    expect(shown.body.status).toBe('suspended');
  });
});
