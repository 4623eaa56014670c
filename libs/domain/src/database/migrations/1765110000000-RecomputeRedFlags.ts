import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The red-flag rules changed (the submission period counted from when bids opened, its figures naming
 * biddingOpenedOn; no flags on cancelled lots): every tender judged so far is judged again by the worker's
 * sweep, which takes the runs whose wanted position is past the one done.
 */
export class RecomputeRedFlags1765110000000 implements MigrationInterface {
  name = 'RecomputeRedFlags1765110000000';

  async up(q: QueryRunner): Promise<void> {
    // A position no job has had (the job id names it): a completed job kept in Redis under the old position
    // would make the queue drop the new one. The tender's next log entry raises it as usual.
    await q.query(`UPDATE "red_flag_runs" SET "wanted_idx" = -1, "done_idx" = -2 WHERE "wanted_idx" >= 0`);
  }

  async down(): Promise<void> {
    // Nothing to undo: flags computed again by the newer rules stay as they are.
  }
}
