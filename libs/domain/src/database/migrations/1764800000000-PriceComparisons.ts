import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Stored cross-city price comparisons in a base currency, with the exchange rates they used. */
export class PriceComparisons1764800000000 implements MigrationInterface {
  name = 'PriceComparisons1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "price_comparisons" ("id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "kind" text NOT NULL, "subject" text NOT NULL, "unit_code" text NOT NULL, "month" date NOT NULL,
      "base_currency" character(3) NOT NULL, "created_by" uuid NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "cities" jsonb NOT NULL,
      CONSTRAINT "ck_price_comparisons_kind" CHECK ("kind" IN ('cpv', 'item')),
      CONSTRAINT "pk_price_comparisons" PRIMARY KEY ("id"))`);
    // The public list pages newest first over (created_at, id).
    await q.query(`CREATE INDEX "ix_price_comparisons_created" ON "price_comparisons" ("created_at", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "price_comparisons"`);
  }
}
