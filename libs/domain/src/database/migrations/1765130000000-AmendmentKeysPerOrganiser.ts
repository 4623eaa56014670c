import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An amendment's Idempotency-Key is the organiser's across all its tenders, as a supplier's is across its bids:
 * the same key sent for another tender is the key reused (409), not a second amendment. Each amendment records its
 * organiser. Where an organiser already used one key on several tenders, the oldest amendment keeps it and the
 * later ones lose it (their retries are long over).
 */
export class AmendmentKeysPerOrganiser1765130000000 implements MigrationInterface {
  name = 'AmendmentKeysPerOrganiser1765130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tender_amendments" ADD "organizer_id" uuid`);
    await q.query(
      `UPDATE "tender_amendments" a SET "organizer_id" = t."organizer_id" FROM "tenders" t WHERE t."id" = a."tender_id"`,
    );
    await q.query(`ALTER TABLE "tender_amendments" ALTER COLUMN "organizer_id" SET NOT NULL`);
    await q.query(
      `UPDATE "tender_amendments" a SET "idempotency_key" = NULL, "request_hash" = NULL
        WHERE a."idempotency_key" IS NOT NULL AND EXISTS (
          SELECT 1 FROM "tender_amendments" b
           WHERE b."organizer_id" = a."organizer_id" AND b."idempotency_key" = a."idempotency_key"
             AND (b."created_at", b."id") < (a."created_at", a."id"))`,
    );
    await q.query(`DROP INDEX "uq_tender_amendments_idempotency"`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_tender_amendments_organizer_idempotency"
         ON "tender_amendments" ("organizer_id", "idempotency_key")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "uq_tender_amendments_organizer_idempotency"`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_tender_amendments_idempotency" ON "tender_amendments" ("tender_id", "idempotency_key")`,
    );
    await q.query(`ALTER TABLE "tender_amendments" DROP COLUMN "organizer_id"`);
  }
}
