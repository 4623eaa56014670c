import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Operators page an organisation's users by id (UserAccountsService): the organisation's index carries the id. */
export class UsersByOrganization1765240000000 implements MigrationInterface {
  name = 'UsersByOrganization1765240000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_users_organization_id" ON "users" ("organization_id", "id")`);
    await q.query(`DROP INDEX "ix_users_organization"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_users_organization" ON "users" ("organization_id")`);
    await q.query(`DROP INDEX "ix_users_organization_id"`);
  }
}
