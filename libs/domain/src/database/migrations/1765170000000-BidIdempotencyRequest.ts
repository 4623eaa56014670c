import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * bids.idempotency_request: the fingerprint of the request an Idempotency-Key placed the bid with, so that a
 * retry is recognised by that request and not by the bid as changed since. Bids placed before have none: their
 * retries are still compared with the bid's content.
 */
export class BidIdempotencyRequest1765170000000 implements MigrationInterface {
  name = 'BidIdempotencyRequest1765170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "bids" ADD "idempotency_request" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "bids" DROP COLUMN "idempotency_request"`);
  }
}
