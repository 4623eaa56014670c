import { Injectable } from '@nestjs/common';
import type { Characteristic } from '@app/catalog';
import type { EntityManager } from 'typeorm';

/** The public shape of a tender, built by one query (no per-lot or per-item round trips). */
export interface TenderView {
  id: string;
  number: string | null;
  ocid: string | null;
  title: string;
  description: string;
  status: string;
  method: string;
  currency: string;
  minBids: number;
  awardCriteria: string;
  localPreference: { scope: string; percent: string } | null;
  organizerId: string;
  buyers: {
    id: string;
    legalName: string;
    cityId: string;
    cityCode: string;
    country: string;
    timeZone: string;
  }[];
  enquiryPeriod: { endDate: string } | null;
  /** None for a direct purchase, which is reported once made. */
  tenderPeriod: { startDate: string | null; endDate: string; endDateLocal: string } | null;
  /** A direct purchase's alone: who it is made with, why, and the failed tender it follows. */
  directAward?: {
    supplierId: string;
    supplierName: string;
    reason: string;
    rationale: string;
    relatedTenderId: string | null;
    relatedOcid: string | null;
  };
  /**
   * An electronic auction's alone: its step, and its period once it runs, from the deadline to an end that every
   * lead moves.
   */
  auction?: {
    stepPercent: string;
    auctionPeriod: { startDate: string | null; endDate: string } | null;
  };
  clarificationsUntil: string | null;
  value: { amount: string; currency: string };
  lots: {
    id: string;
    number: number;
    title: string;
    status: string;
    statusReason: string | null;
    estimate: string;
    shares: { buyerId: string; amount: string }[];
    items: {
      id: string;
      description: string;
      catalogItemId: string | null;
      /** A free item's own; empty for a catalogue item (its card has them). */
      characteristics: Characteristic[];
      classification: { scheme: 'CPV'; id: string };
      unitCode: string;
      quantity: string;
      quantities: { buyerId: string; quantity: string }[];
      deliveryCityId: string;
      deliveryDate: string;
    }[];
  }[];
  documents: { id: string; title: string; url: string; sha256: string; publishedAt: string }[];
  publishedAt: string | null;
  closedAt: string | null;
  statusReason: string | null;
  amendmentCount: number;
  unansweredQuestions: number;
  /** A draft's alone: its revision, and whether each buyer has confirmed its part of it. */
  revision?: number;
  participation?: { buyerId: string; confirmed: boolean }[];
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Builds the JSON of whole tenders in SQL; used for the API, the publication event and snapshots. */
export const TENDER_VIEW_SQL = `
SELECT jsonb_build_object(
  'id', t.id, 'number', t.number, 'ocid', t.ocid, 'title', t.title, 'description', t.description,
  'status', t.status, 'method', t.method, 'currency', t.currency, 'minBids', t.min_bids,
  'awardCriteria', t.award_criteria,
  'localPreference', CASE WHEN t.preference_scope IS NULL THEN NULL
     ELSE jsonb_build_object('scope', t.preference_scope, 'percent', t.preference_percent::text) END,
  'organizerId', t.organizer_id,
  'buyers', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', o.id, 'legalName', o.legal_name, 'cityId', c.id,
       'cityCode', c.code, 'country', c.country, 'timeZone', c.time_zone) ORDER BY (o.id <> t.organizer_id), o.id), '[]')
     FROM tender_buyers tb JOIN organizations o ON o.id = tb.buyer_id JOIN cities c ON c.id = o.city_id
     WHERE tb.tender_id = t.id),
  'enquiryPeriod', CASE WHEN t.enquiry_end IS NULL THEN NULL ELSE jsonb_build_object('endDate', ${ISO('t.enquiry_end')}) END,
  'tenderPeriod', CASE WHEN t.method = 'direct' THEN NULL
     ELSE jsonb_build_object('startDate', ${ISO('t.tender_start')}, 'endDate', ${ISO('t.tender_end')},
     'endDateLocal', (SELECT to_char(t.tender_end AT TIME ZONE c.time_zone, 'YYYY-MM-DD HH24:MI') || ' ' || c.time_zone
        FROM organizations o JOIN cities c ON c.id = o.city_id WHERE o.id = t.organizer_id)) END,
  'clarificationsUntil', ${ISO('t.clarifications_until')},
  'value', jsonb_build_object('amount', (SELECT coalesce(sum(l.estimate), 0)::numeric(15,2)::text FROM lots l
     WHERE l.tender_id = t.id AND l.status <> 'cancelled'), 'currency', t.currency),
  'lots', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', l.id, 'number', l.number, 'title', l.title,
       'status', l.status, 'statusReason', l.status_reason, 'estimate', l.estimate::text,
       'shares', (SELECT coalesce(jsonb_agg(jsonb_build_object('buyerId', s.buyer_id, 'amount', s.amount::text)
            ORDER BY s.buyer_id), '[]') FROM lot_buyer_shares s WHERE s.lot_id = l.id),
       'items', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', i.id, 'description', i.description,
            'catalogItemId', i.catalog_item_id, 'characteristics', i.characteristics,
            'classification', jsonb_build_object('scheme', 'CPV', 'id', i.cpv_code),
            'unitCode', i.unit_code, 'quantity', i.quantity::text,
            'quantities', (SELECT coalesce(jsonb_agg(jsonb_build_object('buyerId', q.buyer_id, 'quantity', q.quantity::text)
                 ORDER BY q.buyer_id), '[]') FROM tender_item_quantities q WHERE q.item_id = i.id),
            'deliveryCityId', i.delivery_city_id, 'deliveryDate', to_char(i.delivery_date, 'YYYY-MM-DD')) ORDER BY i.id), '[]')
          FROM tender_items i WHERE i.lot_id = l.id)) ORDER BY l.number), '[]')
     FROM lots l WHERE l.tender_id = t.id),
  'documents', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', d.id, 'title', d.title, 'url', d.url,
       'sha256', d.sha256, 'publishedAt', ${ISO('d.created_at')}) ORDER BY d.created_at, d.id), '[]')
     FROM tender_documents d WHERE d.tender_id = t.id),
  'publishedAt', ${ISO('t.published_at')}, 'closedAt', ${ISO('t.closed_at')},
  'statusReason', t.status_reason, 'amendmentCount', t.amendment_count,
  'unansweredQuestions', (SELECT count(*) FROM tender_questions q WHERE q.tender_id = t.id AND q.answered_at IS NULL)
) || CASE WHEN t.method <> 'direct' THEN '{}'::jsonb ELSE jsonb_build_object('directAward', jsonb_build_object(
  'supplierId', t.direct_supplier_id,
  'supplierName', (SELECT o.legal_name FROM organizations o WHERE o.id = t.direct_supplier_id),
  'reason', t.direct_reason, 'rationale', t.direct_rationale, 'relatedTenderId', t.related_tender_id,
  'relatedOcid', (SELECT r.ocid FROM tenders r WHERE r.id = t.related_tender_id))) END
  || CASE WHEN t.method <> 'auction' THEN '{}'::jsonb ELSE jsonb_build_object('auction', jsonb_build_object(
  'stepPercent', t.auction_step_percent::text,
  'auctionPeriod', CASE WHEN t.auction_end IS NULL THEN NULL
     ELSE jsonb_build_object('startDate', ${ISO('t.tender_end')}, 'endDate', ${ISO('t.auction_end')}) END)) END
  || CASE WHEN t.status <> 'draft' THEN '{}'::jsonb ELSE jsonb_build_object('revision', t.draft_revision,
  'participation', (SELECT jsonb_agg(jsonb_build_object('buyerId', tb.buyer_id, 'confirmed', tb.confirmed_at IS NOT NULL)
     ORDER BY (tb.buyer_id <> t.organizer_id), tb.buyer_id) FROM tender_buyers tb WHERE tb.tender_id = t.id)) END AS view
FROM tenders t WHERE t.id = ANY($1::uuid[])`;

@Injectable()
export class TenderViews {
  async tender(manager: EntityManager, id: string): Promise<TenderView> {
    const [view] = await this.tenders(manager, [id]);
    if (!view) throw new Error(`tender ${id} vanished inside its own transaction`);
    return view;
  }

  async tenders(manager: EntityManager, ids: string[]): Promise<TenderView[]> {
    if (ids.length === 0) return [];
    const rows = await manager.query<{ view: TenderView }[]>(TENDER_VIEW_SQL, [ids]);
    const byId = new Map(rows.map((r) => [r.view.id, r.view]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
}
