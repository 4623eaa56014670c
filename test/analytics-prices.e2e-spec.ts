import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { JOBS, QUEUES } from '@app/domain';
import { PRICED_ITEMS, PriceStatsService, RedFlagsService, summarizePrices } from '@app/domain/analytics';
import { JointContractUnitPrices1765150000000 } from '../libs/domain/src/database/migrations/1765150000000-JointContractUnitPrices';
import { SingleItemLotUnitPrices1765190000000 } from '../libs/domain/src/database/migrations/1765190000000-SingleItemLotUnitPrices';
import { ActorFactory } from './factories/actors';
import { CatalogueFactory } from './factories/catalogue';
import { ContractFactory } from './factories/contracts';
import { auth, PAPER_CPV, TenderFlows, tenderBody } from './factories/tenders';
import { createTestApp, createTestWorker, TestApp } from './setup/app-factory';
import { eventually } from './setup/eventually';
import { resetState } from './setup/reset';

describe('PriceStats', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let factory: ActorFactory;
  let flows: TenderFlows;
  let contracts: ContractFactory;
  let moscowId: string;
  let kazanId: string;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    // The red flag sweep (the backstop that also refreshes statistics) runs once at start and then not within
    // the suite: statistics must follow from confirming a contract alone.
    worker = await createTestWorker({ ANALYTICS_SWEEP_SECONDS: '3600' });
    factory = new ActorFactory(t.app);
    flows = new TenderFlows(t.app);
    contracts = new ContractFactory(t.app);
    moscowId = (await factory.city('moscow')).id;
    kazanId = (await factory.city('kazan')).id;
  });
  afterAll(async () => {
    await worker?.close();
    await t.app.close();
  });

  const prices = (query: Record<string, string>) =>
    request(t.http).get('/api/v1/analytics/prices').query(query).expect(200);

  /**
   * Waits until the worker has no refresh of statistics or of red flags waiting, delayed (a retry included) or
   * running: any of them takes the changes of its parts, those a test marks with changeAll too.
   */
  const workerIdle = () =>
    eventually(async () => {
      for (const [name, job] of [
        [QUEUES.priceAnalytics, JOBS.refreshPriceStats],
        [QUEUES.redFlags, JOBS.computeRedFlags],
      ] as const) {
        const queue = worker.get<Queue>(getQueueToken(name), { strict: false });
        const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
        if (jobs.some((j) => j?.name === job)) return undefined;
      }
      return true;
    }, 15_000);

  /**
   * Marks every contracted item of a part as changed: its refresh then recomputes every group of the part. It
   * waits for the worker first, so that no refresh of the worker's takes these changes before the test does.
   */
  const changeAll = async (division: string, month: string) => {
    await workerIdle();
    await t.app.get(DataSource).query(
      `INSERT INTO price_stats_changes (division, month, cpv_code, catalog_item_id, unit_code, currency, country)
       SELECT division, month, cpv_code, catalog_item_id, unit_code, currency, country FROM contracted_items
        WHERE division = $1 AND month = $2`,
      [division, `${month}-01`],
    );
  };

  it('computes exact statistics per city as soon as contracts are signed, as the pure rules do', async () => {
    await Promise.all([
      contracts.signed('moscow', moscowId, '20000.00'),
      contracts.signed('moscow', moscowId, '30000.00'),
      contracts.signed('moscow', moscowId, '50000.00'),
      contracts.signed('moscow', moscowId, '40000.00'),
      contracts.signed('kazan', kazanId, '40000.00'),
    ]);
    const month = new Date().toISOString().slice(0, 7);
    const moscow = await eventually(async () => {
      const res = await prices({ cpv: PAPER_CPV, cityId: moscowId });
      return res.body.items[0]?.count === 4 ? res.body.items[0] : undefined;
    }, 20_000);
    const expected = summarizePrices(
      ['20000.00', '30000.00', '50000.00', '40000.00'].map((value) => ({
        value,
        quantity: '200',
        unitPrice: (Number(value) / 200).toFixed(4),
      })),
    );
    expect(moscow).toEqual({
      kind: 'cpv',
      subject: '3019763',
      division: '30',
      unitCode: 'XPK',
      currency: 'RUB',
      country: 'RU',
      cityId: moscowId,
      month,
      ...expected,
    });
    expect(moscow).toMatchObject({ min: '100.0000', q1: '137.5000', median: '175.0000', q3: '212.5000' });
    expect(moscow).toMatchObject({ mean: '175.0000', totalQuantity: '800.000', totalValue: '140000.00' });
  });

  it('rolls children up by CPV prefix and compares cities or a whole country', async () => {
    const division = await eventually(async () => {
      const res = await prices({ cpv: '30000000-3' });
      return res.body.items.length === 2 ? res.body.items : undefined;
    }, 20_000);
    expect(division.map((r: any) => [r.subject, r.cityId, r.count]).sort()).toEqual(
      [
        ['30', kazanId, 1],
        ['30', moscowId, 4],
      ].sort(),
    );
    const country = await prices({ cpv: '30190000-7', country: 'RU' });
    expect(country.body.items).toEqual([
      expect.objectContaining({ subject: '3019', cityId: null, count: 5, median: '200.0000' }),
    ]);
    const none = await prices({ cpv: PAPER_CPV, from: '2000-01', to: '2000-12' });
    expect(none.body.items).toEqual([]);
  });

  it('pages a series by limit and cursor, in the order of the series, and refuses a cursor it did not make', async () => {
    const all = (await prices({ cpv: '30000000-3' })).body;
    expect(all.items).toHaveLength(2);
    expect(all.nextCursor).toBeNull();
    const first = (await prices({ cpv: '30000000-3', limit: '1' })).body;
    expect(first.items).toEqual([all.items[0]]);
    expect(typeof first.nextCursor).toBe('string');
    const second = (await prices({ cpv: '30000000-3', limit: '1', cursor: first.nextCursor })).body;
    expect(second).toEqual({ items: [all.items[1]], nextCursor: null });
    for (const query of [
      { limit: '0' },
      { limit: '201' },
      { limit: 'many' },
      // Year 0000 does not exist in PostgreSQL's calendar.
      { from: '0000-01' },
      { to: '0000-12' },
      { cursor: 'not-a-cursor' },
      { cursor: Buffer.from(JSON.stringify(['x', 'RU', 'RU', 'XPK', 'RUB', '30'])).toString('base64url') },
    ]) {
      const res = await request(t.http)
        .get('/api/v1/analytics/prices')
        .query({ cpv: '30000000-3', ...query });
      expect([res.status, res.body.code]).toEqual([
        400,
        query.cursor ? 'INVALID_CURSOR' : 'VALIDATION_FAILED',
      ]);
    }
  });

  it('gives the same rows from a full rebuild, a repeated one and a refresh of every group of a part', async () => {
    const before = await prices({ cpv: '30000000-3' });
    const service = t.app.get(PriceStatsService);
    const first = await service.rebuild();
    expect(first.rows).toBeGreaterThan(0);
    expect(await service.rebuild()).toEqual(first);
    expect((await prices({ cpv: '30000000-3' })).body).toEqual(before.body);
    // The rebuilt table swapped in is the one the entity and migrations describe (names of its key and index).
    const pending = await t.app.get(DataSource).driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    expect(await t.app.get(DataSource).query(`SELECT to_regclass('price_stats_next') AS t`)).toEqual([
      { t: null },
    ]);
    const month = new Date().toISOString().slice(0, 7);
    // Every contract of the suite is paper (division 30) signed this month: the part holds every row.
    await changeAll('30', month);
    expect(await service.refreshChanges([{ division: '30', month }])).toEqual(first);
    await changeAll('30', month);
    expect(await service.refreshChanges([{ division: '30', month: '2001-01' }])).toEqual({ rows: 0 });
    expect(await service.refreshChanges([{ division: '44', month }])).toEqual({ rows: 0 });
    // Several parts at once (one of them empty, one repeated) give the same rows.
    expect(
      await service.refreshChanges([
        { division: '44', month },
        { division: '30', month },
        { division: '30', month },
        { division: '30', month: '2001-01' },
      ]),
    ).toEqual(first);
    expect((await prices({ cpv: '30000000-3' })).body).toEqual(before.body);
  });

  it('refreshes by difference: a stale row of a group is deleted, a wrong row rewritten, the rest left alone', async () => {
    const dataSource = t.app.get(DataSource);
    const service = t.app.get(PriceStatsService);
    const month = new Date().toISOString().slice(0, 7);
    await changeAll('30', month);
    const { rows } = await service.refreshChanges([{ division: '30', month }]);
    const snapshot = () =>
      dataSource.query<{ key: string; count: number; computed_at: Date }[]>(
        `SELECT concat_ws(' ', kind, subject, geo, unit_code) AS key, count, computed_at
           FROM price_stats WHERE division = '30' ORDER BY 1`,
      );
    const before = await snapshot();
    expect(before).toHaveLength(rows);
    // A city row of a group that holds no contract for that city, and a row whose figures went wrong.
    const novosibirsk = (await factory.city('novosibirsk')).id;
    await dataSource.query(
      `INSERT INTO price_stats (kind, subject, division, unit_code, currency, country, city_id, geo, month, count,
                                min, q1, median, q3, max, mean, total_quantity, total_value)
       VALUES ('cpv', '30', '30', 'XPK', 'RUB', 'RU', $2::uuid, $2::text, $1, 1, 1, 1, 1, 1, 1, 1, 1, 1)`,
      [`${month}-01`, novosibirsk],
    );
    await dataSource.query(
      `UPDATE price_stats SET count = 999 WHERE division = '30' AND kind = 'cpv' AND subject = '30' AND geo = $1`,
      [kazanId],
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    await changeAll('30', month);
    expect(await service.refreshChanges([{ division: '30', month }])).toEqual({ rows });
    const after = await snapshot();
    expect(after.map((r) => [r.key, r.count])).toEqual(before.map((r) => [r.key, r.count]));
    const rewritten = after.filter((r, i) => r.computed_at.getTime() !== before[i]!.computed_at.getTime());
    expect(rewritten.map((r) => r.key)).toEqual([`cpv 30 ${kazanId} XPK`]);
  });

  it('counts new contracts by recomputing only the groups their items touch, once', async () => {
    const dataSource = t.app.get(DataSource);
    const service = t.app.get(PriceStatsService);
    const month = new Date().toISOString().slice(0, 7);
    // The worker takes every change the suite's contracts made.
    await eventually(async () => {
      const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM price_stats_changes`);
      return n === 0 ? true : undefined;
    }, 20_000);
    expect(await service.refreshChanges([{ division: '30', month }])).toEqual({ rows: 0 });
    // Two wrong rows: one in a group a pending change touches (Kazan's paper in XPK), one in a group it does not.
    const wrong = (subject: string, geo: string) =>
      dataSource.query(
        `UPDATE price_stats SET count = 999
          WHERE division = '30' AND kind = 'cpv' AND subject = $1 AND geo = $2 AND unit_code = 'XPK'`,
        [subject, geo],
      );
    await wrong('3019763', kazanId);
    await wrong('3019763', moscowId);
    const country = await dataSource.query(
      `SELECT * FROM price_stats WHERE kind = 'cpv' AND subject = '3019' AND geo = 'RU'`,
    );
    expect(country).toHaveLength(1);
    await dataSource.query(`DELETE FROM price_stats WHERE kind = 'cpv' AND subject = '3019' AND geo = 'RU'`);
    await dataSource.query(
      `INSERT INTO price_stats_changes (division, month, cpv_code, catalog_item_id, unit_code, currency, country)
       VALUES ('30', $1, $2, NULL, 'XPK', 'RUB', 'RU')`,
      [`${month}-01`, PAPER_CPV],
    );
    const { rows } = await service.refreshChanges([{ division: '30', month }]);
    expect(rows).toBeGreaterThan(0);
    const counts = await dataSource.query<
      { subject: string; geo: string; unit_code: string; count: number }[]
    >(
      `SELECT subject, geo, unit_code, count FROM price_stats
        WHERE kind = 'cpv' AND subject IN ('3019763', '3019') ORDER BY 1, 2, 3`,
    );
    // The paper groups of Russia were recomputed: every city row and the country row.
    expect(counts.filter((r) => r.count === 999)).toEqual([]);
    expect(counts.filter((r) => r.subject === '3019' && r.geo === 'RU')).toEqual([
      { subject: '3019', geo: 'RU', unit_code: 'XPK', count: country[0].count },
    ]);
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM price_stats_changes`)).toEqual([{ n: 0 }]);
    // A group no change touches is left as it is, even when wrong: the nightly rebuild is what repairs that.
    await wrong('30', kazanId);
    await dataSource.query(
      `INSERT INTO price_stats_changes (division, month, cpv_code, catalog_item_id, unit_code, currency, country)
       VALUES ('30', $1, $2, NULL, 'XPK', 'RUB', 'KZ')`,
      [`${month}-01`, PAPER_CPV],
    );
    await service.refreshChanges([{ division: '30', month }]);
    expect(
      await dataSource.query(
        `SELECT count FROM price_stats WHERE kind = 'cpv' AND subject = '30' AND geo = $1 AND unit_code = 'XPK'`,
        [kazanId],
      ),
    ).toEqual([{ count: 999 }]);
    await changeAll('30', month);
    await service.refreshChanges([{ division: '30', month }]);
  });

  it('gives the red flag backstop the parts of a tender that still have changes waiting, and only those', async () => {
    const dataSource = t.app.get(DataSource);
    const service = t.app.get(PriceStatsService);
    const month = new Date().toISOString().slice(0, 7);
    const [{ tender_id: tenderId }] = await dataSource.query(
      `SELECT tender_id FROM contracts WHERE status = 'signed' ORDER BY supplier_signed_at LIMIT 1`,
    );
    // A refresh with nothing waiting still records when the part was computed.
    await service.refreshChanges([{ division: '30', month }]);
    expect(await service.partsOfTender(tenderId)).toEqual([]);
    await dataSource.query(
      `INSERT INTO price_stats_changes (division, month, cpv_code, catalog_item_id, unit_code, currency, country)
       VALUES ('30', $1, $2, NULL, 'XPK', 'RUB', 'RU')`,
      [`${month}-01`, PAPER_CPV],
    );
    expect(await service.partsOfTender(tenderId)).toEqual([{ division: '30', month }]);
    await service.refreshChanges([{ division: '30', month }]);
    expect(await service.partsOfTender(tenderId)).toEqual([]);
  });

  /** Rows of PRICED_ITEMS missing from contracted_items, rows there too many, and how many there are. */
  const contractedItemsDiff = async () => {
    const columns =
      'cpv_code, catalog_item_id, unit_code, currency, city_id, country, month, quantity, value';
    const [diff] = await t.app.get(DataSource).query(
      `SELECT (SELECT count(*) FROM (SELECT ${columns} FROM (${PRICED_ITEMS}) p
                                      EXCEPT ALL SELECT ${columns} FROM contracted_items) a)::int AS missing,
              (SELECT count(*) FROM (SELECT ${columns} FROM contracted_items
                                      EXCEPT ALL SELECT ${columns} FROM (${PRICED_ITEMS}) p) b)::int AS extra,
              (SELECT count(*) FROM contracted_items)::int AS rows`,
    );
    return diff as { missing: number; extra: number; rows: number };
  };

  it('keeps contracted_items, written when a contract is signed, equal to the items of the signed contracts', async () => {
    const diff = await contractedItemsDiff();
    expect(diff).toEqual({ missing: 0, extra: 0, rows: expect.any(Number) });
    expect(diff.rows).toBeGreaterThanOrEqual(5);
  });

  it('shows trade between cities and the share won by local suppliers', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const res = await request(t.http)
      .get('/api/v1/analytics/trade-matrix')
      .query({ from: today, to: today })
      .expect(200);
    // Suppliers are registered in Moscow; the Kazan buyer bought from Moscow (same country, other region).
    expect(
      res.body.cells.map((c: any) => [c.buyerCityId, c.supplierCityId, c.contracts, c.value]).sort(),
    ).toEqual(
      [
        [kazanId, moscowId, 1, '40000.00'],
        [moscowId, moscowId, 4, '140000.00'],
      ].sort(),
    );
    const kazan = res.body.buyerCities.find((b: any) => b.buyerCityId === kazanId);
    expect(kazan).toMatchObject({
      contracts: 1,
      sameCity: { contracts: 0, value: '0.00', valueShare: '0.0000' },
      sameCountry: { contracts: 1, value: '40000.00', valueShare: '1.0000' },
    });
    const moscow = res.body.buyerCities.find((b: any) => b.buyerCityId === moscowId);
    expect(moscow.sameCity).toEqual({ contracts: 4, value: '140000.00', valueShare: '1.0000' });
    const past = await request(t.http).get('/api/v1/analytics/trade-matrix').query({ to: '2000-01-01' });
    expect(past.body).toMatchObject({ from: '1999-01-01', to: '2000-01-01', cells: [] });
    // By default the year up to today, which holds today's contracts; never more than 366 days at once.
    const year = await request(t.http).get('/api/v1/analytics/trade-matrix').expect(200);
    expect(year.body.to).toBe(today);
    expect(year.body.cells).toEqual(res.body.cells);
    for (const range of [
      { from: '2025-01-01', to: '2026-01-02' },
      { from: '2026-02-01', to: '2026-01-31' },
      { to: '1900-06-01' },
    ]) {
      const refused = await request(t.http).get('/api/v1/analytics/trade-matrix').query(range).expect(400);
      expect(refused.body.code).toBe('TRADE_RANGE_INVALID');
    }
  });

  it('flags an award whose unit price is above Q3 + 1.5 IQR of the same item in the same city', async () => {
    const buyer = await factory.actor('buyer', { cityCode: 'moscow' });
    const supplier = await factory.actor('supplier');
    const body = tenderBody(moscowId, {}, 2);
    body.lots[0]!.items[0]!.quantity = '20';
    const tender = await flows.publish(buyer, body);
    await flows.bid(supplier, tender, ['90000.00']);
    await flows.closeAfterDeadline(tender);
    // This suite's worker does not sweep for red flags (see beforeAll): recompute as the sweep would, once closed.
    const redFlags = t.app.get(RedFlagsService);
    await eventually(async () => (await redFlags.recompute(tender.id)) ?? undefined, 15_000);
    const res = await request(t.http).get(`/api/v1/tenders/${tender.id}/red-flags`).expect(200);
    const flag = res.body.items.find((f: any) => f.code === 'PRICE_ABOVE_MARKET');
    expect(flag.figures).toEqual({
      unitPrice: '4500.0000',
      quantity: '20.000',
      amount: '90000.00',
      q1: '137.5000',
      q3: '212.5000',
      upperFence: '325.0000',
      count: 4,
      kind: 'cpv',
      subject: '3019763',
      cityId: moscowId,
      month: new Date().toISOString().slice(0, 7),
    });
  });

  it('gives buyers a reference price from recent contracts, with its sources', async () => {
    const buyer = await factory.actor('buyer', { cityCode: 'moscow' });
    const res = await request(t.http)
      .get('/api/v1/analytics/reference-price')
      .set(auth(buyer))
      .query({ cpv: PAPER_CPV, unitCode: 'XPK', cityId: moscowId, quantity: '200', currency: 'RUB' })
      .expect(200);
    // 100, 150, 250, 200 (Moscow) and 200 (Kazan): mean 180, sample σ = √3250, CV 31.67% (comparable)
    expect(res.body).toMatchObject({
      status: 'comparable',
      count: 5,
      mean: '180.0000',
      stdDev: '57.0087',
      coefficientOfVariation: '31.67',
    });
    expect(res.body.sources.map((s: any) => s.unitPrice).sort()).toEqual([
      '100.0000',
      '150.0000',
      '200.0000',
      '200.0000',
      '250.0000',
    ]);
  });

  it('takes the offers delivering to the city and says when sources are too few or not comparable', async () => {
    const catalogue = new CatalogueFactory(t.app);
    const operator = await factory.actor('operator');
    const buyer = await factory.actor('buyer', { cityCode: 'moscow' });
    const suppliers = await Promise.all([1, 2, 3].map(() => factory.actor('supplier')));
    const itemId = await catalogue.activeItem(suppliers[0]!, operator, {
      titleRu: 'Бумага офисная A4 эталон',
    });
    const ask = () =>
      request(t.http)
        .get('/api/v1/analytics/reference-price')
        .set(auth(buyer))
        .query({ catalogItemId: itemId, cityId: moscowId, quantity: '10', currency: 'RUB' })
        .expect(200);
    await catalogue.offer(suppliers[0]!, itemId, { price: '100.00' });
    await catalogue.offer(suppliers[1]!, itemId, { price: '300.00' });
    expect((await ask()).body).toMatchObject({ status: 'insufficient', required: 3 });
    await catalogue.offer(suppliers[2]!, itemId, { price: '110.00', minQuantity: '50' });
    expect((await ask()).body.sources).toHaveLength(2); // the third needs at least 50 units
    await catalogue.offer(suppliers[2]!, itemId, { price: '120.00', deliveryArea: { cityIds: [kazanId] } });
    await catalogue.offer(suppliers[2]!, itemId, { price: '120.00', deliveryArea: { cityIds: [moscowId] } });
    const result = (await ask()).body;
    expect(result).toMatchObject({ status: 'not_comparable', count: 3, mean: '173.3333' });
    expect(result.sources.map((s: any) => [s.kind, s.unitPrice])).toEqual([
      ['offer', '100.00'],
      ['offer', '120.00'],
      ['offer', '300.00'],
    ]);
    await request(t.http).get('/api/v1/analytics/reference-price').query({ cityId: moscowId }).expect(401);
  });

  it('asks for exactly one of a CPV code and a catalogue item', async () => {
    const res = await request(t.http).get('/api/v1/analytics/prices').expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'cpv' } });
    await request(t.http).get('/api/v1/analytics/prices').query({ cpv: 'paper' }).expect(400);
  });

  it('prices a joint purchase at its one unit price, whatever the buyers’ shares of the estimate', async () => {
    const omskId = (await factory.city('omsk')).id;
    // 100 packs each, with shares of 60,000 and 40,000: the award of 52,000 is split into 31,200 and 20,800,
    // yet each buyer pays 260 a pack (not 312 and 208).
    const joint = await contracts.signedJoint(omskId, '52000.00', [
      { cityCode: 'moscow', quantity: '100', share: '60000.00' },
      { cityCode: 'kazan', quantity: '100', share: '40000.00' },
    ]);
    expect(joint).toHaveLength(2);
    // One purchase: its two contracts are one price point.
    const omsk = await eventually(async () => {
      const res = await prices({ cpv: PAPER_CPV, cityId: omskId });
      return res.body.items[0]?.totalQuantity === '200.000' ? res.body.items[0] : undefined;
    }, 20_000);
    expect(omsk).toMatchObject({
      count: 1,
      min: '260.0000',
      max: '260.0000',
      mean: '260.0000',
      totalQuantity: '200.000',
      totalValue: '52000.00',
    });
    expect(await contractedItemsDiff()).toMatchObject({ missing: 0, extra: 0 });
    // The migration writes the items of joint lots again, either way, and marks their groups for a refresh.
    await workerIdle();
    const db = t.app.get(DataSource);
    const runner = db.createQueryRunner();
    const migration = new JointContractUnitPrices1765150000000();
    // The later migration that redefines the function is undone first and done again last.
    const later = new SingleItemLotUnitPrices1765190000000();
    const jointValues = () =>
      db.query(
        `SELECT value::text FROM contracted_items WHERE contract_id = ANY($1::uuid[]) ORDER BY value`,
        [joint],
      );
    // Up runs whatever happens in between: the function it defines is not reset between spec files.
    let before: { values: unknown; diff: unknown };
    try {
      await later.down(runner);
      await migration.down(runner);
      before = { values: await jointValues(), diff: await contractedItemsDiff() };
      await db.query('DELETE FROM price_stats_changes');
    } finally {
      await migration.up(runner);
      await later.up(runner);
      await runner.release();
    }
    expect(before.values).toEqual([{ value: '20800.00' }, { value: '31200.00' }]);
    expect(before.diff).toMatchObject({ missing: 2, extra: 2 });
    expect(await jointValues()).toEqual([{ value: '26000.00' }, { value: '26000.00' }]);
    expect(await contractedItemsDiff()).toMatchObject({ missing: 0, extra: 0 });
    const [marked] = await db.query(
      `SELECT count(*)::int AS n FROM price_stats_changes WHERE cpv_code = $1 AND unit_code = 'XPK'`,
      [PAPER_CPV],
    );
    expect(marked.n).toBeGreaterThan(0);
    // The reference price counts the purchase once, at its unit price, for its whole quantity.
    const buyer = await factory.actor('buyer', { cityCode: 'moscow' });
    const reference = await request(t.http)
      .get('/api/v1/analytics/reference-price')
      .set(auth(buyer))
      .query({ cpv: PAPER_CPV, unitCode: 'XPK', cityId: omskId, quantity: '200', currency: 'RUB' })
      .expect(200);
    const sources = reference.body.sources.filter((s: any) => joint.includes(s.id));
    expect(sources).toEqual([expect.objectContaining({ unitPrice: '260.0000', quantity: '200.000' })]);
  });
});
