import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A joint buyer confirms its part of a draft (its shares and quantities) before the organiser may publish it:
 * tender_buyers.confirmed_at. Rows already there are taken as confirmed, since their tenders were published, or
 * drafted, under the rule that did not ask.
 */
export class JointBuyerConsent1765160000000 implements MigrationInterface {
  name = 'JointBuyerConsent1765160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tender_buyers" ADD "confirmed_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`UPDATE "tender_buyers" SET "confirmed_at" = "created_at"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tender_buyers" DROP COLUMN "confirmed_at"`);
  }
}
