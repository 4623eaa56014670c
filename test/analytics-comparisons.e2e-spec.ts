import request from 'supertest';
import { DataSource } from 'typeorm';
import { PriceStatsService } from '@app/domain/analytics';
import { Actor, ActorFactory } from './factories/actors';
import { auth, PAPER_CPV, TenderFlows, tenderBody } from './factories/tenders';
import { createTestApp, TestApp } from './setup/app-factory';
import { eventually } from './setup/eventually';
import { resetState } from './setup/reset';

const utcDay = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('PriceComparisonsController', () => {
  let t: TestApp;
  let factory: ActorFactory;
  let flows: TenderFlows;
  let operator: Actor;
  let buyer: Actor;
  let moscowId: string;
  let almatyId: string;
  let kazanId: string;
  const month = new Date().toISOString().slice(0, 7);
  const today = utcDay(0);
  const yesterday = utcDay(-1);

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    factory = new ActorFactory(t.app);
    flows = new TenderFlows(t.app);
    moscowId = (await factory.city('moscow')).id;
    almatyId = (await factory.city('almaty')).id;
    kazanId = (await factory.city('kazan')).id;
    operator = await factory.actor('operator');
    buyer = await factory.actor('buyer');
  });
  afterAll(() => t.app.close());

  /** A tender for 200 packs of paper delivered to the city, in `currency`, awarded at `price` and signed. */
  async function contracted(
    cityCode: string,
    cityId: string,
    currency: string,
    price: string,
  ): Promise<void> {
    const cityBuyer = await factory.actor('buyer', { cityCode });
    const supplier = await factory.actor('supplier');
    const body = tenderBody(cityId, { currency }, 2);
    body.lots[0]!.estimate = '500000.00';
    const tender = await flows.publish(cityBuyer, body);
    await flows.bid(supplier, tender, [price]);
    await flows.closeAfterDeadline(tender);
    const award = await eventually(async () => {
      const res = await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200);
      return res.body.items[0] as { id: string } | undefined;
    }, 10_000);
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/awards/${award.id}/accept`)
      .set(auth(cityBuyer))
      .expect(204);
    const contracts = await request(t.http).get(`/api/v1/tenders/${tender.id}/contracts`).expect(200);
    const contractId = contracts.body.items[0].id as string;
    // Signing opens after the one-second test stand-still.
    await eventually(async () => {
      const res = await request(t.http).post(`/api/v1/contracts/${contractId}/sign`).set(auth(cityBuyer));
      return res.status === 204 ? true : undefined;
    }, 10_000);
    await request(t.http).post(`/api/v1/contracts/${contractId}/confirm`).set(auth(supplier)).expect(204);
  }

  const setRate = (base: string, currency: string, day: string, rate: string) =>
    request(t.http)
      .put('/api/v1/exchange-rates')
      .set(auth(operator))
      .send({ base, currency, day, rate })
      .expect(200);

  const compare = (actor: Actor | null, body: object) => {
    const req = request(t.http).post('/api/v1/analytics/price-comparisons');
    return (actor ? req.set(auth(actor)) : req).send(body);
  };

  const stored = async () =>
    Number((await t.app.get(DataSource).query(`SELECT count(*) AS n FROM price_comparisons`))[0].n);

  const paper = { cpv: PAPER_CPV, unitCode: 'XPK', month };

  beforeAll(async () => {
    // Moscow: 100 and 150 RUB a pack; Almaty: 550 KZT a pack.
    await Promise.all([
      contracted('moscow', moscowId, 'RUB', '20000.00'),
      contracted('moscow', moscowId, 'RUB', '30000.00'),
      contracted('almaty', almatyId, 'KZT', '110000.00'),
    ]);
    await t.app.get(PriceStatsService).rebuild();
    // The rate of yesterday is the latest on or before today; tomorrow's must not be used.
    await setRate('RUB', 'KZT', yesterday, '5.8231');
    await setRate('RUB', 'KZT', utcDay(1), '7');
  });

  it('converts each city into the base currency with the rate of the day and stores the rate used', async () => {
    const res = await compare(buyer, { ...paper, baseCurrency: 'RUB' }).expect(201);
    const kztRate = { base: 'RUB', currency: 'KZT', day: yesterday, rate: '5.8231000000' };
    expect(res.body).toEqual({
      id: expect.any(String),
      kind: 'cpv',
      subject: '3019763',
      unitCode: 'XPK',
      month,
      baseCurrency: 'RUB',
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      cities: [
        {
          cityId: almatyId,
          country: 'KZ',
          currency: 'KZT',
          count: 1,
          // 550 / 5.8231 = 94.45140…; 110000 / 5.8231 = 18890.2818…
          min: '94.4514',
          q1: '94.4514',
          median: '94.4514',
          q3: '94.4514',
          max: '94.4514',
          mean: '94.4514',
          totalValue: '18890.28',
          original: {
            min: '550.0000',
            q1: '550.0000',
            median: '550.0000',
            q3: '550.0000',
            max: '550.0000',
            mean: '550.0000',
            totalValue: '110000.00',
          },
          rate: kztRate,
        },
        {
          cityId: moscowId,
          country: 'RU',
          currency: 'RUB',
          count: 2,
          min: '100.0000',
          q1: '112.5000',
          median: '125.0000',
          q3: '137.5000',
          max: '150.0000',
          mean: '125.0000',
          totalValue: '50000.00',
          original: {
            min: '100.0000',
            q1: '112.5000',
            median: '125.0000',
            q3: '137.5000',
            max: '150.0000',
            mean: '125.0000',
            totalValue: '50000.00',
          },
          rate: { base: 'RUB', currency: 'RUB', day: today, rate: '1' },
        },
      ],
      rates: [kztRate],
    });
  });

  it('reads a comparison back unchanged after the operator corrects the rate it used', async () => {
    const created = await compare(buyer, { ...paper, baseCurrency: 'RUB', cityIds: [almatyId] }).expect(201);
    await setRate('RUB', 'KZT', yesterday, '6');
    const read = await request(t.http)
      .get(`/api/v1/analytics/price-comparisons/${created.body.id}`)
      .expect(200);
    expect(read.body).toEqual(created.body);
    expect(read.body.rates).toEqual([{ base: 'RUB', currency: 'KZT', day: yesterday, rate: '5.8231000000' }]);
    // A new comparison takes the corrected rate: 550 / 6 = 91.6666…
    const again = await compare(buyer, { ...paper, baseCurrency: 'RUB', cityIds: [almatyId] }).expect(201);
    expect(again.body.cities[0]).toMatchObject({ median: '91.6667', totalValue: '18333.33' });
    expect(again.body.rates[0].rate).toBe('6.0000000000');
  });

  it('compares only the cities asked for, and says when none of them has statistics', async () => {
    const auditor = await factory.actor('auditor');
    const res = await compare(auditor, { ...paper, baseCurrency: 'RUB', cityIds: [moscowId] }).expect(201);
    expect(res.body.cities.map((c: any) => c.cityId)).toEqual([moscowId]);
    expect(res.body.rates).toEqual([]);
    const before = await stored();
    const none = await compare(operator, { ...paper, baseCurrency: 'RUB', cityIds: [kazanId] }).expect(404);
    expect(none.body).toEqual({
      statusCode: 404,
      code: 'PRICE_STATS_NOT_FOUND',
      message: `No city has ${month} statistics of this CPV code in XPK`,
      details: { kind: 'cpv', subject: '3019763', unitCode: 'XPK', month },
      correlationId: expect.any(String),
    });
    await compare(operator, { ...paper, month: '2001-01', baseCurrency: 'RUB' }).expect(404);
    expect(await stored()).toBe(before);
  });

  it('refuses a comparison whose rate is missing and stores nothing', async () => {
    const before = await stored();
    // In KZT the Moscow row needs a KZT/RUB rate; only RUB/KZT is recorded.
    const res = await compare(buyer, { ...paper, baseCurrency: 'KZT' }).expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      code: 'EXCHANGE_RATE_MISSING',
      message: `No KZT/RUB rate recorded on or before ${today}`,
      details: { base: 'KZT', currency: 'RUB', day: today },
      correlationId: expect.any(String),
    });
    expect(await stored()).toBe(before);
  });

  it('lists comparisons newest first, page by page, for anyone', async () => {
    const total = await stored();
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await request(t.http)
        .get('/api/v1/analytics/price-comparisons')
        .query(cursor ? { limit: 2, cursor } : { limit: 2 })
        .expect(200);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((c) => c.id)).size).toBe(total);
    const times = seen.map((c) => c.createdAt as string);
    expect([...times].sort().reverse()).toEqual(times);
    expect(seen.at(-1)).toEqual({
      id: expect.any(String),
      kind: 'cpv',
      subject: '3019763',
      unitCode: 'XPK',
      month,
      baseCurrency: 'RUB',
      createdAt: expect.any(String),
      cityCount: 2,
    });
    const bad = await request(t.http)
      .get('/api/v1/analytics/price-comparisons')
      .query({ cursor: Buffer.from('["2026-02-30T00:00:00.000000Z","x"]').toString('base64url') })
      .expect(400);
    expect(bad.body.code).toBe('INVALID_CURSOR');
  });

  it('lets buyers, auditors and operators compare, not suppliers or anonymous callers', async () => {
    const supplier = await factory.actor('supplier');
    const forbidden = await compare(supplier, { ...paper, baseCurrency: 'RUB' }).expect(403);
    expect(forbidden.body.code).toBe('FORBIDDEN_ROLE');
    const anonymous = await compare(null, { ...paper, baseCurrency: 'RUB' }).expect(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses bad input with 400 and a code', async () => {
    const before = await stored();
    const validation = (message: string, field: string) => ({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message,
      details: { fields: [{ field, messages: [message.slice(field.length + 2)] }] },
      correlationId: expect.any(String),
    });
    const both = await compare(buyer, {
      ...paper,
      catalogItemId: moscowId,
      baseCurrency: 'RUB',
    }).expect(400);
    expect(both.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'Give exactly one of cpv and catalogItemId',
      details: { field: 'cpv' },
      correlationId: expect.any(String),
    });
    const badMonth = await compare(buyer, { ...paper, month: '2026-13', baseCurrency: 'RUB' }).expect(400);
    expect(badMonth.body).toEqual(validation('month: month must be a month YYYY-MM', 'month'));
    const yearZero = await compare(buyer, { ...paper, month: '0000-01', baseCurrency: 'RUB' }).expect(400);
    expect(yearZero.body).toEqual(validation('month: month must be a month YYYY-MM', 'month'));
    const notIso = await compare(buyer, { ...paper, baseCurrency: 'RUR' }).expect(400);
    expect(notIso.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'baseCurrency: not an ISO 4217 currency',
      details: { field: 'baseCurrency' },
      correlationId: expect.any(String),
    });
    const noCities = await compare(buyer, { ...paper, baseCurrency: 'RUB', cityIds: [] }).expect(400);
    expect(noCities.body).toEqual(validation('cityIds: cityIds must contain at least 1 elements', 'cityIds'));
    const tooMany = Array.from({ length: 101 }, () => moscowId);
    await compare(buyer, { ...paper, baseCurrency: 'RUB', cityIds: tooMany }).expect(400);
    const notUuid = await compare(buyer, { ...paper, baseCurrency: 'RUB', cityIds: ['moscow'] }).expect(400);
    expect(notUuid.body.details.fields[0].field).toBe('cityIds');
    const unknown = await compare(buyer, { ...paper, baseCurrency: 'RUB', rate: '1' }).expect(400);
    expect(unknown.body.message).toBe('rate: property rate should not exist');
    expect(await stored()).toBe(before);

    const badId = await request(t.http).get('/api/v1/analytics/price-comparisons/nope').expect(400);
    expect(badId.body).toEqual({
      statusCode: 400,
      code: 'INVALID_ID',
      message: 'id must be a UUID',
      details: { field: 'id' },
      correlationId: expect.any(String),
    });
    const missing = await request(t.http).get(`/api/v1/analytics/price-comparisons/${moscowId}`).expect(404);
    expect(missing.body.code).toBe('PRICE_COMPARISON_NOT_FOUND');
  });
});
