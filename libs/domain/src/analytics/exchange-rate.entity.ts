import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** How many units of `currency` one unit of `base` buys on a day, as recorded by an operator. */
@Entity({ name: 'exchange_rates' })
@Check('ck_exchange_rates_rate', `"rate" > 0`)
@Index('ix_exchange_rates_day', ['day', 'base', 'currency'])
export class ExchangeRate {
  @PrimaryColumn({ type: 'char', length: 3, primaryKeyConstraintName: 'pk_exchange_rates' })
  base: string;

  @PrimaryColumn({ type: 'char', length: 3, primaryKeyConstraintName: 'pk_exchange_rates' })
  currency: string;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_exchange_rates' })
  day: string;

  @Column({ type: 'numeric', precision: 24, scale: 10 })
  rate: string;

  @Column({ name: 'set_by', type: 'uuid' })
  setBy: string;

  @Column({ name: 'set_at', type: 'timestamptz', default: () => 'now()' })
  setAt: Date;
}
