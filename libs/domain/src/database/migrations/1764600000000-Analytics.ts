import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Red flags per (code, subject), recomputed per tender by the worker, and how far each tender's flags are
 * computed (how many of its deal events they reflect), so the sweep finds tenders whose flags are stale. Unit price
 * statistics of contracted items, rebuilt per CPV division.
 */
export class Analytics1764600000000 implements MigrationInterface {
  name = 'Analytics1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "red_flags" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "subject_key" text NOT NULL, "tender_id" uuid NOT NULL, "lot_id" uuid, "award_id" uuid, "buyer_id" uuid NOT NULL, "supplier_id" uuid, "city_id" uuid NOT NULL, "figures" jsonb NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fc03c6e2b218dc0fec116e984cd" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_red_flags_supplier" ON "red_flags" ("supplier_id", "computed_at")`);
    await q.query(`CREATE INDEX "ix_red_flags_buyer" ON "red_flags" ("buyer_id", "computed_at")`);
    await q.query(`CREATE INDEX "ix_red_flags_computed" ON "red_flags" ("computed_at", "id")`);
    await q.query(`CREATE INDEX "ix_red_flags_tender" ON "red_flags" ("tender_id")`);
    await q.query(`CREATE UNIQUE INDEX "uq_red_flags_code_subject" ON "red_flags" ("code", "subject_key")`);
    await q.query(
      `CREATE TABLE "red_flag_runs" ("tender_id" uuid NOT NULL, "event_count" integer NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8bd872567930ca933ad304baa5e" PRIMARY KEY ("tender_id"))`,
    );
    await q.query(
      `CREATE TABLE "price_stats" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "subject" text NOT NULL, "division" text NOT NULL, "unit_code" text NOT NULL, "currency" text NOT NULL, "country" text NOT NULL, "city_id" uuid, "geo" text NOT NULL, "month" date NOT NULL, "count" integer NOT NULL, "min" numeric(20,4) NOT NULL, "q1" numeric(20,4) NOT NULL, "median" numeric(20,4) NOT NULL, "q3" numeric(20,4) NOT NULL, "max" numeric(20,4) NOT NULL, "mean" numeric(20,4) NOT NULL, "total_quantity" numeric(24,3) NOT NULL, "total_value" numeric(20,2) NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b65b2ba2ffafe16f52e8fadb0d9" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_price_stats_division" ON "price_stats" ("division")`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_price_stats_key" ON "price_stats" ("kind", "subject", "division", "geo", "unit_code", "currency", "month")`,
    );
    // Type 7 quantile of an ascending array in exact numeric (percentile_cont only takes double precision);
    // the same definition as quantile() in libs/domain/src/analytics/price-stats.ts, rounded half-up to 4 places.
    await q.query(
      `CREATE FUNCTION price_quantile(xs numeric[], p numeric) RETURNS numeric LANGUAGE sql IMMUTABLE STRICT AS $$
         SELECT round(xs[1 + floor(h)::int] + (h - floor(h)) * (xs[1 + ceil(h)::int] - xs[1 + floor(h)::int]), 4)
           FROM (SELECT (cardinality(xs) - 1) * p AS h) s
       $$`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION price_quantile(numeric[], numeric)`);
    await q.query(`DROP TABLE "price_stats"`);
    await q.query(`DROP TABLE "red_flag_runs"`);
    await q.query(`DROP TABLE "red_flags"`);
  }
}
