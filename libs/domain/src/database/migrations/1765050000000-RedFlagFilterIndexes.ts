import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The auditors' red flag list filtered by city or by code walked ix_red_flags_computed from the newest flag and
 * dropped rows one by one; a rare city or code read the whole table for a page. Both filters get an index in
 * the list's order, as the buyer and supplier filters have.
 */
export class RedFlagFilterIndexes1765050000000 implements MigrationInterface {
  name = 'RedFlagFilterIndexes1765050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_red_flags_city" ON "red_flags" ("city_id", "computed_at", "id")`);
    await q.query(`CREATE INDEX "ix_red_flags_code" ON "red_flags" ("code", "computed_at", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_red_flags_code"`);
    await q.query(`DROP INDEX "ix_red_flags_city"`);
  }
}
