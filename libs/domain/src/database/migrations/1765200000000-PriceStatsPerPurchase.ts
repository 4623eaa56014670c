import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Price statistics count a purchase's item line once, not once per contract: a joint purchase's buyers each
 * sign a contract at the deal's one unit price, and counting those passed two purchases off as a market of four.
 * Nothing in the schema changes; the groups holding an item of several contracts are marked for the next refresh
 * of the statistics (the nightly rebuild computes every group again in any case), and down marks them again.
 */
export class PriceStatsPerPurchase1765200000000 implements MigrationInterface {
  name = 'PriceStatsPerPurchase1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await this.markJointItemGroups(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await this.markJointItemGroups(q);
  }

  private async markJointItemGroups(q: QueryRunner): Promise<void> {
    const columns = 'division, month, cpv_code, catalog_item_id, unit_code, currency, country';
    await q.query(
      `INSERT INTO price_stats_changes (${columns})
       SELECT DISTINCT ${columns} FROM contracted_items
        WHERE item_id IN (SELECT item_id FROM contracted_items GROUP BY item_id HAVING count(*) > 1)`,
    );
  }
}
