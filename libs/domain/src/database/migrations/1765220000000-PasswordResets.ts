import type { MigrationInterface, QueryRunner } from 'typeorm';

/** password_resets: one-time resets operators issue for users who cannot sign in (PasswordsService). */
export class PasswordResets1765220000000 implements MigrationInterface {
  name = 'PasswordResets1765220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "password_resets" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" text NOT NULL, "user_id" uuid NOT NULL,
      "issued_by" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "spent_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_4816377aa98211c1de34469e742" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_password_resets_hash" ON "password_resets" ("token_hash")`);
    await q.query(`CREATE INDEX "ix_password_resets_user" ON "password_resets" ("user_id")`);
    await q.query(`ALTER TABLE "password_resets" ADD CONSTRAINT "fk_password_resets_user" FOREIGN KEY ("user_id")
      REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "password_resets"`);
  }
}
