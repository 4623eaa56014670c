import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const COMPLAINT_STATUSES = ['pending', 'upheld', 'dismissed', 'closed'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** A bidder's complaint against an accepted award, filed during its stand-still; public. */
@Entity({ name: 'complaints' })
@Index('uq_complaints_award_complainant', ['awardId', 'complainantId'], { unique: true })
@Index('ix_complaints_tender', ['tenderId', 'filedAt', 'id'])
@Index('ix_complaints_status', ['status', 'filedAt', 'id'])
@Index('ix_complaints_filed', ['filedAt', 'id'])
@Check('ck_complaints_status', `"status" IN ('pending', 'upheld', 'dismissed', 'closed')`)
export class Complaint {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_complaints' })
  id: string;

  @Column({ name: 'tender_id', type: 'uuid' })
  tenderId: string;

  @Column({ name: 'lot_id', type: 'uuid' })
  lotId: string;

  @Column({ name: 'award_id', type: 'uuid' })
  awardId: string;

  /** The supplier organisation that complains (a bidder on the lot, not its winner). */
  @Column({ name: 'complainant_id', type: 'uuid' })
  complainantId: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'text', default: 'pending' })
  status: ComplaintStatus;

  @Column({ name: 'decision_reason', type: 'text', nullable: true })
  decisionReason: string | null;

  /** The operator organisation that decided it. */
  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'filed_at', type: 'timestamptz', default: () => 'now()' })
  filedAt: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;
}
