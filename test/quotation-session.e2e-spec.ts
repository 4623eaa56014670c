import request from 'supertest';
import { DataSource } from 'typeorm';
import { Actor, ActorFactory } from './factories/actors';
import { CatalogueFactory, inDays } from './factories/catalogue';
import { auth, TenderFlows, tenderBody } from './factories/tenders';
import { TenderClosingService } from '@app/domain';
import { RedFlagsService } from '@app/domain/analytics';
import { createTestApp, TestApp } from './setup/app-factory';
import { eventually } from './setup/eventually';
import { OcdsValidator } from './setup/ocds-validator';
import { pauseNextCall } from './setup/paused-call';
import { resetState } from './setup/reset';

describe('Quotation sessions', () => {
  let t: TestApp;
  let db: DataSource;
  let factory: ActorFactory;
  let catalogue: CatalogueFactory;
  let flows: TenderFlows;
  let operator: Actor;
  let buyer: Actor;
  let cityId: string;
  let kazanId: string;
  let itemId: string;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    db = t.app.get(DataSource);
    factory = new ActorFactory(t.app);
    catalogue = new CatalogueFactory(t.app);
    flows = new TenderFlows(t.app);
    operator = await factory.actor('operator');
    buyer = await factory.actor('buyer', { cityCode: 'moscow' });
    cityId = (await factory.city('moscow')).id;
    kazanId = (await factory.city('kazan')).id;
    itemId = await catalogue.activeItem(buyer, operator, { titleRu: 'Бумага офисная А4, 500 листов' });
  });
  afterAll(() => t.app.close());

  /** A quotation session over the catalogue item: 200 packs delivered to Moscow, within 100,000.00. */
  const quotationBody = (overrides: Record<string, unknown> = {}, seconds = 2) => {
    const body = tenderBody(cityId, { method: 'quotation', ...overrides }, seconds) as any;
    body.lots[0].items[0].catalogItemId = itemId;
    return body;
  };
  /** A supplier in Moscow with an offer for the item on these terms (by default one that qualifies). */
  const supplierWithOffer = async (offer: Parameters<CatalogueFactory['offer']>[2] = {}) => {
    const supplier = await factory.actor('supplier', { cityCode: 'moscow' });
    await catalogue.offer(supplier, itemId, { price: '450.00', ...offer });
    return supplier;
  };
  const bidsOn = async (tenderId: string) =>
    Number((await db.query(`SELECT count(*) AS n FROM bids WHERE tender_id = $1`, [tenderId]))[0].n);
  const placeBid = (supplier: Actor, tender: any, price: string) =>
    request(t.http)
      .post(`/api/v1/tenders/${tender.id}/bids`)
      .set(auth(supplier))
      .send({ currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price }] });

  it('is one lot of one catalogue item for one buyer, without an enquiry period or questions', async () => {
    const other = await factory.actor('buyer', { cityCode: 'moscow' });
    const twoLots = quotationBody();
    twoLots.lots.push({ ...twoLots.lots[0], title: 'Second lot' });
    const twoItems = quotationBody();
    twoItems.lots[0].items.push({ ...twoItems.lots[0].items[0], quantity: '10' });
    const freeItem = quotationBody();
    delete freeItem.lots[0].items[0].catalogItemId;
    const cases: [Record<string, unknown>, string][] = [
      [twoLots, 'lots'],
      [twoItems, 'lots.0.items'],
      [freeItem, 'lots.0.items.0.catalogItemId'],
      [quotationBody({ jointBuyerIds: [other.organization.id] }), 'jointBuyerIds'],
      [quotationBody({ enquiryPeriod: { endDate: inDays(0.5) } }, 86_400), 'enquiryPeriod'],
      [quotationBody({ clarificationsUntil: inDays(0.5) }, 86_400), 'clarificationsUntil'],
    ];
    const before = await db.query(`SELECT count(*) AS n FROM tenders WHERE organizer_id = $1`, [
      buyer.organization.id,
    ]);
    for (const [body, field] of cases) {
      const res = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(body);
      expect({ field, status: res.status, code: res.body.code, detail: res.body.details?.field }).toEqual({
        field,
        status: 400,
        code: 'TENDER_INVALID',
        detail: field,
      });
      expect(res.body.message).toContain('a quotation session');
    }
    const after = await db.query(`SELECT count(*) AS n FROM tenders WHERE organizer_id = $1`, [
      buyer.organization.id,
    ]);
    expect(after[0].n).toBe(before[0].n);
    // A saved draft is held to the same shape when it is replaced.
    const draft = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(buyer))
      .send(quotationBody())
      .expect(201);
    const replaced = await request(t.http)
      .put(`/api/v1/tenders/${draft.body.id}`)
      .set(auth(buyer))
      .send(twoLots);
    expect(replaced.status).toBe(400);
    expect(replaced.body.details).toMatchObject({ field: 'lots' });
  });

  it('takes no questions and no amendments once published; it can still be cancelled', async () => {
    const supplier = await supplierWithOffer();
    const tender = await flows.publish(buyer, quotationBody({}, 3600));
    expect(tender).toMatchObject({ method: 'quotation', status: 'active.tendering' });
    const open = await flows.publish(buyer, tenderBody(cityId, {}, 3600));
    const listed = (await request(t.http).get('/api/v1/tenders?method=quotation&limit=100').expect(200)).body
      .items;
    expect(listed.map((x: any) => x.id)).toContain(tender.id);
    expect(listed.map((x: any) => x.id)).not.toContain(open.id);
    const asked = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/questions`)
      .set(auth(supplier))
      .send({ text: 'Is recycled paper acceptable?' });
    expect(asked.status).toBe(409);
    expect(asked.body.code).toBe('CLARIFICATIONS_CLOSED');
    const amended = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/amendments`)
      .set(auth(buyer))
      .send({
        rationale: 'More time',
        tenderPeriod: { endDate: new Date(Date.now() + 7200_000).toISOString() },
      });
    expect(amended.status).toBe(409);
    expect(amended.body.code).toBe('QUOTATION_NOT_AMENDABLE');
    const [row] = await db.query(`SELECT amendment_count, tender_end FROM tenders WHERE id = $1`, [
      tender.id,
    ]);
    expect(row.amendment_count).toBe(0);
    expect(row.tender_end.toISOString()).toBe(new Date(tender.tenderPeriod.endDate).toISOString());
    expect(
      Number(
        (await db.query(`SELECT count(*) AS n FROM tender_questions WHERE tender_id = $1`, [tender.id]))[0].n,
      ),
    ).toBe(0);
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/cancel`)
      .set(auth(buyer))
      .send({ reason: 'The need is gone' })
      .expect(200);
  });

  it('takes bids only from suppliers with a current offer for its item, in its currency, delivering to its city, for its quantity', async () => {
    const tender = await flows.publish(buyer, quotationBody({}, 3600));
    const refused = [
      await factory.actor('supplier', { cityCode: 'moscow' }), // no offer at all
      await supplierWithOffer({ deliveryArea: { cityIds: [kazanId] } }), // delivers elsewhere
      await supplierWithOffer({ currency: 'USD' }), // another currency
      await supplierWithOffer({ minQuantity: '500' }), // sells no fewer than 500 packs; 200 are bought
      await supplierWithOffer({ validFrom: inDays(1) }), // not valid yet
    ];
    for (const supplier of refused) {
      const res = await placeBid(supplier, tender, '400.00');
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('QUOTATION_OFFER_REQUIRED');
    }
    expect(await bidsOn(tender.id)).toBe(0);
    // Delivering to the whole country, or to the city itself, qualifies.
    const byCountry = await supplierWithOffer();
    const byCity = await supplierWithOffer({ deliveryArea: { cityIds: [cityId] } });
    await placeBid(byCountry, tender, '400.00').expect(201);
    const placed = await placeBid(byCity, tender, '390.00').expect(201);
    expect(await bidsOn(tender.id)).toBe(2);
    // An offer withdrawn since: the bid stands, but is no longer changed.
    const [offer] = await db.query(`SELECT id FROM catalog_offers WHERE supplier_organization_id = $1`, [
      byCity.organization.id,
    ]);
    await request(t.http).post(`/api/v1/catalogue/offers/${offer.id}/withdraw`).set(auth(byCity)).expect(200);
    const changed = await request(t.http)
      .put(`/api/v1/tenders/${tender.id}/bids/mine`)
      .set(auth(byCity))
      .send({ currency: 'RUB', lots: [{ lotId: tender.lots[0].id, price: '380.00' }] });
    expect(changed.status).toBe(403);
    expect(changed.body.code).toBe('QUOTATION_OFFER_REQUIRED');
    const [bid] = await db.query(`SELECT commitment FROM bids WHERE id = $1`, [placed.body.id]);
    expect(bid.commitment).toBe(placed.body.commitment);
  });

  it('awards the lowest price automatically at the closing, with its contract, and the buyer signs after the stand-still', async () => {
    const dearer = await supplierWithOffer();
    const cheaper = await supplierWithOffer();
    const tender = await flows.publish(buyer, quotationBody({}, 2));
    await flows.bid(dearer, tender, ['420.00']);
    await flows.bid(cheaper, tender, ['410.00']);
    await flows.closeAfterDeadline(tender);

    const view = (await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body;
    expect(view.status).toBe('active.awarded');
    const awards = (await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200)).body.items;
    expect(awards).toHaveLength(1);
    expect(awards[0]).toMatchObject({
      status: 'active',
      supplierId: cheaper.organization.id,
      amount: '410.00',
    });
    const contracts = (await request(t.http).get(`/api/v1/tenders/${tender.id}/contracts`).expect(200)).body
      .items;
    expect(contracts).toHaveLength(1);
    expect(contracts[0]).toMatchObject({
      buyerId: buyer.organization.id,
      amount: '410.00',
      status: 'pending',
    });

    // The log says the rule accepted it, not a person, right after the closing's pending award.
    const events = await db.query(
      `SELECT type, actor_id, payload FROM deal_events WHERE tender_id = $1 AND type IN
         ('tender.closed', 'award.pending', 'award.accepted', 'contract.created', 'tender.awarded') ORDER BY id`,
      [tender.id],
    );
    expect(events.map((e: any) => e.type)).toEqual([
      'tender.closed',
      'award.pending',
      'award.accepted',
      'contract.created',
      'tender.awarded',
    ]);
    expect(events[2]).toMatchObject({ actor_id: null, payload: { awardId: awards[0].id, automatic: true } });

    // Nothing is left for the buyer to decide.
    const rejected = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/awards/${awards[0].id}/reject`)
      .set(auth(buyer))
      .send({ reason: 'We would rather not' });
    expect(rejected.status).toBe(409);
    await eventually(async () => {
      const res = await request(t.http).post(`/api/v1/contracts/${contracts[0].id}/sign`).set(auth(buyer));
      return res.status === 204 ? true : undefined;
    }, 10_000);
    await request(t.http).post(`/api/v1/contracts/${contracts[0].id}/confirm`).set(auth(cheaper)).expect(204);
    expect((await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body.status).toBe(
      'complete',
    );

    // Open data: a selective method, and who may bid.
    const pkg = (await request(t.http).get(`/api/v1/ocds/releases/${tender.ocid}`).expect(200)).body;
    const validator = new OcdsValidator();
    expect(validator.errors(validator.releasePackage, pkg)).toEqual([]);
    const first = pkg.releases[0];
    expect(first.tender).toMatchObject({
      procurementMethod: 'selective',
      procurementMethodDetails: 'Quotation session',
      eligibilityCriteria: expect.stringContaining('catalogue offer'),
    });
  });

  it('still takes bids under an offer moved to the card its item was merged into since publication', async () => {
    const duplicate = await catalogue.activeItem(buyer, operator, {
      titleRu: 'Бумага офисная, дубликат карточки',
    });
    const survivor = await catalogue.activeItem(buyer, operator, {
      titleRu: 'Бумага офисная, основная карточка',
    });
    const supplier = await factory.actor('supplier', { cityCode: 'moscow' });
    await catalogue.offer(supplier, duplicate, { price: '450.00' });
    const body = quotationBody({}, 3600);
    body.lots[0].items[0].catalogItemId = duplicate;
    const tender = await flows.publish(buyer, body);
    await request(t.http)
      .post(`/api/v1/catalogue/items/${duplicate}/merge`)
      .set(auth(operator))
      .send({
        survivorId: survivor,
        reason: 'Одна и та же бумага',
        version: await catalogue.version(operator, duplicate),
      })
      .expect(200);
    await placeBid(supplier, tender, '400.00').expect(201);
  });

  it('leaves the award pending, for the buyer, where the winner or the buyer was suspended before it was accepted', async () => {
    const winner = await supplierWithOffer();
    const runnerUp = await supplierWithOffer();
    const tender = await flows.publish(buyer, quotationBody({}, 2));
    await flows.bid(winner, tender, ['400.00']);
    await flows.bid(runnerUp, tender, ['420.00']);
    // The winner is suspended after the closing ranked the bids, before the rule accepts its award.
    const closing = t.app.get(TenderClosingService);
    const paused = pauseNextCall(closing, 'awardAutomatically');
    try {
      const closed = flows.closeAfterDeadline(tender);
      await paused.reached;
      await request(t.http)
        .patch(`/api/v1/admin/organizations/${winner.organization.id}/status`)
        .set(auth(operator))
        .send({ status: 'suspended', reason: 'Поддельные документы' })
        .expect(200);
      paused.resume();
      await closed;
    } finally {
      paused.restore();
    }
    const awards = (await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200)).body.items;
    expect(awards).toEqual([
      expect.objectContaining({ status: 'pending', supplierId: winner.organization.id }),
    ]);
    expect((await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body.status).toBe(
      'active.qualification',
    );
    expect(
      Number((await db.query(`SELECT count(*) AS n FROM contracts WHERE tender_id = $1`, [tender.id]))[0].n),
    ).toBe(0);
    // The buyer rejects it, and the award passes to the runner-up, whose acceptance is the buyer's too.
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/awards/${awards[0].id}/reject`)
      .set(auth(buyer))
      .send({ reason: 'Поставщик отстранён оператором' })
      .expect(204);
    const next = (await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200)).body.items;
    expect(next[1]).toMatchObject({ status: 'pending', supplierId: runnerUp.organization.id });

    // A suspended buyer's session is not awarded by the rule either.
    const suspendedBuyer = await factory.actor('buyer', { cityCode: 'moscow' });
    const own = quotationBody({}, 2);
    const session = await flows.publish(suspendedBuyer, own);
    await flows.bid(await supplierWithOffer(), session, ['400.00']);
    await db.query(`UPDATE organizations SET status = 'suspended' WHERE id = $1`, [
      suspendedBuyer.organization.id,
    ]);
    await flows.closeAfterDeadline(session);
    const [award] = (await request(t.http).get(`/api/v1/tenders/${session.id}/awards`).expect(200)).body
      .items;
    expect(award.status).toBe('pending');
  });

  it('passes the award to the next ranked bid when its winner declines the contract, until none is left', async () => {
    const bidders = [await supplierWithOffer(), await supplierWithOffer()];
    const tender = await flows.publish(buyer, quotationBody({}, 2));
    await flows.bid(bidders[0]!, tender, ['400.00']);
    await flows.bid(bidders[1]!, tender, ['410.00']);
    await flows.closeAfterDeadline(tender);
    const contractsOf = async () =>
      (await request(t.http).get(`/api/v1/tenders/${tender.id}/contracts`).expect(200)).body.items;
    const decline = (by: Actor, contractId: string) =>
      request(t.http)
        .post(`/api/v1/contracts/${contractId}/decline`)
        .set(auth(by))
        .send({ reason: 'Цена устарела' })
        .expect(204);

    // The runner-up complains about the award during its stand-still.
    const [won] = (await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200)).body.items;
    const complaint = await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/awards/${won.id}/complaints`)
      .set(auth(bidders[1]!))
      .send({ text: 'Победитель не сможет поставить бумагу в срок' })
      .expect(201);
    await decline(bidders[0]!, (await contractsOf())[0].id);
    // Its award ended, the complaint has nothing left to decide; the winner walking away disqualifies no one.
    const [closedComplaint] = await db.query(`SELECT status FROM complaints WHERE id = $1`, [
      complaint.body.id,
    ]);
    expect(closedComplaint.status).toBe('closed');
    await t.app.get(RedFlagsService).recompute(tender.id);
    const flags = await db.query<{ code: string }[]>(`SELECT code FROM red_flags WHERE tender_id = $1`, [
      tender.id,
    ]);
    expect(flags.map((f) => f.code)).not.toContain('LOWEST_BID_DISQUALIFIED');
    expect(flags.map((f) => f.code)).not.toContain('ALL_BUT_WINNER_DISQUALIFIED');
    const awards = (await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200)).body.items;
    expect(awards).toEqual([
      expect.objectContaining({ status: 'unsuccessful', supplierId: bidders[0]!.organization.id }),
      expect.objectContaining({
        status: 'active',
        supplierId: bidders[1]!.organization.id,
        amount: '410.00',
      }),
    ]);
    const contracts = await contractsOf();
    expect(contracts.map((c: any) => [c.status, c.amount])).toEqual([
      ['cancelled', '400.00'],
      ['pending', '410.00'],
    ]);
    expect((await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body.status).toBe(
      'active.awarded',
    );
    const events = await db.query(
      `SELECT type, actor_id, payload FROM deal_events WHERE tender_id = $1 AND type IN
         ('contract.cancelled', 'award.declined', 'award.pending', 'award.accepted', 'contract.created')
        ORDER BY id`,
      [tender.id],
    );
    expect(events.slice(3).map((e: any) => [e.type, e.actor_id])).toEqual([
      ['contract.cancelled', bidders[0]!.organization.id],
      ['award.declined', bidders[0]!.organization.id],
      ['award.pending', null],
      ['award.accepted', null],
      ['contract.created', null],
    ]);

    // The runner-up declines too: no bid is left, and the session is unsuccessful.
    await decline(bidders[1]!, contracts[1].id);
    expect((await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body.status).toBe(
      'unsuccessful',
    );
    const pkg = (await request(t.http).get(`/api/v1/ocds/releases/${tender.ocid}`).expect(200)).body;
    const validator = new OcdsValidator();
    expect(validator.errors(validator.releasePackage, pkg)).toEqual([]);
    const last = pkg.releases[pkg.releases.length - 1];
    expect(last.bids.details.map((b: any) => b.status)).toEqual(['withdrawn', 'withdrawn']);
  });

  it('is unsuccessful with fewer bids than its minimum, and awards nothing', async () => {
    const only = await supplierWithOffer();
    const tender = await flows.publish(buyer, quotationBody({ minBids: 2 }, 2));
    await flows.bid(only, tender, ['400.00']);
    await flows.closeAfterDeadline(tender);
    expect((await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body.status).toBe(
      'unsuccessful',
    );
    expect(
      Number((await db.query(`SELECT count(*) AS n FROM awards WHERE tender_id = $1`, [tender.id]))[0].n),
    ).toBe(0);
  });
});
