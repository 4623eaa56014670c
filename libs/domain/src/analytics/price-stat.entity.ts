import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Unit price statistics of contracted items per subject (a CPV roll-up key or a catalogue item), unit, currency,
 * place (a city, or the whole country when city_id is null) and month of signing. Rebuilt whole per CPV division.
 */
@Entity({ name: 'price_stats' })
@Index('uq_price_stats_key', ['kind', 'subject', 'division', 'geo', 'unitCode', 'currency', 'month'], {
  unique: true,
})
@Index('ix_price_stats_division_month', ['division', 'month'])
export class PriceStat {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** 'cpv' (subject is a CPV roll-up key, see cpvKey) or 'item' (subject is a catalogue item id). */
  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text' })
  subject: string;

  /** The first two CPV digits: the unit of incremental rebuilds. */
  @Column({ type: 'text' })
  division: string;

  @Column({ name: 'unit_code', type: 'text' })
  unitCode: string;

  @Column({ type: 'text' })
  currency: string;

  @Column({ type: 'text' })
  country: string;

  @Column({ name: 'city_id', type: 'uuid', nullable: true })
  cityId: string | null;

  /** The city id, or the country code on a country row: one non-null key for the unique index. */
  @Column({ type: 'text' })
  geo: string;

  /** First day of the month of signing (UTC). */
  @Column({ type: 'date' })
  month: string;

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
