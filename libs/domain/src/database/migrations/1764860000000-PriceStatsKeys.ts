import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Found by the price-analytics benchmark at 1,000,000 contracted items:
 * - confirming a contract checks its lot's other contracts, which read the whole table without an index on
 *   lot_id (120 ms a request);
 * - price_stats is keyed by its natural key in series order instead of a random uuid, so a series is read from
 *   the key without sorting and a rebuild maintains one index fewer;
 * - price_quantile is one expression, so PostgreSQL inlines it instead of calling it three times per group.
 */
export class PriceStatsKeys1764860000000 implements MigrationInterface {
  name = 'PriceStatsKeys1764860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_contracts_lot" ON "contracts" ("lot_id")`);
    await q.query(`ALTER TABLE "price_stats" DROP CONSTRAINT "PK_b65b2ba2ffafe16f52e8fadb0d9"`);
    await q.query(`ALTER TABLE "price_stats" DROP COLUMN "id"`);
    await q.query(`DROP INDEX "uq_price_stats_key"`);
    await q.query(`ALTER TABLE "price_stats" ADD CONSTRAINT "pk_price_stats"
      PRIMARY KEY ("kind", "subject", "month", "country", "geo", "unit_code", "currency", "division")`);
    // The same type 7 definition as before (and as quantile() in price-stats.ts); not STRICT, so it inlines.
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

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE OR REPLACE FUNCTION price_quantile(xs numeric[], p numeric) RETURNS numeric
         LANGUAGE sql IMMUTABLE STRICT AS $$
         SELECT round(xs[1 + floor(h)::int] + (h - floor(h)) * (xs[1 + ceil(h)::int] - xs[1 + floor(h)::int]), 4)
           FROM (SELECT (cardinality(xs) - 1) * p AS h) s
       $$`,
    );
    await q.query(`ALTER TABLE "price_stats" DROP CONSTRAINT "pk_price_stats"`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_price_stats_key" ON "price_stats" ("kind", "subject", "division", "geo", "unit_code", "currency", "month")`,
    );
    await q.query(`ALTER TABLE "price_stats" ADD "id" uuid NOT NULL DEFAULT gen_random_uuid()`);
    await q.query(
      `ALTER TABLE "price_stats" ADD CONSTRAINT "PK_b65b2ba2ffafe16f52e8fadb0d9" PRIMARY KEY ("id")`,
    );
    await q.query(`DROP INDEX "ix_contracts_lot"`);
  }
}
