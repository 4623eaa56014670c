import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each (CPV division, month) part of the price statistics was last computed. A refresh now rewrites only the
 * rows whose figures changed, so the rows' own computed_at no longer tells when their part was refreshed.
 */
export class PriceStatsParts1764880000000 implements MigrationInterface {
  name = 'PriceStatsParts1764880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "price_stats_parts" ("division" text NOT NULL, "month" date NOT NULL,
         "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         CONSTRAINT "pk_price_stats_parts" PRIMARY KEY ("division", "month"))`,
    );
    await q.query(
      `INSERT INTO "price_stats_parts" ("division", "month", "computed_at")
       SELECT "division", "month", max("computed_at") FROM "price_stats" GROUP BY 1, 2`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "price_stats_parts"`);
  }
}
