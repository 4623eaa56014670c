import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Hash partitions of the search rows. */
export const SEARCH_ENTRY_PARTITIONS = 8;

/**
 * A word search reads its matches through a GIN bitmap, and a bitmap is built whole before the first row is
 * read: a word found in a fifth of the catalogue ("услуги") cost a bitmap of 200,000 rows for a window of 1,000.
 * The search rows are now split by hash of the item into eight partitions, each with its own indexes; a search
 * reads the partitions one after another and stops when its window is full, so a broad word builds the bitmap
 * of one or two partitions, and a rare one probes eight small indexes. The window is a sample of the matches
 * spread over the whole catalogue instead of the first in table order. Same columns, names and constraints.
 */
export class SearchEntryPartitions1764930000000 implements MigrationInterface {
  name = 'SearchEntryPartitions1764930000000';

  async up(q: QueryRunner): Promise<void> {
    await this.rebuild(q, true);
  }

  async down(q: QueryRunner): Promise<void> {
    await this.rebuild(q, false);
  }

  /** Copies the rows into a new table, partitioned or not, which takes the old one's place and names. */
  private async rebuild(q: QueryRunner, partitioned: boolean): Promise<void> {
    await q.query(`CREATE TABLE "catalog_search_entries_new" (
      "item_id" uuid NOT NULL, "document" tsvector NOT NULL, "cpv_code" text NOT NULL,
      "published_at" TIMESTAMP WITH TIME ZONE NOT NULL, "offer_keys" text array NOT NULL DEFAULT '{}')
      ${partitioned ? 'PARTITION BY HASH ("item_id")' : ''}`);
    for (let i = 0; partitioned && i < SEARCH_ENTRY_PARTITIONS; i++) {
      await q.query(`CREATE TABLE "catalog_search_entries_p${i}" PARTITION OF "catalog_search_entries_new"
        FOR VALUES WITH (MODULUS ${SEARCH_ENTRY_PARTITIONS}, REMAINDER ${i})`);
    }
    await q.query(`INSERT INTO "catalog_search_entries_new" (item_id, document, cpv_code, published_at, offer_keys)
      SELECT item_id, document, cpv_code, published_at, offer_keys FROM "catalog_search_entries"`);
    await q.query(`DROP TABLE "catalog_search_entries"`);
    await q.query(`ALTER TABLE "catalog_search_entries_new" RENAME TO "catalog_search_entries"`);
    await q.query(`ALTER TABLE "catalog_search_entries"
      ADD CONSTRAINT "pk_catalog_search_entries" PRIMARY KEY ("item_id")`);
    await q.query(`CREATE INDEX "ix_catalog_search_entries_published" ON "catalog_search_entries"
      ("published_at", "item_id")`);
    // No fast-update list: catalogue writes are rare, and searches must not scan a pending list.
    await q.query(`CREATE INDEX "ix_catalog_search_entries_document" ON "catalog_search_entries"
      USING gin ("document") WITH (fastupdate = off)`);
    await q.query(`CREATE INDEX "ix_catalog_search_entries_cpv" ON "catalog_search_entries"
      ("cpv_code" text_pattern_ops)`);
    await q.query(`ALTER TABLE "catalog_search_entries" ADD CONSTRAINT "fk_catalog_search_entries_item"
      FOREIGN KEY ("item_id") REFERENCES "catalog_items"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ANALYZE "catalog_search_entries"`);
  }
}
