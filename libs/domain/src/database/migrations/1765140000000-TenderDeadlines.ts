import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The public tender list filters by deadline (deadlineFrom, deadlineTo) over tenders in any status: without an
 * index of its own, a week's deadlines were found by reading every tender. ix_tenders_closing_due holds only
 * the tenders still taking bids.
 */
export class TenderDeadlines1765140000000 implements MigrationInterface {
  name = 'TenderDeadlines1765140000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_tenders_deadline" ON "tenders" ("tender_end")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_tenders_deadline"`);
  }
}
