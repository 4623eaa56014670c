import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The latest tree head, signed again about every second while the log does not grow (the brief: a signed tree
 * head at least every second). log_tree_heads stays append-only and keeps the first head of each size; this one
 * row is the newest signature of the current size, so a reader can tell a live log from a stalled one.
 */
export class FreshTreeHead1765000000000 implements MigrationInterface {
  name = 'FreshTreeHead1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "log_fresh_head" ("singleton" boolean NOT NULL DEFAULT true,
      "tree_size" bigint NOT NULL, "root_hash" bytea NOT NULL, "timestamp" text NOT NULL, "signature" text NOT NULL,
      CONSTRAINT "PK_log_fresh_head" PRIMARY KEY ("singleton"), CONSTRAINT "ck_log_fresh_head_singleton" CHECK ("singleton"))`);
    await q.query(`INSERT INTO "log_fresh_head" ("tree_size", "root_hash", "timestamp", "signature")
      SELECT "tree_size", "root_hash", "timestamp", "signature" FROM "log_tree_heads"
       ORDER BY "tree_size" DESC LIMIT 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "log_fresh_head"`);
  }
}
