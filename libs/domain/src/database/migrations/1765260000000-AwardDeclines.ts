import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A quotation winner that declines its contract ends its award as unsuccessful, like a rejection, but it was not
 * the buyer's decision: `declined` tells them apart (red flags count rejections only). Direct purchases of an
 * organiser are read by publication time for SPLIT_DIRECT_PURCHASES.
 */
export class AwardDeclines1765260000000 implements MigrationInterface {
  name = 'AwardDeclines1765260000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "awards" ADD "declined" boolean NOT NULL DEFAULT false`);
    await q.query(
      `CREATE INDEX "ix_tenders_direct_by_organizer" ON "tenders" ("organizer_id", "published_at") WHERE "method" = 'direct'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_tenders_direct_by_organizer"`);
    await q.query(`ALTER TABLE "awards" DROP COLUMN "declined"`);
  }
}
