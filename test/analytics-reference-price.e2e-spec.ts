import fc from 'fast-check';
import request from 'supertest';
import { Actor, ActorFactory } from './factories/actors';
import { CatalogueFactory, ItemInput, PAPER_CPV } from './factories/catalogue';
import { ContractFactory } from './factories/contracts';
import { auth } from './factories/tenders';
import { DataSource } from 'typeorm';
import { referencePrice, SOURCES_SHOWN } from '@app/domain/analytics';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';

interface Characteristic {
  name: string;
  value: string;
  unit?: string;
}

const A4 = { name: 'Формат', value: 'A4' };
const SHEETS = { name: 'Листов в пачке', value: '500', unit: 'H87' };

describe('ReferencePrice', () => {
  let t: TestApp;
  let factory: ActorFactory;
  let catalogue: CatalogueFactory;
  let contracts: ContractFactory;
  let operator: Actor;
  let buyer: Actor;
  let moscowId: string;
  /** Catalogue items by letter; see beforeAll. */
  const items: Record<string, string> = {};

  /** An active item of paper (PAPER_CPV, packs unless told) with these characteristics. */
  async function item(titleRu: string, characteristics: Characteristic[], input: Partial<ItemInput> = {}) {
    const supplier = await factory.actor('supplier');
    // The factory's ItemInput has no characteristics; the API takes them.
    const body: ItemInput = Object.assign({ titleRu, ...input }, { characteristics });
    return catalogue.activeItem(supplier, operator, body);
  }

  async function offer(itemId: string, price: string) {
    await catalogue.offer(await factory.actor('supplier'), itemId, { price });
  }

  const reference = (query: Record<string, string>) =>
    request(t.http)
      .get('/api/v1/analytics/reference-price')
      .set(auth(buyer))
      .query({ cityId: moscowId, quantity: '10', currency: 'RUB', ...query });

  const byCharacteristics = (characteristics: Characteristic[] | undefined) =>
    reference({
      cpv: PAPER_CPV,
      unitCode: 'XPK',
      ...(characteristics && { characteristics: JSON.stringify(characteristics) }),
    }).expect(200);

  /** [kind, unit price, catalogue item letter] of each source, sorted. */
  const sources = (body: {
    sources: { kind: string; unitPrice: string; catalogItem: { id: string } | null }[];
  }) =>
    body.sources
      .map((s) => [
        s.kind,
        s.unitPrice,
        Object.keys(items).find((letter) => items[letter] === s.catalogItem?.id) ?? null,
      ])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    factory = new ActorFactory(t.app);
    catalogue = new CatalogueFactory(t.app);
    contracts = new ContractFactory(t.app);
    operator = await factory.actor('operator');
    buyer = await factory.actor('buyer', { cityCode: 'moscow' });
    moscowId = (await factory.city('moscow')).id;
    // A and C are A4 paper (C written in other case, with spaces around); B is A3; D is A4 sold by the box;
    // E is A4 but archived; F is A4 under the parent CPV code.
    items.A = await item('Бумага A4, 500 листов', [A4, SHEETS]);
    items.B = await item('Бумага A3, 500 листов', [{ name: 'Формат', value: 'A3' }, SHEETS]);
    items.C = await item('Бумага а4 другой марки', [
      { name: '  формат ', value: 'a4\u00a0' },
      { name: 'ЛИСТОВ В ПАЧКЕ', value: ' 500', unit: 'H87' },
      { name: 'Белизна', value: '146' },
    ]);
    items.D = await item('Бумага A4 в коробке', [A4], { unitCode: 'XBX' });
    items.E = await item('Бумага A4 снятая', [A4]);
    items.F = await item('Бумага A4 без класса', [A4], { cpvCode: '30190000-7' });
    await offer(items.A, '100.00');
    await offer(items.B, '500.00');
    await offer(items.C, '110.00');
    await offer(items.D, '105.00');
    await offer(items.E, '90.00');
    await offer(items.F, '95.00');
    await request(t.http)
      .post(`/api/v1/catalogue/items/${items.E}/archive`)
      .set(auth(operator))
      .send({ reason: 'Снято с производства' })
      .expect(200);
  });
  afterAll(() => t.app.close());

  it('says that two matching offers are not enough', async () => {
    const res = await byCharacteristics([{ name: 'ФОРМАТ', value: 'a4' }]);
    expect(res.body).toMatchObject({ status: 'insufficient', required: 3 });
    expect(sources(res.body)).toEqual([
      ['offer', '100.00', 'A'],
      ['offer', '110.00', 'C'],
    ]);
  });

  it('counts only offers and contracts of catalogue items having every requested characteristic', async () => {
    // 200 packs each: unit prices 120 (item A), 400 (item B), 150 (no catalogue item).
    await Promise.all([
      contracts.signed('moscow', moscowId, '24000.00', { catalogItemId: items.A }),
      contracts.signed('moscow', moscowId, '80000.00', { catalogItemId: items.B }),
      contracts.signed('moscow', moscowId, '30000.00'),
    ]);
    const a4 = await byCharacteristics([{ name: 'Формат ', value: ' A4' }]);
    // 100, 110, 120: mean 110, sample σ 10, CV 9.09%
    expect(a4.body).toMatchObject({
      status: 'comparable',
      count: 3,
      mean: '110.0000',
      stdDev: '10.0000',
      coefficientOfVariation: '9.09',
    });
    expect(sources(a4.body)).toEqual([
      ['contract', '120.0000', 'A'],
      ['offer', '100.00', 'A'],
      ['offer', '110.00', 'C'],
    ]);
    expect(a4.body.sources.find((s: any) => s.kind === 'contract').catalogItem).toEqual({
      id: items.A,
      titleRu: 'Бумага A4, 500 листов',
      titleEn: null,
    });
    const both = await byCharacteristics([A4, { name: 'листов в пачке', value: '500', unit: 'h87' }]);
    expect(sources(both.body)).toEqual(sources(a4.body));
  });

  it('refuses characteristics holding text PostgreSQL cannot store, or nested past any request shape', async () => {
    // The query's JSON spells a lone surrogate as an escape, which only JSON.parse turns into one.
    const surrogate = await reference({
      cpv: PAPER_CPV,
      unitCode: 'XPK',
      characteristics: '[{"name":"\\ud800","value":"A4"}]',
    }).expect(400);
    expect(surrogate.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ field: 'characteristics.0.name' }] },
    });
    const deep = await reference({
      cpv: PAPER_CPV,
      unitCode: 'XPK',
      characteristics: `${'['.repeat(5000)}${']'.repeat(5000)}`,
    }).expect(400);
    expect(deep.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ field: 'characteristics' }] },
    });
  });

  it('matches a characteristic given without a unit whatever the unit, and one with a unit only on it', async () => {
    const anyUnit = await byCharacteristics([{ name: 'Листов в пачке', value: '500' }]);
    expect(anyUnit.body).toMatchObject({ status: 'not_comparable', count: 5 });
    expect(sources(anyUnit.body)).toEqual([
      ['contract', '120.0000', 'A'],
      ['contract', '400.0000', 'B'],
      ['offer', '100.00', 'A'],
      ['offer', '110.00', 'C'],
      ['offer', '500.00', 'B'],
    ]);
    const otherUnit = await byCharacteristics([{ name: 'Листов в пачке', value: '500', unit: 'KGM' }]);
    expect(otherUnit.body).toEqual({ status: 'insufficient', required: 3, sources: [] });
  });

  it('takes every active item of exactly the CPV code and unit, and every contract, without characteristics', async () => {
    const res = await byCharacteristics(undefined);
    expect(sources(res.body)).toEqual([
      ['contract', '120.0000', 'A'],
      ['contract', '150.0000', null],
      ['contract', '400.0000', 'B'],
      ['offer', '100.00', 'A'],
      ['offer', '110.00', 'C'],
      ['offer', '500.00', 'B'],
    ]);
    const empty = await byCharacteristics([]);
    expect(empty.body).toEqual(res.body);
  });

  it('names the catalogue item of each source for a catalogue item too', async () => {
    const res = await reference({ catalogItemId: items.A! }).expect(200);
    expect(sources(res.body)).toEqual([
      ['contract', '120.0000', 'A'],
      ['offer', '100.00', 'A'],
    ]);
  });

  it('counts no contract priced in a unit its catalogue item no longer has', async () => {
    // Writing paper: a CPV code no other source here has.
    const card = await item('Бумага писчая A4', [A4], { cpvCode: '30197620-8' });
    await contracts.signed('moscow', moscowId, '20000.00', {
      catalogItemId: card,
      classification: { scheme: 'CPV', id: '30197620-8' },
    });
    const before = await reference({ catalogItemId: card }).expect(200);
    expect(before.body.sources.map((s: { unitPrice: string }) => s.unitPrice)).toEqual(['100.0000']);
    // The card had no offer: an operator may move it to another unit; its contract was bought per pack.
    await request(t.http)
      .patch(`/api/v1/catalogue/items/${card}`)
      .set(auth(operator))
      .send({ unitCode: 'XBX' })
      .expect(200);
    const after = await reference({ catalogItemId: card }).expect(200);
    expect(after.body).toMatchObject({ status: 'insufficient', sources: [] });
  });

  it('compares prices on one VAT basis: with VAT and contracts by default, or offers without VAT alone', async () => {
    const card = await item('Бумага A4 с НДС и без', [A4], { cpvCode: '30197642-8' });
    const priced = [
      ['100.00', true],
      ['110.00', true],
      ['105.00', true],
      ['100.00', false],
      ['120.00', false],
    ] as const;
    for (const [price, vatIncluded] of priced) {
      await catalogue.offer(await factory.actor('supplier'), card, { price, vatIncluded });
    }
    await contracts.signed('moscow', moscowId, '21000.00', {
      catalogItemId: card,
      classification: { scheme: 'CPV', id: '30197642-8' },
    });
    const basis = (body: { sources: { kind: string; unitPrice: string; vatIncluded?: boolean }[] }) =>
      body.sources.map((s) => [s.kind, s.unitPrice, s.vatIncluded ?? null]).sort();
    // 100, 105, 110 with VAT and the contract's 105: mean 105.
    const gross = await reference({ catalogItemId: card }).expect(200);
    expect(gross.body).toMatchObject({ status: 'comparable', count: 4, mean: '105.0000' });
    expect(basis(gross.body)).toEqual([
      ['contract', '105.0000', null],
      ['offer', '100.00', true],
      ['offer', '105.00', true],
      ['offer', '110.00', true],
    ]);
    const net = await reference({ catalogItemId: card, vatIncluded: 'false' }).expect(200);
    expect(net.body).toMatchObject({ status: 'insufficient' });
    expect(basis(net.body)).toEqual([
      ['offer', '100.00', false],
      ['offer', '120.00', false],
    ]);
    const refused = await reference({ catalogItemId: card, vatIncluded: 'yes' }).expect(400);
    expect(refused.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ field: 'vatIncluded' }] },
    });
  });

  it('counts no offer of an archived catalogue item', async () => {
    const res = await reference({ catalogItemId: items.E! }).expect(200);
    expect(sources(res.body)).toEqual([]);
  });

  it('counts a contract item bought outside the catalogue by its own characteristics', async () => {
    // 200 packs each: unit prices 130 (free A4 paper, written in other case and spacing) and 450 (free A3 paper).
    await Promise.all([
      contracts.signed('moscow', moscowId, '26000.00', {
        characteristics: [{ name: ' формат', value: 'a4 ' }, SHEETS],
      }),
      contracts.signed('moscow', moscowId, '90000.00', {
        characteristics: [{ name: 'Формат', value: 'A3' }],
      }),
    ]);
    // The free contract without characteristics (150) and the A3 one match no A4 request.
    const a4 = await byCharacteristics([A4]);
    expect(sources(a4.body)).toEqual([
      ['contract', '120.0000', 'A'],
      ['contract', '130.0000', null],
      ['offer', '100.00', 'A'],
      ['offer', '110.00', 'C'],
    ]);
    const a3 = await byCharacteristics([{ name: 'формат', value: 'a3' }]);
    // 400, 450, 500: mean 450, sample σ 50, CV 11.11%
    expect(a3.body).toMatchObject({ status: 'comparable', count: 3, mean: '450.0000', stdDev: '50.0000' });
    expect(sources(a3.body)).toEqual([
      ['contract', '400.0000', 'B'],
      ['contract', '450.0000', null],
      ['offer', '500.00', 'B'],
    ]);
    // Every requested characteristic is needed: the free A3 contract does not say how many sheets.
    const a3Sheets = await byCharacteristics([{ name: 'Формат', value: 'A3' }, SHEETS]);
    expect(sources(a3Sheets.body)).toEqual([
      ['contract', '400.0000', 'B'],
      ['offer', '500.00', 'B'],
    ]);
  });

  it('counts every source but lists only the cheapest offers, however many match', async () => {
    const itemId = await item('Бумага для плоттеров, рулон', []);
    await offer(itemId, '100.00');
    // Another 69 offers like it, at 101.00 to 169.00: written directly, as many suppliers would.
    await t.app.get(DataSource).query(
      `INSERT INTO catalog_offers (item_id, supplier_organization_id, created_by_user_id, price, currency,
         vat_included, min_quantity, delivery_area, lead_time_days, valid_from, valid_until, status)
       SELECT item_id, supplier_organization_id, created_by_user_id, price + n, currency, vat_included,
              min_quantity, delivery_area, lead_time_days, valid_from, valid_until, status
         FROM catalog_offers, generate_series(1, 69) AS n WHERE item_id = $1`,
      [itemId],
    );
    const res = await reference({ catalogItemId: itemId }).expect(200);
    const prices = Array.from({ length: 70 }, (_, i) => `${100 + i}.00`);
    const all = referencePrice(prices.map((unitPrice, i) => ({ kind: 'offer', id: String(i), unitPrice })));
    const { sources: _, ...statistics } = all as { sources: unknown };
    expect(res.body).toMatchObject({ ...statistics, count: 70, mean: '134.5000' });
    expect(res.body.sources.map((s: { unitPrice: string }) => s.unitPrice)).toEqual(
      prices.slice(0, SOURCES_SHOWN),
    );
  });

  it('refuses malformed characteristics with 400 and the field', async () => {
    const refused = async (characteristics: string, extra: Record<string, string> = {}) =>
      (await reference({ cpv: PAPER_CPV, unitCode: 'XPK', characteristics, ...extra }).expect(400)).body;
    const validation = (field: string, message: string) => ({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: `${field}: ${message}`,
      details: { fields: [{ field, messages: [message] }] },
      correlationId: expect.any(String),
    });
    const notAnArray = 'characteristics must be a JSON array of { name, value, unit? } objects';
    for (const text of ['Формат=A4', '{"name":"Формат","value":"A4"}', '[{"name":"Формат"', '']) {
      expect(await refused(text)).toEqual(validation('characteristics', notAnArray));
    }
    const many = JSON.stringify(Array.from({ length: 21 }, (_, i) => ({ name: `n${i}`, value: 'v' })));
    expect(await refused(many)).toEqual(
      validation('characteristics', 'characteristics must contain no more than 20 elements'),
    );
    expect(await refused('[{"name":"  ","value":"A4"}]')).toEqual(
      validation('characteristics.0.name', 'name must not be blank'),
    );
    expect(await refused(JSON.stringify([{ name: 'Формат', value: 'x'.repeat(501) }]))).toEqual(
      validation('characteristics.0.value', 'value must be shorter than or equal to 500 characters'),
    );
    expect(await refused('[{"name":"Формат","value":"A4","unit":"kilogram"}]')).toEqual(
      validation('characteristics.0.unit', 'unit must be a UN/ECE Recommendation 20 code'),
    );
    expect(await refused('[{"name":"Формат","value":"A4","colour":"white"}]')).toEqual(
      validation('characteristics.0.colour', 'property characteristics.0.colour should not exist'),
    );
    const withItem = await reference({ catalogItemId: items.A!, characteristics: JSON.stringify([A4]) });
    expect(withItem.status).toBe(400);
    expect(withItem.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'characteristics go with a cpv and a unitCode',
      details: { field: 'characteristics' },
      correlationId: expect.any(String),
    });
    const repeated = await request(t.http)
      .get('/api/v1/analytics/reference-price')
      .set(auth(buyer))
      .query(
        `cpv=${PAPER_CPV}&unitCode=XPK&cityId=${moscowId}&quantity=1&currency=RUB&characteristics=[]&characteristics=[]`,
      )
      .expect(400);
    expect(repeated.body).toEqual(validation('characteristics', notAnArray));
  });

  it('never answers 5xx to arbitrary characteristics', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('__proto__', 'constructor', ' ', '\u0000', 'A4\u0000'),
    );
    const value = fc.oneof(text, fc.integer(), fc.constant(null), fc.array(text, { maxLength: 2 }));
    const characteristic = fc.dictionary(
      fc.oneof(fc.constantFrom('name', 'value', 'unit', '__proto__'), text),
      value,
      { maxKeys: 4 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.array(fc.oneof(characteristic, value), { maxLength: 4 }).map((a) => JSON.stringify(a)),
          text,
        ),
        async (characteristics) => {
          const res = await reference({ cpv: PAPER_CPV, unitCode: 'XPK', characteristics });
          expect([200, 400]).toContain(res.status);
        },
      ),
      { numRuns: 60 },
    );
  });
});
