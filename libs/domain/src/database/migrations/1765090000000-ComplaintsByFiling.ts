import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Operators and auditors list complaints of every status, oldest first: an index in that order serves a page. */
export class ComplaintsByFiling1765090000000 implements MigrationInterface {
  name = 'ComplaintsByFiling1765090000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_complaints_filed" ON "complaints" ("filed_at", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_complaints_filed"`);
  }
}
