import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@app/domain';
import {
  cpvRollupKeys,
  cpvRollupKeysSql,
  fromScaled,
  quantile,
  toScaled,
  UNIT_PRICE_SCALE,
} from '@app/domain/analytics';

/**
 * The statistics are computed in SQL and defined by the pure rules of price-stats.ts: the database's
 * price_quantile (with shortcuts for one and two prices) must give quantile()'s figure for any sorted prices and
 * any probability, and the SQL roll-up keys of a CPV code must be cpvRollupKeys.
 */
describe('Price statistics SQL against the pure rules', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions(process.env.DATABASE_URL as string));
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  const price = fc.bigInt({ min: 0n, max: 10n ** 12n }).map((units) => fromScaled(units, UNIT_PRICE_SCALE));

  it('equals the type 7 quantile of the pure rules for 1 to 9 prices and any p in hundredths', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(price, { minLength: 1, maxLength: 9 }),
        fc.integer({ min: 0, max: 100 }),
        async (prices, hundredths) => {
          const sorted = prices
            .map((p) => toScaled(p, UNIT_PRICE_SCALE))
            .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          const expected = fromScaled(quantile(sorted, BigInt(hundredths), 100n), UNIT_PRICE_SCALE);
          const [row] = await dataSource.query<{ q: string }[]>(
            `SELECT price_quantile(array_agg(x ORDER BY x), $2::numeric / 100)::text AS q
               FROM unnest($1::numeric[]) x`,
            [prices, hundredths],
          );
          expect(row?.q).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rolls a CPV code up to the same keys as cpvRollupKeys, for any digits', async () => {
    const digit = fc.constantFrom(...'0123456789'.split(''));
    const code = fc
      .tuple(
        fc.array(digit, { minLength: 8, maxLength: 8 }),
        fc.array(fc.constantFrom('0', '5'), { maxLength: 8 }),
      )
      // Many codes end in zeros (divisions, groups, classes): mix zero runs into random digits.
      .map(([digits, tail]) => `${digits.slice(0, 8 - tail.length).join('')}${tail.join('')}-1`);
    const codes = fc
      .sample(code, 300)
      .concat(['30000000-3', '30190000-7', '30197630-1', '03000000-1', '10100000-3']);
    const rows = await dataSource.query<{ code: string; keys: string[] }[]>(
      `SELECT c.code, array(SELECT k.subject FROM (${cpvRollupKeysSql('c.code')}) k ORDER BY 1) AS keys
         FROM unnest($1::text[]) AS c(code)`,
      [codes],
    );
    for (const row of rows) expect([row.code, row.keys]).toEqual([row.code, cpvRollupKeys(row.code).sort()]);
    expect(rows).toHaveLength(codes.length);
  });
});
