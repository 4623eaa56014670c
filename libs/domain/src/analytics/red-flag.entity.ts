import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A red flag raised by a tender, with the figures behind it. Invariant: one row per (code, subject_key), so
 * recomputing a tender replaces its flags instead of adding copies.
 */
@Entity({ name: 'red_flags' })
@Index('uq_red_flags_code_subject', ['code', 'subjectKey'], { unique: true })
@Index('ix_red_flags_tender', ['tenderId'])
@Index('ix_red_flags_computed', ['computedAt', 'id'])
@Index('ix_red_flags_buyer', ['buyerId', 'computedAt'])
@Index('ix_red_flags_supplier', ['supplierId', 'computedAt'])
export class RedFlag {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  code: string;

  /** tender/lot/award ids joined by '/', '-' where absent. */
  @Column({ name: 'subject_key', type: 'text' })
  subjectKey: string;

  @Column({ name: 'tender_id', type: 'uuid' })
  tenderId: string;

  @Column({ name: 'lot_id', type: 'uuid', nullable: true })
  lotId: string | null;

  @Column({ name: 'award_id', type: 'uuid', nullable: true })
  awardId: string | null;

  @Column({ name: 'buyer_id', type: 'uuid' })
  buyerId: string;

  @Column({ name: 'supplier_id', type: 'uuid', nullable: true })
  supplierId: string | null;

  /** The buyer's city, so auditors filter by city without a join. */
  @Column({ name: 'city_id', type: 'uuid' })
  cityId: string;

  @Column({ type: 'jsonb' })
  figures: Record<string, unknown>;

  @Column({ name: 'computed_at', type: 'timestamptz', default: () => 'now()' })
  computedAt: Date;
}

/**
 * How far the flags of a tender are computed: the number of its deal events they reflect. A count, not the
 * highest event id: an event whose transaction commits late may carry a lower id, but it always raises the count.
 */
@Entity({ name: 'red_flag_runs' })
export class RedFlagRun {
  @PrimaryColumn({ name: 'tender_id', type: 'uuid' })
  tenderId: string;

  @Column({ name: 'event_count', type: 'int' })
  eventCount: number;

  @Column({ name: 'computed_at', type: 'timestamptz', default: () => 'now()' })
  computedAt: Date;
}
