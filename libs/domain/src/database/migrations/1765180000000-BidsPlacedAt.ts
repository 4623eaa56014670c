import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * bids.placed_at: when the supplier first placed its bid on the tender, which a change or a re-placement after a
 * withdrawal never moves. A supplier's list of bids pages by it: paged by submitted_at, which every change
 * resets, a bid changed between two pages jumped ahead of the cursor and was never shown. Existing bids take
 * their latest submission time, the best the database knows.
 */
export class BidsPlacedAt1765180000000 implements MigrationInterface {
  name = 'BidsPlacedAt1765180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "bids" ADD "placed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    await q.query(`UPDATE "bids" SET "placed_at" = "submitted_at"`);
    await q.query(`DROP INDEX "ix_bids_supplier_submitted"`);
    await q.query(`CREATE INDEX "ix_bids_supplier_placed" ON "bids" ("supplier_id", "placed_at", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_bids_supplier_placed"`);
    await q.query(
      `CREATE INDEX "ix_bids_supplier_submitted" ON "bids" ("supplier_id", "submitted_at", "id")`,
    );
    await q.query(`ALTER TABLE "bids" DROP COLUMN "placed_at"`);
  }
}
