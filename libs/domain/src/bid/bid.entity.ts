import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const BID_STATUSES = ['active', 'pending_confirmation', 'withdrawn', 'opened', 'dropped'] as const;
export type BidStatus = (typeof BID_STATUSES)[number];

/**
 * A supplier's sealed offer on a tender. Invariant: until the tender closes, nothing of it but its
 * commitment leaves the database through the API or the public log; content and salt are revealed at opening.
 */
@Entity({ name: 'bids' })
@Index('uq_bids_tender_supplier', ['tenderId', 'supplierId'], { unique: true })
@Index('uq_bids_supplier_idempotency', ['supplierId', 'idempotencyKey'], { unique: true })
@Index('ix_bids_supplier_placed', ['supplierId', 'placedAt', 'id'])
@Index('ix_bids_tender_submitted', ['tenderId', 'submittedAt', 'sequence'])
@Check('ck_bids_status', `"status" IN ('active', 'pending_confirmation', 'withdrawn', 'opened', 'dropped')`)
export class Bid {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tender_id', type: 'uuid' })
  tenderId: string;

  @Column({ name: 'supplier_id', type: 'uuid' })
  supplierId: string;

  @Column({ type: 'text', default: 'active' })
  status: BidStatus;

  /** Hex SHA-256 of the JCS of { content, salt }. */
  @Column({ type: 'char', length: 64 })
  commitment: string;

  /** Base64 of 32 random bytes; secret until opening. */
  @Column({ type: 'text' })
  salt: string;

  /** The bid as it will be revealed; secret until opening. */
  @Column({ type: 'jsonb' })
  content: Record<string, unknown>;

  /** Database time of the latest submission or change. */
  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt: Date;

  /** When the supplier first placed it: a change or a re-placement never moves it (the supplier's list order). */
  @Column({ name: 'placed_at', type: 'timestamptz', default: () => 'now()' })
  placedAt: Date;

  /** Commit order among the tender's bids; breaks ties after time. */
  @Column({ type: 'bigint' })
  sequence: string;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey: string | null;

  /** The fingerprint of the request the Idempotency-Key placed the bid with (idempotencyFingerprint). */
  @Column({ name: 'idempotency_request', type: 'text', nullable: true })
  idempotencyRequest: string | null;

  @Column({ name: 'opened_at', type: 'timestamptz', nullable: true })
  openedAt: Date | null;

  /**
   * An electronic auction's: the bid's number in the auction, given at the deadline to the bids taken into it (its
   * place in the order of their commitments); null for a bid left out of it, which the closing at the end drops.
   */
  @Column({ name: 'auction_participant', type: 'int', nullable: true })
  auctionParticipant: number | null;
}

/** A bid's price on one lot, with the evaluation published at opening. */
@Entity({ name: 'bid_lots' })
@Index('ix_bid_lots_lot', ['lotId'])
export class BidLot {
  @PrimaryColumn({ name: 'bid_id', type: 'uuid' })
  bidId: string;

  @PrimaryColumn({ name: 'lot_id', type: 'uuid' })
  lotId: string;

  @Column({ type: 'numeric', precision: 15, scale: 2 })
  price: string;

  @Column({ name: 'evaluated_price', type: 'numeric', precision: 15, scale: 2, nullable: true })
  evaluatedPrice: string | null;

  @Column({ type: 'int', nullable: true })
  rank: number | null;

  @Column({ name: 'preference_applied', type: 'boolean', nullable: true })
  preferenceApplied: boolean | null;

  /** An auction's: when the supplier last lowered its price (the price above); ties go to the earlier one. */
  @Column({ name: 'auction_bid_at', type: 'timestamptz', nullable: true })
  auctionBidAt: Date | null;
}
