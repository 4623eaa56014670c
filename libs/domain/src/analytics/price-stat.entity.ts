import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Unit price statistics of contracted items per subject (a CPV roll-up key or a catalogue item), unit, currency,
 * place (a city, or the whole country when city_id is null) and month of signing. Rebuilt whole, or per CPV
 * division and month. The key leads with (kind, subject, month, country, geo) so a series is read in its order.
 */
@Entity({ name: 'price_stats' })
@Index('ix_price_stats_division_month', ['division', 'month'])
export class PriceStat {
  /** 'cpv' (subject is a CPV roll-up key, see cpvKey) or 'item' (subject is a catalogue item id). */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_price_stats' })
  kind: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_price_stats' })
  subject: string;

  /** First day of the month of signing (UTC). */
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_price_stats' })
  month: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_price_stats' })
  country: string;

  /** The city id, or the country code on a country row: one non-null key for the primary key. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_price_stats' })
  geo: string;

  @PrimaryColumn({ name: 'unit_code', type: 'text', primaryKeyConstraintName: 'pk_price_stats' })
  unitCode: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_price_stats' })
  currency: string;

  /** The first two CPV digits: the unit of incremental rebuilds. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_price_stats' })
  division: string;

  @Column({ name: 'city_id', type: 'uuid', nullable: true })
  cityId: string | null;

  /** Purchases (item lines of deals), not contracts: a joint purchase counts once. */
  @Column({ type: 'int' })
  count: number;

  @Column({ type: 'numeric', precision: 20, scale: 4 })
  min: string;

  @Column({ type: 'numeric', precision: 20, scale: 4 })
  q1: string;

  @Column({ type: 'numeric', precision: 20, scale: 4 })
  median: string;

  @Column({ type: 'numeric', precision: 20, scale: 4 })
  q3: string;

  @Column({ type: 'numeric', precision: 20, scale: 4 })
  max: string;

  @Column({ type: 'numeric', precision: 20, scale: 4 })
  mean: string;

  @Column({ name: 'total_quantity', type: 'numeric', precision: 24, scale: 3 })
  totalQuantity: string;

  @Column({ name: 'total_value', type: 'numeric', precision: 20, scale: 2 })
  totalValue: string;

  @Column({ name: 'computed_at', type: 'timestamptz', default: () => 'now()' })
  computedAt: Date;
}
