import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../pagination/cursor';
import { findPublishedTender } from './published-tender';

/** An organisation as the auditor's view names it: never a user or anyone's personal data. */
export interface OrganizationRef {
  id: string;
  legalName: string;
  kind: string;
}

export interface AuditEventView {
  eventId: string;
  type: string;
  occurredAt: string;
  /** The event's index in the transparency log; null until the sequencer has appended it. */
  logIndex: number | null;
  /** The acting organisation; for a sealed bid, its supplier once the bids have been opened. */
  actor: OrganizationRef | null;
  payload: Record<string, unknown>;
  /** Facts kept back until opening; null while the tender is sealed, or when the event has none. */
  sealedPayload: Record<string, unknown> | null;
  /** The event has sealed facts that are still withheld. */
  withheld: boolean;
}

export interface AuditHistoryPage extends Page<AuditEventView> {
  tenderId: string;
  status: string;
  /** True while the tender's sealed facts are withheld from everyone. */
  sealed: boolean;
}

interface EventRow extends Omit<AuditEventView, 'logIndex'> {
  logIndex: string | null;
  txid: string;
}

/** The full event history of one deal, for auditors and operators. */
@Injectable()
export class AuditHistoryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Events in transaction order (then id order), a cursor over (txid, id), and only those of transactions older
   * than every one still running (deal_log_watermark(), as the changes feed): two bids on one tender may commit
   * out of id order, and a page read in between must not pass over the one that commits last. Invariant:
   * sealed_payload (and the bidder it names) is read from the database only when the seal is lifted; before
   * that the query never selects it.
   */
  async history(tenderId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<AuditHistoryPage> {
    const tender = await findPublishedTender(this.dataSource, tenderId);
    const [txid, id] = cursor ? decodeCursor(cursor, ['digits', 'digits']) : ['0', '0'];
    const rows = await this.dataSource.query<EventRow[]>(
      `SELECT e.id::text AS "eventId", e.txid::text AS txid, e.type,
              to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "occurredAt",
              l.idx::text AS "logIndex", e.payload,
              CASE WHEN $3::boolean THEN e.sealed_payload END AS "sealedPayload",
              (e.sealed_payload IS NOT NULL AND NOT $3::boolean) AS withheld,
              CASE WHEN o.id IS NULL THEN NULL
                   ELSE jsonb_build_object('id', o.id, 'legalName', o.legal_name, 'kind', o.kind) END AS actor
         FROM deal_events e
         LEFT JOIN log_entries l ON l.event_id = e.id
         LEFT JOIN organizations o ON o.id = coalesce(e.actor_id,
              CASE WHEN $3::boolean THEN (e.sealed_payload ->> 'supplierId')::uuid END)
        -- The watermark once per statement (an init plan), not once per event of the tender.
        WHERE e.tender_id = $1 AND e.txid < (SELECT deal_log_watermark())
          AND (e.txid, e.id) > ($2::bigint, $5::bigint)
        ORDER BY e.txid, e.id LIMIT $4`,
      [tenderId, String(txid), tender.sealedFactsVisible, limit + 1, String(id)],
    );
    const page = toPage(rows, limit, (r) => [r.txid, r.eventId]);
    return {
      tenderId,
      status: tender.status,
      sealed: !tender.sealedFactsVisible,
      items: page.items.map(({ txid: _txid, ...r }) => ({
        ...r,
        logIndex: r.logIndex === null ? null : Number(r.logIndex),
      })),
      nextCursor: page.nextCursor,
    };
  }
}
