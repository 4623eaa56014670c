import type { MigrationInterface, QueryRunner } from 'typeorm';
import { MEMBER_CITIES } from '../../cities/member-cities';

/** Cities, organisations, users and refresh tokens, with the member cities seeded. */
export class Foundation1764090000000 implements MigrationInterface {
  name = 'Foundation1764090000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "cities" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "name_ru" text NOT NULL,
      "name_en" text NOT NULL, "country" character(2) NOT NULL, "region" text NOT NULL, "time_zone" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_4762ffb6e5d198cfec5606bc11e" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_cities_code" ON "cities" ("code")`);
    await q.query(`CREATE INDEX "ix_cities_country" ON "cities" ("country")`);

    await q.query(`CREATE TABLE "organizations" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "legal_name" text NOT NULL,
      "tax_scheme" text, "tax_id" text, "country" character(2) NOT NULL, "city_id" uuid NOT NULL,
      "sme" boolean NOT NULL DEFAULT false, "status" text NOT NULL DEFAULT 'pending', "status_reason" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_organizations_tax_id"
        CHECK ("kind" = 'operator' OR ("tax_scheme" IS NOT NULL AND "tax_id" IS NOT NULL)),
      CONSTRAINT "ck_organizations_status" CHECK ("status" IN ('pending', 'active', 'suspended')),
      CONSTRAINT "ck_organizations_kind" CHECK ("kind" IN ('buyer', 'supplier', 'auditor', 'operator')),
      CONSTRAINT "PK_6b031fcd0863e3f6b44230163f9" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_organizations_city" ON "organizations" ("city_id")`);
    await q.query(
      `CREATE INDEX "ix_organizations_kind_status_created" ON "organizations" ("kind", "status", "created_at", "id")`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_organizations_tax_id" ON "organizations" ("tax_scheme", "tax_id")`,
    );

    await q.query(`CREATE TABLE "users" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" text NOT NULL, "full_name" text NOT NULL,
      "password_hash" text NOT NULL, "organization_id" uuid NOT NULL, "role" text NOT NULL,
      "active" boolean NOT NULL DEFAULT true, "last_login_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_users_email_lower" CHECK ("email" = lower("email")),
      CONSTRAINT "ck_users_role" CHECK ("role" IN ('buyer', 'supplier', 'auditor', 'operator')),
      CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_users_email" ON "users" ("email")`);
    await q.query(`CREATE INDEX "ix_users_organization" ON "users" ("organization_id")`);

    await q.query(`CREATE TABLE "refresh_tokens" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" text NOT NULL, "family_id" uuid NOT NULL,
      "user_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE,
      "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_refresh_tokens_hash" ON "refresh_tokens" ("token_hash")`);
    await q.query(`CREATE INDEX "ix_refresh_tokens_family" ON "refresh_tokens" ("family_id")`);
    await q.query(`CREATE INDEX "ix_refresh_tokens_user" ON "refresh_tokens" ("user_id")`);
    await q.query(`CREATE INDEX "ix_refresh_tokens_expires" ON "refresh_tokens" ("expires_at")`);

    await q.query(`ALTER TABLE "organizations" ADD CONSTRAINT "fk_organizations_city" FOREIGN KEY ("city_id")
      REFERENCES "cities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "fk_users_organization" FOREIGN KEY ("organization_id")
      REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "refresh_tokens" ADD CONSTRAINT "fk_refresh_tokens_user" FOREIGN KEY ("user_id")
      REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    await q.query(
      `INSERT INTO "cities" ("code", "name_ru", "name_en", "country", "region", "time_zone")
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS c("code" text, "nameRu" text, "nameEn" text, "country" text, "region" text, "timeZone" text)
       ON CONFLICT ("code") DO NOTHING`,
      [JSON.stringify(MEMBER_CITIES)],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "refresh_tokens"`);
    await q.query(`DROP TABLE "users"`);
    await q.query(`DROP TABLE "organizations"`);
    await q.query(`DROP TABLE "cities"`);
  }
}
