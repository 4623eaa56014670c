import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An Idempotency-Key on asking a question and on amending a tender, as on placing a bid: a retry after a lost
 * answer gets the question or amendment already made, instead of a second one (a duplicate question held the
 * closing until answered; a duplicate amendment added its documents twice and put confirmed bids on hold again).
 * An amendment keeps the hash of what was asked, to tell a retry from another request under the same key.
 */
export class RetrySafeQuestionsAndAmendments1765020000000 implements MigrationInterface {
  name = 'RetrySafeQuestionsAndAmendments1765020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tender_questions" ADD "idempotency_key" text`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_tender_questions_asker_idempotency" ON "tender_questions" ("asker_id", "idempotency_key")`,
    );
    await q.query(`ALTER TABLE "tender_amendments" ADD "idempotency_key" text, ADD "request_hash" text`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_tender_amendments_idempotency" ON "tender_amendments" ("tender_id", "idempotency_key")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "uq_tender_amendments_idempotency"`);
    await q.query(
      `ALTER TABLE "tender_amendments" DROP COLUMN "request_hash", DROP COLUMN "idempotency_key"`,
    );
    await q.query(`DROP INDEX "uq_tender_questions_asker_idempotency"`);
    await q.query(`ALTER TABLE "tender_questions" DROP COLUMN "idempotency_key"`);
  }
}
