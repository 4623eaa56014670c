import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A bid row is written once and updated a few times (a change, then its opening at the deadline); the updates touch
 * no indexed column. Leaving room in each page lets them stay on the page (HOT): the closing of a storm then
 * writes neither index entries nor, after a checkpoint, full-page images of four indexes per bid.
 * Applies to pages written from now on.
 */
export class RoomToOpenBids1764970000000 implements MigrationInterface {
  name = 'RoomToOpenBids1764970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "bids" SET (fillfactor = 50)`);
    await q.query(`ALTER TABLE "bid_lots" SET (fillfactor = 50)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "bid_lots" RESET (fillfactor)`);
    await q.query(`ALTER TABLE "bids" RESET (fillfactor)`);
  }
}
