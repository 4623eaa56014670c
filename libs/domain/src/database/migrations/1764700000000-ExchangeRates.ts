import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Daily exchange rates recorded by operators. */
export class ExchangeRates1764700000000 implements MigrationInterface {
  name = 'ExchangeRates1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "exchange_rates" ("base" character(3) NOT NULL, "currency" character(3) NOT NULL,
      "day" date NOT NULL, "rate" numeric(24,10) NOT NULL, "set_by" uuid NOT NULL,
      "set_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_exchange_rates_rate" CHECK ("rate" > 0),
      CONSTRAINT "pk_exchange_rates" PRIMARY KEY ("base", "currency", "day"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "exchange_rates"`);
  }
}
