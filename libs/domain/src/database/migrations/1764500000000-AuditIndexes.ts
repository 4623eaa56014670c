import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The auditor's deal search lists every published tender newest first, whatever its status, with a keyset over
 * (published_at, id). ix_tenders_status_published leads with the status, so without a status filter the search
 * would sort the whole table for each page; this index serves it as an ordered scan. Every other filter of the
 * search (buyer, supplier, city, CPV) already has its index.
 */
export class AuditIndexes1764500000000 implements MigrationInterface {
  name = 'AuditIndexes1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_tenders_published" ON "tenders" ("published_at", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_tenders_published"`);
  }
}
