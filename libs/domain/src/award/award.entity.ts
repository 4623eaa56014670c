import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const AWARD_STATUSES = ['pending', 'active', 'unsuccessful', 'cancelled'] as const;
export type AwardStatus = (typeof AWARD_STATUSES)[number];

/**
 * The decision that a bid wins a lot, or (a direct purchase) that its supplier gets it without competition: then
 * there is no bid and no rank. Invariant: at most one pending or active award per lot.
 */
@Entity({ name: 'awards' })
@Check('ck_awards_bid', `("bid_id" IS NULL) = ("rank" IS NULL)`)
@Index('uq_awards_lot_live', ['lotId'], { unique: true, where: `"status" IN ('pending', 'active')` })
@Index('ix_awards_tender_created', ['tenderId', 'createdAt', 'id'])
@Index('ix_awards_supplier', ['supplierId'])
export class Award {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tender_id', type: 'uuid' })
  tenderId: string;

  @Column({ name: 'lot_id', type: 'uuid' })
  lotId: string;

  @Column({ name: 'bid_id', type: 'uuid', nullable: true })
  bidId: string | null;

  @Column({ name: 'supplier_id', type: 'uuid' })
  supplierId: string;

  @Column({ type: 'text', default: 'pending' })
  status: AwardStatus;

  @Column({ type: 'numeric', precision: 15, scale: 2 })
  amount: string;

  @Column({ type: 'int', nullable: true })
  rank: number | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** Ended by its winner declining the contract (a quotation session), not by the buyer's rejection. */
  @Column({ type: 'boolean', default: false })
  declined: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'standstill_end', type: 'timestamptz', nullable: true })
  standstillEnd: Date | null;
}

export const CONTRACT_STATUSES = ['pending', 'buyer_signed', 'signed', 'cancelled'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** What one buyer and the winner sign for a lot; a joint tender yields one per buyer. */
@Entity({ name: 'contracts' })
@Index('uq_contracts_award_buyer', ['awardId', 'buyerId'], { unique: true })
@Index('ix_contracts_tender_created', ['tenderId', 'createdAt', 'id'])
@Index('ix_contracts_lot', ['lotId'])
@Index('ix_contracts_supplier_created', ['supplierId', 'createdAt', 'id'])
@Index('ix_contracts_buyer_created', ['buyerId', 'createdAt', 'id'])
/** Signed contracts by signing time, for the statistics of one month (an expression index). */
@Index('ix_contracts_signed_month', { synchronize: false })
export class Contract {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tender_id', type: 'uuid' })
  tenderId: string;

  @Column({ name: 'lot_id', type: 'uuid' })
  lotId: string;

  @Column({ name: 'award_id', type: 'uuid' })
  awardId: string;

  @Column({ name: 'buyer_id', type: 'uuid' })
  buyerId: string;

  @Column({ name: 'supplier_id', type: 'uuid' })
  supplierId: string;

  @Column({ type: 'numeric', precision: 15, scale: 2 })
  amount: string;

  @Column({ type: 'text', default: 'pending' })
  status: ContractStatus;

  /** Why a cancelled contract was cancelled. */
  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  @Column({ name: 'buyer_signed_at', type: 'timestamptz', nullable: true })
  buyerSignedAt: Date | null;

  @Column({ name: 'supplier_signed_at', type: 'timestamptz', nullable: true })
  supplierSignedAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
