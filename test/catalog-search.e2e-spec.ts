import fc from 'fast-check';
import request from 'supertest';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  buildSearchSql,
  CatalogSearchPool,
  CatalogSearchService,
  SEARCH_PREPARED_SHAPES,
  SEARCH_SESSION_OPTIONS,
  type SearchInput,
} from '@app/catalog';
import { Actor, ActorFactory } from './factories/actors';
import { CatalogueFactory, PAPER_CPV } from './factories/catalogue';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';

const UUID = /^[0-9a-f-]{36}$/;

describe('CatalogueSearchController', () => {
  let t: TestApp;
  let catalogue: CatalogueFactory;
  let operator: Actor;
  const city: Record<string, { id: string; region: string }> = {};
  const item: Record<string, string> = {};

  const search = async (query: Record<string, string | number | boolean>) =>
    (await request(t.http).get('/api/v1/catalogue/items').query(query).expect(200)).body;
  const ids = async (query: Record<string, string | number | boolean>) =>
    ((await search(query)).items as { id: string }[]).map((i) => i.id);
  const named = (...names: string[]) => names.map((n) => item[n]);

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    const actors = new ActorFactory(t.app);
    catalogue = new CatalogueFactory(t.app);
    operator = await actors.actor('operator');
    for (const code of ['moscow', 'kazan', 'almaty', 'minsk']) {
      const c = await actors.city(code);
      city[code] = { id: c.id, region: c.region };
    }
    const moscow = await actors.actor('supplier', { cityCode: 'moscow' });
    const kazan = await actors.actor('supplier', { cityCode: 'kazan' });
    const almaty = await actors.actor('supplier', { cityCode: 'almaty' });
    const minsk = await actors.actor('supplier', { cityCode: 'minsk' });
    const propose = (name: string, titleRu: string, cpvCode: string, titleEn?: string) =>
      catalogue
        .activeItem(moscow, operator, { titleRu, cpvCode, ...(titleEn ? { titleEn } : {}) })
        .then((id) => {
          item[name] = id;
        });
    await propose(
      'laserPaper',
      'Бумага офисная для лазерных принтеров A4, 80 г/м², 500 листов',
      PAPER_CPV,
      'Office paper for laser printers A4',
    );
    await propose('inkjetPaper', 'Бумага для струйной печати A3, 100 листов', PAPER_CPV);
    await propose('writingPaper', 'Бумага писчая в клетку', '30197620-8');
    await propose('cartridge', 'Картридж для лазерного принтера чёрный', '30125100-2', 'Toner cartridge');
    await propose('laptop', 'Ноутбук 15,6 дюйма, 16 ГБ памяти', '30213100-6', 'Laptop computer');
    await propose('chair', 'Стул офисный на колёсах, сиденье 0.45 м', '39112000-0');
    await propose('cleaning', 'Уборка офисных помещений', '90919200-4', 'Office cleaning');

    const cityArea = (code: string) => ({ cityIds: [city[code]!.id] });
    await catalogue.offer(moscow, item.laserPaper!, { price: '350.00', deliveryArea: cityArea('moscow') });
    await catalogue.offer(kazan, item.laserPaper!, {
      price: '320.00',
      deliveryArea: { regions: [{ country: 'RU', region: city.kazan!.region }] },
    });
    await catalogue.offer(almaty, item.laserPaper!, { price: '1900.00', currency: 'KZT' });
    await catalogue.offer(kazan, item.inkjetPaper!, { price: '500.00', deliveryArea: { countries: ['RU'] } });
    await catalogue.offer(minsk, item.cartridge!, { price: '90.00', currency: 'BYN' });
    await catalogue.offer(moscow, item.cartridge!, { price: '2500.00', deliveryArea: { countries: ['RU'] } });
    await catalogue.offer(moscow, item.laptop!, { price: '65000.00', deliveryArea: cityArea('moscow') });
    await catalogue.offer(kazan, item.chair!, { price: '4000.00', deliveryArea: cityArea('kazan') });
    await catalogue.offer(moscow, item.cleaning!, { price: '100000.00', deliveryArea: cityArea('moscow') });
  });
  afterAll(() => t.app.close());

  describe('words', () => {
    it('finds "Бумага офисная для лазерных принтеров" by "бумагу для принтеров" (Russian morphology)', async () => {
      const found = await ids({ q: 'бумагу для принтеров' });
      expect(found).toEqual([item.laserPaper]);
      expect(await ids({ q: 'лазерный принтер' })).toEqual(
        expect.arrayContaining(named('laserPaper', 'cartridge')),
      );
    });

    it('finds English titles with English morphology', async () => {
      expect(await ids({ q: 'printers paper' })).toEqual([item.laserPaper]);
      expect(await ids({ q: 'laptops' })).toEqual([item.laptop]);
    });

    it('tolerates typos through the nearest words of the catalogue, and says which it used', async () => {
      const typo = await search({ q: 'бумгаа' });
      expect(typo.items.map((i: { id: string }) => i.id)).toEqual(
        expect.arrayContaining(named('laserPaper', 'inkjetPaper', 'writingPaper')),
      );
      expect(typo.corrections).toEqual([{ word: 'бумгаа', suggestions: expect.arrayContaining(['бумага']) }]);
      expect(await ids({ q: 'принтров' })).toEqual(expect.arrayContaining(named('laserPaper', 'cartridge')));
      expect(await ids({ q: 'картриж' })).toEqual([item.cartridge]);
      expect(await ids({ q: 'ноутбк' })).toEqual([item.laptop]);
    });

    it('takes another form of a title word for that word, not for a typo', async () => {
      // Titles say "принтеров"; "принтер" is the same lexeme: matched, with no corrections offered.
      const res = await search({ q: 'принтер бумагой' });
      expect(res.items.map((i: { id: string }) => i.id)).toEqual([item.laserPaper]);
      expect(res.corrections).toEqual([]);
    });

    it('ranks a match in the title above a match only in the classification name', async () => {
      const found = await ids({ q: 'печать' });
      expect(found[0]).toBe(item.inkjetPaper);
    });

    it('cuts the query into words as the titles were cut: decimals, and units with superscripts', async () => {
      expect(await ids({ q: 'стул 0.45' })).toEqual([item.chair]);
      expect(await ids({ q: 'стул 0.46' })).toEqual([]);
      expect(await ids({ q: 'бумага 80 г/м²' })).toEqual([item.laserPaper]);
      expect(await ids({ q: 'ноутбук 15,6' })).toEqual([item.laptop]);
      // A hyphenated word takes one of the eight places, though the parser also gives its parts.
      expect(await ids({ q: 'офисный-стул на колёсах, сиденье 0.45 м' })).toEqual([item.chair]);
      expect(await ids({ q: 'офисный-стул на колёсах, сиденье 0.45 м ноутбук' })).toEqual([]);
    });

    it('answers stop words alone with no hits rather than an error', async () => {
      const res = await search({ q: 'для и на' });
      expect(res).toMatchObject({ items: [], total: 0, totalExact: true });
    });
  });

  describe('filters', () => {
    it('restricts "бумага" to a CPV code and its subtree', async () => {
      expect((await ids({ q: 'бумага', cpv: PAPER_CPV })).sort()).toEqual(
        named('laserPaper', 'inkjetPaper').sort(),
      );
      expect((await ids({ q: 'бумага', cpv: '30197600-2' })).sort()).toEqual(
        named('laserPaper', 'inkjetPaper', 'writingPaper').sort(),
      );
      expect((await ids({ cpv: '30000000-9' })).sort()).toEqual(
        named('laserPaper', 'inkjetPaper', 'writingPaper', 'cartridge', 'laptop').sort(),
      );
      // A subtree with an offer filter: items of the subtree with an offer of the kind.
      expect((await ids({ cpv: '30000000-9', deliveryCityId: city.moscow!.id })).sort()).toEqual(
        named('laserPaper', 'inkjetPaper', 'cartridge', 'laptop').sort(),
      );
      expect((await ids({ cpv: '30000000-9', supplierCityId: city.kazan!.id })).sort()).toEqual(
        named('laserPaper', 'inkjetPaper').sort(),
      );
      expect(await ids({ q: 'бумага', cpv: '30000000-9', priceMax: '330' })).toEqual([item.laserPaper]);
    });

    it('keeps items with an offer delivering to a city, showing the best offer for that city', async () => {
      const moscow = await search({ deliveryCityId: city.moscow!.id });
      expect(moscow.currency).toBe('RUB');
      const byId = new Map(moscow.items.map((i: { id: string }) => [i.id, i]));
      expect([...byId.keys()].sort()).toEqual(
        named('laserPaper', 'inkjetPaper', 'cartridge', 'laptop', 'cleaning').sort(),
      );
      expect(byId.get(item.laserPaper)).toMatchObject({ offerCount: 1, bestOffer: { price: '350.00' } });

      const kazan = await search({ q: 'бумага', deliveryCityId: city.kazan!.id });
      const laser = kazan.items.find((i: { id: string }) => i.id === item.laserPaper);
      expect(laser).toMatchObject({ offerCount: 1, bestOffer: { price: '320.00', currency: 'RUB' } });
      expect(kazan.items.map((i: { id: string }) => i.id)).not.toContain(item.writingPaper);
    });

    it('compares offers in the delivery city’s national currency unless told otherwise', async () => {
      const almaty = await search({ q: 'бумага', deliveryCityId: city.almaty!.id });
      expect(almaty.currency).toBe('KZT');
      expect(almaty.items).toEqual([
        expect.objectContaining({
          id: item.laserPaper,
          bestOffer: expect.objectContaining({ price: '1900.00' }),
        }),
      ]);
      expect(await ids({ q: 'бумага', deliveryCityId: city.almaty!.id, currency: 'RUB' })).toEqual([]);
    });

    it('filters by the supplier’s city and country', async () => {
      expect((await ids({ supplierCityId: city.kazan!.id })).sort()).toEqual(
        named('laserPaper', 'inkjetPaper', 'chair').sort(),
      );
      // With words, the same filters go through the search document's offer keys.
      expect((await ids({ q: 'бумага', supplierCityId: city.kazan!.id })).sort()).toEqual(
        named('laserPaper', 'inkjetPaper').sort(),
      );
      expect(await ids({ q: 'бумага', supplierCityId: city.moscow!.id })).toEqual([item.laserPaper]);
      // A city id in upper case is the same city.
      expect(await ids({ q: 'бумага', supplierCityId: city.moscow!.id.toUpperCase() })).toEqual([
        item.laserPaper,
      ]);
      expect(await ids({ q: 'картридж', supplierCountry: 'BY', currency: 'BYN' })).toEqual([item.cartridge]);
      expect(await ids({ q: 'бумага', supplierCountry: 'BY', currency: 'BYN' })).toEqual([]);
      const belarus = await search({ supplierCountry: 'BY', currency: 'BYN' });
      expect(belarus.items).toEqual([
        expect.objectContaining({
          id: item.cartridge,
          offerCount: 1,
          bestOffer: expect.objectContaining({ price: '90.00' }),
        }),
      ]);
    });

    it('filters by a price range, counting only offers inside it', async () => {
      const res = await search({ priceMin: '300', priceMax: '400.00' });
      expect(res.items).toEqual([
        expect.objectContaining({
          id: item.laserPaper,
          offerCount: 2,
          bestOffer: expect.objectContaining({ price: '320.00' }),
        }),
      ]);
      expect(await ids({ priceMin: '1000', q: 'бумага' })).toEqual([]);
    });

    it('never passes over an offer inside the range by its price band', async () => {
      // The search skips items whose offers lie in no band from band(min) to band(max): for that to lose
      // nothing, a price inside [min, max] must lie in such a band.
      const db = t.app.get(DataSource);
      const cents = fc.bigInt({ min: 0n, max: 100_000_000_000_000n });
      const money = (c: bigint) => `${c / 100n}.${(c % 100n).toString().padStart(2, '0')}`;
      await fc.assert(
        fc.asyncProperty(fc.array(cents, { minLength: 3, maxLength: 3 }), async (three) => {
          const [low, price, high] = [...three].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(money);
          const [row] = await db.query(
            `SELECT catalog_price_band($1::numeric) <= catalog_price_band($2::numeric)
               AND catalog_price_band($2::numeric) <= catalog_price_band($3::numeric) AS within,
               catalog_price_band($2::numeric) BETWEEN 0 AND 39 AS bounded`,
            [low, price, high],
          );
          expect(row).toEqual({ within: true, bounded: true });
        }),
        { numRuns: 300 },
      );
      // Band edges, 1-2-5: [1, 2), [2, 5), [5, 10), [10, 20) ...
      const [edges] = await db.query(
        `SELECT array_agg(catalog_price_band(p) ORDER BY p) AS bands
           FROM unnest('{0.99,1.00,1.99,2.00,4.99,5.00,9.99,10.00,1000000000000.00}'::numeric[]) AS p`,
      );
      expect(edges.bands).toEqual([0, 3, 3, 4, 4, 5, 5, 6, 39]);
    });

    it('keeps only items with current offers when asked', async () => {
      const all = await ids({ q: 'бумага' });
      expect(all).toContain(item.writingPaper);
      const offered = await ids({ q: 'бумага', withOffers: true });
      expect(offered.sort()).toEqual(named('laserPaper', 'inkjetPaper').sort());
    });

    it('counts matches by top-level CPV division', async () => {
      const res = await search({ q: 'офисный' });
      expect(res).toMatchObject({ total: 3, totalExact: true });
      expect(res.facets).toEqual([
        {
          division: '30',
          code: '30000000-9',
          nameRu: expect.any(String),
          nameEn: expect.any(String),
          count: 1,
        },
        {
          division: '39',
          code: '39000000-2',
          nameRu: expect.any(String),
          nameEn: expect.any(String),
          count: 1,
        },
        {
          division: '90',
          code: '90000000-7',
          nameRu: expect.any(String),
          nameEn: expect.any(String),
          count: 1,
        },
      ]);
      const papers = await search({ q: 'бумага' });
      expect(papers.facets).toEqual([expect.objectContaining({ division: '30', count: 3 })]);
    });
  });

  describe('ordering and pages', () => {
    it('sorts by best price, cheapest first, with items without offers left out', async () => {
      expect(await ids({ sort: 'price' })).toEqual(
        named('laserPaper', 'inkjetPaper', 'cartridge', 'chair', 'laptop', 'cleaning'),
      );
    });

    it('sorts by publication, newest first', async () => {
      expect(await ids({ sort: 'newest', cpv: '30000000-9' })).toEqual(
        named('laptop', 'cartridge', 'writingPaper', 'inkjetPaper', 'laserPaper'),
      );
    });

    it.each(['relevance', 'newest', 'price'])(
      'pages by %s without repeating or skipping an item while new ones arrive',
      async (sort) => {
        const supplier = await new ActorFactory(t.app).actor('supplier');
        const tag = `скоросшиватель${sort}`;
        const original: string[] = [];
        for (let i = 0; i < 7; i++) {
          const id = await catalogue.activeItem(supplier, operator, {
            titleRu: `Папка ${tag} ${'А'.repeat(i + 1)}`,
          });
          await catalogue.offer(supplier, id, { price: `${10 + (i % 3)}.00` });
          original.push(id);
        }
        const seen: string[] = [];
        let cursor: string | null = null;
        let page = 0;
        do {
          const res = await search({ q: tag, sort, limit: 3, ...(cursor ? { cursor } : {}) });
          seen.push(...res.items.map((i: { id: string }) => i.id));
          cursor = res.nextCursor;
          // Writes between pages: a new matching item, and a price change.
          const extra = await catalogue.activeItem(supplier, operator, {
            titleRu: `Папка ${tag} новая ${page++}`,
          });
          await catalogue.offer(supplier, extra, { price: '10.00' });
        } while (cursor);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen).toEqual(expect.arrayContaining(original));
      },
    );
  });

  describe('query plans', () => {
    /**
     * The plan the search pool runs a search with: its session settings, prepared once, the generic plan;
     * with `window`, that window and the plan as executed.
     */
    async function genericPlan(input: SearchInput, window?: number): Promise<string> {
      const plan = await t.app.get(CatalogSearchService).plan(input);
      const sql = buildSearchSql(window ? { ...plan, window } : plan);
      const client = new Client({
        connectionString: (t.app.get(DataSource).options as { url: string }).url,
        options: SEARCH_SESSION_OPTIONS,
      });
      await client.connect();
      try {
        await client.query(`PREPARE search AS ${sql.text}`);
        // EXECUTE takes no bind parameters: the values go as literals, coerced to the statement's types.
        const literal = (v: unknown) =>
          client.escapeLiteral(
            Array.isArray(v)
              ? `{${v.map((x) => `"${String(x).replace(/["\\]/g, '\\$&')}"`).join(',')}}`
              : String(v),
          );
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN ${window ? '(ANALYZE, TIMING OFF)' : ''} EXECUTE search(${sql.values.map(literal).join(', ')})`,
        );
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        await client.end();
      }
    }

    it('reads a selective word query through the GIN index and offers through the covering index', async () => {
      const text = await genericPlan({ q: 'картридж', deliveryCityId: city.moscow!.id, limit: 20 });
      expect(text).toMatch(/Bitmap Index Scan on catalog_search_entries_p\d_document_idx/);
      expect(text).not.toMatch(/Seq Scan on catalog_search_entries/);
      expect(text).toMatch(/(Index (Only )?Scan using|Bitmap Index Scan on) ix_catalog_offers_item_price/);
      expect(text).not.toMatch(/Seq Scan on catalog_offers/);
      // Generic: the plan holds no value of this search, so it serves every search of its shape.
      expect(text).not.toContain('картридж');
    });

    it('keeps a bounded number of statement shapes prepared, and runs the others unprepared', async () => {
      const pool = t.app.get(CatalogSearchPool);
      // One at a time, so that the pool hands back the same connection each time.
      for (let shape = 0; shape < SEARCH_PREPARED_SHAPES + 8; shape++) {
        const [row] = await pool.query<{ n: number }>({
          text: `SELECT $1::int + ${shape} AS n`,
          values: [1],
        });
        expect(row!.n).toBe(1 + shape);
      }
      const [held] = await pool.query<{ n: number }>({
        text: `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'catalog-search-%'`,
        values: [],
      });
      expect(held!.n).toBeGreaterThan(0);
      expect(held!.n).toBeLessThanOrEqual(SEARCH_PREPARED_SHAPES);
    });

    it('reads the partitions of the search rows one after another, and no further than the window needs', async () => {
      const tag = 'бумажник';
      const maker = await new ActorFactory(t.app).actor('supplier');
      for (let i = 0; i < 12; i++) {
        await catalogue.activeItem(maker, operator, {
          titleRu: `Бумажник кожаный ${i}`,
          cpvCode: PAPER_CPV,
        });
      }
      // A window of one: the first partition holding a match fills it (twelve matches all in the last of
      // eight partitions: one chance in 8^12).
      const text = await genericPlan({ q: tag, limit: 1 }, 1);
      expect(text).toMatch(/Append/);
      expect(text).toMatch(/Bitmap Heap Scan on catalog_search_entries_p\d e_\d+ .*\(never executed\)/);
      const res = await search({ q: tag });
      expect(res.total).toBe(12);
    });

    it('reads a CPV subtree through its index', async () => {
      const text = await genericPlan({ cpv: PAPER_CPV, limit: 20 });
      expect(text).toMatch(/Index Scan on catalog_search_entries_p\d_cpv_code_idx/);
      expect(text).not.toMatch(/Seq Scan on catalog_search_entries/);
    });
  });

  describe('bad input', () => {
    const bad = (query: Record<string, string>) =>
      request(t.http).get('/api/v1/catalogue/items').query(query);

    it('refuses a 5,000-character query', async () => {
      const res = await bad({ q: 'paper '.repeat(834).slice(0, 5000) }).expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        code: 'SEARCH_QUERY_TOO_LONG',
        message: 'q is longer than 200 characters',
        details: { field: 'q', maxLength: 200 },
        correlationId: expect.stringMatching(UUID),
      });
    });

    it('refuses a 5,000-character Cyrillic query with the same code, not a bare 431', async () => {
      const res = await bad({ q: 'бумага '.repeat(715).slice(0, 5000) }).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'SEARCH_QUERY_TOO_LONG' });
    });

    it('refuses unknown filters', async () => {
      const res = await bad({ q: 'бумага', color: 'white' }).expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: 'color: property color should not exist',
        details: { fields: [{ field: 'color', messages: ['property color should not exist'] }] },
        correlationId: expect.stringMatching(UUID),
      });
    });

    it.each([
      [{ cpv: '3019763' }, 'CPV_CODE_MALFORMED', 'cpv'],
      [{ cpv: '30197630-2' }, 'CPV_CHECK_DIGIT_INVALID', 'cpv'],
      [{ cpv: '30197639-4' }, 'CPV_CODE_UNKNOWN', 'cpv'],
      [{ priceMin: '-5' }, 'PRICE_INVALID', 'priceMin'],
      [{ priceMax: '10.001' }, 'PRICE_INVALID', 'priceMax'],
      [{ priceMax: '1000000000001' }, 'PRICE_INVALID', 'priceMax'],
      [{ priceMin: '10', priceMax: '5' }, 'PRICE_RANGE_INVALID', 'priceMin'],
      [{ currency: 'RUR' }, 'CURRENCY_INVALID', 'currency'],
      [{ deliveryCityId: '00000000-0000-4000-8000-000000000000' }, 'UNKNOWN_CITY', 'deliveryCityId'],
    ])('refuses %j with %s', async (query, code, field) => {
      const res = await bad(query).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code, details: expect.objectContaining({ field }) });
    });

    it('refuses bad sorts, page sizes, ids and cursors', async () => {
      const queries: Record<string, string>[] = [
        { sort: 'cheapest' },
        { limit: '500' },
        { deliveryCityId: 'moscow' },
        { withOffers: 'yes' },
      ];
      for (const query of queries) {
        expect((await bad(query).expect(400)).body.code).toBe('VALIDATION_FAILED');
      }
      const other = await search({ q: 'бумага', sort: 'newest', limit: 1 });
      const res = await bad({ q: 'бумага', sort: 'price', cursor: other.nextCursor }).expect(400);
      expect(res.body.code).toBe('INVALID_CURSOR');
    });

    it('never answers 5xx, whatever the parameters', async () => {
      const keys = [
        'q',
        'cpv',
        'priceMin',
        'priceMax',
        'currency',
        'sort',
        'limit',
        'cursor',
        'supplierCountry',
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(
            fc.constantFrom(...keys),
            fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 60 }), fc.constant("' OR 1=1 --")),
          ),
          async (query) => {
            const res = await request(t.http).get('/api/v1/catalogue/items').query(query);
            expect(res.status).toBeLessThan(500);
          },
        ),
        { numRuns: 150 },
      );
    });
  });

  describe('VAT basis', () => {
    // Last in the file: its items would change what the searches above find.
    it('compares offers on the VAT basis asked for, and says which; unasked, each as priced', async () => {
      const actors = new ActorFactory(t.app);
      const [gross, net] = [
        await actors.actor('supplier', { cityCode: 'moscow' }),
        await actors.actor('supplier', { cityCode: 'kazan' }),
      ];
      const clips = await catalogue.activeItem(gross, operator, {
        titleRu: 'Скрепки канцелярские никелированные',
      });
      const pins = await catalogue.activeItem(gross, operator, { titleRu: 'Скрепки булавки для ткани' });
      const withVat = await catalogue.offer(gross, clips, { price: '110.00', vatIncluded: true });
      const withoutVat = await catalogue.offer(net, clips, { price: '100.00', vatIncluded: false });
      await catalogue.offer(net, pins, { price: '50.00', vatIncluded: false });
      const best = async (query: Record<string, string>) => {
        const res = await search({ q: 'скрепки', sort: 'price', ...query });
        return [res.vatIncluded, res.items.map((i: any) => [i.id, i.bestOffer?.id, i.offerCount])];
      };
      expect(await best({})).toEqual([
        null,
        [
          [pins, expect.any(String), 1],
          [clips, withoutVat.id, 2],
        ],
      ]);
      expect(await best({ vatIncluded: 'true' })).toEqual([true, [[clips, withVat.id, 1]]]);
      expect(await best({ vatIncluded: 'false' })).toEqual([
        false,
        [
          [pins, expect.any(String), 1],
          [clips, withoutVat.id, 1],
        ],
      ]);
      await request(t.http).get('/api/v1/catalogue/items').query({ vatIncluded: 'maybe' }).expect(400);
    });
  });
});
