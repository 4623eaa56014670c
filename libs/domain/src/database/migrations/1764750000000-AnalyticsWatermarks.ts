import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Incremental analytics. Red flags follow the sequenced deal log from a stored watermark instead of counting
 * every closed tender's events on each sweep; price statistics refresh one (division, month) at a time, which
 * needs the signed contracts of a month by index.
 */
export class AnalyticsWatermarks1764750000000 implements MigrationInterface {
  name = 'AnalyticsWatermarks1764750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "analytics_cursors" ("name" text NOT NULL, "position" bigint NOT NULL,
      "moved_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_analytics_cursors" PRIMARY KEY ("name"))`);
    await q.query(`ALTER TABLE "red_flag_runs" ADD "wanted_idx" bigint NOT NULL DEFAULT -1`);
    await q.query(`ALTER TABLE "red_flag_runs" ADD "done_idx" bigint NOT NULL DEFAULT -1`);
    // Every run so far reflected its events; the first sweep scans the log from 0 and asks again where needed.
    await q.query(`ALTER TABLE "red_flag_runs" DROP COLUMN "event_count"`);
    await q.query(
      `CREATE INDEX "ix_red_flag_runs_pending" ON "red_flag_runs" ("wanted_idx") WHERE "wanted_idx" > "done_idx"`,
    );
    await q.query(
      `CREATE INDEX "ix_contracts_signed_month" ON "contracts" ((GREATEST("buyer_signed_at", "supplier_signed_at")))
        WHERE "status" = 'signed'`,
    );
    await q.query(`CREATE INDEX "ix_price_stats_division_month" ON "price_stats" ("division", "month")`);
    await q.query(`DROP INDEX "ix_price_stats_division"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_price_stats_division" ON "price_stats" ("division")`);
    await q.query(`DROP INDEX "ix_price_stats_division_month"`);
    await q.query(`DROP INDEX "ix_contracts_signed_month"`);
    await q.query(`DROP INDEX "ix_red_flag_runs_pending"`);
    await q.query(`ALTER TABLE "red_flag_runs" ADD "event_count" integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE "red_flag_runs" ALTER COLUMN "event_count" DROP DEFAULT`);
    await q.query(`ALTER TABLE "red_flag_runs" DROP COLUMN "done_idx"`);
    await q.query(`ALTER TABLE "red_flag_runs" DROP COLUMN "wanted_idx"`);
    await q.query(`DROP TABLE "analytics_cursors"`);
  }
}
