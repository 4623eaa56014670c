import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MIN_MARKET_COUNT, PriceStatsService, RedFlagsService } from '@app/domain/analytics';
import { PriceStatsPerPurchase1765200000000 } from '../libs/domain/src/database/migrations/1765200000000-PriceStatsPerPurchase';
import { SingleItemLotUnitPrices1765190000000 } from '../libs/domain/src/database/migrations/1765190000000-SingleItemLotUnitPrices';
import { ActorFactory } from './factories/actors';
import { ContractFactory } from './factories/contracts';
import { auth, PAPER_CPV, TenderFlows, tenderBody } from './factories/tenders';
import { createTestApp, createTestWorker, TestApp } from './setup/app-factory';
import { eventually } from './setup/eventually';
import { resetState } from './setup/reset';

/** What the price statistics and the reference price count as a market price: a purchase's unit price. */
describe('PriceStats of purchases', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let factory: ActorFactory;
  let flows: TenderFlows;
  let contracts: ContractFactory;
  let kazanId: string;
  let omskId: string;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    // No red flag sweep within the suite: statistics follow from confirming a contract alone.
    worker = await createTestWorker({ ANALYTICS_SWEEP_SECONDS: '3600' });
    factory = new ActorFactory(t.app);
    flows = new TenderFlows(t.app);
    contracts = new ContractFactory(t.app);
    kazanId = (await factory.city('kazan')).id;
    omskId = (await factory.city('omsk')).id;
  });
  afterAll(async () => {
    await worker?.close();
    await t.app.close();
  });

  const cityStats = async (cityId: string) => {
    const res = await request(t.http)
      .get('/api/v1/analytics/prices')
      .query({ cpv: PAPER_CPV, cityId })
      .expect(200);
    return res.body.items as Record<string, unknown>[];
  };

  /** Waits until the worker has counted every signed contract (no change waiting for a refresh). */
  const counted = () =>
    eventually(async () => {
      const [{ n }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM price_stats_changes`);
      return n === 0 ? true : undefined;
    }, 20_000);

  it('leaves the items of a lot of several items out of unit prices and the reference price', async () => {
    // One lot of 199 packs and 1 pack awarded at 50,000.00 for both: the lot has a price, its items have none.
    const lotOfTwo = await contracts.signedItems('kazan', kazanId, '50000.00', [
      { quantity: '199' },
      { description: 'Бумага офисная A4, 500 листов, ещё одна пачка', quantity: '1' },
    ]);
    await contracts.signed('kazan', kazanId, '40000.00');
    await counted();
    const expected = [
      expect.objectContaining({
        count: 1,
        min: '200.0000',
        max: '200.0000',
        totalQuantity: '200.000',
        totalValue: '40000.00',
      }),
    ];
    expect(await cityStats(kazanId)).toEqual(expected);
    // The nightly rebuild, from the contracts themselves, counts the same.
    await t.app.get(PriceStatsService).rebuild();
    expect(await cityStats(kazanId)).toEqual(expected);
    expect(
      await t.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS n FROM contracted_items WHERE contract_id = $1`, [lotOfTwo]),
    ).toEqual([{ n: 0 }]);
    const buyer = await factory.actor('buyer', { cityCode: 'kazan' });
    const reference = await request(t.http)
      .get('/api/v1/analytics/reference-price')
      .set(auth(buyer))
      .query({ cpv: PAPER_CPV, unitCode: 'XPK', cityId: kazanId, quantity: '200', currency: 'RUB' })
      .expect(200);
    expect(reference.body.sources).toEqual([
      expect.objectContaining({ kind: 'contract', unitPrice: '200.0000', quantity: '200.000' }),
    ]);
  });

  it('corrects the statistics of a lot of several items counted before the migration at the next refresh', async () => {
    const db = t.app.get(DataSource);
    const service = t.app.get(PriceStatsService);
    const month = new Date().toISOString().slice(0, 7);
    const migration = new SingleItemLotUnitPrices1765190000000();
    const runner = db.createQueryRunner();
    // As before the migration: the award split evenly among the items (25,000.00 / 199 and 25,000.00 / 1).
    let before: unknown;
    try {
      await migration.down(runner);
      await service.refreshChanges([{ division: '30', month }]);
      before = (await cityStats(kazanId))[0];
    } finally {
      // Up runs whatever happens in between: the function it defines is not reset between spec files.
      await migration.up(runner);
      await runner.release();
    }
    expect(before).toMatchObject({ count: 3, min: '125.6281', max: '25000.0000' });
    await service.refreshChanges([{ division: '30', month }]);
    expect(await cityStats(kazanId)).toEqual([
      expect.objectContaining({ count: 1, min: '200.0000', max: '200.0000', totalValue: '40000.00' }),
    ]);
    expect(await db.query(`SELECT count(*)::int AS n FROM price_stats_changes`)).toEqual([{ n: 0 }]);
  });

  it('counts a joint purchase once, however many buyers signed a contract of it', async () => {
    // Two purchases of 200 packs, at 260 and 270 a pack, each bought by two buyers: four contracts.
    for (const price of ['52000.00', '54000.00']) {
      await contracts.signedJoint(omskId, price, [
        { cityCode: 'moscow', quantity: '100', share: '50000.00' },
        { cityCode: 'kazan', quantity: '100', share: '50000.00' },
      ]);
    }
    await counted();
    const expected = [
      expect.objectContaining({
        count: 2,
        min: '260.0000',
        q1: '262.5000',
        median: '265.0000',
        q3: '267.5000',
        max: '270.0000',
        mean: '265.0000',
        totalQuantity: '400.000',
        totalValue: '106000.00',
      }),
    ];
    expect(await cityStats(omskId)).toEqual(expected);
    const service = t.app.get(PriceStatsService);
    await service.rebuild();
    expect(await cityStats(omskId)).toEqual(expected);
    // A row counted before the migration (a contract a data point) is corrected by the next refresh of its part.
    const db = t.app.get(DataSource);
    await db.query(`UPDATE price_stats SET count = 4 WHERE geo = $1`, [omskId]);
    const runner = db.createQueryRunner();
    try {
      await new PriceStatsPerPurchase1765200000000().up(runner);
    } finally {
      await runner.release();
    }
    await service.refreshChanges([{ division: '30', month: new Date().toISOString().slice(0, 7) }]);
    expect(await cityStats(omskId)).toEqual(expected);
  });

  it('judges an award against the market only from MIN_MARKET_COUNT purchases, a joint one counted once', async () => {
    expect(MIN_MARKET_COUNT).toBe(4);
    // 200 packs at 300 a pack, delivered to Omsk, where two joint purchases (four contracts) are the market.
    const buyer = await factory.actor('buyer', { cityCode: 'omsk' });
    const tender = await flows.publish(buyer, tenderBody(omskId, {}, 2));
    await flows.bid(await factory.actor('supplier'), tender, ['60000.00']);
    await flows.closeAfterDeadline(tender);
    const redFlags = t.app.get(RedFlagsService);
    const aboveMarket = async () => {
      await eventually(async () => (await redFlags.recompute(tender.id)) ?? undefined, 15_000);
      const res = await request(t.http).get(`/api/v1/tenders/${tender.id}/red-flags`).expect(200);
      return res.body.items.find((f: any) => f.code === 'PRICE_ABOVE_MARKET');
    };
    expect(await aboveMarket()).toBeUndefined();
    // Two more purchases at 265 a pack: four purchases, 260, 265, 265 and 270 (upper fence 270).
    await Promise.all([
      contracts.signed('omsk', omskId, '53000.00'),
      contracts.signed('omsk', omskId, '53000.00'),
    ]);
    await counted();
    expect((await aboveMarket())?.figures).toMatchObject({
      unitPrice: '300.0000',
      q1: '263.7500',
      q3: '266.2500',
      upperFence: '270.0000',
      count: 4,
      cityId: omskId,
    });
  });
});
