import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * price_quantile answers groups of one and two prices without the general formula. Most statistics groups of a
 * rebuild hold one or two contracted items, and the general formula's numeric arithmetic cost about a
 * microsecond a call (three calls a group, millions of groups). Same type 7 definition (price-stats.ts): for
 * n = 1, Q(p) = x[1]; for n = 2, h = p, so Q(p) = x[1] + p·(x[2] − x[1]) (at p = 1 that is x[2], as the
 * general formula gives).
 */
export class PriceQuantileShortcuts1764870000000 implements MigrationInterface {
  name = 'PriceQuantileShortcuts1764870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE OR REPLACE FUNCTION price_quantile(xs numeric[], p numeric) RETURNS numeric
         LANGUAGE sql IMMUTABLE CALLED ON NULL INPUT AS $$
         SELECT CASE cardinality(xs)
                  WHEN 1 THEN round(xs[1], 4)
                  WHEN 2 THEN round(xs[1] + p * (xs[2] - xs[1]), 4)
                  ELSE round(xs[1 + floor((cardinality(xs) - 1) * p)::int]
                             + ((cardinality(xs) - 1) * p - floor((cardinality(xs) - 1) * p))
                               * (xs[1 + ceil((cardinality(xs) - 1) * p)::int] - xs[1 + floor((cardinality(xs) - 1) * p)::int]),
                             4)
                END
       $$`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE OR REPLACE FUNCTION price_quantile(xs numeric[], p numeric) RETURNS numeric
         LANGUAGE sql IMMUTABLE CALLED ON NULL INPUT AS $$
         SELECT round(xs[1 + floor((cardinality(xs) - 1) * p)::int]
                      + ((cardinality(xs) - 1) * p - floor((cardinality(xs) - 1) * p))
                        * (xs[1 + ceil((cardinality(xs) - 1) * p)::int] - xs[1 + floor((cardinality(xs) - 1) * p)::int]),
                      4)
       $$`,
    );
  }
}
