import type { MigrationInterface, QueryRunner } from 'typeorm';

const KEYS_WITHOUT_BANDS = `
        SELECT coalesce(array_agg(DISTINCT k ORDER BY k), '{}') FROM catalog_offers o
        JOIN organizations s ON s.id = o.supplier_organization_id,
        LATERAL unnest(ARRAY[o.currency::text, o.currency || '|S:' || s.country]
          || ARRAY(SELECT o.currency || '|' || a FROM unnest(o.delivery_area) AS a)) AS k
        WHERE o.item_id = item AND o.status = 'active' AND o.valid_until > now()`;

/**
 * A search with a price range checked the offers of every item matching its words until the window was full:
 * 3,000 items for 1,000 hits of "бумага" up to 1,000 RUB. The search row's offer keys now also say in which
 * price band each of the item's offers lies (`<currency>|P:<band>`), so that items with no offer in the range's
 * bands are passed over without looking their offers up. Bands follow the 1-2-5 series: [1, 2), [2, 5),
 * [5, 10), [10, 20) and so on, all below 1 in band 0; they only narrow the candidates, the offers are still
 * checked exactly. Rewrites the keys of every search row.
 */
export class OfferPriceBands1764920000000 implements MigrationInterface {
  name = 'OfferPriceBands1764920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION "catalog_price_band"(price numeric) RETURNS int LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN price < 1 THEN 0
          ELSE length(trunc(price)::text) * 3
            + CASE WHEN left(trunc(price)::text, 1) < '2' THEN 0 WHEN left(trunc(price)::text, 1) < '5' THEN 1 ELSE 2 END
        END
      $$`);
    await q.query(`CREATE OR REPLACE FUNCTION "catalog_offer_keys"(item uuid) RETURNS text[] LANGUAGE sql STABLE AS $$
        SELECT coalesce(array_agg(DISTINCT k ORDER BY k), '{}') FROM catalog_offers o
        JOIN organizations s ON s.id = o.supplier_organization_id,
        LATERAL unnest(ARRAY[o.currency::text, o.currency || '|S:' || s.country,
            o.currency || '|P:' || catalog_price_band(o.price)]
          || ARRAY(SELECT o.currency || '|' || a FROM unnest(o.delivery_area) AS a)) AS k
        WHERE o.item_id = item AND o.status = 'active' AND o.valid_until > now()
      $$`);
    await q.query(`UPDATE catalog_search_entries SET offer_keys = catalog_offer_keys(item_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION "catalog_offer_keys"(item uuid) RETURNS text[] LANGUAGE sql STABLE AS $$
${KEYS_WITHOUT_BANDS}
      $$`);
    await q.query(`UPDATE catalog_search_entries SET offer_keys = catalog_offer_keys(item_id)`);
    await q.query(`DROP FUNCTION "catalog_price_band"`);
  }
}
