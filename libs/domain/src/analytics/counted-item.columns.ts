import { Column } from 'typeorm';

/**
 * What the price statistics group a contracted item by: its part (CPV division and month of signing), CPV code,
 * catalogue item, unit, currency and country. Shared by contracted_items and price_stats_changes.
 */
export abstract class CountedItemColumns {
  /** The first two digits of the CPV code. */
  @Column({ type: 'text' })
  division: string;

  /** First day of the month of signing (UTC). */
  @Column({ type: 'date' })
  month: string;

  @Column({ name: 'cpv_code', type: 'text' })
  cpvCode: string;

  @Column({ name: 'catalog_item_id', type: 'uuid', nullable: true })
  catalogItemId: string | null;

  @Column({ name: 'unit_code', type: 'text' })
  unitCode: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'char', length: 2 })
  country: string;
}
