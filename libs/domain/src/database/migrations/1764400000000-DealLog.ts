import type { MigrationInterface, QueryRunner } from 'typeorm';

const APPEND_ONLY = ['deal_events', 'log_entries', 'log_nodes', 'log_tree_heads'];

/**
 * The transparency log (entries, perfect-subtree nodes, signed tree heads), and triggers that make the
 * deal events and the log append-only: the application itself cannot rewrite history.
 */
export class DealLog1764400000000 implements MigrationInterface {
  name = 'DealLog1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "log_entries" ("idx" bigint NOT NULL, "event_id" bigint NOT NULL, "tender_id" uuid,
      "entry" text NOT NULL, "leaf_hash" bytea NOT NULL, "sequenced_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_log_entries" PRIMARY KEY ("idx"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_log_entries_event" ON "log_entries" ("event_id")`);
    await q.query(`CREATE INDEX "ix_log_entries_tender" ON "log_entries" ("tender_id", "idx")`);
    await q.query(`CREATE TABLE "log_nodes" ("level" smallint NOT NULL, "idx" bigint NOT NULL, "hash" bytea NOT NULL,
      CONSTRAINT "PK_log_nodes" PRIMARY KEY ("level", "idx"))`);
    await q.query(`CREATE TABLE "log_tree_heads" ("tree_size" bigint NOT NULL, "root_hash" bytea NOT NULL,
      "timestamp" text NOT NULL, "signature" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_log_tree_heads" PRIMARY KEY ("tree_size"))`);
    // The transaction id below which every transaction of this database has finished: events with a smaller txid
    // can no longer appear. Unlike the snapshot's xmin it ignores other databases of the cluster, so a long
    // write elsewhere does not stall the feed or the sequencer. 32-bit backend xids are widened with the epoch.
    await q.query(`CREATE FUNCTION deal_log_watermark() RETURNS bigint LANGUAGE sql STABLE AS $$
      WITH snap AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax),
      running AS (
        SELECT (snap.xmax >> 32 << 32) | a.backend_xid::text::bigint AS wide, snap.xmax
          FROM pg_stat_activity a, snap
         WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL)
      SELECT least((SELECT xmax FROM snap),
                   (SELECT min(CASE WHEN wide > xmax THEN wide - 4294967296 ELSE wide END) FROM running))
    $$`);
    await q.query(`CREATE FUNCTION refuse_history_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'history is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of APPEND_ONLY) {
      await q.query(`CREATE TRIGGER "${table}_no_update_delete" BEFORE UPDATE OR DELETE ON "${table}"
        FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
      await q.query(`CREATE TRIGGER "${table}_no_truncate" BEFORE TRUNCATE ON "${table}"
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of APPEND_ONLY) {
      await q.query(`DROP TRIGGER IF EXISTS "${table}_no_update_delete" ON "${table}"`);
      await q.query(`DROP TRIGGER IF EXISTS "${table}_no_truncate" ON "${table}"`);
    }
    await q.query(`DROP FUNCTION refuse_history_rewrite()`);
    await q.query(`DROP FUNCTION deal_log_watermark()`);
    await q.query(`DROP TABLE "log_tree_heads"`);
    await q.query(`DROP TABLE "log_nodes"`);
    await q.query(`DROP TABLE "log_entries"`);
  }
}
