import type { MigrationInterface, QueryRunner } from 'typeorm';
import { loadCpvRows } from '@app/catalog/classification/cpv-data';

/**
 * The shared catalogue: the CPV classification (loaded here, idempotently), catalogue items with their
 * version history, supplier offers, and the search tables (full text in Russian and English, pg_trgm).
 */
export class Catalogue1764200000000 implements MigrationInterface {
  name = 'Catalogue1764200000000';

  async up(q: QueryRunner): Promise<void> {
    // Typo tolerance: trigram neighbours (pg_trgm) confirmed by edit distance (fuzzystrmatch).
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS fuzzystrmatch`);
    // Searches over a large catalogue have plan costs above jit_above_cost, and compiling them takes longer
    // than running them. Needs ownership of the database; without it the setting is left to the operator.
    await q.query(`DO $$ BEGIN
        EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'jit left on: the migrating role does not own the database';
      END $$`);
    await this.classifications(q);
    await this.items(q);
    await this.offers(q);
    await this.search(q);
  }

  private async classifications(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "classifications" (
      "scheme" text NOT NULL, "code" text NOT NULL, "parent_code" text, "level" smallint NOT NULL,
      "name_ru" text NOT NULL, "name_en" text NOT NULL,
      CONSTRAINT "pk_classifications" PRIMARY KEY ("scheme", "code"))`);
    await q.query(`CREATE INDEX "ix_classifications_parent" ON "classifications" ("scheme", "parent_code")`);
    await q.query(
      `CREATE INDEX "ix_classifications_code_pattern" ON "classifications" ("scheme", "code" text_pattern_ops)`,
    );
    await q.query(`CREATE INDEX "ix_classifications_names_fts" ON "classifications" USING gin
      ((to_tsvector('russian', "name_ru") || to_tsvector('english', "name_en")))`);
    await q.query(
      `INSERT INTO "classifications" ("scheme", "code", "parent_code", "level", "name_ru", "name_en")
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS c("scheme" text, "code" text, "parentCode" text, "level" smallint, "nameRu" text, "nameEn" text)
       ON CONFLICT ("scheme", "code") DO UPDATE SET "parent_code" = EXCLUDED."parent_code",
         "level" = EXCLUDED."level", "name_ru" = EXCLUDED."name_ru", "name_en" = EXCLUDED."name_en"`,
      [JSON.stringify(loadCpvRows())],
    );
    // Statistics now, so that the first searches already choose the name index.
    await q.query(`ANALYZE "classifications"`);
  }

  private async items(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "catalog_items" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(), "status" text NOT NULL, "title_ru" text NOT NULL,
      "title_en" text, "description_ru" text NOT NULL, "description_en" text,
      "classification_scheme" text NOT NULL, "classification_code" text NOT NULL, "unit_code" text NOT NULL,
      "characteristics" jsonb NOT NULL DEFAULT '[]', "image_urls" jsonb NOT NULL DEFAULT '[]',
      "documents" jsonb NOT NULL DEFAULT '[]', "proposed_by_organization_id" uuid NOT NULL,
      "proposed_by_user_id" uuid NOT NULL, "merged_into_id" uuid, "rejection_reason" text,
      "version" integer NOT NULL DEFAULT 1, "published_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_catalog_items_status" CHECK ("status" IN ('draft', 'pending', 'active', 'archived')),
      CONSTRAINT "ck_catalog_items_merged_archived" CHECK ("merged_into_id" IS NULL OR "status" = 'archived'),
      CONSTRAINT "pk_catalog_items" PRIMARY KEY ("id"))`);
    await q.query(
      `CREATE INDEX "ix_catalog_items_status_created" ON "catalog_items" ("status", "created_at", "id")`,
    );
    await q.query(`CREATE INDEX "ix_catalog_items_proposer_created" ON "catalog_items"
      ("proposed_by_organization_id", "created_at", "id")`);
    await q.query(`CREATE INDEX "ix_catalog_items_merged_into" ON "catalog_items" ("merged_into_id")`);
    await q.query(`ALTER TABLE "catalog_items" ADD CONSTRAINT "fk_catalog_items_classification"
      FOREIGN KEY ("classification_scheme", "classification_code") REFERENCES "classifications"("scheme", "code")
      ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "catalog_items" ADD CONSTRAINT "fk_catalog_items_proposer"
      FOREIGN KEY ("proposed_by_organization_id") REFERENCES "organizations"("id")
      ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "catalog_items" ADD CONSTRAINT "fk_catalog_items_merged_into"
      FOREIGN KEY ("merged_into_id") REFERENCES "catalog_items"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);

    await q.query(`CREATE TABLE "catalog_item_versions" (
      "item_id" uuid NOT NULL, "version" integer NOT NULL, "action" text NOT NULL, "actor_user_id" uuid NOT NULL,
      "actor_organization_id" uuid NOT NULL, "actor_role" text NOT NULL, "changes" jsonb NOT NULL DEFAULT '{}',
      "reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_catalog_item_versions_action" CHECK ("action" IN
        ('proposed', 'edited', 'submitted', 'approved', 'rejected', 'merged', 'archived')),
      CONSTRAINT "pk_catalog_item_versions" PRIMARY KEY ("item_id", "version"))`);
    await q.query(`ALTER TABLE "catalog_item_versions" ADD CONSTRAINT "fk_catalog_item_versions_item"
      FOREIGN KEY ("item_id") REFERENCES "catalog_items"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  private async offers(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "catalog_offers" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(), "item_id" uuid NOT NULL,
      "supplier_organization_id" uuid NOT NULL, "created_by_user_id" uuid NOT NULL,
      "price" numeric(15,2) NOT NULL, "currency" character(3) NOT NULL, "vat_included" boolean NOT NULL,
      "min_quantity" numeric(14,3) NOT NULL DEFAULT 1, "delivery_area" text array NOT NULL,
      "lead_time_days" integer NOT NULL, "valid_from" TIMESTAMP WITH TIME ZONE NOT NULL,
      "valid_until" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL DEFAULT 'active',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_catalog_offers_status" CHECK ("status" IN ('active', 'withdrawn')),
      CONSTRAINT "ck_catalog_offers_price" CHECK ("price" > 0 AND "price" <= 1000000000000),
      CONSTRAINT "ck_catalog_offers_currency" CHECK ("currency" ~ '^[A-Z]{3}$'),
      CONSTRAINT "ck_catalog_offers_min_quantity" CHECK ("min_quantity" > 0),
      CONSTRAINT "ck_catalog_offers_lead_time" CHECK ("lead_time_days" BETWEEN 0 AND 3650),
      CONSTRAINT "ck_catalog_offers_validity" CHECK ("valid_until" > "valid_from"),
      CONSTRAINT "ck_catalog_offers_area" CHECK (cardinality("delivery_area") > 0),
      CONSTRAINT "pk_catalog_offers" PRIMARY KEY ("id"))`);
    // Covering: the best offer of a search hit is found by an index-only scan, without visiting the heap.
    await q.query(`CREATE INDEX "ix_catalog_offers_item_price" ON "catalog_offers" ("item_id", "currency", "price")
      INCLUDE ("status", "valid_from", "valid_until", "supplier_organization_id", "delivery_area")`);
    await q.query(`CREATE INDEX "ix_catalog_offers_supplier_created" ON "catalog_offers"
      ("supplier_organization_id", "created_at", "id")`);
    await q.query(
      `CREATE INDEX "ix_catalog_offers_delivery_area" ON "catalog_offers" USING gin ("delivery_area")`,
    );
    await q.query(`ALTER TABLE "catalog_offers" ADD CONSTRAINT "fk_catalog_offers_item"
      FOREIGN KEY ("item_id") REFERENCES "catalog_items"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "catalog_offers" ADD CONSTRAINT "fk_catalog_offers_supplier"
      FOREIGN KEY ("supplier_organization_id") REFERENCES "organizations"("id")
      ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  private async search(q: QueryRunner): Promise<void> {
    // The one definition of an item's search document, used by the application and the bulk seed alike.
    await q.query(`CREATE FUNCTION "catalog_search_document"(
        title_ru text, title_en text, description_ru text, description_en text, cpv_ru text, cpv_en text)
      RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector('russian', title_ru), 'A')
          || setweight(to_tsvector('english', coalesce(title_en, '')), 'A')
          || setweight(to_tsvector('russian', coalesce(cpv_ru, '')), 'B')
          || setweight(to_tsvector('english', coalesce(cpv_en, '')), 'B')
          || setweight(to_tsvector('russian', coalesce(description_ru, '')), 'D')
          || setweight(to_tsvector('english', coalesce(description_en, '')), 'D')
      $$`);
    // Keys of an item's active, unexpired offers: a superset of the offers that count now, kept on the search
    // row so that a search filtering on offers skips items that cannot match before looking their offers up.
    await q.query(`CREATE FUNCTION "catalog_offer_keys"(item uuid) RETURNS text[] LANGUAGE sql STABLE AS $$
        SELECT coalesce(array_agg(DISTINCT k ORDER BY k), '{}') FROM catalog_offers o
        JOIN organizations s ON s.id = o.supplier_organization_id,
        LATERAL unnest(ARRAY[o.currency::text, o.currency || '|S:' || s.country]
          || ARRAY(SELECT o.currency || '|' || a FROM unnest(o.delivery_area) AS a)) AS k
        WHERE o.item_id = item AND o.status = 'active' AND o.valid_until > now()
      $$`);
    await q.query(`CREATE TABLE "catalog_search_entries" (
      "item_id" uuid NOT NULL, "document" tsvector NOT NULL, "cpv_code" text NOT NULL,
      "published_at" TIMESTAMP WITH TIME ZONE NOT NULL, "offer_keys" text array NOT NULL DEFAULT '{}',
      CONSTRAINT "pk_catalog_search_entries" PRIMARY KEY ("item_id"))`);
    await q.query(`CREATE INDEX "ix_catalog_search_entries_published" ON "catalog_search_entries"
      ("published_at", "item_id")`);
    // No fast-update list: catalogue writes are rare, and searches must not scan a pending list.
    await q.query(`CREATE INDEX "ix_catalog_search_entries_document" ON "catalog_search_entries"
      USING gin ("document") WITH (fastupdate = off)`);
    await q.query(`CREATE INDEX "ix_catalog_search_entries_cpv" ON "catalog_search_entries"
      ("cpv_code" text_pattern_ops)`);
    await q.query(`ALTER TABLE "catalog_search_entries" ADD CONSTRAINT "fk_catalog_search_entries_item"
      FOREIGN KEY ("item_id") REFERENCES "catalog_items"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    await q.query(`CREATE TABLE "catalog_search_words" ("word" text NOT NULL,
      CONSTRAINT "pk_catalog_search_words" PRIMARY KEY ("word"))`);
    await q.query(`CREATE INDEX "ix_catalog_search_words_trgm" ON "catalog_search_words"
      USING gist ("word" gist_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "catalog_search_words"`);
    await q.query(`DROP TABLE "catalog_search_entries"`);
    await q.query(`DROP FUNCTION "catalog_search_document"`);
    await q.query(`DROP FUNCTION "catalog_offer_keys"`);
    await q.query(`DROP TABLE "catalog_offers"`);
    await q.query(`DROP TABLE "catalog_item_versions"`);
    await q.query(`DROP TABLE "catalog_items"`);
    await q.query(`DROP TABLE "classifications"`);
  }
}
