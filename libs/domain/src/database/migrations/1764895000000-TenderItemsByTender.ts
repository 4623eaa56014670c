import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * tender_items had no index on tender_id: every read of a tender's items by its tender (the red flag rules, at
 * each closing, award and contract) scanned the whole table, 80 ms at 1,000,000 items.
 */
export class TenderItemsByTender1764895000000 implements MigrationInterface {
  name = 'TenderItemsByTender1764895000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_tender_items_tender" ON "tender_items" ("tender_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_tender_items_tender"`);
  }
}
