import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * deal_log_watermark() widened every running xid above the snapshot's xmax as if it came from the previous
 * epoch; but pg_stat_activity is read after the snapshot, so a transaction that got its xid in between looked
 * 2^32 too old and the watermark went negative, stalling the sequencer and the feed. Such an xid is not below
 * xmax, so it cannot lower the watermark: only an xid more than 2^31 above xmax is from the previous epoch.
 */
export class FixDealLogWatermark1764450000000 implements MigrationInterface {
  name = 'FixDealLogWatermark1764450000000';

  async up(q: QueryRunner): Promise<void> {
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

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION deal_log_watermark() RETURNS bigint LANGUAGE sql STABLE AS $$
      WITH snap AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax),
      running AS (
        SELECT (snap.xmax >> 32 << 32) | a.backend_xid::text::bigint AS wide, snap.xmax
          FROM pg_stat_activity a, snap
         WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL)
      SELECT least((SELECT xmax FROM snap),
                   (SELECT min(CASE WHEN wide > xmax THEN wide - 4294967296 ELSE wide END) FROM running))
    $$`);
  }
}
