import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CountedItemColumns } from './counted-item.columns';

/**
 * A contracted item the statistics do not count yet: written by the trigger that records a signed contract's
 * items (migration PriceStatsChanges), deleted by the refresh that recomputes the groups it touches.
 */
@Entity({ name: 'price_stats_changes' })
@Index('ix_price_stats_changes_part', ['division', 'month'])
export class PriceStatsChange extends CountedItemColumns {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_price_stats_changes',
  })
  id: string;
}
