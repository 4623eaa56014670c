import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The red-flag rules changed (the submission period counted from when bids opened, its figures naming
 * biddingOpenedOn; no flags on cancelled lots): every tender judged so far is judged again by the worker's
 * sweep, which takes the runs whose wanted position is past the one done.
 */
export class RecomputeRedFlags1765110000000 implements MigrationInterface {
  name = 'RecomputeRedFlags1765110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE "red_flag_runs" SET "done_idx" = -1 WHERE "wanted_idx" >= 0`);
  }

  async down(): Promise<void> {
    // Nothing to undo: flags computed again by the newer rules stay as they are.
  }
}
