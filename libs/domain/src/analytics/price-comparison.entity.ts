import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ComparedCity } from './price-comparison';

/**
 * A cross-city comparison of one month's unit prices in a base currency, as it was computed: the converted
 * figures and the rate each used are kept, so a later correction of a rate or a rebuild of price_stats never
 * changes a stored comparison. Append-only.
 */
@Entity({ name: 'price_comparisons' })
@Check('ck_price_comparisons_kind', `"kind" IN ('cpv', 'item')`)
@Index('ix_price_comparisons_created', ['createdAt', 'id'])
export class PriceComparison {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_price_comparisons' })
  id: string;

  /** 'cpv' (subject is a CPV roll-up key, see cpvKey) or 'item' (subject is a catalogue item id), as price_stats. */
  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ name: 'unit_code', type: 'text' })
  unitCode: string;

  /** First day of the compared month (UTC). */
  @Column({ type: 'date' })
  month: string;

  @Column({ name: 'base_currency', type: 'char', length: 3 })
  baseCurrency: string;

  /** The user who asked for it. */
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  /** Per city and currency: the converted figures, the original ones and the rate used, cheapest first. */
  @Column({ type: 'jsonb' })
  cities: ComparedCity[];
}
