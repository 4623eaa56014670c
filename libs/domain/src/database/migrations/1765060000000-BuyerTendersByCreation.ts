import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A buyer's "my tenders" (organised or joined, drafts included, newest first) joined every tender of the buyer
 * and sorted them for each page. tender_buyers now carries its tender's created_at, and an index in the list's
 * order serves a page by reading just that page; it replaces the index on buyer_id alone.
 */
export class BuyerTendersByCreation1765060000000 implements MigrationInterface {
  name = 'BuyerTendersByCreation1765060000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tender_buyers" ADD "created_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(
      `UPDATE "tender_buyers" tb SET "created_at" = t."created_at" FROM "tenders" t WHERE t."id" = tb."tender_id"`,
    );
    // A row whose tender is gone (there is no foreign key) keeps a time of its own.
    await q.query(`UPDATE "tender_buyers" SET "created_at" = now() WHERE "created_at" IS NULL`);
    await q.query(
      `ALTER TABLE "tender_buyers" ALTER "created_at" SET DEFAULT now(), ALTER "created_at" SET NOT NULL`,
    );
    await q.query(
      `CREATE INDEX "ix_tender_buyers_buyer_created" ON "tender_buyers" ("buyer_id", "created_at", "tender_id")`,
    );
    await q.query(`DROP INDEX "ix_tender_buyers_buyer"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_tender_buyers_buyer" ON "tender_buyers" ("buyer_id")`);
    await q.query(`DROP INDEX "ix_tender_buyers_buyer_created"`);
    await q.query(`ALTER TABLE "tender_buyers" DROP COLUMN "created_at"`);
  }
}
