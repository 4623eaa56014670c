import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for lists that had none for their common case: a catalogue item's contracts (the reference price by
 * catalogue item read every contract item of the last year), and the organisation lists without a kind (the
 * public list of active organisations, and the operators' list, filtered by status or not at all), which
 * sorted the whole table for each page.
 */
export class ListIndexes1765030000000 implements MigrationInterface {
  name = 'ListIndexes1765030000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "ix_tender_items_catalog_item" ON "tender_items" ("catalog_item_id") WHERE "catalog_item_id" IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX "ix_organizations_status_created" ON "organizations" ("status", "created_at", "id")`,
    );
    await q.query(`CREATE INDEX "ix_organizations_created" ON "organizations" ("created_at", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_organizations_created"`);
    await q.query(`DROP INDEX "ix_organizations_status_created"`);
    await q.query(`DROP INDEX "ix_tender_items_catalog_item"`);
  }
}
