import { createHash } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { TenderQueriesService } from '@app/domain';
import { Actor, ActorFactory } from './factories/actors';
import { auth, jointTenderBody, TenderFlows, tenderBody } from './factories/tenders';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';
import { allPages } from './setup/pages';
import { untilWaitingOnLock, whileTenderHeld } from './setup/tender-held';

/** A document's SHA-256 as a tender takes it: each distinct text gives a distinct document. */
const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

describe('Tender rules', () => {
  let t: TestApp;
  let factory: ActorFactory;
  let flows: TenderFlows;
  let moscowBuyer: Actor;
  let moscowId: string;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    factory = new ActorFactory(t.app);
    flows = new TenderFlows(t.app);
    moscowBuyer = await factory.actor('buyer', { cityCode: 'moscow' });
    moscowId = (await factory.city('moscow')).id;
  });
  afterAll(() => t.app.close());

  it('applies a local preference when ranking but awards at the offered price', async () => {
    const tender = await flows.publish(
      moscowBuyer,
      tenderBody(moscowId, { localPreference: { scope: 'country', percent: '15' } }, 3),
    );
    const foreign = await factory.actor('supplier', { cityCode: 'almaty' });
    const local = await factory.actor('supplier', { cityCode: 'kazan' });
    await flows.bid(foreign, tender, ['90000.00']);
    await flows.bid(local, tender, ['100000.00']);
    await flows.closeAfterDeadline(tender);
    const bids = await request(t.http).get(`/api/v1/tenders/${tender.id}/bids`).expect(200);
    const byId = Object.fromEntries(bids.body.items.map((b: any) => [b.supplierId, b.lots[0]]));
    expect(byId[local.organization.id]).toMatchObject({
      rank: 1,
      evaluatedPrice: '85000.00',
      preferenceApplied: true,
    });
    expect(byId[foreign.organization.id]).toMatchObject({
      rank: 2,
      evaluatedPrice: '90000.00',
      preferenceApplied: false,
    });
    const awards = await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200);
    expect(awards.body.items[0]).toMatchObject({ supplierId: local.organization.id, amount: '100000.00' });
    const feed = await request(t.http)
      .get('/api/v1/tenders/changes')
      .query({ tenderId: tender.id, limit: 200 });
    const closed = feed.body.items.find((e: any) => e.type === 'tender.closed');
    expect(closed.payload.rule).toMatch(/15%/);
  });

  it('passes the award to the next ranked bid on rejection, and fails the lot when none is left', async () => {
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId, {}, 3));
    const first = await factory.actor('supplier');
    const second = await factory.actor('supplier');
    await flows.bid(first, tender, ['50000.00']);
    await flows.bid(second, tender, ['60000.00']);
    await flows.closeAfterDeadline(tender);
    const reject = async (expectedSupplier: string) => {
      const awards = await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200);
      const pending = awards.body.items.find((a: any) => a.status === 'pending');
      expect(pending.supplierId).toBe(expectedSupplier);
      await request(t.http)
        .post(`/api/v1/tenders/${tender.id}/awards/${pending.id}/reject`)
        .set(auth(moscowBuyer))
        .send({ reason: 'Certificates missing' })
        .expect(204);
    };
    await reject(first.organization.id);
    await reject(second.organization.id);
    const after = await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200);
    expect(after.body.status).toBe('unsuccessful');
    expect(after.body.lots[0].status).toBe('unsuccessful');
  });

  it('makes a tender with too few bids unsuccessful at closing', async () => {
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId, { minBids: 2 }, 3));
    await flows.bid(await factory.actor('supplier'), tender, ['1000.00']);
    await flows.closeAfterDeadline(tender);
    expect((await request(t.http).get(`/api/v1/tenders/${tender.id}`)).body.status).toBe('unsuccessful');
  });

  it('runs a joint purchase of two cities: one tender, one contract per buyer split by shares', async () => {
    const kazanBuyer = await factory.actor('buyer', { cityCode: 'kazan' });
    const kazanId = (await factory.city('kazan')).id;
    const body = tenderBody(moscowId, { jointBuyerIds: [kazanBuyer.organization.id] }, 3) as any;
    body.lots[0].estimate = '90000.00';
    body.lots[0].shares = [
      { buyerId: moscowBuyer.organization.id, amount: '60000.00' },
      { buyerId: kazanBuyer.organization.id, amount: '30000.00' },
    ];
    body.lots[0].items[0].quantity = '300';
    body.lots[0].items[0].quantities = [
      { buyerId: moscowBuyer.organization.id, quantity: '200' },
      { buyerId: kazanBuyer.organization.id, quantity: '100' },
    ];
    body.lots[0].items[0].deliveryCityId = kazanId;
    const tender = await flows.publish(moscowBuyer, body);
    expect(tender.buyers.map((b: any) => b.id)).toEqual([
      moscowBuyer.organization.id,
      kazanBuyer.organization.id,
    ]);
    const winner = await factory.actor('supplier');
    await flows.bid(winner, tender, ['60000.00']);
    await flows.closeAfterDeadline(tender);
    const contracts = await flows.acceptAward(moscowBuyer, tender);
    expect(contracts.map((c) => [c.buyerId, c.amount]).sort()).toEqual(
      [
        [moscowBuyer.organization.id, '40000.00'],
        [kazanBuyer.organization.id, '20000.00'],
      ].sort(),
    );
    await new Promise((r) => setTimeout(r, 1100));
    for (const contract of contracts) {
      const signer = contract.buyerId === moscowBuyer.organization.id ? moscowBuyer : kazanBuyer;
      // Each buyer signs only its own contract.
      const other = signer === moscowBuyer ? kazanBuyer : moscowBuyer;
      expect(
        (await request(t.http).post(`/api/v1/contracts/${contract.id}/sign`).set(auth(other))).body.code,
      ).toBe('NOT_THE_BUYER');
      await request(t.http).post(`/api/v1/contracts/${contract.id}/sign`).set(auth(signer)).expect(204);
      await request(t.http).post(`/api/v1/contracts/${contract.id}/confirm`).set(auth(winner)).expect(204);
    }
    expect((await request(t.http).get(`/api/v1/tenders/${tender.id}`)).body.status).toBe('complete');
  });

  /** A joint tender of Moscow and another buyer, one lot, bid on and accepted: its contracts, per buyer. */
  const jointContracts = async (other: Actor, shares: [string, string]) => {
    const buyers = [moscowBuyer.organization.id, other.organization.id];
    const body = tenderBody(moscowId, { jointBuyerIds: [other.organization.id] }, 3) as any;
    body.lots[0].estimate = '90000.00';
    body.lots[0].shares = buyers.map((buyerId, i) => ({ buyerId, amount: shares[i] }));
    body.lots[0].items[0].quantity = '300';
    body.lots[0].items[0].quantities = buyers.map((buyerId, i) => ({
      buyerId,
      quantity: shares[i] === '0' ? '0' : shares.includes('0') ? '300' : '150',
    }));
    const tender = await flows.publish(moscowBuyer, body);
    const winner = await factory.actor('supplier');
    await flows.bid(winner, tender, ['60000.00']);
    await flows.closeAfterDeadline(tender);
    const contracts = await flows.acceptAward(moscowBuyer, tender);
    await new Promise((r) => setTimeout(r, 1100));
    return {
      tender,
      winner,
      contracts,
      of: (buyer: Actor) => contracts.find((c) => c.buyerId === buyer.organization.id),
    };
  };

  it('completes a joint lot whose other buyer never signs, once that buyer’s contract is cancelled', async () => {
    const other = await factory.actor('buyer', { cityCode: 'omsk' });
    const { tender, winner, of } = await jointContracts(other, ['45000.00', '45000.00']);
    const own = of(moscowBuyer);
    const theirs = of(other);
    await request(t.http).post(`/api/v1/contracts/${own.id}/sign`).set(auth(moscowBuyer)).expect(204);
    await request(t.http).post(`/api/v1/contracts/${own.id}/confirm`).set(auth(winner)).expect(204);
    const cancel = (contractId: string, who: Actor) =>
      request(t.http)
        .post(`/api/v1/contracts/${contractId}/cancel`)
        .set(auth(who))
        .send({ reason: 'The school was closed' });
    // A signed contract stays; neither a stranger nor the winner cancels one.
    expect((await cancel(own.id, moscowBuyer).expect(409)).body.code).toBe('CONTRACT_STATE_CONFLICT');
    const stranger = await factory.actor('buyer');
    expect((await cancel(theirs.id, stranger).expect(403)).body.code).toBe('NOT_THE_BUYER');
    await cancel(theirs.id, winner).expect(403);
    const read = async () => (await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body;
    expect((await read()).status).toBe('active.awarded');
    // The organiser cancels the contract the other buyer left unsigned: the lot is decided by the signed one.
    await cancel(theirs.id, moscowBuyer).expect(204);
    const done = await read();
    expect(done.status).toBe('complete');
    expect(done.lots[0].status).toBe('complete');
    const listed = (await request(t.http).get(`/api/v1/tenders/${tender.id}/contracts`).expect(200)).body
      .items;
    expect(listed.find((c: any) => c.id === theirs.id)).toMatchObject({
      status: 'cancelled',
      statusReason: 'The school was closed',
    });
    expect(listed.find((c: any) => c.id === own.id).status).toBe('signed');
    expect((await cancel(theirs.id, other).expect(409)).body.code).toBe('CONTRACT_STATE_CONFLICT');
    const events = await t.app
      .get(DataSource)
      .query(`SELECT type, payload FROM deal_events WHERE tender_id = $1 ORDER BY id`, [tender.id]);
    expect(events.filter((e: any) => e.type === 'contract.cancelled').map((e: any) => e.payload)).toEqual([
      {
        contractId: theirs.id,
        lotId: tender.lots[0].id,
        buyerId: other.organization.id,
        reason: 'The school was closed',
      },
    ]);
    expect(events.at(-1).type).toBe('tender.completed');
    // The lot completed once: when the cancellation left only the signed contract, not at that signature.
    const completed = events.filter((e: any) => e.type === 'lot.completed');
    expect(completed.map((e: any) => e.payload)).toEqual([{ lotId: tender.lots[0].id }]);
    expect(events.at(-2).type).toBe('lot.completed');
  });

  it('names a complete lot’s state when it is cancelled, while the tender waits for its other lot', async () => {
    const body = tenderBody(moscowId);
    const tender = await flows.publish(
      moscowBuyer,
      tenderBody(moscowId, { lots: [body.lots[0], { ...body.lots[0], title: 'Paper A3' }] }, 3),
    );
    const winner = await factory.actor('supplier');
    await flows.bid(winner, tender, ['60000.00', '50000.00']);
    await flows.closeAfterDeadline(tender);
    const [first] = await flows.acceptAward(moscowBuyer, tender);
    await flows.acceptAward(moscowBuyer, tender);
    await new Promise((r) => setTimeout(r, 1100));
    await request(t.http).post(`/api/v1/contracts/${first.id}/sign`).set(auth(moscowBuyer)).expect(204);
    await request(t.http).post(`/api/v1/contracts/${first.id}/confirm`).set(auth(winner)).expect(204);
    const res = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/lots/${first.lotId}/cancel`)
      .set(auth(moscowBuyer))
      .send({ reason: 'Bought elsewhere' })
      .expect(409);
    expect(res.body).toMatchObject({
      code: 'LOT_STATE_CONFLICT',
      details: { field: 'lotId', status: 'complete', required: 'active' },
    });
    expect((await request(t.http).get(`/api/v1/tenders/${tender.id}`)).body.status).toBe('active.awarded');
  });

  it('cancels the lot with its award when its buyers cancel every contract of it', async () => {
    const other = await factory.actor('buyer', { cityCode: 'omsk' });
    const { tender, of } = await jointContracts(other, ['45000.00', '45000.00']);
    const cancel = (contractId: string, who: Actor) =>
      request(t.http)
        .post(`/api/v1/contracts/${contractId}/cancel`)
        .set(auth(who))
        .send({ reason: 'Budget withdrawn' });
    // Each buyer cancels its own: the other buyer may, though it does not run the tender.
    await cancel(of(other).id, other).expect(204);
    expect((await request(t.http).get(`/api/v1/tenders/${tender.id}`)).body.status).toBe('active.awarded');
    await cancel(of(moscowBuyer).id, moscowBuyer).expect(204);
    const view = (await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body;
    expect(view.lots[0].status).toBe('cancelled');
    expect(view.status).toBe('cancelled');
    const awards = (await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200)).body.items;
    expect(awards.map((a: any) => a.status)).toEqual(['cancelled']);
  });

  it('lets only the organiser cancel the last contract of a lot, since that cancels the lot and the tender', async () => {
    const db = t.app.get(DataSource);
    const other = await factory.actor('buyer', { cityCode: 'omsk' });
    const { tender, of } = await jointContracts(other, ['45000.00', '45000.00']);
    const cancel = (contractId: string, who: Actor) =>
      request(t.http)
        .post(`/api/v1/contracts/${contractId}/cancel`)
        .set(auth(who))
        .send({ reason: 'Budget withdrawn' });
    await cancel(of(moscowBuyer).id, moscowBuyer).expect(204);
    const events = async () =>
      (await db.query(`SELECT type FROM deal_events WHERE tender_id = $1 ORDER BY id`, [tender.id])).map(
        (e: any) => e.type,
      );
    const before = await events();
    const refused = await cancel(of(other).id, other).expect(403);
    expect(refused.body).toMatchObject({ code: 'NOT_THE_BUYER', details: { required: 'organiser' } });
    expect(await events()).toEqual(before);
    const view = (await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body;
    expect([view.status, view.lots[0].status]).toEqual(['active.awarded', 'active']);
    const [theirs] = await db.query(`SELECT status FROM contracts WHERE id = $1`, [of(other).id]);
    expect(theirs.status).toBe('pending');
    await cancel(of(other).id, moscowBuyer).expect(204);
    expect((await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body.status).toBe(
      'cancelled',
    );
  });

  it('gives no contract to a joint buyer whose share of the lot is nothing', async () => {
    const other = await factory.actor('buyer', { cityCode: 'omsk' });
    const { tender, winner, contracts } = await jointContracts(other, ['90000.00', '0']);
    expect(contracts.map((c) => [c.buyerId, c.amount])).toEqual([[moscowBuyer.organization.id, '60000.00']]);
    const [own] = contracts;
    await request(t.http).post(`/api/v1/contracts/${own.id}/sign`).set(auth(moscowBuyer)).expect(204);
    await request(t.http).post(`/api/v1/contracts/${own.id}/confirm`).set(auth(winner)).expect(204);
    expect((await request(t.http).get(`/api/v1/tenders/${tender.id}`)).body.status).toBe('complete');
  });

  it('gives a joint buyer with a share at least a cent of an award far below the estimate, so its goods have a contract', async () => {
    const other = await factory.actor('buyer', { cityCode: 'omsk' });
    const [moscow, omsk] = [moscowBuyer.organization.id, other.organization.id];
    const tender = await flows.publish(
      moscowBuyer,
      jointTenderBody(
        moscowId,
        [
          { buyerId: moscow, share: '99999.99', quantity: '199' },
          { buyerId: omsk, share: '0.01', quantity: '1' },
        ],
        {},
        3,
      ),
    );
    await flows.bid(await factory.actor('supplier'), tender, ['0.50']);
    await flows.closeAfterDeadline(tender);
    const contracts = await flows.acceptAward(moscowBuyer, tender);
    expect(new Map(contracts.map((c: any) => [c.buyerId, c.amount]))).toEqual(
      new Map([
        [moscow, '0.49'],
        [omsk, '0.01'],
      ]),
    );
  });

  it('refuses every action of an organisation suspended while its token still works, changing nothing', async () => {
    const db = t.app.get(DataSource);
    const buyer = await factory.actor('buyer', { cityCode: 'moscow' });
    const supplier = await factory.actor('supplier');
    // The status is set in the database alone, as if signing the users out had failed: their tokens still work.
    const setStatus = (actor: Actor, status: string) =>
      db.query('UPDATE organizations SET status = $2 WHERE id = $1', [actor.organization.id, status]);
    const events = async () => Number((await db.query('SELECT count(*) AS n FROM deal_events'))[0].n);
    const refused = async (req: request.Test, code: string) => {
      const res = await req.expect(403);
      expect(res.body.code).toBe(code);
    };
    const open = await flows.publish(buyer, tenderBody(moscowId));
    await flows.bid(supplier, open, ['70000.00']);
    const question = await request(t.http)
      .post(`/api/v1/tenders/${open.id}/questions`)
      .set(auth(supplier))
      .send({ text: 'Which paper density?' })
      .expect(201);
    const closing = await flows.publish(buyer, tenderBody(moscowId, {}, 3));
    await flows.bid(supplier, closing, ['60000.00']);
    await flows.closeAfterDeadline(closing);
    const award = (await request(t.http).get(`/api/v1/tenders/${closing.id}/awards`)).body.items[0];
    const before = await events();

    const draft = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(tenderBody(moscowId));
    await setStatus(supplier, 'suspended');
    const mine = `/api/v1/tenders/${open.id}/bids/mine`;
    await refused(request(t.http).delete(mine).set(auth(supplier)), 'SUPPLIER_NOT_ACTIVE');
    await refused(
      request(t.http)
        .put(mine)
        .set(auth(supplier))
        .send({ currency: 'RUB', lots: [{ lotId: open.lots[0].id, price: '69000.00' }] }),
      'SUPPLIER_NOT_ACTIVE',
    );
    await refused(
      request(t.http).post(`${mine}/confirm`).set(auth(supplier)).send({ amendment: 0 }),
      'SUPPLIER_NOT_ACTIVE',
    );
    await setStatus(supplier, 'active');

    await setStatus(buyer, 'suspended');
    const endDate = new Date(Date.now() + 5 * 86_400_000).toISOString();
    const tenderPath = `/api/v1/tenders/${open.id}`;
    await refused(
      request(t.http)
        .post(`${tenderPath}/amendments`)
        .set(auth(buyer))
        .send({ rationale: 'Deadline moved', tenderPeriod: { endDate } }),
      'BUYER_NOT_ACTIVE',
    );
    await refused(
      request(t.http).post(`${tenderPath}/cancel`).set(auth(buyer)).send({ reason: 'Not needed' }),
      'BUYER_NOT_ACTIVE',
    );
    await refused(
      request(t.http)
        .post(`${tenderPath}/lots/${open.lots[0].id}/cancel`)
        .set(auth(buyer))
        .send({ reason: 'Not needed' }),
      'BUYER_NOT_ACTIVE',
    );
    await refused(
      request(t.http)
        .post(`${tenderPath}/questions/${question.body.id}/answer`)
        .set(auth(buyer))
        .send({ answer: '80 g/m2' }),
      'BUYER_NOT_ACTIVE',
    );
    await refused(
      request(t.http).delete(`/api/v1/tenders/${draft.body.id}`).set(auth(buyer)),
      'BUYER_NOT_ACTIVE',
    );
    const awardPath = `/api/v1/tenders/${closing.id}/awards/${award.id}`;
    await refused(request(t.http).post(`${awardPath}/accept`).set(auth(buyer)), 'BUYER_NOT_ACTIVE');
    await refused(
      request(t.http).post(`${awardPath}/reject`).set(auth(buyer)).send({ reason: 'Documents missing' }),
      'BUYER_NOT_ACTIVE',
    );
    expect(await events()).toBe(before);

    await setStatus(buyer, 'active');
    const [contract] = await flows.acceptAward(buyer, closing);
    await new Promise((r) => setTimeout(r, 1100));
    await setStatus(buyer, 'suspended');
    const contractPath = `/api/v1/contracts/${contract.id}`;
    await refused(request(t.http).post(`${contractPath}/sign`).set(auth(buyer)), 'BUYER_NOT_ACTIVE');
    await refused(
      request(t.http).post(`${contractPath}/cancel`).set(auth(buyer)).send({ reason: 'Not needed' }),
      'BUYER_NOT_ACTIVE',
    );
    await setStatus(buyer, 'active');
    await request(t.http).post(`${contractPath}/sign`).set(auth(buyer)).expect(204);
    await setStatus(supplier, 'suspended');
    await refused(request(t.http).post(`${contractPath}/confirm`).set(auth(supplier)), 'SUPPLIER_NOT_ACTIVE');
    const [row] = await db.query('SELECT status FROM contracts WHERE id = $1', [contract.id]);
    expect(row.status).toBe('buyer_signed');
    await setStatus(supplier, 'active');
  });

  it('lets the winner confirm a contract only after the tender row, as a cancellation takes them', async () => {
    const db = t.app.get(DataSource);
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId, {}, 2));
    const winner = await factory.actor('supplier');
    await flows.bid(winner, tender, ['70000.00']);
    await flows.closeAfterDeadline(tender);
    const [contract] = await flows.acceptAward(moscowBuyer, tender);
    await new Promise((r) => setTimeout(r, 1100));
    await request(t.http).post(`/api/v1/contracts/${contract.id}/sign`).set(auth(moscowBuyer)).expect(204);
    // While the tender row is held (a cancellation takes it first, then the contracts), the confirmation waits
    // for it without holding the contract: the holder takes the contract at once, as cancelling it would.
    const res = await whileTenderHeld(
      db,
      tender.id,
      'FROM tenders WHERE id',
      () => request(t.http).post(`/api/v1/contracts/${contract.id}/confirm`).set(auth(winner)),
      (holder) => holder.query('SELECT 1 FROM contracts WHERE id = $1 FOR UPDATE NOWAIT', [contract.id]),
    );
    expect(res.status).toBe(204);
    expect((await request(t.http).get(`/api/v1/tenders/${tender.id}`)).body.status).toBe('complete');
  });

  it('refuses a joint tender whose shares do not add up to the estimate', async () => {
    const other = await factory.actor('buyer', { cityCode: 'omsk' });
    const body = jointTenderBody(moscowId, [
      { buyerId: moscowBuyer.organization.id, share: '10.00', quantity: '100' },
      { buyerId: other.organization.id, share: '10.00', quantity: '100' },
    ]);
    const res = await request(t.http).post('/api/v1/tenders').set(auth(moscowBuyer)).send(body).expect(400);
    expect(res.body).toMatchObject({ code: 'TENDER_INVALID', details: { field: 'lots.0.shares' } });
  });

  it('publishes a joint tender only once every other buyer has confirmed its part of the draft it read', async () => {
    const other = await factory.actor('buyer', { cityCode: 'omsk' });
    const [moscow, omsk] = [moscowBuyer.organization.id, other.organization.id];
    const body = jointTenderBody(moscowId, [
      { buyerId: moscow, share: '60000.00', quantity: '120' },
      { buyerId: omsk, share: '40000.00', quantity: '80' },
    ]);
    const draft = await request(t.http).post('/api/v1/tenders').set(auth(moscowBuyer)).send(body).expect(201);
    const publish = () =>
      request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(moscowBuyer));
    const read = async (who: Actor) =>
      (await request(t.http).get(`/api/v1/tenders/${draft.body.id}/draft`).set(auth(who)).expect(200)).body;
    const confirm = (who: Actor, revision: number) =>
      request(t.http)
        .post(`/api/v1/tenders/${draft.body.id}/participation`)
        .set(auth(who))
        .send({ revision });
    const first = await read(other);
    expect(first.revision).toBe(1);
    expect(first.participation).toEqual([
      { buyerId: moscow, confirmed: true },
      { buyerId: omsk, confirmed: false },
    ]);
    const unconfirmed = await publish().expect(409);
    expect(unconfirmed.body).toMatchObject({ code: 'JOINT_BUYER_NOT_CONFIRMED', details: { buyerId: omsk } });
    // Only that buyer confirms: not the organiser, not a stranger, not a supplier.
    expect((await confirm(moscowBuyer, 1).expect(404)).body.code).toBe('TENDER_NOT_FOUND');
    expect((await confirm(await factory.actor('buyer'), 1).expect(404)).body.code).toBe('TENDER_NOT_FOUND');
    await confirm(await factory.actor('supplier'), 1).expect(403);
    await confirm(other, 1).expect(204);
    expect((await read(moscowBuyer)).participation[1]).toEqual({ buyerId: omsk, confirmed: true });
    // The organiser saves Omsk a larger share: a new revision, and Omsk is asked again. A confirmation of the
    // revision Omsk read before the save is refused.
    const changed = jointTenderBody(moscowId, [
      { buyerId: moscow, share: '50000.00', quantity: '100' },
      { buyerId: omsk, share: '50000.00', quantity: '100' },
    ]);
    await request(t.http)
      .put(`/api/v1/tenders/${draft.body.id}`)
      .set(auth(moscowBuyer))
      .send(changed)
      .expect(200);
    const stale = await confirm(other, 1).expect(409);
    expect(stale.body).toMatchObject({ code: 'DRAFT_CHANGED', details: { field: 'revision', revision: 2 } });
    expect((await publish().expect(409)).body.code).toBe('JOINT_BUYER_NOT_CONFIRMED');
    const [{ n }] = await t.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM deal_events WHERE tender_id = $1`, [draft.body.id]);
    expect(n).toBe(0);
    const second = await read(other);
    expect(second.lots[0].shares.find((x: any) => x.buyerId === omsk).amount).toBe('50000.00');
    await confirm(other, second.revision).expect(204);
    const published = await publish().expect(200);
    expect(published.body.status).toBe('active.tendering');
    expect(published.body).not.toHaveProperty('revision');
    expect(published.body).not.toHaveProperty('participation');
    const late = await confirm(other, second.revision).expect(409);
    expect(late.body).toMatchObject({ code: 'TENDER_STATE_CONFLICT', details: { required: 'draft' } });
  });

  it('refuses a joint lot where a buyer pays without receiving, or receives without paying', async () => {
    const other = await factory.actor('buyer', { cityCode: 'omsk' });
    const [moscow, omsk] = [moscowBuyer.organization.id, other.organization.id];
    // The organiser would pay the whole price for 200 units that all go to Omsk.
    const paysForOthers = jointTenderBody(moscowId, [
      { buyerId: moscow, share: '100000.00', quantity: '0' },
      { buyerId: omsk, share: '0', quantity: '200' },
    ]);
    const before = Number((await t.app.get(DataSource).query('SELECT count(*) AS n FROM tenders'))[0].n);
    const refused = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(moscowBuyer))
      .send(paysForOthers)
      .expect(400);
    expect(refused.body).toMatchObject({ code: 'TENDER_INVALID', details: { field: 'lots.0.shares' } });
    expect(refused.body.message).toContain(`buyer ${moscow} has a share of the estimate but no quantity`);
    expect(Number((await t.app.get(DataSource).query('SELECT count(*) AS n FROM tenders'))[0].n)).toBe(
      before,
    );
    // A draft saved right cannot be edited into it either: Omsk receiving 50 units under no contract.
    const draft = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(moscowBuyer))
      .send(
        jointTenderBody(moscowId, [
          { buyerId: moscow, share: '100000.00', quantity: '200' },
          { buyerId: omsk, share: '0', quantity: '0' },
        ]),
      )
      .expect(201);
    const receivesFree = jointTenderBody(moscowId, [
      { buyerId: moscow, share: '100000.00', quantity: '150' },
      { buyerId: omsk, share: '0', quantity: '50' },
    ]);
    const edit = await request(t.http)
      .put(`/api/v1/tenders/${draft.body.id}`)
      .set(auth(moscowBuyer))
      .send(receivesFree)
      .expect(400);
    expect(edit.body.message).toContain(`buyer ${omsk} has quantities of the lot's items but no share`);
    const view = await request(t.http)
      .get(`/api/v1/tenders/${draft.body.id}/draft`)
      .set(auth(moscowBuyer))
      .expect(200);
    const kept = new Map(
      view.body.lots[0].items[0].quantities.map((q: any) => [q.buyerId, Number(q.quantity)]),
    );
    expect(kept).toEqual(
      new Map([
        [moscow, 200],
        [omsk, 0],
      ]),
    );
  });

  it('refuses a deadline with a time but no offset from UTC, which the server would read in its own zone', async () => {
    const body = tenderBody(moscowId) as any;
    const local = body.tenderPeriod.endDate.replace(/(?:\.\d+)?Z$/, '');
    expect(local).toMatch(/T\d{2}:\d{2}:\d{2}$/);
    const res = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(moscowBuyer))
      .send({ ...body, tenderPeriod: { ...body.tenderPeriod, endDate: local } })
      .expect(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ field: 'tenderPeriod.endDate' }] },
    });
    expect(res.body.details.fields[0].messages[0]).toContain('with its offset');
    const offset = local + '+03:00';
    await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(moscowBuyer))
      .send({ ...body, tenderPeriod: { ...body.tenderPeriod, endDate: offset } })
      .expect(201);
  });

  it('refuses an amendment whose estimate would round a joint buyer’s share of a lot to nothing', async () => {
    const other = await factory.actor('buyer', { cityCode: 'omsk' });
    const [moscow, omsk] = [moscowBuyer.organization.id, other.organization.id];
    const tender = await flows.publish(
      moscowBuyer,
      jointTenderBody(moscowId, [
        { buyerId: moscow, share: '99999.99', quantity: '199' },
        { buyerId: omsk, share: '0.01', quantity: '1' },
      ]),
    );
    const lotId = tender.lots[0].id;
    const res = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/amendments`)
      .set(auth(moscowBuyer))
      .send({ rationale: 'Cheaper than thought', lots: [{ lotId, estimate: '10.00' }] })
      .expect(400);
    expect(res.body).toMatchObject({
      code: 'TENDER_INVALID',
      details: { field: 'lots', lotId, buyerId: omsk },
    });
    const lot = (await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body.lots[0];
    expect(lot.estimate).toBe('100000.00');
    expect(new Map(lot.shares.map((x: any) => [x.buyerId, x.amount]))).toEqual(
      new Map([
        [moscow, '99999.99'],
        [omsk, '0.01'],
      ]),
    );
  });

  it('keeps the shares of a joint lot adding up to its estimate when an amendment changes it', async () => {
    const other = await factory.actor('buyer', { cityCode: 'omsk' });
    const buyers = [moscowBuyer.organization.id, other.organization.id];
    const body = tenderBody(moscowId, { jointBuyerIds: [other.organization.id] }) as any;
    body.lots[0].estimate = '100000.00';
    body.lots[0].shares = buyers.map((buyerId) => ({ buyerId, amount: '50000.00' }));
    body.lots[0].items[0].quantities = buyers.map((buyerId) => ({ buyerId, quantity: '50' }));
    body.lots[0].items[0].quantity = '100';
    const tender = await flows.publish(moscowBuyer, body);
    const lotId = tender.lots[0].id;
    // Each share alone would round 50000.005 up to 50000.01: 100000.02 in all, a cent above the estimate.
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/amendments`)
      .set(auth(moscowBuyer))
      .send({
        rationale: 'Delivery cost added',
        lots: [{ lotId, estimate: '100000.01' }],
        tenderPeriod: { endDate: new Date(Date.now() + 5 * 86_400_000).toISOString() },
      })
      .expect(201);
    const lot = (await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body.lots[0];
    expect(lot.estimate).toBe('100000.01');
    const amounts = lot.shares.map((s: any) => s.amount).sort();
    expect(amounts).toEqual(['50000.00', '50000.01']);
    const feed = await request(t.http)
      .get('/api/v1/tenders/changes')
      .query({ tenderId: tender.id, limit: 200 })
      .expect(200);
    const amended = feed.body.items.find((e: any) => e.type === 'tender.amended');
    expect(amended.payload.changes[`lots.${lotId}.shares`]).toEqual({
      before: lot.shares.map((s: any) => ({ buyerId: s.buyerId, amount: '50000.00' })),
      after: lot.shares.map((s: any) => ({ buyerId: s.buyerId, amount: s.amount })),
    });
  });

  it('amends many lots of a joint tender at once, in as many statements as one lot takes', async () => {
    const other = await factory.actor('buyer', { cityCode: 'omsk' });
    const buyers = [moscowBuyer.organization.id, other.organization.id];
    const jointTender = async (lots: number) => {
      const body = tenderBody(moscowId, { jointBuyerIds: [other.organization.id] }) as any;
      const [lot] = body.lots;
      body.lots = Array.from({ length: lots }, (_, i) => ({
        ...lot,
        title: `Paper lot ${i}`,
        estimate: '100000.00',
        shares: [
          { buyerId: buyers[0], amount: '30000.00' },
          { buyerId: buyers[1], amount: '70000.00' },
        ],
        items: [
          {
            ...lot.items[0],
            quantity: '100',
            quantities: buyers.map((buyerId) => ({ buyerId, quantity: '50' })),
          },
        ],
      }));
      return flows.publish(moscowBuyer, body);
    };
    const endDate = new Date(Date.now() + 5 * 86_400_000).toISOString();
    // Statements the amendment sends about lots and their shares (the rest of the app may query meanwhile).
    const runner = PostgresQueryRunner.prototype;
    const lotStatements = async (tender: any, lots: any[]) => {
      const spy = jest.spyOn(runner, 'query');
      try {
        await request(t.http)
          .post(`/api/v1/tenders/${tender.id}/amendments`)
          .set(auth(moscowBuyer))
          .send({ rationale: 'Delivery cost added', lots, tenderPeriod: { endDate } })
          .expect(201);
        return spy.mock.calls.filter(([sql]) => /\blots\b|lot_buyer_shares/.test(String(sql))).length;
      } finally {
        spy.mockRestore();
      }
    };
    const small = await jointTender(1);
    const large = await jointTender(12);
    const one = await lotStatements(small, [
      { lotId: small.lots[0].id, estimate: '100000.01', title: 'New' },
    ]);
    const changes = large.lots.map((lot: any, i: number) =>
      i % 3 === 0
        ? { lotId: lot.id, title: `Paper lot ${i}, delivered` }
        : { lotId: lot.id, estimate: `${100000 + i}.01`, ...(i % 3 === 1 ? { title: `Lot ${i}` } : {}) },
    );
    const twelve = await lotStatements(large, changes);
    expect(twelve).toBe(one);

    const read = (await request(t.http).get(`/api/v1/tenders/${large.id}`).expect(200)).body;
    const feed = await request(t.http)
      .get('/api/v1/tenders/changes')
      .query({ tenderId: large.id, limit: 200 })
      .expect(200);
    const recorded = feed.body.items.find((e: any) => e.type === 'tender.amended').payload.changes;
    for (const [i, change] of changes.entries()) {
      const lot = read.lots.find((l: any) => l.id === change.lotId);
      expect(lot.title).toBe(change.title ?? `Paper lot ${i}`);
      expect(lot.estimate).toBe(change.estimate ?? '100000.00');
      const sum = lot.shares.reduce((total: number, s: any) => total + Math.round(Number(s.amount) * 100), 0);
      expect(sum).toBe(Math.round(Number(lot.estimate) * 100));
      expect(recorded[`lots.${lot.id}.title`]).toEqual(
        change.title ? { before: `Paper lot ${i}`, after: change.title } : undefined,
      );
      expect(recorded[`lots.${lot.id}.estimate`]).toEqual(
        change.estimate ? { before: '100000.00', after: change.estimate } : undefined,
      );
      expect(recorded[`lots.${lot.id}.shares`]).toEqual(
        change.estimate
          ? {
              before: lot.shares.map((s: any) => ({
                buyerId: s.buyerId,
                amount: s.buyerId === buyers[0] ? '30000.00' : '70000.00',
              })),
              after: lot.shares.map((s: any) => ({ buyerId: s.buyerId, amount: s.amount })),
            }
          : undefined,
      );
    }
  });

  it('refuses an amendment naming a lot of another tender by its index, and writes nothing', async () => {
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId));
    const stranger = await flows.publish(moscowBuyer, tenderBody(moscowId));
    const res = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/amendments`)
      .set(auth(moscowBuyer))
      .send({
        rationale: 'Budget revised',
        lots: [
          { lotId: tender.lots[0].id, estimate: '90000.00' },
          { lotId: stranger.lots[0].id, estimate: '80000.00' },
        ],
        tenderPeriod: { endDate: new Date(Date.now() + 5 * 86_400_000).toISOString() },
      })
      .expect(404);
    expect(res.body).toMatchObject({ code: 'LOT_NOT_FOUND', details: { field: 'lots.1.lotId' } });
    const read = async (id: string) => (await request(t.http).get(`/api/v1/tenders/${id}`).expect(200)).body;
    expect((await read(tender.id)).lots[0].estimate).toBe('100000.00');
    expect((await read(stranger.id)).lots[0].estimate).toBe('100000.00');
  });

  it('holds bids for confirmation after a change of terms and requires a later deadline when few days are left', async () => {
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId, {}, 3600));
    const supplier = await factory.actor('supplier');
    await flows.bid(supplier, tender, ['70000.00']);
    const tooSoon = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/amendments`)
      .set(auth(moscowBuyer))
      .send({ rationale: 'Quantity corrected', lots: [{ lotId: tender.lots[0].id, estimate: '120000.00' }] })
      .expect(400);
    expect(tooSoon.body.code).toBe('DEADLINE_EXTENSION_REQUIRED');
    const later = new Date(Date.now() + 4 * 86_400_000).toISOString();
    const amended = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/amendments`)
      .set(auth(moscowBuyer))
      .send({
        rationale: 'Quantity corrected',
        lots: [{ lotId: tender.lots[0].id, estimate: '120000.00' }],
        tenderPeriod: { endDate: later },
      })
      .expect(201);
    expect(amended.body).toEqual({ number: 1, termsChanged: true });
    const mine = await request(t.http)
      .get(`/api/v1/tenders/${tender.id}/bids/mine`)
      .set(auth(supplier))
      .expect(200);
    expect(mine.body.status).toBe('pending_confirmation');
    const eventsOf = (type: string) =>
      t.app
        .get(DataSource)
        .query(`SELECT payload FROM deal_events WHERE tender_id = $1 AND type = $2`, [tender.id, type]);
    expect((await eventsOf('tender.amended'))[0].payload).toMatchObject({
      termsChanged: true,
      bidsAwaitingConfirmation: 1,
    });
    // A second confirmation finds nothing to confirm: the same answer, nothing logged again.
    for (let i = 0; i < 2; i++) {
      const confirmed = await request(t.http)
        .post(`/api/v1/tenders/${tender.id}/bids/mine/confirm`)
        .set(auth(supplier))
        .send({ amendment: 1 })
        .expect(200);
      expect(confirmed.body.status).toBe('active');
    }
    expect(await eventsOf('bid.confirmed')).toHaveLength(1);
    const view = await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200);
    expect(view.body).toMatchObject({ amendmentCount: 1, lots: [{ estimate: '120000.00' }] });
    expect(view.body.tenderPeriod.endDate).toBe(later);
  });

  it('refuses the same document twice: in one list, and one the tender already has, putting no bid on hold', async () => {
    const spec = { title: 'Spec', url: 'https://docs.example.test/spec.pdf', sha256: sha256Hex('spec') };
    const twice = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(moscowBuyer))
      .send(tenderBody(moscowId, { documents: [spec, { ...spec, title: 'Spec again' }] }))
      .expect(400);
    expect(twice.body.message).toBe('documents: documents must not hold the same document (sha256) twice');
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId, { documents: [spec] }, 6 * 86_400));
    const supplier = await factory.actor('supplier');
    await flows.bid(supplier, tender, ['70000.00']);
    const amend = (addDocuments: object[]) =>
      request(t.http)
        .post(`/api/v1/tenders/${tender.id}/amendments`)
        .set(auth(moscowBuyer))
        .send({ rationale: 'Specification attached', addDocuments });
    const again = await amend([{ ...spec, title: 'Specification' }]).expect(400);
    expect(again.body).toMatchObject({
      code: 'TENDER_INVALID',
      details: { field: 'addDocuments', sha256: spec.sha256 },
    });
    const inOne = await amend([
      { ...spec, sha256: sha256Hex('annex') },
      { ...spec, sha256: sha256Hex('annex'), title: 'Annex' },
    ]).expect(400);
    expect(inOne.body.message).toBe(
      'addDocuments: addDocuments must not hold the same document (sha256) twice',
    );
    const view = (await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body;
    expect(view.amendmentCount).toBe(0);
    const mine = await request(t.http)
      .get(`/api/v1/tenders/${tender.id}/bids/mine`)
      .set(auth(supplier))
      .expect(200);
    expect(mine.body.status).toBe('active');
  });

  it('takes a confirmation for the amendments the supplier read, never for one published after them', async () => {
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId, {}, 6 * 86_400));
    const supplier = await factory.actor('supplier');
    await flows.bid(supplier, tender, ['70000.00']);
    const amend = (rationale: string, title: string) =>
      request(t.http)
        .post(`/api/v1/tenders/${tender.id}/amendments`)
        .set(auth(moscowBuyer))
        .send({
          rationale,
          addDocuments: [{ title, url: `https://docs.example.test/${title}.pdf`, sha256: sha256Hex(title) }],
        })
        .expect(201);
    await amend('Technical specification corrected', 'spec-v2');
    // The supplier reads the tender as amended once; the buyer then publishes a second change of terms.
    const read = (await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body;
    expect(read.amendmentCount).toBe(1);
    await amend('Penalty clause added to the contract draft', 'contract-v3');
    const confirm = (amendment: number) =>
      request(t.http)
        .post(`/api/v1/tenders/${tender.id}/bids/mine/confirm`)
        .set(auth(supplier))
        .send({ amendment });
    const stale = await confirm(read.amendmentCount).expect(409);
    expect(stale.body).toMatchObject({ code: 'TENDER_AMENDED_SINCE', details: { amendmentCount: 2 } });
    const mine = () => request(t.http).get(`/api/v1/tenders/${tender.id}/bids/mine`).set(auth(supplier));
    expect((await mine()).body.status).toBe('pending_confirmation');
    const events = (type: string) =>
      t.app
        .get(DataSource)
        .query(`SELECT payload FROM deal_events WHERE tender_id = $1 AND type = $2`, [tender.id, type]);
    expect(await events('bid.confirmed')).toEqual([]);
    // Confirmed under the terms as they now stand, and logged with the amendment it covers.
    await confirm(2).expect(200);
    expect((await mine()).body.status).toBe('active');
    expect((await events('bid.confirmed')).map((e: any) => e.payload.amendment)).toEqual([2]);
    await confirm(-1).expect(400);
  });

  it('leaves a bid and its place in the tie-break as they are when it is sent again unchanged', async () => {
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId, {}, 3));
    const [first, second] = [await factory.actor('supplier'), await factory.actor('supplier')];
    await flows.bid(first, tender, ['50000.00']);
    await flows.bid(second, tender, ['50000.00']);
    const put = (price: string) =>
      request(t.http)
        .put(`/api/v1/tenders/${tender.id}/bids/mine`)
        .set(auth(first))
        .send({ currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price }] })
        .expect(200);
    const before = (await request(t.http).get(`/api/v1/tenders/${tender.id}/bids/mine`).set(auth(first)))
      .body;
    // A retried save of the same form: the same prices (written otherwise), the same (no) documents.
    expect(await put('50000')).toHaveProperty('body', before);
    const changed = () =>
      t.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS n FROM deal_events WHERE tender_id = $1 AND type = 'bid.changed'`, [
          tender.id,
        ]);
    expect((await changed())[0].n).toBe(0);
    await flows.closeAfterDeadline(tender);
    const awards = (await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200)).body.items;
    expect(awards[0].supplierId).toBe(first.organization.id);
  });

  it('answers a retried amendment or question with the same Idempotency-Key with what the first one did', async () => {
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId, {}, 5 * 86_400));
    const supplier = await factory.actor('supplier');
    await flows.bid(supplier, tender, ['70000.00']);
    const db = t.app.get(DataSource);
    const count = async (sql: string) => (await db.query(sql, [tender.id]))[0].n as number;
    const amendments = () =>
      count(`SELECT count(*)::int AS n FROM deal_events WHERE tender_id = $1 AND type = 'tender.amended'`);
    const documents = () => count(`SELECT count(*)::int AS n FROM tender_documents WHERE tender_id = $1`);
    const questions = () => count(`SELECT count(*)::int AS n FROM tender_questions WHERE tender_id = $1`);
    const [amendmentsBefore, documentsBefore] = [await amendments(), await documents()];
    const body = {
      rationale: 'The drawings were missing',
      addDocuments: [
        { title: 'Чертежи', url: 'https://docs.example.test/drawings.pdf', sha256: 'a'.repeat(64) },
      ],
    };
    const amend = (key: string, sent: object = body) =>
      request(t.http)
        .post(`/api/v1/tenders/${tender.id}/amendments`)
        .set(auth(moscowBuyer))
        .set('Idempotency-Key', key)
        .send(sent);
    const first = await amend('amend-drawings-1').expect(201);
    expect(first.body).toEqual({ number: 1, termsChanged: true });
    // The supplier confirms; the retry must not put the bid on hold again.
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/bids/mine/confirm`)
      .set(auth(supplier))
      .send({ amendment: 1 })
      .expect(200);
    expect((await amend('amend-drawings-1').expect(200)).body).toEqual(first.body);
    expect(await amendments()).toBe(amendmentsBefore + 1);
    expect(await documents()).toBe(documentsBefore + 1);
    const mine = await request(t.http).get(`/api/v1/tenders/${tender.id}/bids/mine`).set(auth(supplier));
    expect(mine.body.status).toBe('active');
    const reused = await amend('amend-drawings-1', { ...body, rationale: 'Something else' }).expect(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // The key is the organiser's across its tenders: sent for another tender, the same request is refused.
    const other = await flows.publish(moscowBuyer, tenderBody(moscowId, {}, 5 * 86_400));
    const elsewhere = await request(t.http)
      .post(`/api/v1/tenders/${other.id}/amendments`)
      .set(auth(moscowBuyer))
      .set('Idempotency-Key', 'amend-drawings-1')
      .send(body)
      .expect(409);
    expect(elsewhere.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await request(t.http).get(`/api/v1/tenders/${other.id}`)).body.documents ?? []).toHaveLength(0);
    expect(
      await db.query(`SELECT count(*)::int AS n FROM tender_amendments WHERE tender_id = $1`, [other.id]),
    ).toEqual([{ n: 0 }]);
    expect((await amend('bad key!').expect(400)).body.code).toBe('VALIDATION_FAILED');

    const ask = (key: string, text = 'Is recycled paper acceptable?') =>
      request(t.http)
        .post(`/api/v1/tenders/${tender.id}/questions`)
        .set(auth(supplier))
        .set('Idempotency-Key', key)
        .send({ text });
    const asked = await ask('question-paper-1').expect(201);
    const [again, concurrent] = await Promise.all([ask('question-paper-1'), ask('question-paper-1')]);
    for (const res of [again, concurrent]) {
      expect(res.status).toBe(200);
      expect(res.body).toEqual(asked.body);
    }
    expect(await questions()).toBe(1);
    expect((await ask('question-paper-1', 'Another question').expect(409)).body.code).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
    // Two concurrent first attempts under one key: one question, both answered with it.
    const [a, b] = await Promise.all([
      ask('question-paper-2', 'Pallets?'),
      ask('question-paper-2', 'Pallets?'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect(await questions()).toBe(2);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM deal_events WHERE tender_id = $1 AND type = 'question.asked'`,
      ),
    ).toBe(2);
  });

  it('refuses an amendment that changes one lot twice, or changes nothing, and writes nothing', async () => {
    const db = t.app.get(DataSource);
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId));
    const lotId = tender.lots[0].id;
    const amend = (body: Record<string, unknown>) =>
      request(t.http)
        .post(`/api/v1/tenders/${tender.id}/amendments`)
        .set(auth(moscowBuyer))
        .send({ rationale: 'Budget revised', ...body });
    const twice = await amend({
      lots: [
        { lotId, estimate: '90000.00' },
        { lotId, estimate: '80000.00' },
      ],
      tenderPeriod: { endDate: new Date(Date.now() + 5 * 86_400_000).toISOString() },
    }).expect(400);
    expect(twice.body).toMatchObject({ code: 'TENDER_INVALID', details: { field: 'lots' } });
    const nothing = await amend({ lots: [{ lotId, estimate: tender.lots[0].estimate }] }).expect(400);
    expect(nothing.body.code).toBe('NOTHING_TO_AMEND');
    const [row] = await db.query(
      `SELECT t.amendment_count AS n, l.estimate::text AS estimate,
              (SELECT count(*)::int FROM deal_events e WHERE e.tender_id = t.id AND e.type = 'tender.amended') AS events
         FROM tenders t JOIN lots l ON l.tender_id = t.id WHERE t.id = $1`,
      [tender.id],
    );
    expect(row).toEqual({ n: 0, estimate: tender.lots[0].estimate, events: 0 });
  });

  it('takes at most 100 amendments, 200 documents and 20 questions of a supplier per tender, and refuses more with 409', async () => {
    const db = t.app.get(DataSource);
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId, {}, 30 * 86_400));
    const amend = (body: Record<string, unknown>) =>
      request(t.http)
        .post(`/api/v1/tenders/${tender.id}/amendments`)
        .set(auth(moscowBuyer))
        .send({ rationale: 'Clarified', ...body });
    const documents = (n: number, from = 0) =>
      Array.from({ length: n }, (_, i) => ({
        title: `Annex ${from + i}`,
        url: `https://example.org/annex-${from + i}.pdf`,
        sha256: sha256Hex(`annex-${from + i}`),
      }));
    // As if 195 documents had come with earlier amendments: 5 more fit, 6 do not.
    await db.query(
      `INSERT INTO tender_documents (tender_id, title, url, sha256)
       SELECT $1, 'Earlier ' || n, 'https://example.org/earlier-' || n || '.pdf', repeat('e', 64)
         FROM generate_series(1, 195) n`,
      [tender.id],
    );
    const tooMany = await amend({ addDocuments: documents(6) }).expect(409);
    expect(tooMany.body).toMatchObject({
      code: 'TENDER_LIMIT_REACHED',
      details: { field: 'addDocuments', limit: 200, documents: 195 },
    });
    await amend({ addDocuments: documents(5) }).expect(201);
    // As if 98 more amendments had been made: the 100th passes, the 101st does not.
    await db.query(`UPDATE tenders SET amendment_count = 99 WHERE id = $1`, [tender.id]);
    await amend({ title: 'Office paper for city schools, A4' }).expect(201);
    const refused = await amend({ title: 'Office paper for city schools, A3' }).expect(409);
    expect(refused.body).toMatchObject({
      code: 'TENDER_LIMIT_REACHED',
      details: { field: 'amendments', limit: 100 },
    });
    const [row] = await db.query(
      `SELECT t.title, t.amendment_count AS n, (SELECT count(*)::int FROM tender_documents d WHERE d.tender_id = t.id) AS docs
         FROM tenders t WHERE t.id = $1`,
      [tender.id],
    );
    expect(row).toEqual({ title: 'Office paper for city schools, A4', n: 100, docs: 200 });
    // A supplier asks at most 20 questions on one tender; another supplier may still ask.
    const [asker, other] = [await factory.actor('supplier'), await factory.actor('supplier')];
    const ask = (by: typeof asker, i: number) =>
      request(t.http)
        .post(`/api/v1/tenders/${tender.id}/questions`)
        .set(auth(by))
        .send({ text: `Question number ${i}?` });
    for (let i = 1; i <= 20; i++) await ask(asker, i).expect(201);
    const twentyFirst = await ask(asker, 21).expect(409);
    expect(twentyFirst.body).toMatchObject({
      code: 'TENDER_LIMIT_REACHED',
      details: { field: 'questions', limit: 20 },
    });
    await ask(other, 1).expect(201);
    const [asked] = await db.query(
      `SELECT count(*)::int AS n FROM tender_questions WHERE tender_id = $1 AND asker_id = $2`,
      [tender.id, asker.organization.id],
    );
    expect(asked.n).toBe(20);
  });

  it('counts the questions a supplier sends at the same instant one at a time: 25 at once, 20 asked', async () => {
    const db = t.app.get(DataSource);
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId, {}, 30 * 86_400));
    const asker = await factory.actor('supplier');
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        request(t.http)
          .post(`/api/v1/tenders/${tender.id}/questions`)
          .set(auth(asker))
          .send({ text: `Question sent at once, number ${i + 1}?` }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(5);
    for (const refused of answers.filter((r) => r.status === 409)) {
      expect(refused.body).toMatchObject({ code: 'TENDER_LIMIT_REACHED', details: { field: 'questions' } });
    }
    const [asked] = await db.query(
      `SELECT (SELECT count(*)::int FROM tender_questions WHERE tender_id = $1) AS questions,
              (SELECT count(*)::int FROM deal_events WHERE tender_id = $1 AND type = 'question.asked') AS events`,
      [tender.id],
    );
    expect(asked).toEqual({ questions: 20, events: 20 });
  });

  it('refuses an amendment whose wait for the tender row outlasted the deadline, so bidding never reopens', async () => {
    const db = t.app.get(DataSource);
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId, {}, 3));
    const deadline = new Date(tender.tenderPeriod.endDate).getTime();
    // A bid's transaction (a change, a confirmation, a withdrawal) share-locks the tender row across the deadline.
    const bidTx = db.createQueryRunner();
    await bidTx.connect();
    await bidTx.startTransaction();
    let amended: request.Response;
    try {
      await bidTx.query('SELECT 1 FROM tenders WHERE id = $1 FOR SHARE', [tender.id]);
      // The organiser extends the deadline a moment before it passes; the amendment waits for the bid.
      const amendment = request(t.http)
        .post(`/api/v1/tenders/${tender.id}/amendments`)
        .set(auth(moscowBuyer))
        .send({
          rationale: 'More time for suppliers',
          tenderPeriod: { endDate: new Date(Date.now() + 5 * 86_400_000).toISOString() },
        })
        .then((r) => r);
      await untilWaitingOnLock(db, 'clock_timestamp() AS now');
      await new Promise((r) => setTimeout(r, deadline - Date.now() + 300));
      await bidTx.commitTransaction();
      amended = await amendment;
    } finally {
      if (bidTx.isTransactionActive) await bidTx.rollbackTransaction();
      await bidTx.release();
    }
    expect([amended.status, amended.body.code]).toEqual([409, 'TENDER_DEADLINE_PASSED']);
    const late = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/bids`)
      .set(auth(await factory.actor('supplier')))
      .send({ currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price: '90000.00' }] });
    expect([late.status, late.body.code]).toEqual([409, 'BID_AFTER_DEADLINE']);
  });

  it('refuses an amendment once the deadline has passed, even while a question holds the closing', async () => {
    const db = t.app.get(DataSource);
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId));
    const asker = await factory.actor('supplier');
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/questions`)
      .set(auth(asker))
      .send({ text: 'Is delivery to the warehouse included?' })
      .expect(201);
    await db.query(`UPDATE tenders SET tender_end = now() - interval '1 second' WHERE id = $1`, [tender.id]);
    const [{ end }] = await db.query(`SELECT tender_end AS end FROM tenders WHERE id = $1`, [tender.id]);
    const events = () =>
      db.query(`SELECT count(*)::int AS n FROM deal_events WHERE tender_id = $1`, [tender.id]);
    const before = await events();
    // A later deadline would reopen bidding after the deadline that has passed.
    const res = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/amendments`)
      .set(auth(moscowBuyer))
      .send({
        rationale: 'More time for suppliers',
        tenderPeriod: { endDate: new Date(Date.now() + 5 * 86_400_000).toISOString() },
      })
      .expect(409);
    expect(res.body).toMatchObject({
      code: 'TENDER_DEADLINE_PASSED',
      details: { deadline: end.toISOString() },
    });
    const [row] = await db.query(
      `SELECT tender_end AS end, amendment_count AS n FROM tenders WHERE id = $1`,
      [tender.id],
    );
    expect(row).toEqual({ end, n: 0 });
    expect(await events()).toEqual(before);
  });

  it('refuses to confirm a bid above a maximum price an amendment lowered; the bid is changed instead', async () => {
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId, {}, 4 * 86_400));
    const supplier = await factory.actor('supplier');
    await flows.bid(supplier, tender, ['90000.00']);
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/amendments`)
      .set(auth(moscowBuyer))
      .send({ rationale: 'Budget cut', lots: [{ lotId: tender.lots[0].id, estimate: '80000.00' }] })
      .expect(201);
    const confirm = () =>
      request(t.http)
        .post(`/api/v1/tenders/${tender.id}/bids/mine/confirm`)
        .set(auth(supplier))
        .send({ amendment: 1 });
    const refused = await confirm().expect(400);
    expect(refused.body).toMatchObject({
      code: 'BID_PRICE_ABOVE_ESTIMATE',
      details: { lotId: tender.lots[0].id, estimate: '80000.00' },
    });
    const mine = () => request(t.http).get(`/api/v1/tenders/${tender.id}/bids/mine`).set(auth(supplier));
    expect((await mine().expect(200)).body.status).toBe('pending_confirmation');
    const confirmations = await t.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM deal_events WHERE tender_id = $1 AND type = 'bid.confirmed'`, [
        tender.id,
      ]);
    expect(confirmations).toEqual([{ n: 0 }]);
    await request(t.http)
      .put(`/api/v1/tenders/${tender.id}/bids/mine`)
      .set(auth(supplier))
      .send({ currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price: '79000.00' }] })
      .expect(200);
    expect((await mine().expect(200)).body).toMatchObject({
      status: 'active',
      lots: [{ lotId: tender.lots[0].id, price: '79000.00' }],
    });
  });

  /** A published tender of the Moscow buyer, and a question a new supplier asked about it. */
  const questionOfNewSupplier = async () => {
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId));
    const asker = await factory.actor('supplier');
    const q = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/questions`)
      .set(auth(asker))
      .send({ text: 'Which paper density?' })
      .expect(201);
    return { tender, asker, q };
  };

  it('answers a question once, returning it, and refuses a second answer without logging it', async () => {
    const { tender, q } = await questionOfNewSupplier();
    const answer = (text: string) =>
      request(t.http)
        .post(`/api/v1/tenders/${tender.id}/questions/${q.body.id}/answer`)
        .set(auth(moscowBuyer))
        .send({ answer: text });
    const first = await answer('80 g/m2').expect(200);
    expect(first.body).toMatchObject({ id: q.body.id, answer: '80 g/m2', answeredAt: expect.any(String) });
    const second = await answer('90 g/m2').expect(409);
    expect(second.body.code).toBe('QUESTION_ALREADY_ANSWERED');
    const logged = await t.app
      .get(DataSource)
      .query(
        `SELECT payload->>'answer' AS answer FROM deal_events WHERE tender_id = $1 AND type = 'question.answered'`,
        [tender.id],
      );
    expect(logged).toEqual([{ answer: '80 g/m2' }]);
  });

  it('refuses a question about a lot cancelled while the question waited for the tender', async () => {
    const db = t.app.get(DataSource);
    const body = tenderBody(moscowId);
    const tender = await flows.publish(
      moscowBuyer,
      tenderBody(moscowId, { lots: [body.lots[0], { ...body.lots[0], title: 'Paper A3' }] }),
    );
    const asker = await factory.actor('supplier');
    const before = await db.query(`SELECT count(*)::int AS n FROM tender_questions WHERE tender_id = $1`, [
      tender.id,
    ]);
    // The question waits for the tender row while the lot it asks about is cancelled.
    const res = await whileTenderHeld(
      db,
      tender.id,
      'tender_questions',
      () =>
        request(t.http)
          .post(`/api/v1/tenders/${tender.id}/questions`)
          .set(auth(asker))
          .send({ text: 'Which paper density?', lotId: tender.lots[0].id }),
      (holder) =>
        holder.query(
          `UPDATE lots SET status = 'cancelled', status_reason = 'Bought elsewhere' WHERE id = $1`,
          [tender.lots[0].id],
        ),
    );
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 409, code: 'LOT_STATE_CONFLICT' });
    expect(res.body.details).toEqual({ field: 'lotId', status: 'cancelled', required: 'active' });
    expect(
      await db.query(`SELECT count(*)::int AS n FROM tender_questions WHERE tender_id = $1`, [tender.id]),
    ).toEqual(before);
  });

  it('cancels a lot once, and refuses a lot that is cancelled already or not in the tender', async () => {
    const body = tenderBody(moscowId);
    const tender = await flows.publish(
      moscowBuyer,
      tenderBody(moscowId, { lots: [body.lots[0], { ...body.lots[0], title: 'Paper A3' }] }),
    );
    const cancel = (lotId: string) =>
      request(t.http)
        .post(`/api/v1/tenders/${tender.id}/lots/${lotId}/cancel`)
        .set(auth(moscowBuyer))
        .send({ reason: 'Bought elsewhere' });
    await cancel(tender.lots[0].id).expect(200);
    // Cancelled already: the lot's state is named; a lot not in the tender is not found.
    const again = await cancel(tender.lots[0].id).expect(409);
    expect(again.body).toMatchObject({
      code: 'LOT_STATE_CONFLICT',
      details: { status: 'cancelled', required: 'active' },
    });
    expect((await cancel('00000000-0000-4000-8000-000000000000').expect(404)).body.code).toBe(
      'LOT_NOT_FOUND',
    );
    const amended = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/amendments`)
      .set(auth(moscowBuyer))
      .send({
        rationale: 'Budget revised',
        lots: [{ lotId: tender.lots[0].id, estimate: '90000.00' }],
        tenderPeriod: { endDate: new Date(Date.now() + 5 * 86_400_000).toISOString() },
      })
      .expect(409);
    expect(amended.body).toMatchObject({ code: 'LOT_STATE_CONFLICT', details: { field: 'lots.0.lotId' } });
    // Questions are asked about the lots still on offer, not about a cancelled one.
    const asker = await factory.actor('supplier');
    const ask = (lotId: string) =>
      request(t.http)
        .post(`/api/v1/tenders/${tender.id}/questions`)
        .set(auth(asker))
        .send({ text: 'Which paper density?', lotId });
    expect((await ask(tender.lots[0].id).expect(409)).body.code).toBe('LOT_STATE_CONFLICT');
    await ask(tender.lots[1].id).expect(201);
    const logged = await t.app
      .get(DataSource)
      .query(
        `SELECT payload->>'lotId' AS "lotId" FROM deal_events WHERE tender_id = $1 AND type = 'lot.cancelled'`,
        [tender.id],
      );
    expect(logged).toEqual([{ lotId: tender.lots[0].id }]);
    const view = await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200);
    expect(view.body.status).toBe('active.tendering');
  });

  it('lets only the organiser answer questions, with the asker anonymised', async () => {
    const { tender, asker, q } = await questionOfNewSupplier();
    const stranger = await factory.actor('buyer');
    const res = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/questions/${q.body.id}/answer`)
      .set(auth(stranger))
      .send({ answer: 'Any' })
      .expect(403);
    expect(res.body.code).toBe('NOT_THE_BUYER');
    const list = await request(t.http).get(`/api/v1/tenders/${tender.id}/questions`).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(asker.organization.id);
  });

  it('logs a question with its event, and refuses a question with a distinct code, writing nothing', async () => {
    const db = t.app.get(DataSource);
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId));
    const asker = await factory.actor('supplier');
    const lotId = tender.lots[0].id;
    const asked = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/questions`)
      .set(auth(asker))
      .send({ text: 'Which paper density?', lotId })
      .expect(201);
    expect(asked.body).toMatchObject({ lotId, text: 'Which paper density?', answer: null, answeredAt: null });
    const events = await db.query(
      `SELECT type, actor_id, payload FROM deal_events WHERE tender_id = $1 AND type = 'question.asked'`,
      [tender.id],
    );
    expect(events).toEqual([
      {
        type: 'question.asked',
        actor_id: null,
        payload: { questionId: asked.body.id, lotId, text: 'Which paper density?' },
      },
    ]);

    const written = async () =>
      (
        await db.query<{ n: string }[]>(
          `SELECT (SELECT count(*) FROM tender_questions) + (SELECT count(*) FROM deal_events) AS n`,
        )
      )[0]!.n;
    const before = await written();
    const ask = (actor: Actor, tenderId: string, body: Record<string, unknown>) =>
      request(t.http).post(`/api/v1/tenders/${tenderId}/questions`).set(auth(actor)).send(body);
    const pending = await factory.actor('supplier', { status: 'pending' });
    const draft = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(moscowBuyer))
      .send(tenderBody(moscowId))
      .expect(201);
    const refusals: [Actor, string, Record<string, unknown>, number, string][] = [
      [pending, tender.id, { text: 'Which size, please?' }, 403, 'SUPPLIER_NOT_ACTIVE'],
      [moscowBuyer, tender.id, { text: 'Which size, please?' }, 403, 'FORBIDDEN_ROLE'],
      [asker, draft.body.id, { text: 'Which size, please?' }, 404, 'TENDER_NOT_FOUND'],
      [
        asker,
        '00000000-0000-4000-8000-000000000000',
        { text: 'Which size, please?' },
        404,
        'TENDER_NOT_FOUND',
      ],
      [asker, tender.id, { text: 'Which size, please?', lotId: draft.body.lots[0].id }, 404, 'LOT_NOT_FOUND'],
    ];
    for (const [actor, tenderId, body, status, code] of refusals) {
      const res = await ask(actor, tenderId, body);
      expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    }
    await db.query(`UPDATE tenders SET clarifications_until = now() - interval '1 second' WHERE id = $1`, [
      tender.id,
    ]);
    const late = await ask(asker, tender.id, { text: 'Which size, please?' });
    expect({ status: late.status, code: late.body.code }).toEqual({
      status: 409,
      code: 'CLARIFICATIONS_CLOSED',
    });
    await db.query(`UPDATE tenders SET status = 'cancelled' WHERE id = $1`, [tender.id]);
    const cancelled = await ask(asker, tender.id, { text: 'Which size, please?' });
    expect(cancelled.status).toBe(409);
    expect(cancelled.body).toMatchObject({ code: 'TENDER_STATE_CONFLICT', details: { status: 'cancelled' } });
    expect(await written()).toBe(before);
  });

  it('answers a wrong-state action with 409 naming the state and what is needed', async () => {
    const tender = await flows.publish(moscowBuyer, tenderBody(moscowId));
    const res = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/publish`)
      .set(auth(moscowBuyer))
      .expect(409);
    expect(res.body).toMatchObject({
      code: 'TENDER_STATE_CONFLICT',
      details: { status: 'active.tendering', required: 'draft' },
    });
  });

  it('lists published tenders with filters and a stable cursor', async () => {
    // Its own tenders: five of paper, one of pens (another CPV division) and one completed with a word of its own.
    const mine = [];
    for (let i = 0; i < 5; i++) mine.push((await flows.publish(moscowBuyer, tenderBody(moscowId))).id);
    const pensBody = tenderBody(moscowId, {
      title: 'Ballpoint pens for city libraries',
      description: 'Blue ink, medium point',
    }) as any;
    pensBody.lots[0].items[0].classification = { scheme: 'CPV', id: '30192121-5' };
    const pens = await flows.publish(moscowBuyer, pensBody);
    const done = await flows.publish(
      moscowBuyer,
      tenderBody(moscowId, { title: 'Watercolour paper for art schools' }, 3),
    );
    const winner = await factory.actor('supplier');
    await flows.bid(winner, done, ['50000.00']);
    await flows.closeAfterDeadline(done);
    const [contract] = await flows.acceptAward(moscowBuyer, done);
    await new Promise((r) => setTimeout(r, 1100));
    await request(t.http).post(`/api/v1/contracts/${contract.id}/sign`).set(auth(moscowBuyer)).expect(204);
    await request(t.http).post(`/api/v1/contracts/${contract.id}/confirm`).set(auth(winner)).expect(204);

    // The CPV subtree of office paper, two at a time: the same tenders, in the same order, as in one page.
    const paperCpv = { cpv: '30197000-6' };
    const whole = await request(t.http)
      .get('/api/v1/tenders')
      .query({ ...paperCpv, limit: 200 })
      .expect(200);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.http)
        .get('/api/v1/tenders')
        .query({ limit: 2, ...paperCpv, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...res.body.items.map((x: any) => x.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(whole.body.items.map((x: any) => x.id));
    expect(seen).toEqual(expect.arrayContaining([...mine, done.id]));
    expect(seen).not.toContain(pens.id);
    const words = await request(t.http)
      .get('/api/v1/tenders')
      .query({ q: 'watercolour', status: 'complete' })
      .expect(200);
    expect(words.body.items.map((x: any) => x.id)).toEqual([done.id]);
    const stillOpen = await request(t.http)
      .get('/api/v1/tenders')
      .query({ q: 'watercolour', status: 'active.tendering' })
      .expect(200);
    expect(stillOpen.body.items).toEqual([]);
    // Words alone, in either configuration: English stems "papers" to the title's "paper".
    const english = await request(t.http)
      .get('/api/v1/tenders')
      .query({ q: 'papers', limit: 200 })
      .expect(200);
    expect(english.body.items.map((x: any) => x.id)).toEqual(expect.arrayContaining([...mine, done.id]));
    expect(english.body.items.every((x: any) => /paper/i.test(x.title))).toBe(true);
    for (const q of ['стулья', 'a%00b']) {
      const none = await request(t.http).get('/api/v1/tenders').query({ q }).expect(200);
      expect(none.body.items).toEqual([]);
    }
  });

  it('lists the tenders of a buyer city, joint ones included, the same whichever way a filter is read', async () => {
    const magadan = await factory.city('magadan');
    const magadanBuyer = await factory.actor('buyer', { cityCode: 'magadan' });
    const own = [];
    for (let i = 0; i < 3; i++) {
      own.push((await flows.publish(magadanBuyer, tenderBody(magadan.id, {}, (i + 2) * 86_400))).id);
    }
    const jointBody = jointTenderBody(moscowId, [
      { buyerId: moscowBuyer.organization.id, share: '60000.00', quantity: '120' },
      { buyerId: magadanBuyer.organization.id, share: '40000.00', quantity: '80' },
    ]);
    const joint = await flows.publish(moscowBuyer, jointBody);
    // A draft of the city is not listed.
    await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(magadanBuyer))
      .send(tenderBody(magadan.id))
      .expect(201);
    const listed = async (query: Record<string, string>) =>
      (
        await request(t.http)
          .get('/api/v1/tenders')
          .query({ ...query, limit: 200 })
          .expect(200)
      ).body.items.map((x: { id: string }) => x.id);
    expect(await listed({ buyerCityId: magadan.id })).toEqual([joint.id, ...[...own].reverse()]);
    expect(await listed({ buyerCityId: (await factory.city('gyumri')).id })).toEqual([]);
    // Deadlines in 2, 3 and 4 days, the joint tender's in an hour: windows of them.
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
    expect(await listed({ buyerCityId: magadan.id, deadlineFrom: day(2.5), deadlineTo: day(3.5) })).toEqual([
      own[1],
    ]);
    expect(await listed({ buyerCityId: magadan.id, deadlineFrom: day(3.5) })).toEqual([own[2]]);
    expect(await listed({ buyerCityId: magadan.id, deadlineTo: day(2.5) })).toEqual([joint.id, own[0]]);
    const moscowOnly = await listed({ buyerCityId: moscowId });
    expect(moscowOnly).toContain(joint.id);
    expect(moscowOnly).not.toContain(own[0]);
    // A filter admitting more tenders than are collected first is checked tender by tender instead: the same
    // pages, for each filter and for filters together.
    const queries = t.app.get(TenderQueriesService);
    const filters: Record<string, string>[] = [
      { buyerCityId: magadan.id },
      { buyerCityId: moscowId },
      { cpv: '30197000-6' },
      { cpv: '30197000-6', buyerCityId: magadan.id },
      { q: 'paper', buyerCityId: moscowId },
    ];
    for (const filter of filters) {
      const walked = await allPages((cursor) => queries.list({ ...filter, limit: 2, cursor, matchCap: 0 }));
      expect(walked.map((x) => x.id)).toEqual(await listed(filter));
    }
  });

  it('finds a tender by the words of its title as amended, in their Russian forms, and not by the old ones', async () => {
    const ids = async (q: string): Promise<string[]> =>
      (await request(t.http).get('/api/v1/tenders').query({ q, limit: 200 }).expect(200)).body.items.map(
        (x: { id: string }) => x.id,
      );
    const tender = await flows.publish(
      moscowBuyer,
      tenderBody(moscowId, { title: 'Ватман для городских школ' }, 30 * 86_400),
    );
    expect(await ids('ватмана')).toContain(tender.id);
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/amendments`)
      .set(auth(moscowBuyer))
      .send({ rationale: 'A more exact title', title: 'Картон переплётный для школ' })
      .expect(201);
    expect(await ids('картона')).toContain(tender.id);
    expect(await ids('ватман')).not.toContain(tender.id);
    // A change of status alone leaves the words as they are.
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/cancel`)
      .set(auth(moscowBuyer))
      .send({ reason: 'The need is gone' })
      .expect(200);
    expect(await ids('картон')).toContain(tender.id);
    // A word with more matches than are collected first is searched newest first instead: the same pages.
    const queries = t.app.get(TenderQueriesService);
    for (const q of ['картон', 'paper', 'школ', 'нет-такого-слова']) {
      const walked = await allPages((cursor) => queries.list({ q, limit: 2, cursor, matchCap: 0 }));
      expect(walked.map((x) => x.id)).toEqual(await ids(q));
    }
    expect((await ids('school')).length).toBeGreaterThan(1);
  });

  it('compares a value range within the currency asked for, as the auditors’ deal search does', async () => {
    // 100,000 RUB and 100,000 UZS (about 700 RUB) are not one value.
    const rub = await flows.publish(moscowBuyer, tenderBody(moscowId, { title: 'Value range in roubles' }));
    const uzs = await flows.publish(
      moscowBuyer,
      tenderBody(moscowId, { title: 'Value range in sums', currency: 'UZS' }),
    );
    const ids = async (query: Record<string, string>) =>
      (
        await request(t.http)
          .get('/api/v1/tenders')
          .query({ ...query, limit: 200 })
          .expect(200)
      ).body.items.map((x: any) => x.id);
    const both = await ids({ valueMin: '50000' });
    expect([both.includes(rub.id), both.includes(uzs.id)]).toEqual([true, true]);
    const roubles = await ids({ valueMin: '50000', currency: 'RUB' });
    expect([roubles.includes(rub.id), roubles.includes(uzs.id)]).toEqual([true, false]);
    expect(await ids({ currency: 'UZS' })).toEqual([uzs.id]);
    await request(t.http).get('/api/v1/tenders').query({ currency: 'rub' }).expect(400);
  });
});
