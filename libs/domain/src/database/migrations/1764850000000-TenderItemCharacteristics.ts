import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A free tender item (one bought outside the catalogue) describes itself with characteristics shaped like a
 * catalogue item's ([{ name, value, unit? }]), so that the reference price can match its contract by them. Items
 * written before have none: the default keeps them exactly as they were.
 */
export class TenderItemCharacteristics1764850000000 implements MigrationInterface {
  name = 'TenderItemCharacteristics1764850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tender_items" ADD "characteristics" jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tender_items" DROP COLUMN "characteristics"`);
  }
}
