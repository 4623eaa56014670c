import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * deal_log_watermark() took the running transactions from pg_stat_activity, which is read after the caller's
 * snapshot: a transaction still running in the snapshot (its events invisible) that committed before
 * pg_stat_activity was read was missing from both, so the watermark passed its xid, and the sequencer and the
 * changes feed moved their cursors past events they had not seen, for good. The running transactions now come
 * from the snapshot itself (pg_snapshot_xip); pg_stat_activity only excuses those it shows running in another
 * database (they write no deal events here). One that has committed since is kept: the watermark waits a poll.
 */
export class SnapshotWatermark1764990000000 implements MigrationInterface {
  name = 'SnapshotWatermark1764990000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION deal_log_watermark() RETURNS bigint LANGUAGE sql STABLE AS $$
      WITH snap AS (SELECT pg_current_snapshot() AS s),
      elsewhere AS (
        SELECT a.backend_xid::text::bigint AS xid32 FROM pg_stat_activity a
         WHERE a.backend_xid IS NOT NULL AND a.datname IS DISTINCT FROM current_database())
      SELECT least((SELECT pg_snapshot_xmax(s)::text::bigint FROM snap),
                   (SELECT min(x::text::bigint) FROM snap, pg_snapshot_xip(s) AS x
                     WHERE (x::text::bigint & 4294967295) NOT IN (SELECT xid32 FROM elsewhere)))
    $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION deal_log_watermark() RETURNS bigint LANGUAGE sql STABLE AS $$
      WITH snap AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax),
      running AS (
        SELECT (snap.xmax >> 32 << 32) | a.backend_xid::text::bigint AS wide, snap.xmax
          FROM pg_stat_activity a, snap
         WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL)
      SELECT least((SELECT xmax FROM snap),
                   (SELECT min(CASE WHEN wide > xmax + 2147483648 THEN wide - 4294967296
                                    WHEN wide > xmax THEN xmax
                                    ELSE wide END) FROM running))
    $$`);
  }
}
