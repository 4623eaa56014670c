import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The exchange-rate list, newest day first, read from an index in its order; a pair's rates still come from
 * the primary key (base, currency, day).
 */
export class ExchangeRatesByDay1765100000000 implements MigrationInterface {
  name = 'ExchangeRatesByDay1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_exchange_rates_day" ON "exchange_rates" ("day", "base", "currency")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_exchange_rates_day"`);
  }
}
