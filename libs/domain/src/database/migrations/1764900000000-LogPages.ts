import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * log_pages: every full, aligned page of 1,000 log entries as the text GET /log/entries serves (see
 * deal-log/log-pages.ts), append-only like the rest of the log, and filled here for a log that already has full
 * pages. The text is compressed with lz4 where the server has it (half the size, and cheaper to read than
 * pglz).
 */
export class LogPages1764900000000 implements MigrationInterface {
  name = 'LogPages1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "log_pages" ("start" bigint NOT NULL, "items" text NOT NULL,
      CONSTRAINT "PK_log_pages" PRIMARY KEY ("start"))`);
    await q.query(`DO $$ BEGIN
        ALTER TABLE "log_pages" ALTER COLUMN "items" SET COMPRESSION lz4;
      EXCEPTION WHEN feature_not_supported THEN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER "log_pages_no_update_delete" BEFORE UPDATE OR DELETE ON "log_pages"
      FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
    await q.query(`CREATE TRIGGER "log_pages_no_truncate" BEFORE TRUNCATE ON "log_pages"
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite()`);
    // The pages of entries logged before this migration (the same text as storeFullPages writes).
    await q.query(`INSERT INTO log_pages (start, items)
      SELECT p.start, (SELECT string_agg('{"index":' || l.idx || ',"entry":' || l.entry || ',"leafHash":"'
                                         || encode(l.leaf_hash, 'hex') || '"}', ',' ORDER BY l.idx)
                         FROM log_entries l WHERE l.idx >= p.start AND l.idx < p.start + 1000)
        FROM generate_series(0, (SELECT coalesce(max(idx) + 1, 0) FROM log_entries) / 1000 * 1000 - 1000, 1000)
             AS p(start)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "log_pages"`);
  }
}
