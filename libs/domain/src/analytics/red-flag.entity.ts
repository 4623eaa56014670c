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
@Index('ix_red_flags_city', ['cityId', 'computedAt', 'id'])
@Index('ix_red_flags_code', ['code', 'computedAt', 'id'])
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
 * How far the flags of a tender are computed, in deal log indexes: `wantedIdx` is the highest sequenced entry of
 * the closed tender the sweep has seen, `doneIdx` the highest its flags reflect. Log indexes are given in commit
 * order, so an event committed late still gets a higher index than everything reflected before it.
 */
@Entity({ name: 'red_flag_runs' })
@Index('ix_red_flag_runs_pending', ['wantedIdx'], { where: '"wanted_idx" > "done_idx"' })
export class RedFlagRun {
  @PrimaryColumn({ name: 'tender_id', type: 'uuid' })
  tenderId: string;

  @Column({ name: 'wanted_idx', type: 'bigint', default: -1 })
  wantedIdx: string;

  @Column({ name: 'done_idx', type: 'bigint', default: -1 })
  doneIdx: string;

  @Column({ name: 'computed_at', type: 'timestamptz', default: () => 'now()' })
  computedAt: Date;
}

/** A named position in an ordered source (the deal log) up to which an analytics sweep has read. */
@Entity({ name: 'analytics_cursors' })
export class AnalyticsCursor {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_analytics_cursors' })
  name: string;

  @Column({ type: 'bigint' })
  position: string;

  @Column({ name: 'moved_at', type: 'timestamptz', default: () => 'now()' })
  movedAt: Date;
}
