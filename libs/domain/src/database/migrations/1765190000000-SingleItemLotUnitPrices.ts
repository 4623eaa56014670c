import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The items of a lot of several items, by a contracted item `i`. */
const MULTI_ITEM = `EXISTS (SELECT 1 FROM tender_items ti JOIN tender_items x ON x.lot_id = ti.lot_id AND x.id <> ti.id
                             WHERE ti.id = i.item_id)`;

/**
 * A lot carries one price, not item prices: an item of a lot of several items has no unit price. The price
 * statistics gave each such item an equal share of the award whatever its quantity, and published the quotients
 * as market prices (199 packs and 1 pack bought at 50,000.00: 125.63 and 25,000 a pack). contracted_items_of now
 * yields the item of a one-item lot alone, priced as before (the award's part for the contract buyer's quantity);
 * the contracted items of lots of several items are deleted, and the groups they counted in are marked for the
 * next refresh of the statistics (the nightly rebuild computes them from the contracts in any case).
 */
export class SingleItemLotUnitPrices1765190000000 implements MigrationInterface {
  name = 'SingleItemLotUnitPrices1765190000000';

  async up(q: QueryRunner): Promise<void> {
    await this.define(
      q,
      `round(a.amount * COALESCE(q.quantity, ti.quantity) / ti.quantity, 2)`,
      `AND NOT EXISTS (SELECT 1 FROM tender_items x WHERE x.lot_id = ti.lot_id AND x.id <> ti.id)`,
    );
    await this.markMultiItemGroups(q);
    await q.query(`DELETE FROM contracted_items i WHERE ${MULTI_ITEM}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await this.define(
      q,
      `round(a.amount / (SELECT count(*) FROM tender_items x WHERE x.lot_id = ti.lot_id)
             * COALESCE(q.quantity, ti.quantity) / ti.quantity, 2)`,
      '',
    );
    await q.query(
      `INSERT INTO contracted_items
       SELECT i.* FROM contracts k CROSS JOIN LATERAL contracted_items_of(k) i
        WHERE k.status = 'signed' AND ${MULTI_ITEM}
       ON CONFLICT DO NOTHING`,
    );
    await this.markMultiItemGroups(q);
  }

  /** contracted_items_of with an item's value given as an expression and a condition on its tender items `ti`. */
  private async define(q: QueryRunner, value: string, condition: string): Promise<void> {
    await q.query(
      `CREATE OR REPLACE FUNCTION contracted_items_of(k contracts) RETURNS SETOF contracted_items LANGUAGE sql STABLE AS $$
         SELECT k.id, ti.id, left(ti.cpv_code, 2),
                date_trunc('month', GREATEST(k.buyer_signed_at, k.supplier_signed_at) AT TIME ZONE 'UTC')::date,
                ti.cpv_code, ti.catalog_item_id, ti.unit_code, t.currency, c.id, c.country,
                COALESCE(q.quantity, ti.quantity),
                ${value}
           FROM tender_items ti
           JOIN tenders t ON t.id = k.tender_id
           JOIN awards a ON a.id = k.award_id
           LEFT JOIN tender_item_quantities q ON q.item_id = ti.id AND q.buyer_id = k.buyer_id
           JOIN cities c ON c.id = ti.delivery_city_id
          WHERE ti.lot_id = k.lot_id ${condition}
       $$`,
    );
  }

  private async markMultiItemGroups(q: QueryRunner): Promise<void> {
    const columns = 'division, month, cpv_code, catalog_item_id, unit_code, currency, country';
    await q.query(
      `INSERT INTO price_stats_changes (${columns})
       SELECT DISTINCT ${columns} FROM contracted_items i WHERE ${MULTI_ITEM}`,
    );
  }
}
