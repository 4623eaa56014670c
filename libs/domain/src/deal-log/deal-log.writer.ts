import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface NewDealEvent {
  type: string;
  tenderId: string | null;
  actorId: string | null;
  payload: Record<string, unknown>;
  sealedPayload?: Record<string, unknown> | null;
}

/**
 * Appends deal events inside the caller's transaction, so a change and its event commit together or not at all.
 * Invariant: callers put nothing sealed into `payload`.
 */
@Injectable()
export class DealLogWriter {
  async append(manager: EntityManager, event: NewDealEvent): Promise<void> {
    await this.appendMany(manager, [event]);
  }

  /**
   * The INSERT of events that `select` yields, for a write done in one statement: `select` is SQL (a CTE body)
   * with the columns type, tender_id, actor_id, payload, sealed_payload.
   */
  static insertFrom(select: string): string {
    return `INSERT INTO deal_events (type, tender_id, actor_id, payload, sealed_payload, txid)
       SELECT e.type, e.tender_id, e.actor_id, e.payload, e.sealed_payload, pg_current_xact_id()::text::bigint
         FROM (${select}) AS e`;
  }

  /** One multi-row insert for several events of one change (an award and its contracts, say). */
  async appendMany(manager: EntityManager, events: NewDealEvent[]): Promise<void> {
    if (events.length === 0) return;
    await manager.query(
      DealLogWriter.insertFrom(
        `SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS r(type text, tender_id uuid, actor_id uuid, payload jsonb, sealed_payload jsonb)`,
      ),
      [
        JSON.stringify(
          events.map((e) => ({
            type: e.type,
            tender_id: e.tenderId,
            actor_id: e.actorId,
            payload: e.payload,
            sealed_payload: e.sealedPayload ?? null,
          })),
        ),
      ],
    );
  }
}
