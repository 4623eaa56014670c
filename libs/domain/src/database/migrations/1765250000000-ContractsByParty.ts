import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "My contracts" (TenderQueriesService.contractsOf) pages a supplier's or a buyer's contracts, newest first: the
 * supplier's index carries the order, and buyers get one of their own.
 */
export class ContractsByParty1765250000000 implements MigrationInterface {
  name = 'ContractsByParty1765250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "ix_contracts_supplier_created" ON "contracts" ("supplier_id", "created_at", "id")`,
    );
    await q.query(
      `CREATE INDEX "ix_contracts_buyer_created" ON "contracts" ("buyer_id", "created_at", "id")`,
    );
    await q.query(`DROP INDEX "ix_contracts_supplier"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_contracts_supplier" ON "contracts" ("supplier_id")`);
    await q.query(`DROP INDEX "ix_contracts_buyer_created"`);
    await q.query(`DROP INDEX "ix_contracts_supplier_created"`);
  }
}
