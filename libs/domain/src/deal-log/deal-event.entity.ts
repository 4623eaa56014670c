import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One change to a deal, written in the same transaction as the change (append-only).
 * Invariant: `payload` is public from the moment the event commits; anything sealed (a bid's supplier,
 * content, salt) is never in it before the opening event. `txid` orders events by transaction so readers
 * of the feed never skip a transaction that commits late.
 */
@Entity({ name: 'deal_events' })
@Index('ix_deal_events_tender', ['tenderId', 'id'])
@Index('ix_deal_events_txid', ['txid', 'id'])
export class DealEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ name: 'tender_id', type: 'uuid', nullable: true })
  tenderId: string | null;

  /** The acting organisation, or null where naming it would break a seal (a sealed bid). */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  occurredAt: Date;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  /** Facts kept back until the tender opens (e.g. who placed a sealed bid); for auditors after opening. */
  @Column({ name: 'sealed_payload', type: 'jsonb', nullable: true })
  sealedPayload: Record<string, unknown> | null;

  /** The writing transaction's id (xid8 as bigint), set by DealLogWriter. */
  @Column({ type: 'bigint' })
  txid: string;
}
