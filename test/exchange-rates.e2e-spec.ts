import request from 'supertest';
import { ExchangeRatesService } from '@app/domain/analytics';
import { Actor, ActorFactory } from './factories/actors';
import { auth } from './factories/tenders';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';

describe('ExchangeRatesController', () => {
  let t: TestApp;
  let operator: Actor;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    operator = await new ActorFactory(t.app).actor('operator');
  });
  afterAll(() => t.app.close());

  const put = (actor: Actor, body: object) =>
    request(t.http).put('/api/v1/exchange-rates').set(auth(actor)).send(body);

  it('lets an operator record and correct a daily rate, idempotently', async () => {
    const body = { base: 'RUB', currency: 'KZT', day: '2026-11-24', rate: '5.8231' };
    const first = await put(operator, body).expect(200);
    expect(first.body).toMatchObject({
      base: 'RUB',
      currency: 'KZT',
      day: '2026-11-24',
      rate: '5.8231000000',
    });
    await put(operator, body).expect(200);
    const corrected = await put(operator, { ...body, rate: '5.9' }).expect(200);
    expect(corrected.body.rate).toBe('5.9000000000');
    const list = await request(t.http)
      .get('/api/v1/exchange-rates')
      .query({ base: 'RUB', currency: 'KZT' })
      .expect(200);
    expect(list.body.items).toHaveLength(1);
  });

  it('uses the rate of the day or the latest one before it, and says when there is none', async () => {
    await put(operator, { base: 'RUB', currency: 'BYN', day: '2026-11-20', rate: '0.0325' }).expect(200);
    const rates = t.app.get(ExchangeRatesService);
    expect((await rates.rateOn('RUB', 'BYN', '2026-11-25')).day).toBe('2026-11-20');
    await expect(rates.rateOn('RUB', 'BYN', '2026-11-19')).rejects.toMatchObject({
      code: 'EXCHANGE_RATE_MISSING',
    });
  });

  it('refuses bad currencies, a zero rate and callers who are not operators', async () => {
    const bad = await put(operator, { base: 'RUR', currency: 'KZT', day: '2026-11-24', rate: '1' }).expect(
      400,
    );
    expect(bad.body).toMatchObject({ code: 'EXCHANGE_RATE_INVALID', details: { field: 'base' } });
    const zero = await put(operator, {
      base: 'RUB',
      currency: 'KZT',
      day: '2026-11-24',
      rate: '0.00',
    }).expect(400);
    expect(zero.body.details.field).toBe('rate');
    const float = await put(operator, {
      base: 'RUB',
      currency: 'KZT',
      day: '2026-11-24',
      rate: '1e3',
    }).expect(400);
    expect(float.body.code).toBe('VALIDATION_FAILED');
    const buyer = await new ActorFactory(t.app).actor('buyer');
    expect(
      (await put(buyer, { base: 'RUB', currency: 'KZT', day: '2026-11-24', rate: '1' }).expect(403)).body
        .code,
    ).toBe('FORBIDDEN_ROLE');
  });
});
