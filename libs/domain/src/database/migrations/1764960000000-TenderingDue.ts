import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenders whose enquiry period has ended move into tendering by the worker, which looks for them at every
 * closing sweep: this index finds them among the enquiring tenders only.
 */
export class TenderingDue1764960000000 implements MigrationInterface {
  name = 'TenderingDue1764960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_tenders_tendering_due" ON "tenders" ("enquiry_end")
      WHERE "status" = 'active.enquiries'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_tenders_tendering_due"`);
  }
}
