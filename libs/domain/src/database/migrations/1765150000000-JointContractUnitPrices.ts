import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The items of a joint lot: those whose contracts are worth rewriting. */
const JOINT = `EXISTS (SELECT 1 FROM lot_buyer_shares s WHERE s.lot_id = k.lot_id)`;

/**
 * A joint tender's award is split into contracts by the buyers' shares of the estimate, not by their
 * quantities: pricing each contract's item as its amount over its buyer's quantity made one deal several unit
 * prices (shares 60/40 of one item bought 50/50: 120% and 80% of the real price), which widened the quartiles
 * and the market fences of the red flags. An item's value is now the award's part for the item, split among the
 * buyers by their quantities, so every contract of a deal carries its one unit price; for a lot of one buyer
 * nothing changes. The contracted items of joint lots are written again, and the groups they count in are
 * marked for the next refresh of the statistics.
 */
export class JointContractUnitPrices1765150000000 implements MigrationInterface {
  name = 'JointContractUnitPrices1765150000000';

  async up(q: QueryRunner): Promise<void> {
    await this.define(
      q,
      `round(a.amount / (SELECT count(*) FROM tender_items x WHERE x.lot_id = ti.lot_id)
             * COALESCE(q.quantity, ti.quantity) / ti.quantity, 2)`,
      'JOIN awards a ON a.id = k.award_id',
    );
    await this.rewriteJointItems(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await this.define(
      q,
      `round(k.amount / (SELECT count(*) FROM tender_items x WHERE x.lot_id = ti.lot_id), 2)`,
      '',
    );
    await this.rewriteJointItems(q);
  }

  /** contracted_items_of with an item's value given as an expression. */
  private async define(q: QueryRunner, value: string, join: string): Promise<void> {
    await q.query(
      `CREATE OR REPLACE FUNCTION contracted_items_of(k contracts) RETURNS SETOF contracted_items LANGUAGE sql STABLE AS $$
         SELECT k.id, ti.id, left(ti.cpv_code, 2),
                date_trunc('month', GREATEST(k.buyer_signed_at, k.supplier_signed_at) AT TIME ZONE 'UTC')::date,
                ti.cpv_code, ti.catalog_item_id, ti.unit_code, t.currency, c.id, c.country,
                COALESCE(q.quantity, ti.quantity),
                ${value}
           FROM tender_items ti
           JOIN tenders t ON t.id = k.tender_id
           ${join}
           LEFT JOIN tender_item_quantities q ON q.item_id = ti.id AND q.buyer_id = k.buyer_id
           JOIN cities c ON c.id = ti.delivery_city_id
          WHERE ti.lot_id = k.lot_id
       $$`,
    );
  }

  private async rewriteJointItems(q: QueryRunner): Promise<void> {
    const columns = 'division, month, cpv_code, catalog_item_id, unit_code, currency, country';
    await q.query(
      `INSERT INTO price_stats_changes (${columns})
       SELECT DISTINCT ${columns.replace(/(\w+)/g, 'i.$1')} FROM contracted_items i
         JOIN contracts k ON k.id = i.contract_id WHERE ${JOINT}`,
    );
    await q.query(`DELETE FROM contracted_items i USING contracts k WHERE k.id = i.contract_id AND ${JOINT}`);
    await q.query(
      `INSERT INTO contracted_items
       SELECT i.* FROM contracts k CROSS JOIN LATERAL contracted_items_of(k) i WHERE k.status = 'signed' AND ${JOINT}`,
    );
  }
}
