import type { MigrationInterface, QueryRunner } from 'typeorm';

/** catalog_offer_keys as OfferPriceBands left it, for down(). */
const KEYS_WITH_BANDS = `CREATE OR REPLACE FUNCTION "catalog_offer_keys"(item uuid) RETURNS text[] LANGUAGE sql STABLE AS $$
      SELECT coalesce(array_agg(DISTINCT k ORDER BY k), '{}') FROM catalog_offers o
      JOIN organizations s ON s.id = o.supplier_organization_id,
      LATERAL unnest(ARRAY[o.currency::text, o.currency || '|S:' || s.country,
          o.currency || '|P:' || catalog_price_band(o.price)]
        || ARRAY(SELECT o.currency || '|' || a FROM unnest(o.delivery_area) AS a)) AS k
      WHERE o.item_id = item AND o.status = 'active' AND o.valid_until > now()
    $$`;

/**
 * A word search with a delivery city, a supplier country or a price range read every item matching its words
 * and dropped, by their offer keys, those with no offer of the kind: 5,200 rows read for 400 kept for "кабель"
 * delivered to Almaty. The offer keys are now also lexemes of the search document, so the search puts them in
 * its tsquery and the GIN index intersects the words with the keys before any row is read. So are the item's
 * CPV code prefixes (`CPV:30` ... `CPV:30197630`), for a CPV subtree with words or offer filters. A key holds
 * '|' or ':' with upper-case letters, or is an upper-case currency code, which no word of a text becomes, so
 * keys and words never meet.
 *
 * A trigger keeps the document's keys equal to offer_keys and cpv_code whoever writes the row (the
 * application, the seeds): it takes the old keys out and puts the new ones in. The offer keys also name the
 * supplier's city now (`<currency>|SC:<city id>`; an organisation's city is set when it is created), for the
 * supplier city filter.
 */
export class OfferKeysInDocument1764950000000 implements MigrationInterface {
  name = 'OfferKeysInDocument1764950000000';

  async up(q: QueryRunner): Promise<void> {
    // The prefixes of a CPV code's eight digits, from the division (2) to the code (8).
    await q.query(`CREATE FUNCTION "catalog_cpv_keys"(code text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
        SELECT array_agg('CPV:' || left(code, n) ORDER BY n) FROM generate_series(2, 8) AS n
      $$`);
    await q.query(`CREATE FUNCTION "catalog_search_entries_keys"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          NEW.document := ts_delete(NEW.document, OLD.offer_keys || catalog_cpv_keys(OLD.cpv_code));
        END IF;
        NEW.document := NEW.document || array_to_tsvector(NEW.offer_keys || catalog_cpv_keys(NEW.cpv_code));
        RETURN NEW;
      END
    $$`);
    await q.query(`CREATE TRIGGER "tr_catalog_search_entries_keys"
      BEFORE INSERT OR UPDATE OF document, offer_keys, cpv_code ON "catalog_search_entries"
      FOR EACH ROW EXECUTE FUNCTION catalog_search_entries_keys()`);
    // One offer's keys, in one place: catalog_offer_keys and the bulk seed both call it.
    await q.query(`CREATE FUNCTION "catalog_offer_row_keys"(currency text, supplier_country text,
        supplier_city uuid, price numeric, delivery_area text[]) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
        SELECT ARRAY[currency, currency || '|S:' || supplier_country, currency || '|SC:' || supplier_city,
            currency || '|P:' || catalog_price_band(price)]
          || ARRAY(SELECT currency || '|' || a FROM unnest(delivery_area) AS a)
      $$`);
    await q.query(`CREATE OR REPLACE FUNCTION "catalog_offer_keys"(item uuid) RETURNS text[] LANGUAGE sql STABLE AS $$
        SELECT coalesce(array_agg(DISTINCT k ORDER BY k), '{}') FROM catalog_offers o
        JOIN organizations s ON s.id = o.supplier_organization_id,
        LATERAL unnest(catalog_offer_row_keys(o.currency, s.country, s.city_id, o.price, o.delivery_area)) AS k
        WHERE o.item_id = item AND o.status = 'active' AND o.valid_until > now()
      $$`);
    await this.rewriteDocuments(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "tr_catalog_search_entries_keys" ON "catalog_search_entries"`);
    await q.query(`DROP FUNCTION "catalog_search_entries_keys"`);
    await q.query(KEYS_WITH_BANDS);
    await q.query(`UPDATE catalog_search_entries
      SET document = ts_delete(document, offer_keys || catalog_cpv_keys(cpv_code)),
        offer_keys = catalog_offer_keys(item_id)`);
    await q.query(`DROP FUNCTION "catalog_cpv_keys"`);
    await q.query(`DROP FUNCTION "catalog_offer_row_keys"`);
  }

  /**
   * Every row with its keys of now, through the trigger, written afresh: an UPDATE of every row would leave the table and its
   * indexes half dead space (measured: GIN scans 4x slower) until a VACUUM FULL, which a migration's
   * transaction cannot run. The GIN index is built once afterwards rather than row by row.
   */
  private async rewriteDocuments(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_catalog_search_entries_document"`);
    await q.query(`CREATE TEMPORARY TABLE "search_rows" ON COMMIT DROP AS
      SELECT item_id, document, cpv_code, published_at FROM catalog_search_entries`);
    await q.query(`TRUNCATE catalog_search_entries`);
    await q.query(`INSERT INTO catalog_search_entries (item_id, document, cpv_code, published_at, offer_keys)
      SELECT item_id, document, cpv_code, published_at, catalog_offer_keys(item_id) FROM search_rows`);
    // No fast-update list: catalogue writes are rare, and searches must not scan a pending list.
    await q.query(`CREATE INDEX "ix_catalog_search_entries_document" ON "catalog_search_entries"
      USING gin ("document") WITH (fastupdate = off)`);
    await q.query(`ANALYZE catalog_search_entries`);
  }
}
