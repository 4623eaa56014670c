import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A joint buyer confirms its part of a draft (its shares and quantities) before the organiser may publish it:
 * tender_buyers.confirmed_at, for the draft's revision it read (tenders.draft_revision, counted up by every save).
 * Buyers of tenders already published count as confirmed, and organisers always; the other buyers of a draft are
 * asked.
 */
export class JointBuyerConsent1765160000000 implements MigrationInterface {
  name = 'JointBuyerConsent1765160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tender_buyers" ADD "confirmed_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "tenders" ADD "draft_revision" integer NOT NULL DEFAULT 1`);
    await q.query(
      `UPDATE "tender_buyers" tb SET "confirmed_at" = tb."created_at" FROM "tenders" t
        WHERE t."id" = tb."tender_id" AND (t."status" <> 'draft' OR t."organizer_id" = tb."buyer_id")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tenders" DROP COLUMN "draft_revision"`);
    await q.query(`ALTER TABLE "tender_buyers" DROP COLUMN "confirmed_at"`);
  }
}
