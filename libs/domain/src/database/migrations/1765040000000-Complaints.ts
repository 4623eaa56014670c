import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Complaints against accepted awards, filed by the lot's other bidders during the stand-still, public, decided
 * by an operator: a pending complaint holds the award's contracts unsigned; an upheld one cancels the lot. One
 * still pending when its award is cancelled (the lot or tender cancelled) is closed.
 */
export class Complaints1765040000000 implements MigrationInterface {
  name = 'Complaints1765040000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "complaints" ("id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "tender_id" uuid NOT NULL, "lot_id" uuid NOT NULL, "award_id" uuid NOT NULL, "complainant_id" uuid NOT NULL,
      "text" text NOT NULL, "status" text NOT NULL DEFAULT 'pending', "decision_reason" text, "decided_by" uuid,
      "filed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "decided_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "ck_complaints_status" CHECK ("status" IN ('pending', 'upheld', 'dismissed', 'closed')),
      CONSTRAINT "PK_complaints" PRIMARY KEY ("id"))`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_complaints_award_complainant" ON "complaints" ("award_id", "complainant_id")`,
    );
    await q.query(`CREATE INDEX "ix_complaints_tender" ON "complaints" ("tender_id", "filed_at", "id")`);
    await q.query(`CREATE INDEX "ix_complaints_status" ON "complaints" ("status", "filed_at", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "complaints"`);
  }
}
