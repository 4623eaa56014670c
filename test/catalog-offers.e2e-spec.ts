import request from 'supertest';
import { DataSource } from 'typeorm';
import { SearchIndexWriter } from '../libs/catalog/src/search/search-index.writer';
import { Actor, ActorFactory } from './factories/actors';
import { CatalogueFactory, inDays } from './factories/catalogue';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';
import { untilWaitingOnLock } from './setup/tender-held';

const UUID = /^[0-9a-f-]{36}$/;

describe('OffersController', () => {
  let t: TestApp;
  let actors: ActorFactory;
  let catalogue: CatalogueFactory;
  let db: DataSource;
  let operator: Actor;
  let supplier: Actor;
  let rival: Actor;
  let itemId: string;
  let moscowId: string;
  const as = (actor: Actor) => ({ Authorization: `Bearer ${actor.accessToken}` });
  const offerIds = async (id: string) =>
    (await request(t.http).get(`/api/v1/catalogue/items/${id}/offers`).expect(200)).body.items.map(
      (o: { id: string }) => o.id,
    );
  const searchHit = async (q: string) =>
    (await request(t.http).get('/api/v1/catalogue/items').query({ q }).expect(200)).body.items[0];

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    db = t.app.get(DataSource);
    actors = new ActorFactory(t.app);
    catalogue = new CatalogueFactory(t.app);
    operator = await actors.actor('operator');
    supplier = await actors.actor('supplier', { cityCode: 'moscow' });
    rival = await actors.actor('supplier', { cityCode: 'kazan' });
    moscowId = (await actors.city('moscow')).id;
    itemId = await catalogue.activeItem(supplier, operator, { titleRu: 'Бумага офисная A4 «Снежинка»' });
  });
  afterAll(() => t.app.close());

  describe('lifecycle and visibility', () => {
    it('publishes an active supplier’s offer on the item and in search, with its delivery area', async () => {
      const [kazan] = await db.query(`SELECT region FROM cities WHERE code = 'kazan'`);
      const res = await request(t.http)
        .post(`/api/v1/catalogue/items/${itemId}/offers`)
        .set(as(supplier))
        .send({
          price: '0349.9',
          currency: 'RUB',
          vatIncluded: true,
          minQuantity: '10',
          leadTimeDays: 2,
          deliveryArea: { cityIds: [moscowId], regions: [{ country: 'RU', region: kazan.region }] },
          validUntil: inDays(60),
        })
        .expect(201);
      expect(res.body).toMatchObject({
        itemId,
        supplier: { id: supplier.organization.id, country: 'RU' },
        price: '349.90',
        currency: 'RUB',
        minQuantity: '10',
        status: 'active',
        effectiveStatus: 'active',
        deliveryArea: {
          cityIds: [moscowId],
          regions: [{ country: 'RU', region: kazan.region }],
          countries: [],
        },
      });
      expect(await offerIds(itemId)).toEqual([res.body.id]);
      const hit = await searchHit('снежинка');
      expect(hit).toMatchObject({ offerCount: 1, bestOffer: { id: res.body.id, price: '349.90' } });
    });

    it('shows an offer only within its validity period by the database clock, with no job run', async () => {
      const { id } = await catalogue.offer(supplier, itemId, { price: '300.00' });
      expect(await offerIds(itemId)).toContain(id);
      // Time passes: the validity period ends. Nothing but the clock changes.
      await db.query(
        `UPDATE catalog_offers SET valid_from = now() - interval '2 days', valid_until = now() - interval '1 second'
         WHERE id = $1`,
        [id],
      );
      expect(await offerIds(itemId)).not.toContain(id);
      expect((await searchHit('снежинка')).bestOffer.price).toBe('349.90');
      const own = await request(t.http)
        .get('/api/v1/catalogue/my/offers')
        .query({ status: 'expired' })
        .set(as(supplier))
        .expect(200);
      expect(own.body.items.map((o: { id: string }) => o.id)).toEqual([id]);
    });

    it('does not show an offer before it starts', async () => {
      const { id } = await catalogue.offer(supplier, itemId, {
        price: '1.00',
        validFrom: inDays(5),
        validUntil: inDays(10),
      });
      expect(await offerIds(itemId)).not.toContain(id);
      expect((await searchHit('снежинка')).bestOffer.price).not.toBe('1.00');
      const own = await request(t.http)
        .get('/api/v1/catalogue/my/offers')
        .query({ status: 'scheduled' })
        .set(as(supplier))
        .expect(200);
      expect(own.body.items.map((o: { id: string }) => o.id)).toEqual([id]);
    });

    it('lets the supplier change its price and withdraw; a withdrawn offer disappears and stays frozen', async () => {
      const { id } = await catalogue.offer(supplier, itemId, { price: '400.00' });
      const changed = await request(t.http)
        .patch(`/api/v1/catalogue/offers/${id}`)
        .set(as(supplier))
        .send({ price: '199.99', leadTimeDays: 1 })
        .expect(200);
      expect(changed.body).toMatchObject({ price: '199.99', leadTimeDays: 1 });
      expect((await searchHit('снежинка')).bestOffer).toMatchObject({ id, price: '199.99' });

      await request(t.http).post(`/api/v1/catalogue/offers/${id}/withdraw`).set(as(supplier)).expect(200);
      expect(await offerIds(itemId)).not.toContain(id);
      expect((await searchHit('снежинка')).bestOffer?.id).not.toBe(id);
      const again = await request(t.http)
        .patch(`/api/v1/catalogue/offers/${id}`)
        .set(as(supplier))
        .send({ price: '1.00' })
        .expect(409);
      expect(again.body.code).toBe('OFFER_STATUS_CONFLICT');
    });

    it('hides the offers of a supplier that is suspended, and refuses its writes', async () => {
      const shady = await actors.actor('supplier');
      const { id } = await catalogue.offer(shady, itemId, { price: '5.00' });
      expect((await searchHit('снежинка')).bestOffer.id).toBe(id);
      await db.query(`UPDATE organizations SET status = 'suspended' WHERE id = $1`, [shady.organization.id]);
      expect(await offerIds(itemId)).not.toContain(id);
      expect((await searchHit('снежинка')).bestOffer?.id).not.toBe(id);
      const res = await request(t.http)
        .patch(`/api/v1/catalogue/offers/${id}`)
        .set(as(shady))
        .send({ price: '4.00' })
        .expect(403);
      expect(res.body.code).toBe('SUPPLIER_NOT_ACTIVE');
    });

    it('finds an item by a word and a delivery city as its offer’s delivery area changes', async () => {
      const mover = await actors.actor('supplier');
      const item = await catalogue.activeItem(mover, operator, { titleRu: 'Дырокол «Переезд»' });
      const { id } = await catalogue.offer(mover, item, {
        price: '120.00',
        deliveryArea: { cityIds: [moscowId] },
      });
      const kazanId = (await actors.city('kazan')).id;
      const found = async (deliveryCityId: string) =>
        (
          await request(t.http)
            .get('/api/v1/catalogue/items')
            .query({ q: 'дырокол переезд', deliveryCityId })
            .expect(200)
        ).body.items.map((i: { id: string }) => i.id);
      expect(await found(moscowId)).toEqual([item]);
      expect(await found(kazanId)).toEqual([]);
      await request(t.http)
        .patch(`/api/v1/catalogue/offers/${id}`)
        .set(as(mover))
        .send({ deliveryArea: { cityIds: [kazanId] } })
        .expect(200);
      expect(await found(kazanId)).toEqual([item]);
      expect(await found(moscowId)).toEqual([]);
      // The search document carries the offer's keys of now, and no others.
      const [row] = await db.query(
        `SELECT array(SELECT l FROM unnest(tsvector_to_array(document)) AS l WHERE l LIKE '%|%' OR l ~ '^[A-Z]{3}$'
           ORDER BY l) AS keys, offer_keys AS "offerKeys" FROM catalog_search_entries WHERE item_id = $1`,
        [item],
      );
      expect(row.keys).toEqual([...row.offerKeys].sort());
      expect(row.keys).toContain(`RUB|c:${kazanId}`);
    });

    it('drops an item from offer-filtered searches when the supplier of its only offer is suspended', async () => {
      const lonely = await actors.actor('supplier');
      const item = await catalogue.activeItem(lonely, operator, { titleRu: 'Скоросшиватель «Одиночка»' });
      await catalogue.offer(lonely, item, { price: '15.00' });
      const found = async (query: Record<string, string>) =>
        (
          await request(t.http)
            .get('/api/v1/catalogue/items')
            .query({ q: 'одиночка', ...query })
            .expect(200)
        ).body.items.map((i: { id: string }) => i.id);
      const filters: Record<string, string>[] = [
        { withOffers: 'true' },
        { priceMax: '100' },
        { sort: 'price' },
      ];
      for (const filter of filters) expect(await found(filter)).toEqual([item]);
      await db.query(`UPDATE organizations SET status = 'suspended' WHERE id = $1`, [lonely.organization.id]);
      for (const filter of filters) expect(await found(filter)).toEqual([]);
      // Without an offer filter the item is still listed, with no offer.
      expect(await found({})).toEqual([item]);
      await db.query(`UPDATE organizations SET status = 'active' WHERE id = $1`, [lonely.organization.id]);
      for (const filter of filters) expect(await found(filter)).toEqual([item]);
    });

    it('keeps the search keys of two offers placed on one item at the same moment', async () => {
      const item = await catalogue.activeItem(supplier, operator, { titleRu: 'Скрепки канцелярские 28 мм' });
      // Suppliers of their own, so that the other tests' lists of a supplier's offers stay as they were.
      const [one, two] = [await actors.actor('supplier'), await actors.actor('supplier')];
      const writer = t.app.get(SearchIndexWriter);
      const offer = (by: Actor, currency: string) =>
        `INSERT INTO catalog_offers (item_id, supplier_organization_id, created_by_user_id, price, currency,
           vat_included, min_quantity, delivery_area, lead_time_days, valid_from, valid_until)
         VALUES ('${item}', '${by.organization.id}', '${by.userId}', 10, '${currency}', true, 1,
           ARRAY['C:${moscowId}'], 1, now(), now() + interval '30 days')`;
      const [first, second] = [db.createQueryRunner(), db.createQueryRunner()];
      try {
        await first.startTransaction();
        await second.startTransaction();
        await first.query(offer(one, 'RUB'));
        await writer.refreshOffers(first.manager, item);
        await second.query(offer(two, 'KZT'));
        // The second waits for the first's lock on the search row, then computes the keys.
        const waiting = writer.refreshOffers(second.manager, item);
        await untilWaitingOnLock(db, 'catalog_search_entries');
        await first.commitTransaction();
        await waiting;
        await second.commitTransaction();
      } finally {
        await first.release();
        await second.release();
      }
      const [row] = await db.query(`SELECT offer_keys FROM catalog_search_entries WHERE item_id = $1`, [
        item,
      ]);
      expect(row.offer_keys).toEqual(expect.arrayContaining(['RUB', 'KZT']));
    });

    it('pages the item’s offers cheapest first and the supplier’s own offers newest first', async () => {
      const item = await catalogue.activeItem(supplier, operator, { titleRu: 'Бумага для принтера «Тест»' });
      const prices = ['30.00', '10.00', '20.00', '10.00', '40.00'];
      for (const price of prices) await catalogue.offer(rival, item, { price });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await request(t.http)
          .get(`/api/v1/catalogue/items/${item}/offers`)
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
        seen.push(...res.body.items.map((o: { price: string }) => o.price));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['10.00', '10.00', '20.00', '30.00', '40.00']);

      const ids: string[] = [];
      cursor = null;
      do {
        const res: request.Response = await request(t.http)
          .get('/api/v1/catalogue/my/offers')
          .set(as(rival))
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
        ids.push(...res.body.items.map((o: { price: string }) => o.price));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(ids).toEqual([...prices].reverse());
    });
  });

  describe('authorisation', () => {
    it('keeps a supplier from touching another supplier’s offer', async () => {
      const { id } = await catalogue.offer(supplier, itemId, { price: '500.00' });
      const patch = await request(t.http)
        .patch(`/api/v1/catalogue/offers/${id}`)
        .set(as(rival))
        .send({ price: '1.00' })
        .expect(403);
      expect(patch.body).toEqual({
        statusCode: 403,
        code: 'OFFER_NOT_OWNED',
        message: 'A supplier may change only its own offers',
        correlationId: expect.stringMatching(UUID),
      });
      const withdraw = await request(t.http)
        .post(`/api/v1/catalogue/offers/${id}/withdraw`)
        .set(as(rival))
        .expect(403);
      expect(withdraw.body.code).toBe('OFFER_NOT_OWNED');
      const [row] = await db.query(`SELECT price, status FROM catalog_offers WHERE id = $1`, [id]);
      expect(row).toEqual({ price: '500.00', status: 'active' });
    });

    /** An offer of one rouble, valid five days, anywhere in Russia: for the refusals, whose reason is elsewhere. */
    const smallOffer = () => ({
      price: '1.00',
      currency: 'RUB',
      vatIncluded: true,
      leadTimeDays: 1,
      deliveryArea: { countries: ['RU'] },
      validUntil: inDays(5),
    });

    it('lets only active suppliers offer', async () => {
      const pending = await actors.actor('supplier', { status: 'pending' });
      const res = await request(t.http)
        .post(`/api/v1/catalogue/items/${itemId}/offers`)
        .set(as(pending))
        .send(smallOffer())
        .expect(403);
      expect(res.body).toMatchObject({ code: 'SUPPLIER_NOT_ACTIVE', details: { status: 'pending' } });
      const buyer = await actors.actor('buyer');
      const asBuyer = await request(t.http)
        .post(`/api/v1/catalogue/items/${itemId}/offers`)
        .set(as(buyer))
        .send({})
        .expect(403);
      expect(asBuyer.body.code).toBe('FORBIDDEN_ROLE');
    });

    it('takes offers only for active items', async () => {
      const { id } = await catalogue.propose(supplier, { titleRu: 'Бумага на модерации' });
      const res = await request(t.http)
        .post(`/api/v1/catalogue/items/${id}/offers`)
        .set(as(supplier))
        .send(smallOffer())
        .expect(409);
      expect(res.body).toMatchObject({ code: 'CATALOG_ITEM_NOT_ACTIVE', details: { status: 'pending' } });
    });

    it('does not tell another supplier that an unpublished proposal exists, or its status', async () => {
      const { id } = await catalogue.propose(supplier, { titleRu: 'Бумага, чужая заявка' });
      const other = await actors.actor('supplier', { cityCode: 'moscow' });
      const offer = (itemId: string) =>
        request(t.http)
          .post(`/api/v1/catalogue/items/${itemId}/offers`)
          .set(as(other))
          .send(smallOffer())
          .expect(404);
      const hidden = (await offer(id)).body;
      const missing = (await offer('00000000-0000-4000-8000-000000000000')).body;
      expect(hidden).toEqual({ ...missing, details: { id }, correlationId: hidden.correlationId });
      expect(hidden.code).toBe('CATALOG_ITEM_NOT_FOUND');
    });

    it('lets an offer on an archived item be withdrawn, not changed', async () => {
      const archivedId = await catalogue.activeItem(supplier, operator, {
        titleRu: 'Бумага, снятая с выпуска',
      });
      const { id } = await catalogue.offer(supplier, archivedId, { price: '300.00' });
      await request(t.http)
        .post(`/api/v1/catalogue/items/${archivedId}/archive`)
        .set(as(operator))
        .send({ reason: 'Снято с производства' })
        .expect(200);
      const renewed = await request(t.http)
        .patch(`/api/v1/catalogue/offers/${id}`)
        .set(as(supplier))
        .send({ price: '1.00', validUntil: inDays(300) })
        .expect(409);
      expect(renewed.body).toMatchObject({
        code: 'CATALOG_ITEM_NOT_ACTIVE',
        details: { status: 'archived' },
      });
      const [stored] = await db.query(`SELECT price::text FROM catalog_offers WHERE id = $1`, [id]);
      expect(stored.price).toBe('300.00');
      // Its supplier sees it as shown nowhere, not as an active offer.
      const own = (status?: string) =>
        request(t.http)
          .get('/api/v1/catalogue/my/offers')
          .query(status ? { status, limit: 100 } : { limit: 100 })
          .set(as(supplier))
          .expect(200)
          .then((r) =>
            r.body.items.map((o: { id: string; effectiveStatus: string }) => [o.id, o.effectiveStatus]),
          );
      expect((await own()).filter(([offerId]: string[]) => offerId === id)).toEqual([[id, 'unlisted']]);
      expect((await own('active')).map(([offerId]: string[]) => offerId)).not.toContain(id);
      expect(await own('unlisted')).toEqual([[id, 'unlisted']]);
      await request(t.http).post(`/api/v1/catalogue/offers/${id}/withdraw`).set(as(supplier)).expect(200);
    });
  });

  describe('bad input', () => {
    const valid = () => ({
      price: '10.00',
      currency: 'RUB',
      vatIncluded: false,
      leadTimeDays: 1,
      deliveryArea: { countries: ['RU'] },
      validUntil: inDays(5),
    });
    const post = (body: Record<string, unknown>) =>
      request(t.http).post(`/api/v1/catalogue/items/${itemId}/offers`).set(as(supplier)).send(body);

    it.each([
      ['-5.00', 'NOT_POSITIVE', 'price must be positive'],
      ['0', 'NOT_POSITIVE', 'price must be positive'],
      ['10.005', 'TOO_MANY_DECIMALS', 'price has more than 2 decimals'],
      ['1000000000000.01', 'TOO_LARGE', 'price is above 1e12'],
      ['1e6', 'NOT_A_DECIMAL', 'price must be a decimal string such as "350.00"'],
    ])('refuses the price %s', async (price, problem, message) => {
      const res = await post({ ...valid(), price }).expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        code: 'PRICE_INVALID',
        message,
        details: { field: 'price', problem },
        correlationId: expect.stringMatching(UUID),
      });
    });

    it('refuses a price sent as a JSON number', async () => {
      const res = await post({ ...valid(), price: 10.5 }).expect(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: [{ field: 'price' }] },
      });
      expect(res.body.details.fields[0].messages).toContain('price must be a string');
    });

    it.each(['2027-W01-1', '2027-100', '20270101'])(
      'refuses a validity date JavaScript cannot read (%s)',
      async (date) => {
        for (const field of ['validUntil', 'validFrom']) {
          const res = await post({ ...valid(), [field]: date }).expect(400);
          expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field }] } });
        }
      },
    );

    it.each(['RUR', 'XXX', 'rub', 'BITCOIN'])('refuses the currency %s', async (currency) => {
      const res = await post({ ...valid(), currency }).expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        code: 'CURRENCY_INVALID',
        message: 'currency must be an ISO 4217 code such as RUB or KZT',
        details: { field: 'currency' },
        correlationId: expect.stringMatching(UUID),
      });
    });

    it('refuses delivery areas that are empty or outside the member cities', async () => {
      expect((await post({ ...valid(), deliveryArea: {} }).expect(400)).body.code).toBe(
        'DELIVERY_AREA_INVALID',
      );
      const city = await post({
        ...valid(),
        deliveryArea: { cityIds: ['00000000-0000-4000-8000-000000000000'] },
      }).expect(400);
      expect(city.body).toMatchObject({ code: 'UNKNOWN_CITY', details: { field: 'deliveryArea.cityIds' } });
      const country = await post({ ...valid(), deliveryArea: { countries: ['US'] } }).expect(400);
      expect(country.body).toMatchObject({
        code: 'DELIVERY_AREA_INVALID',
        details: { field: 'deliveryArea.countries' },
      });
    });

    it('refuses validity periods that are over, reversed or too long, and bad quantities', async () => {
      for (const period of [
        { validUntil: inDays(-1) },
        { validFrom: inDays(3), validUntil: inDays(2) },
        { validUntil: inDays(365 * 6) },
      ]) {
        const res = await post({ ...valid(), ...period }).expect(400);
        expect(res.body).toMatchObject({ code: 'OFFER_VALIDITY_INVALID', details: { field: 'validUntil' } });
      }
      const quantity = await post({ ...valid(), minQuantity: '0' }).expect(400);
      expect(quantity.body.code).toBe('QUANTITY_INVALID');
      const lead = await post({ ...valid(), leadTimeDays: -1 }).expect(400);
      expect(lead.body.code).toBe('VALIDATION_FAILED');
    });
  });
});
