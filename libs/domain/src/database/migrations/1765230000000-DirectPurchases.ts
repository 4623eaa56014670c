import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Direct purchases (method 'direct'): the buyer reports a contract made without competition, naming the
 * supplier, the legal reason and its rationale, and for a failed competition the tender that failed. Their
 * awards have no bid and no rank.
 */
export class DirectPurchases1765230000000 implements MigrationInterface {
  name = 'DirectPurchases1765230000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tenders" ADD "direct_supplier_id" uuid, ADD "direct_reason" text,
      ADD "direct_rationale" text, ADD "related_tender_id" uuid`);
    await q.query(`ALTER TABLE "tenders" ADD CONSTRAINT "ck_tenders_direct" CHECK (("method" = 'direct') =
      ("direct_supplier_id" IS NOT NULL AND "direct_reason" IS NOT NULL AND "direct_rationale" IS NOT NULL))`);
    await q.query(
      `ALTER TABLE "awards" ALTER COLUMN "bid_id" DROP NOT NULL, ALTER COLUMN "rank" DROP NOT NULL`,
    );
    await q.query(
      `ALTER TABLE "awards" ADD CONSTRAINT "ck_awards_bid" CHECK (("bid_id" IS NULL) = ("rank" IS NULL))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "awards" WHERE "bid_id" IS NULL`);
    await q.query(`ALTER TABLE "awards" DROP CONSTRAINT "ck_awards_bid"`);
    await q.query(
      `ALTER TABLE "awards" ALTER COLUMN "bid_id" SET NOT NULL, ALTER COLUMN "rank" SET NOT NULL`,
    );
    await q.query(`ALTER TABLE "tenders" DROP CONSTRAINT "ck_tenders_direct"`);
    await q.query(`ALTER TABLE "tenders" DROP COLUMN "direct_supplier_id", DROP COLUMN "direct_reason",
      DROP COLUMN "direct_rationale", DROP COLUMN "related_tender_id"`);
  }
}
