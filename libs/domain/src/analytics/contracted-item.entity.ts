import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CountedItemColumns } from './counted-item.columns';

/**
 * An item of a signed contract as the price statistics count it, written by a database trigger when the contract
 * is signed (migration ContractedItems; items of lots of several items are left out, SingleItemLotUnitPrices). Read by the refresh of a (CPV division, month) part.
 */
@Entity({ name: 'contracted_items' })
@Index('ix_contracted_items_part', ['division', 'month'])
export class ContractedItem extends CountedItemColumns {
  @PrimaryColumn({ name: 'contract_id', type: 'uuid', primaryKeyConstraintName: 'pk_contracted_items' })
  contractId: string;

  @PrimaryColumn({ name: 'item_id', type: 'uuid', primaryKeyConstraintName: 'pk_contracted_items' })
  itemId: string;

  @Column({ name: 'city_id', type: 'uuid' })
  cityId: string;

  /** The contract buyer's quantity of the item. */
  @Column({ type: 'numeric' })
  quantity: string;

  /** The award's part for the contract buyer's quantity (the item of a one-item lot: no other has a unit price). */
  @Column({ type: 'numeric' })
  value: string;
}
