import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A tender's public bids, awards and contracts are served a page at a time, each read from an index in its
 * list's order. The bids index holds every bid, not only the opened ones it serves: a predicate on status would
 * make the closing's status change a non-HOT update, writing entries in every index of bids. The awards and
 * contracts indexes replace those on tender_id alone.
 */
export class TenderListsPaged1765070000000 implements MigrationInterface {
  name = 'TenderListsPaged1765070000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "ix_bids_tender_submitted" ON "bids" ("tender_id", "submitted_at", "sequence")`,
    );
    await q.query(`CREATE INDEX "ix_awards_tender_created" ON "awards" ("tender_id", "created_at", "id")`);
    await q.query(`DROP INDEX "ix_awards_tender"`);
    await q.query(
      `CREATE INDEX "ix_contracts_tender_created" ON "contracts" ("tender_id", "created_at", "id")`,
    );
    await q.query(`DROP INDEX "ix_contracts_tender"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_contracts_tender" ON "contracts" ("tender_id")`);
    await q.query(`DROP INDEX "ix_contracts_tender_created"`);
    await q.query(`CREATE INDEX "ix_awards_tender" ON "awards" ("tender_id")`);
    await q.query(`DROP INDEX "ix_awards_tender_created"`);
    await q.query(`DROP INDEX "ix_bids_tender_submitted"`);
  }
}
