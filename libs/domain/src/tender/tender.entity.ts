import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { TenderStatus } from '../procurement/rules/tender-state';

export const PROCUREMENT_METHODS = ['open', 'auction', 'quotation', 'direct'] as const;
export type ProcurementMethod = (typeof PROCUREMENT_METHODS)[number];

/** A request to buy, run by its organiser, possibly for several buyers (joint procurement). */
@Entity({ name: 'tenders' })
@Check('ck_tenders_currency', `"currency" ~ '^[A-Z]{3}$'`)
@Check(
  'ck_tenders_preference_percent',
  `"preference_percent" IS NULL OR ("preference_percent" >= 0 AND "preference_percent" <= 25)`,
)
@Check(
  'ck_tenders_direct',
  `("method" = 'direct') = ("direct_supplier_id" IS NOT NULL AND "direct_reason" IS NOT NULL AND "direct_rationale" IS NOT NULL)`,
)
@Check(
  'ck_tenders_auction',
  `("method" = 'auction') = ("auction_step_percent" IS NOT NULL) AND ("auction_step_percent" IS NULL OR ("auction_step_percent" >= 0.5 AND "auction_step_percent" <= 5))`,
)
@Index('ix_tenders_closing_due', ['tenderEnd'], { where: `"status" = 'active.tendering'` })
@Index('ix_tenders_auction_due', ['auctionEnd'], { where: `"status" = 'active.auction'` })
@Index('ix_tenders_tendering_due', ['enquiryEnd'], { where: `"status" = 'active.enquiries'` })
@Index('ix_tenders_status_published', ['status', 'publishedAt', 'id'])
@Index('ix_tenders_published', ['publishedAt', 'id'])
@Index('ix_tenders_organizer_created', ['organizerId', 'createdAt', 'id'])
@Index('ix_tenders_value', ['value'])
@Index('ix_tenders_deadline', ['tenderEnd'])
@Index('ix_tenders_direct_by_organizer', ['organizerId', 'publishedAt'], { where: `"method" = 'direct'` })
export class Tender {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Human number, e.g. MTP-2026-000123; assigned at publication, with the year then in the organiser's city. */
  @Index('uq_tenders_number', { unique: true })
  @Column({ type: 'text', nullable: true })
  number: string | null;

  @Index('uq_tenders_ocid', { unique: true })
  @Column({ type: 'text', nullable: true })
  ocid: string | null;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'text', default: 'draft' })
  status: TenderStatus;

  @Column({ type: 'text', default: 'open' })
  method: ProcurementMethod;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /**
   * The sum of the estimates of the lots that are not cancelled, kept by triggers on lots (see the TenderValue
   * migration); never written from here.
   */
  @Column({ type: 'numeric', default: 0, insert: false, update: false, select: false })
  value: string;

  @Column({ name: 'min_bids', type: 'int', default: 1 })
  minBids: number;

  @Column({ name: 'award_criteria', type: 'text', default: 'lowestPrice' })
  awardCriteria: 'lowestPrice';

  @Column({ name: 'preference_scope', type: 'text', nullable: true })
  preferenceScope: 'city' | 'region' | 'country' | 'eaeu' | null;

  @Column({ name: 'preference_percent', type: 'numeric', precision: 5, scale: 2, nullable: true })
  preferencePercent: string | null;

  @Column({ name: 'organizer_id', type: 'uuid' })
  organizerId: string;

  @Column({ name: 'enquiry_end', type: 'timestamptz', nullable: true })
  enquiryEnd: Date | null;

  @Column({ name: 'tender_start', type: 'timestamptz', nullable: true })
  tenderStart: Date | null;

  /** The submission deadline: a bid is on time if committed strictly before it. */
  @Column({ name: 'tender_end', type: 'timestamptz' })
  tenderEnd: Date;

  @Column({ name: 'clarifications_until', type: 'timestamptz', nullable: true })
  clarificationsUntil: Date | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  @Column({ name: 'amendment_count', type: 'int', default: 0 })
  amendmentCount: number;

  /** A direct purchase's supplier: the organisation the contract is made with, without competition. */
  @Column({ name: 'direct_supplier_id', type: 'uuid', nullable: true })
  directSupplierId: string | null;

  /** A direct purchase's legal reason (DIRECT_REASONS) and the buyer's rationale for it. */
  @Column({ name: 'direct_reason', type: 'text', nullable: true })
  directReason: string | null;

  @Column({ name: 'direct_rationale', type: 'text', nullable: true })
  directRationale: string | null;

  /** The earlier tender of the buyer whose failure a direct purchase follows (reason failed_competition). */
  @Column({ name: 'related_tender_id', type: 'uuid', nullable: true })
  relatedTenderId: string | null;

  /** An electronic auction's minimal step, in percent of each lot's estimate (0.5 to 5). */
  @Column({ name: 'auction_step_percent', type: 'numeric', precision: 4, scale: 2, nullable: true })
  auctionStepPercent: string | null;

  /** When a running auction ends unless a bid moves it later; set as the auction starts at the deadline. */
  @Column({ name: 'auction_end', type: 'timestamptz', nullable: true })
  auctionEnd: Date | null;

  /** Counted up by every save of the draft: a joint buyer confirms the revision it read. */
  @Column({ name: 'draft_revision', type: 'int', default: 1 })
  draftRevision: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
