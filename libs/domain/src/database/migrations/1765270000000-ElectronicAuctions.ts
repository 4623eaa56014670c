import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Electronic auctions (method 'auction'): sealed first bids, then from the deadline a live descending auction in
 * which a price that takes the lead must beat the lowest by the tender's step; the bids are opened at its end. A
 * tender in active.auction ends its auction at auction_end (moved later by every lead); a bid's price on a lot is
 * its latest auction price, made at auction_bid_at (ties go to the earlier one). A bid taken into the auction at
 * the deadline has its participant number there.
 */
export class ElectronicAuctions1765270000000 implements MigrationInterface {
  name = 'ElectronicAuctions1765270000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "tenders" ADD "auction_step_percent" numeric(4,2), ADD "auction_end" TIMESTAMP WITH TIME ZONE`,
    );
    await q.query(`ALTER TABLE "tenders" ADD CONSTRAINT "ck_tenders_auction" CHECK (("method" = 'auction') =
      ("auction_step_percent" IS NOT NULL) AND ("auction_step_percent" IS NULL OR
      ("auction_step_percent" >= 0.5 AND "auction_step_percent" <= 5)))`);
    await q.query(
      `CREATE INDEX "ix_tenders_auction_due" ON "tenders" ("auction_end") WHERE "status" = 'active.auction'`,
    );
    await q.query(`ALTER TABLE "bid_lots" ADD "auction_bid_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "bids" ADD "auction_participant" integer`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "bids" DROP COLUMN "auction_participant"`);
    await q.query(`ALTER TABLE "bid_lots" DROP COLUMN "auction_bid_at"`);
    await q.query(`DROP INDEX "ix_tenders_auction_due"`);
    await q.query(`ALTER TABLE "tenders" DROP CONSTRAINT "ck_tenders_auction"`);
    await q.query(`ALTER TABLE "tenders" DROP COLUMN "auction_step_percent", DROP COLUMN "auction_end"`);
  }
}
