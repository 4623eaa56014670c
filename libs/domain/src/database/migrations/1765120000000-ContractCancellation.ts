import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Why a contract was cancelled: a lot or tender cancellation, or its own (one buyer of a joint purchase). */
export class ContractCancellation1765120000000 implements MigrationInterface {
  name = 'ContractCancellation1765120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "contracts" ADD "status_reason" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "contracts" DROP COLUMN "status_reason"`);
  }
}
