import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An item of a signed contract as the price statistics count it, written by a database trigger when the contract
 * is signed (migration ContractedItems). Read by the refresh of a (CPV division, month) part.
 */
@Entity({ name: 'contracted_items' })
@Index('ix_contracted_items_part', ['division', 'month'])
export class ContractedItem {
  @PrimaryColumn({ name: 'contract_id', type: 'uuid', primaryKeyConstraintName: 'pk_contracted_items' })
  contractId: string;

  @PrimaryColumn({ name: 'item_id', type: 'uuid', primaryKeyConstraintName: 'pk_contracted_items' })
  itemId: string;

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

  @Column({ name: 'city_id', type: 'uuid' })
  cityId: string;

  @Column({ type: 'char', length: 2 })
  country: string;

  /** The contract buyer's quantity of the item. */
  @Column({ type: 'numeric' })
  quantity: string;

  /** The item's share of the contract amount. */
  @Column({ type: 'numeric' })
  value: string;
}
