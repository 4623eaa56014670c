import type { Characteristic } from '@app/catalog';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A buyer of a tender: the organiser, and in a joint tender every other participating buyer. */
@Entity({ name: 'tender_buyers' })
@Index('ix_tender_buyers_buyer_created', ['buyerId', 'createdAt', 'tenderId'])
export class TenderBuyer {
  @PrimaryColumn({ name: 'tender_id', type: 'uuid' })
  tenderId: string;

  @PrimaryColumn({ name: 'buyer_id', type: 'uuid' })
  buyerId: string;

  /** The tender's own created_at, copied: a buyer's tenders are listed newest first from this table alone. */
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  /**
   * When this buyer confirmed its part of the draft (the organiser: when it saved it). Every save of the draft
   * asks again; publication needs every buyer's.
   */
  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;
}

export const LOT_STATUSES = ['active', 'unsuccessful', 'cancelled', 'complete'] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

/** A part of a tender awarded separately, with its maximum price (the estimate). */
@Entity({ name: 'lots' })
@Index('uq_lots_tender_number', ['tenderId', 'number'], { unique: true })
export class Lot {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tender_id', type: 'uuid' })
  tenderId: string;

  @Column({ type: 'int' })
  number: number;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'numeric', precision: 15, scale: 2 })
  estimate: string;

  @Column({ type: 'text', default: 'active' })
  status: LotStatus;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;
}

/** One buyer's share of a lot's estimate in a joint tender. */
@Entity({ name: 'lot_buyer_shares' })
export class LotBuyerShare {
  @PrimaryColumn({ name: 'lot_id', type: 'uuid' })
  lotId: string;

  @PrimaryColumn({ name: 'buyer_id', type: 'uuid' })
  buyerId: string;

  @Column({ type: 'numeric', precision: 15, scale: 2 })
  amount: string;
}

/**
 * What is bought: a catalogue item, or a free description with its characteristics; with CPV, unit, quantity
 * and delivery.
 */
@Entity({ name: 'tender_items' })
@Index('ix_tender_items_tender', ['tenderId'])
@Index('ix_tender_items_lot', ['lotId'])
@Index('ix_tender_items_cpv', ['cpvCode'])
@Index('ix_tender_items_catalog_item', ['catalogItemId'], { where: '"catalog_item_id" IS NOT NULL' })
@Index('ix_tender_items_cpv_pattern', { synchronize: false })
export class TenderItem {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'lot_id', type: 'uuid' })
  lotId: string;

  @Column({ name: 'tender_id', type: 'uuid' })
  tenderId: string;

  @Column({ name: 'catalog_item_id', type: 'uuid', nullable: true })
  catalogItemId: string | null;

  @Column({ type: 'text' })
  description: string;

  /**
   * A free item's own characteristics, shaped like a catalogue item's. Invariant: empty for a catalogue item,
   * whose characteristics are those of its card.
   */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  characteristics: Characteristic[];

  @Column({ name: 'cpv_code', type: 'text' })
  cpvCode: string;

  @Column({ name: 'unit_code', type: 'text' })
  unitCode: string;

  @Column({ type: 'numeric', precision: 18, scale: 3 })
  quantity: string;

  @Column({ name: 'delivery_city_id', type: 'uuid' })
  deliveryCityId: string;

  @Column({ name: 'delivery_date', type: 'date' })
  deliveryDate: string;
}

/** One buyer's quantity of an item in a joint tender. */
@Entity({ name: 'tender_item_quantities' })
export class TenderItemQuantity {
  @PrimaryColumn({ name: 'item_id', type: 'uuid' })
  itemId: string;

  @PrimaryColumn({ name: 'buyer_id', type: 'uuid' })
  buyerId: string;

  @Column({ type: 'numeric', precision: 18, scale: 3 })
  quantity: string;
}

/** A tender document, published as a link with the SHA-256 of its content. */
@Entity({ name: 'tender_documents' })
@Index('ix_tender_documents_tender', ['tenderId'])
export class TenderDocument {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tender_id', type: 'uuid' })
  tenderId: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A supplier's question; public with the asker anonymised. */
@Entity({ name: 'tender_questions' })
@Index('ix_tender_questions_tender', ['tenderId', 'askedAt'])
@Index('ix_tender_questions_unanswered', ['tenderId'], { where: '"answered_at" IS NULL' })
@Index('uq_tender_questions_asker_idempotency', ['askerId', 'idempotencyKey'], { unique: true })
export class TenderQuestion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tender_id', type: 'uuid' })
  tenderId: string;

  @Column({ name: 'lot_id', type: 'uuid', nullable: true })
  lotId: string | null;

  /** Never shown publicly. */
  @Column({ name: 'asker_id', type: 'uuid' })
  askerId: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'text', nullable: true })
  answer: string | null;

  @Column({ name: 'asked_at', type: 'timestamptz', default: () => 'now()' })
  askedAt: Date;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  /** The asker's Idempotency-Key, if it sent one: a retry gets this question back. */
  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey: string | null;
}

/** An amendment of a published tender, with its rationale and the values it replaced. */
@Entity({ name: 'tender_amendments' })
@Index('uq_tender_amendments_number', ['tenderId', 'number'], { unique: true })
@Index('uq_tender_amendments_organizer_idempotency', ['organizerId', 'idempotencyKey'], { unique: true })
export class TenderAmendment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tender_id', type: 'uuid' })
  tenderId: string;

  /** The organiser that made it, whose Idempotency-Keys are unique across its tenders. */
  @Column({ name: 'organizer_id', type: 'uuid' })
  organizerId: string;

  @Column({ type: 'int' })
  number: number;

  @Column({ type: 'text' })
  rationale: string;

  @Column({ type: 'jsonb' })
  changes: Record<string, { before: unknown; after: unknown }>;

  @Column({ name: 'terms_changed', type: 'boolean' })
  termsChanged: boolean;

  /** The organiser's Idempotency-Key, if it sent one, and the hash of the request it came with. */
  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey: string | null;

  @Column({ name: 'request_hash', type: 'text', nullable: true })
  requestHash: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
