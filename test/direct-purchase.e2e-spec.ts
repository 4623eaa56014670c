import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RedFlagsService } from '@app/domain/analytics';
import { Actor, ActorFactory } from './factories/actors';
import { auth, TenderFlows, tenderBody } from './factories/tenders';
import { createTestApp, TestApp } from './setup/app-factory';
import { OcdsValidator } from './setup/ocds-validator';
import { resetState } from './setup/reset';

describe('Direct purchases', () => {
  let t: TestApp;
  let db: DataSource;
  let factory: ActorFactory;
  let flows: TenderFlows;
  let buyer: Actor;
  let supplier: Actor;
  let cityId: string;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    db = t.app.get(DataSource);
    factory = new ActorFactory(t.app);
    flows = new TenderFlows(t.app);
    buyer = await factory.actor('buyer', { cityCode: 'moscow' });
    supplier = await factory.actor('supplier', { cityCode: 'kazan' });
    cityId = (await factory.city('moscow')).id;
  });
  afterAll(() => t.app.close());

  const RATIONALE = 'Единственный поставщик бумаги данного сорта в регионе, эксклюзивный дистрибьютор';

  /** A direct purchase of 200 packs of paper at 95,000.00 from the supplier. */
  const directBody = (award: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) => {
    const body = tenderBody(cityId, { method: 'direct', ...overrides }) as any;
    delete body.tenderPeriod;
    body.lots[0].estimate = '95000.00';
    body.directAward = {
      supplierId: supplier.organization.id,
      reason: 'sole_supplier',
      rationale: RATIONALE,
      ...award,
    };
    return body;
  };
  const report = async (body: Record<string, unknown>) => {
    const draft = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(body).expect(201);
    return request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(buyer));
  };
  const tendersOfBuyer = async () =>
    Number(
      (
        await db.query(`SELECT count(*) AS n FROM tenders WHERE organizer_id = $1`, [buyer.organization.id])
      )[0].n,
    );
  /** An open tender of the buyer that failed: one bid where two were needed. */
  const failedTender = async (by: Actor) => {
    const tender = await flows.publish(by, tenderBody(cityId, { minBids: 2 }, 2));
    await flows.bid(await factory.actor('supplier'), tender, ['90000.00']);
    await flows.closeAfterDeadline(tender);
    return tender;
  };

  it('names its supplier, reason and rationale, and has nothing of a competition', async () => {
    const pending = await factory.actor('supplier', { status: 'pending' });
    const otherBuyer = await factory.actor('buyer', { cityCode: 'moscow' });
    const live = await flows.publish(buyer, tenderBody(cityId, {}, 3600));
    const othersFailure = await failedTender(otherBuyer);
    const withPeriod = directBody();
    withPeriod.tenderPeriod = { endDate: new Date(Date.now() + 3600_000).toISOString() };
    const openWithAward = tenderBody(cityId, {
      directAward: { supplierId: supplier.organization.id, reason: 'sole_supplier', rationale: RATIONALE },
    });
    const cases: [Record<string, unknown>, string][] = [
      [{ ...directBody(), directAward: undefined }, 'directAward'],
      [withPeriod, 'tenderPeriod'],
      [directBody({}, { localPreference: { scope: 'city', percent: '10' } }), 'localPreference'],
      [openWithAward, 'directAward'],
      [directBody({ supplierId: randomUUID() }), 'directAward.supplierId'],
      [directBody({ supplierId: pending.organization.id }), 'directAward.supplierId'],
      [directBody({ supplierId: otherBuyer.organization.id }), 'directAward.supplierId'],
      [directBody({ reason: 'failed_competition' }), 'directAward.relatedTenderId'],
      [directBody({ reason: 'failed_competition', relatedTenderId: live.id }), 'directAward.relatedTenderId'],
      [
        directBody({ reason: 'failed_competition', relatedTenderId: othersFailure.id }),
        'directAward.relatedTenderId',
      ],
    ];
    const before = await tendersOfBuyer();
    for (const [body, field] of cases) {
      const res = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(body);
      expect({ field, status: res.status, code: res.body.code, detail: res.body.details?.field }).toEqual({
        field,
        status: 400,
        code: 'TENDER_INVALID',
        detail: field,
      });
    }
    const vague = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(buyer))
      .send(directBody({ rationale: 'Так надо' }));
    expect(vague.status).toBe(400);
    expect(await tendersOfBuyer()).toBe(before);
  });

  it('is awarded to its supplier as it is published, with no bids, questions or amendments, and signed at once', async () => {
    const res = await report(directBody());
    expect(res.status).toBe(200);
    const tender = res.body;
    expect(tender).toMatchObject({
      method: 'direct',
      status: 'active.awarded',
      tenderPeriod: null,
      directAward: {
        supplierId: supplier.organization.id,
        supplierName: supplier.organization.legalName,
        reason: 'sole_supplier',
        rationale: RATIONALE,
        relatedTenderId: null,
      },
    });
    const awards = (await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200)).body.items;
    expect(awards).toEqual([
      expect.objectContaining({
        status: 'active',
        bidId: null,
        rank: null,
        supplierId: supplier.organization.id,
        amount: '95000.00',
      }),
    ]);
    const contracts = (await request(t.http).get(`/api/v1/tenders/${tender.id}/contracts`).expect(200)).body
      .items;
    expect(contracts).toEqual([
      expect.objectContaining({ buyerId: buyer.organization.id, amount: '95000.00', status: 'pending' }),
    ]);
    const events = await db.query(`SELECT type, actor_id FROM deal_events WHERE tender_id = $1 ORDER BY id`, [
      tender.id,
    ]);
    expect(events).toEqual([
      { type: 'tender.published', actor_id: buyer.organization.id },
      { type: 'award.direct', actor_id: buyer.organization.id },
      { type: 'contract.created', actor_id: buyer.organization.id },
    ]);

    const other = await factory.actor('supplier');
    const bid = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/bids`)
      .set(auth(other))
      .send({ currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price: '90000.00' }] });
    expect([bid.status, bid.body.code]).toEqual([409, 'TENDER_NOT_ACCEPTING_BIDS']);
    const asked = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/questions`)
      .set(auth(other))
      .send({ text: 'Why not a tender?' });
    expect(asked.status).toBe(409);
    const amended = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/amendments`)
      .set(auth(buyer))
      .send({ rationale: 'A new title', title: 'Another title for it' });
    expect(amended.status).toBe(409);
    const accepted = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/awards/${awards[0].id}/accept`)
      .set(auth(buyer));
    expect(accepted.status).toBe(409);
    expect(
      Number((await db.query(`SELECT count(*) AS n FROM bids WHERE tender_id = $1`, [tender.id]))[0].n),
    ).toBe(0);

    // No competitor, so no stand-still: the buyer signs now and the supplier confirms.
    await request(t.http).post(`/api/v1/contracts/${contracts[0].id}/sign`).set(auth(buyer)).expect(204);
    await request(t.http)
      .post(`/api/v1/contracts/${contracts[0].id}/confirm`)
      .set(auth(supplier))
      .expect(204);
    expect((await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body.status).toBe(
      'complete',
    );
  });

  it('follows a failed tender of the buyer, and its open data says so, with awards that have no bid', async () => {
    const failed = await failedTender(buyer);
    const res = await report(directBody({ reason: 'failed_competition', relatedTenderId: failed.id }));
    expect(res.status).toBe(200);
    expect(res.body.directAward).toMatchObject({ relatedTenderId: failed.id, relatedOcid: failed.ocid });

    const pkg = (await request(t.http).get(`/api/v1/ocds/releases/${res.body.ocid}`).expect(200)).body;
    const validator = new OcdsValidator();
    expect(validator.errors(validator.releasePackage, pkg)).toEqual([]);
    const last = pkg.releases[pkg.releases.length - 1];
    expect(last.tender).toMatchObject({
      procurementMethod: 'direct',
      procurementMethodDetails: 'Direct purchase',
      procurementMethodRationale: expect.stringContaining(RATIONALE),
    });
    expect(last.tender.tenderPeriod).toBeUndefined();
    expect(last.relatedProcesses).toEqual([
      { id: '1', relationship: ['unsuccessfulProcess'], scheme: 'ocid', identifier: failed.ocid },
    ]);
    expect(last.awards).toEqual([
      expect.objectContaining({
        status: 'active',
        suppliers: [expect.objectContaining({ id: expect.any(String) })],
      }),
    ]);
    expect(last.awards[0].relatedBids).toBeUndefined();
    expect(last.bids).toBeUndefined();
  });

  it('is declined by its supplier, who never agreed to it: the contract and its lot are cancelled', async () => {
    const reported = (await report(directBody())).body;
    const [contract] = (await request(t.http).get(`/api/v1/tenders/${reported.id}/contracts`).expect(200))
      .body.items;
    const stranger = await factory.actor('supplier');
    const notMine = await request(t.http)
      .post(`/api/v1/contracts/${contract.id}/decline`)
      .set(auth(stranger))
      .send({ reason: 'Not ours' });
    expect([notMine.status, notMine.body.code]).toEqual([404, 'CONTRACT_NOT_FOUND']);
    await request(t.http)
      .post(`/api/v1/contracts/${contract.id}/decline`)
      .set(auth(supplier))
      .send({ reason: 'Мы не заключали такой договор' })
      .expect(204);
    const view = (await request(t.http).get(`/api/v1/tenders/${reported.id}`).expect(200)).body;
    expect(view.status).toBe('cancelled');
    expect(view.lots[0].status).toBe('cancelled');
    const [event] = await db.query(
      `SELECT actor_id, payload FROM deal_events WHERE tender_id = $1 AND type = 'contract.cancelled'`,
      [reported.id],
    );
    expect(event).toMatchObject({ actor_id: supplier.organization.id, payload: { declinedBy: 'supplier' } });

    // An open tender's winner bid for its contract, and does not decline it: its buyer decides the award.
    const open = await flows.publish(buyer, tenderBody(cityId, {}, 2));
    await flows.bid(supplier, open, ['90000.00']);
    await flows.closeAfterDeadline(open);
    const [won] = await flows.acceptAward(buyer, open);
    const refused = await request(t.http)
      .post(`/api/v1/contracts/${won.id}/decline`)
      .set(auth(supplier))
      .send({ reason: 'Changed our mind' });
    expect([refused.status, refused.body.code]).toEqual([409, 'CONTRACT_STATE_CONFLICT']);
  });

  it('is judged for red flags, names its supplier in open data, and is no tender with a deadline', async () => {
    // Two earlier direct purchases of paper by the buyer (others of this file may add to them) make it a
    // possibly split one.
    await report(directBody());
    await report(directBody());
    const reported = (await report(directBody())).body;
    // Closed as it is reported: the red flags are computed (null would mean "not closed, nothing to judge"), and
    // its price, which is its estimate, is not flagged as near the estimate.
    expect(await t.app.get(RedFlagsService).recompute(reported.id)).not.toBeNull();
    const raised = await db.query<{ code: string }[]>(`SELECT code FROM red_flags WHERE tender_id = $1`, [
      reported.id,
    ]);
    expect(raised.map((f) => f.code)).toEqual(['SPLIT_DIRECT_PURCHASES']);
    const pkg = (await request(t.http).get(`/api/v1/ocds/releases/${reported.ocid}`).expect(200)).body;
    const last = pkg.releases[pkg.releases.length - 1];
    const party = last.parties.find((p: any) => p.id === last.awards[0].suppliers[0].id);
    expect(party).toMatchObject({
      name: supplier.organization.legalName,
      roles: expect.arrayContaining(['supplier']),
    });
    expect(last.awards[0].suppliers[0].name).toBe(supplier.organization.legalName);
    const listed = await request(t.http)
      .get(`/api/v1/tenders?method=direct&deadlineFrom=${new Date(Date.now() - 3600_000).toISOString()}`)
      .expect(200);
    expect(listed.body.items).toEqual([]);
  });

  it('shows its supplier and its buyer the contract among their own, newest first, a page at a time', async () => {
    const named = await factory.actor('supplier');
    const first = (await report(directBody({ supplierId: named.organization.id }))).body;
    const second = (await report(directBody({ supplierId: named.organization.id }))).body;
    const mine = async (actor: Actor, query = '') =>
      (await request(t.http).get(`/api/v1/contracts/mine${query}`).set(auth(actor)).expect(200)).body;
    const page1 = await mine(named, '?limit=1');
    expect(page1.items).toEqual([
      expect.objectContaining({
        tenderId: second.id,
        tenderNumber: second.number,
        tenderMethod: 'direct',
        supplierId: named.organization.id,
        amount: '95000.00',
        currency: 'RUB',
        status: 'pending',
      }),
    ]);
    const page2 = await mine(named, `?limit=1&cursor=${page1.nextCursor}`);
    expect(page2.items.map((c: any) => c.tenderId)).toEqual([first.id]);
    expect(page2.nextCursor).toBeNull();
    // The one the buyer has signed is the one the supplier is to confirm.
    const [toSign] = page1.items;
    await request(t.http).post(`/api/v1/contracts/${toSign.id}/sign`).set(auth(buyer)).expect(204);
    const toConfirm = await mine(named, '?status=buyer_signed');
    expect(toConfirm.items.map((c: any) => c.id)).toEqual([toSign.id]);
    await request(t.http).get('/api/v1/contracts/mine?status=lost').set(auth(named)).expect(400);
    const buyers = await mine(buyer, '?limit=200');
    expect(buyers.items.map((c: any) => c.tenderId)).toEqual(expect.arrayContaining([first.id, second.id]));
    expect((await mine(await factory.actor('supplier'))).items).toEqual([]);
    await request(t.http).get('/api/v1/contracts/mine').expect(401);
    await request(t.http)
      .get('/api/v1/contracts/mine')
      .set(auth(await factory.actor('auditor')))
      .expect(403);
  });

  it('flags the third direct purchase of one class of goods by a buyer within 30 days as possibly split', async () => {
    const own = await factory.actor('buyer', { cityCode: 'moscow' });
    const reportBy = async (cpv: string, amount = '95000.00') => {
      const body = directBody();
      body.lots[0].estimate = amount;
      body.lots[0].items[0].classification = { scheme: 'CPV', id: cpv };
      const draft = await request(t.http).post('/api/v1/tenders').set(auth(own)).send(body).expect(201);
      return (
        await request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(own)).expect(200)
      ).body;
    };
    const flagsOf = async (id: string) => {
      await t.app.get(RedFlagsService).recompute(id);
      return db.query<{ code: string; figures: unknown }[]>(
        `SELECT code, figures FROM red_flags WHERE tender_id = $1`,
        [id],
      );
    };
    const first = await reportBy('30197630-1', '90000.00');
    const cancelled = await reportBy('30192000-1');
    await request(t.http)
      .post(`/api/v1/tenders/${cancelled.id}/cancel`)
      .set(auth(own))
      .send({ reason: 'Reported by mistake' })
      .expect(200);
    const other = await reportBy('22800000-8');
    const second = await reportBy('30192000-1', '80000.00');
    expect(await flagsOf(second.id)).toEqual([]);
    expect(await flagsOf(other.id)).toEqual([]);
    const third = await reportBy('30197630-1', '70000.00');
    expect(await flagsOf(third.id)).toEqual([
      {
        code: 'SPLIT_DIRECT_PURCHASES',
        figures: {
          purchases: 3,
          windowDays: 30,
          cpvClasses: ['3019'],
          totalValue: '240000.00',
          currency: 'RUB',
          earlierTenderIds: [first.id, second.id].sort(),
        },
      },
    ]);
  });

  it('is refused at publication when its supplier was suspended since the draft, and cancelled with its contract', async () => {
    const later = await factory.actor('supplier');
    const draft = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(buyer))
      .send(directBody({ supplierId: later.organization.id }))
      .expect(201);
    await db.query(`UPDATE organizations SET status = 'suspended' WHERE id = $1`, [later.organization.id]);
    const refused = await request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(buyer));
    expect(refused.status).toBe(400);
    expect(refused.body.details).toMatchObject({ field: 'directAward.supplierId' });
    const [row] = await db.query(`SELECT status, number FROM tenders WHERE id = $1`, [draft.body.id]);
    expect(row).toEqual({ status: 'draft', number: null });

    const reported = (await report(directBody())).body;
    await request(t.http)
      .post(`/api/v1/tenders/${reported.id}/cancel`)
      .set(auth(buyer))
      .send({ reason: 'The contract was not concluded after all' })
      .expect(200);
    const awards = await db.query(`SELECT status FROM awards WHERE tender_id = $1`, [reported.id]);
    const contracts = await db.query(`SELECT status FROM contracts WHERE tender_id = $1`, [reported.id]);
    expect(awards).toEqual([{ status: 'cancelled' }]);
    expect(contracts).toEqual([{ status: 'cancelled' }]);
  });
});
