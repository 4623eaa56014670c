import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A contracted item the statistics do not count yet: written by the trigger that records a signed contract's
 * items (migration PriceStatsChanges), deleted by the refresh that recomputes the groups it touches.
 */
@Entity({ name: 'price_stats_changes' })
@Index('ix_price_stats_changes_part', ['division', 'month'])
export class PriceStatsChange {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_price_stats_changes',
  })
  id: string;

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
