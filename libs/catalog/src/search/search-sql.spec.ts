import fc from 'fast-check';
import { buildSearchSql, filtersOnOffers, SearchPlan, searchWords, usesMatchBitmap } from './search-sql';

const plan = (over: Partial<SearchPlan> = {}): SearchPlan => ({
  words: [],
  cpvPrefix: null,
  areaKeys: null,
  supplierCityId: null,
  supplierCountry: null,
  currency: 'RUB',
  priceMin: null,
  priceMax: null,
  withOffers: false,
  vatIncluded: null,
  sort: 'newest',
  limit: 20,
  after: null,
  ...over,
});

describe('search-sql', () => {
  it('cuts the query at spaces into at most eight lower-case chunks, without the punctuation around them', () => {
    expect(searchWords('Бумагу для «принтеров», A4!')).toEqual(['бумагу', 'для', 'принтеров', 'a4']);
    expect(searchWords("'; DROP TABLE users; --")).toEqual(['drop', 'table', 'users']);
    expect(searchWords('a b c d e f g h i j')).toHaveLength(8);
    // A chunk is cut into words, each at most forty characters, by the statement, not here.
    expect(searchWords('картридж,лазерного,принтера,чёрный,cartridge')).toEqual([
      'картридж,лазерного,принтера,чёрный,cartridge',
    ]);
  });

  it('keeps whole what the titles’ parser reads as one word: decimals, versions, sizes, negative numbers', () => {
    expect(searchWords('Вода 1.5 л, кабель 3x2.5 мм²')).toEqual([
      'вода',
      '1.5',
      'л',
      'кабель',
      '3x2.5',
      'мм²',
    ]);
    expect(searchWords('v2.0 г/м² (-40)')).toEqual(['v2.0', 'г/м²', '-40']);
  });

  it('gives chunks without spaces that begin and end with a letter or a digit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (q) => {
        for (const word of searchWords(q)) {
          expect(word).toMatch(/^(?:[\p{L}\p{N}]|-\p{N})(?:\S*[\p{L}\p{N}])?$/u);
        }
      }),
    );
  });

  it('binds every value as a parameter', () => {
    const sql = buildSearchSql(
      plan({
        words: ['бумаг'],
        cpvPrefix: '3019763',
        areaKeys: ['c:x', 'k:RU'],
        supplierCountry: 'RU',
        priceMax: '100.00',
        sort: 'price',
        after: ['10.00', '00000000-0000-4000-8000-000000000000'],
      }),
    );
    expect(sql.text).not.toContain('бумаг');
    expect(sql.text).not.toContain('3019763');
    expect(sql.values).toEqual(
      expect.arrayContaining([['бумаг'], 'CPV:3019763', ['RUB|c:x', 'RUB|k:RU'], ['RUB|S:RU']]),
    );
  });

  it('reads offers for every match only when a filter or the order depends on them', () => {
    expect(filtersOnOffers(plan({ words: ['a'] }))).toBe(false);
    expect(buildSearchSql(plan({ words: ['a'] })).text).not.toContain('ORDER BY o.price LIMIT 1');
    for (const over of [
      { withOffers: true },
      { sort: 'price' as const },
      { areaKeys: ['k:RU'] },
      { priceMin: '1' },
      { vatIncluded: true },
    ]) {
      expect(filtersOnOffers(plan(over))).toBe(true);
      expect(buildSearchSql(plan(over)).text).toContain('ORDER BY o.price LIMIT 1');
    }
  });

  it('with words, puts the offer keys into the tsquery instead of filtering rows on them', () => {
    const text = buildSearchSql(
      plan({ words: ['бумага'], areaKeys: ['k:RU'], priceMax: '100.00', sort: 'relevance' }),
    ).text;
    expect(text).toContain('e.document @@ (SELECT q FROM matched)');
    expect(text).toMatch(
      /matched AS MATERIALIZED \(SELECT \(SELECT q FROM resolved\) && \(SELECT string_agg/,
    );
    expect(text.match(/::tsquery FROM unnest\(/g)).toHaveLength(2);
    expect(text).not.toContain('e.offer_keys');
    const city = '00000000-0000-4000-8000-000000000000';
    const bySupplierCity = buildSearchSql(plan({ words: ['бумага'], supplierCityId: city }));
    expect(bySupplierCity.values).toContainEqual([`RUB|SC:${city}`]);
    // The score ranks the words alone.
    expect(text).toContain('ts_rank(e.document, (SELECT q FROM resolved))');
  });

  it('checks the supplier of each offer by a join only when a filter needs the supplier row', () => {
    const window = (text: string) => text.slice(text.indexOf('m AS MATERIALIZED'), text.indexOf('page AS'));
    const byStatus = window(buildSearchSql(plan({ withOffers: true })).text);
    expect(byStatus).not.toContain('JOIN organizations');
    expect(byStatus).toContain('o.supplier_organization_id NOT IN (SELECT x.id FROM organizations x');
    const byCity = window(
      buildSearchSql(plan({ supplierCityId: '00000000-0000-4000-8000-000000000000' })).text,
    );
    expect(byCity).toContain('JOIN organizations s ON s.id = o.supplier_organization_id');
    expect(byCity).toContain("s.status = 'active'");
  });

  it('pre-filters on offer keys in the search currency', () => {
    const text = buildSearchSql(plan({ withOffers: true })).text;
    expect(text).toMatch(/e\.offer_keys && \$\d+::text\[\]/);
    expect(text).not.toContain('catalog_price_band');
    const ranged = buildSearchSql(plan({ priceMin: '10.00', priceMax: '100.00' }));
    expect(ranged.text).toMatch(
      /e\.offer_keys && ARRAY\(SELECT \$\d+::text \|\| '\|P:' \|\| g FROM generate_series\(catalog_price_band\(\$\d+::numeric\), catalog_price_band\(\$\d+::numeric\)\) AS g\)/,
    );
    expect(buildSearchSql(plan({ priceMax: '100.00' })).text).toContain(
      'generate_series(0, catalog_price_band(',
    );
  });

  it('browses newest first through the publication index, and filters through bitmaps', () => {
    expect(usesMatchBitmap(plan())).toBe(false);
    expect(buildSearchSql(plan()).text).toContain('ORDER BY e.published_at DESC, e.item_id DESC');
    expect(usesMatchBitmap(plan({ cpvPrefix: '30' }))).toBe(true);
    expect(buildSearchSql(plan({ cpvPrefix: '30' })).text).not.toContain('ORDER BY e.published_at DESC');
  });

  it('reads a CPV subtree as a range of its index, whatever the code', () => {
    const sql = buildSearchSql(plan({ cpvPrefix: '30' }));
    expect(sql.text).toMatch(/e\.cpv_code ~>=~ \$\d+::text AND e\.cpv_code ~<~ \$\d+::text/);
    expect(sql.text).not.toContain('LIKE');
    // Every code of the subtree is in [prefix, prefix + ':'), and no code outside it: codes are digits and '-'.
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,8}$/), fc.stringMatching(/^\d{8}$/), (prefix, code) => {
        const inRange = code >= prefix && code < `${prefix}:`;
        expect(inRange).toBe(code.startsWith(prefix));
      }),
    );
  });

  it('reads a CPV subtree through its key lexeme when words or offer filters share the GIN scan', () => {
    const range = /e\.cpv_code ~>=~/;
    expect(buildSearchSql(plan({ cpvPrefix: '30' })).text).toMatch(range);
    for (const over of [{ words: ['бумага'] }, { areaKeys: ['k:RU'] }, { withOffers: true }]) {
      const sql = buildSearchSql(plan({ cpvPrefix: '30', ...over }));
      expect(sql.text).not.toMatch(range);
      expect(sql.text).toContain('e.document @@ (SELECT q FROM matched)');
      expect(sql.values).toContain('CPV:30');
    }
  });

  it('resolves the words inside the statement only when there are words', () => {
    expect(buildSearchSql(plan({ words: ['бумага'] })).text).toContain('resolved AS MATERIALIZED');
    expect(buildSearchSql(plan()).text).not.toContain('resolved');
  });

  it('continues after the cursor key in the direction of the sort', () => {
    const id = '00000000-0000-4000-8000-000000000000';
    expect(buildSearchSql(plan({ sort: 'relevance', words: ['a'], after: [5, id] })).text).toMatch(
      /score < \$\d+::int8 OR \(score = \$\d+::int8 AND item_id > \$\d+::uuid\)/,
    );
    expect(buildSearchSql(plan({ sort: 'price', after: ['1.00', id] })).text).toMatch(
      /\(best_price, item_id\) > \(\$\d+::numeric, \$\d+::uuid\)/,
    );
    expect(buildSearchSql(plan({ sort: 'newest', after: [1, id] })).text).toMatch(
      /\(published_at, item_id\) </,
    );
  });
});
