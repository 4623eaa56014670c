import { Column, Entity, PrimaryColumn } from 'typeorm';

/** When a (CPV division, month) part of the price statistics was last computed, by a refresh or a rebuild. */
@Entity({ name: 'price_stats_parts' })
export class PriceStatsPartRow {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_price_stats_parts' })
  division: string;

  /** First day of the month (UTC). */
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_price_stats_parts' })
  month: string;

  @Column({ name: 'computed_at', type: 'timestamptz', default: () => 'now()' })
  computedAt: Date;
}
