import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isoUtc } from '../database/sql-time';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, Page, toPage } from '../pagination/cursor';
import { TenderNotFoundError } from './tender.errors';
import {
  buyerCityMatch,
  cpvMatch,
  cpvPattern,
  narrowTenders,
  TenderMatch,
  wordsMatch,
} from './tender-matches';
import { TenderView, TenderViews } from './tender-views';

export interface TenderFilter {
  status?: string;
  buyerCityId?: string;
  cpv?: string;
  method?: string;
  /** The tender currency: a value range compares amounts within it. */
  currency?: string;
  valueMin?: string;
  valueMax?: string;
  publishedFrom?: Date;
  publishedTo?: Date;
  deadlineFrom?: Date;
  deadlineTo?: Date;
  q?: string;
  limit?: number;
  cursor?: string;
  /** Up to how many tenders a selective filter collects first (MATCH_CAP); for tests of the other way. */
  matchCap?: number;
}

export interface ChangeView {
  eventId: string;
  type: string;
  tenderId: string | null;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/** Bids after opening, with the evaluation; before it only that they are sealed. */
export interface PublicBidsView {
  sealed: boolean;
  items: {
    bidId: string;
    supplierId: string;
    supplierName: string;
    status: string;
    submittedAt: string;
    commitment: string;
    lots: {
      lotId: string;
      price: string;
      evaluatedPrice: string | null;
      rank: number | null;
      preferenceApplied: boolean | null;
    }[];
    documents: { title: string; url: string; sha256: string }[];
  }[];
  nextCursor: string | null;
}

const SEALED_STATUSES = ['draft', 'active.enquiries', 'active.tendering', 'active.auction'];

/** Read side of procurement: public lists and views, a buyer's own tenders, the changes feed. */
@Injectable()
export class TenderQueriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly views: TenderViews,
  ) {}

  /** A published tender for anyone; a draft only for its buyers. */
  async get(id: string, viewerOrgId?: string): Promise<TenderView> {
    const [view] = await this.views.tenders(this.dataSource.manager, [id]);
    if (!view) throw new TenderNotFoundError('No tender with this id', { id });
    if (view.status === 'draft' && !view.buyers.some((b) => b.id === viewerOrgId)) {
      throw new TenderNotFoundError('No tender with this id', { id });
    }
    return view;
  }

  /** Published tenders, newest first, with filters; a stable cursor over (published_at, id). */
  async list(filter: TenderFilter): Promise<Page<TenderView>> {
    const limit = filter.limit ?? DEFAULT_PAGE_SIZE;
    // Drafts have no publication time: said so, the scan of ix_tenders_published skips them instead of reading
    // every draft (NULLs come first in descending order) before the first published tender.
    const where = [`t.status <> 'draft'`, `t.published_at IS NOT NULL`];
    const params: unknown[] = [];
    // Every ? of one condition is the same new parameter.
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace(/\?/g, () => `$${params.length}`));
    };
    if (filter.status) add('t.status = ?', filter.status);
    if (filter.method) add('t.method = ?', filter.method);
    if (filter.currency) add('t.currency = ?', filter.currency);
    if (filter.valueMin) add('t.value >= ?::numeric', filter.valueMin);
    if (filter.valueMax) add('t.value <= ?::numeric', filter.valueMax);
    if (filter.publishedFrom) add('t.published_at >= ?', filter.publishedFrom);
    if (filter.publishedTo) add('t.published_at < ?', filter.publishedTo);
    // A direct purchase has no deadline (its tender_end is the time it was reported).
    if (filter.deadlineFrom) add(`t.tender_end >= ? AND t.method <> 'direct'`, filter.deadlineFrom);
    if (filter.deadlineTo) add(`t.tender_end < ? AND t.method <> 'direct'`, filter.deadlineTo);
    const after = filter.cursor ? decodeCursor(filter.cursor, ['instant', 'uuid']) : undefined;
    const matches: TenderMatch[] = [];
    if (filter.q) matches.push(wordsMatch(filter.q));
    if (filter.cpv) matches.push(cpvMatch(cpvPattern(filter.cpv)));
    if (filter.buyerCityId) matches.push(buyerCityMatch(filter.buyerCityId));
    await narrowTenders(this.dataSource.manager, matches, add, filter.matchCap);
    if (after) {
      params.push(...after);
      where.push(`(t.published_at, t.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows = await this.dataSource.query<{ id: string; published_at: Date }[]>(
      `SELECT t.id, t.published_at FROM tenders t WHERE ${where.join(' AND ')}
        ORDER BY t.published_at DESC, t.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = toPage(rows, limit, (r) => [r.published_at.toISOString(), r.id]);
    return {
      items: await this.views.tenders(
        this.dataSource.manager,
        page.items.map((r) => r.id),
      ),
      nextCursor: page.nextCursor,
    };
  }

  /** Tenders a buyer takes part in (drafts included), newest first. */
  async mine(buyerId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<Page<TenderView>> {
    const params: unknown[] = [buyerId, limit + 1];
    let after = '';
    if (cursor) {
      const [at, id] = decodeCursor(cursor, ['instant', 'uuid']);
      params.push(at, id);
      after = 'AND (tb.created_at, tb.tender_id) < ($3::timestamptz, $4::uuid)';
    }
    // Read in the order of ix_tender_buyers_buyer_created: the page, and nothing more.
    // The cursor keeps the microseconds (a Date would cut them, and skip a tender created in the same millisecond).
    const rows = await this.dataSource.query<{ id: string; created_at: string }[]>(
      `SELECT tb.tender_id AS id, ${isoUtc('tb.created_at')} AS created_at FROM tender_buyers tb
        WHERE tb.buyer_id = $1 ${after} ORDER BY tb.created_at DESC, tb.tender_id DESC LIMIT $2`,
      params,
    );
    const page = toPage(rows, limit, (r) => [r.created_at, r.id]);
    return {
      items: await this.views.tenders(
        this.dataSource.manager,
        page.items.map((r) => r.id),
      ),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * The public changes feed, in transaction order. Only events of transactions older than every transaction
   * of this database still running are served (deal_log_watermark()), so a reader never skips a write that commits late.
   */
  async changes(
    limit = DEFAULT_PAGE_SIZE,
    cursor?: string,
    tenderId?: string,
  ): Promise<Page<ChangeView> & { watermark: string }> {
    const [txid, id] = cursor ? decodeCursor(cursor, ['digits', 'digits']) : ['0', '0'];
    const rows = await this.dataSource.query<(ChangeView & { txid: string })[]>(
      `SELECT e.id::text AS "eventId", e.type, e.tender_id AS "tenderId", e.payload, e.txid::text AS txid,
              to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "occurredAt"
         FROM deal_events e
        WHERE e.txid < (SELECT deal_log_watermark())
          AND (e.txid, e.id) > ($1::bigint, $2::bigint)
          AND ($4::uuid IS NULL OR e.tender_id = $4)
        ORDER BY e.txid, e.id LIMIT $3`,
      [String(txid), String(id), limit + 1, tenderId ?? null],
    );
    const page = toPage(rows, limit, (r) => [r.txid, r.eventId]);
    const last = rows[Math.min(rows.length, limit) - 1];
    return {
      items: page.items.map(({ txid: _txid, ...rest }) => rest),
      nextCursor: page.nextCursor,
      // Where to resume even when this page was the last: the position after the last event served.
      watermark: last ? encodeCursor([last.txid, last.eventId]) : (cursor ?? encodeCursor(['0', '0'])),
    };
  }

  /** The opened bids of a tender, in order of submission; sealed (and empty) until the tender opens. */
  async bids(tenderId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<PublicBidsView> {
    const [tender] = await this.dataSource.query<{ status: string }[]>(
      'SELECT status FROM tenders WHERE id = $1',
      [tenderId],
    );
    if (!tender || tender.status === 'draft')
      throw new TenderNotFoundError('No tender with this id', { id: tenderId });
    const after = cursor ? decodeCursor(cursor, ['instant', 'digits']) : null;
    if (
      SEALED_STATUSES.includes(tender.status) ||
      (tender.status === 'cancelled' && !(await this.wasOpened(tenderId)))
    ) {
      return { sealed: true, items: [], nextCursor: null };
    }
    // Read in the order of ix_bids_tender_submitted: the page, and nothing more.
    const rows = await this.dataSource.query<(PublicBidsView['items'][number] & { sequence: string })[]>(
      `SELECT b.id AS "bidId", b.supplier_id AS "supplierId", o.legal_name AS "supplierName", b.status, b.commitment,
              ${isoUtc('b.submitted_at')} AS "submittedAt", b.sequence::text AS sequence,
              coalesce((SELECT jsonb_agg(jsonb_build_object('lotId', bl.lot_id, 'price', bl.price::text,
                  'evaluatedPrice', bl.evaluated_price::text, 'rank', bl.rank, 'preferenceApplied', bl.preference_applied)
                  ORDER BY bl.lot_id) FROM bid_lots bl WHERE bl.bid_id = b.id), '[]') AS lots,
              coalesce(b.content->'documents', '[]') AS documents
         FROM bids b JOIN organizations o ON o.id = b.supplier_id
        WHERE b.tender_id = $1 AND b.status IN ('opened', 'dropped')
          AND ($3::timestamptz IS NULL OR (b.submitted_at, b.sequence) > ($3::timestamptz, $4::bigint))
        ORDER BY b.submitted_at, b.sequence LIMIT $2`,
      [tenderId, limit + 1, after?.[0] ?? null, after?.[1] ?? null],
    );
    const page = toPage(rows, limit, (r) => [r.submittedAt, r.sequence]);
    return {
      sealed: false,
      items: page.items.map(({ sequence: _sequence, ...bid }) => bid),
      nextCursor: page.nextCursor,
    };
  }

  /** A tender's awards, oldest first (a rejected award before the one that followed it). */
  awards(
    tenderId: string,
    limit = DEFAULT_PAGE_SIZE,
    cursor?: string,
  ): Promise<Page<Record<string, unknown>>> {
    return this.oldestFirst(
      tenderId,
      `SELECT x.id, x.lot_id AS "lotId", x.bid_id AS "bidId", x.supplier_id AS "supplierId", o.legal_name AS "supplierName",
              x.status, x.amount::text, x.rank, x.reason, x.created_at AS "createdAt", x.decided_at AS "decidedAt",
              x.standstill_end AS "standstillEnd"`,
      'awards x JOIN organizations o ON o.id = x.supplier_id',
      limit,
      cursor,
    );
  }

  /** A tender's contracts, one per lot and buyer, oldest first. */
  contracts(
    tenderId: string,
    limit = DEFAULT_PAGE_SIZE,
    cursor?: string,
  ): Promise<Page<Record<string, unknown>>> {
    return this.oldestFirst(
      tenderId,
      `SELECT x.id, x.lot_id AS "lotId", x.award_id AS "awardId", x.buyer_id AS "buyerId", x.supplier_id AS "supplierId",
              x.amount::text, x.status, x.status_reason AS "statusReason", x.buyer_signed_at AS "buyerSignedAt",
              x.supplier_signed_at AS "supplierSignedAt"`,
      'contracts x',
      limit,
      cursor,
    );
  }

  /**
   * The contracts of a supplier (it is their winner) or of a buyer (they are its part), newest first, with their
   * tender: where a supplier finds a direct purchase it is named in, or a contract the buyer has signed and it is
   * to confirm. Paged by creation, which never changes.
   */
  async contractsOf(
    party: { organizationId: string; side: 'supplier' | 'buyer'; status?: string },
    limit = DEFAULT_PAGE_SIZE,
    cursor?: string,
  ): Promise<Page<Record<string, unknown>>> {
    const after = cursor ? decodeCursor(cursor, ['instant', 'uuid']) : null;
    const column = party.side === 'supplier' ? 'x.supplier_id' : 'x.buyer_id';
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT x.id, x.tender_id AS "tenderId", t.number AS "tenderNumber", t.title AS "tenderTitle",
              t.method AS "tenderMethod", x.lot_id AS "lotId", x.award_id AS "awardId", x.buyer_id AS "buyerId",
              x.supplier_id AS "supplierId", x.amount::text, t.currency, x.status, x.status_reason AS "statusReason",
              x.buyer_signed_at AS "buyerSignedAt", x.supplier_signed_at AS "supplierSignedAt",
              ${isoUtc('x.created_at')} AS "createdAt"
         FROM contracts x JOIN tenders t ON t.id = x.tender_id
        WHERE ${column} = $1 AND ($3::timestamptz IS NULL OR (x.created_at, x.id) < ($3::timestamptz, $4::uuid))
          AND ($5::text IS NULL OR x.status = $5)
        ORDER BY x.created_at DESC, x.id DESC LIMIT $2`,
      [party.organizationId, limit + 1, after?.[0] ?? null, after?.[1] ?? null, party.status ?? null],
    );
    return toPage(rows, limit, (r) => [String(r.createdAt), String(r.id)]);
  }

  /**
   * A page of a published tender's rows (`x` in `from`: awards or contracts), oldest first, read from the
   * table's (tender_id, created_at, id) index. The cursor keeps created_at to the microsecond.
   */
  private async oldestFirst(
    tenderId: string,
    select: string,
    from: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<Record<string, unknown>>> {
    await this.assertPublished(tenderId);
    const after = cursor ? decodeCursor(cursor, ['instant', 'uuid']) : null;
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `${select}, ${isoUtc('x.created_at')} AS "cursorAt" FROM ${from}
        WHERE x.tender_id = $1 AND ($3::timestamptz IS NULL OR (x.created_at, x.id) > ($3::timestamptz, $4::uuid))
        ORDER BY x.created_at, x.id LIMIT $2`,
      [tenderId, limit + 1, after?.[0] ?? null, after?.[1] ?? null],
    );
    const page = toPage(rows, limit, (r) => [String(r.cursorAt), String(r.id)]);
    return { items: page.items.map(({ cursorAt: _cursorAt, ...row }) => row), nextCursor: page.nextCursor };
  }

  private async wasOpened(tenderId: string): Promise<boolean> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM bids WHERE tender_id = $1 AND status IN ('opened', 'dropped')`,
      [tenderId],
    );
    return (row?.n ?? 0) > 0;
  }

  private async assertPublished(tenderId: string): Promise<void> {
    const [tender] = await this.dataSource.query<{ status: string }[]>(
      'SELECT status FROM tenders WHERE id = $1',
      [tenderId],
    );
    if (!tender || tender.status === 'draft')
      throw new TenderNotFoundError('No tender with this id', { id: tenderId });
  }
}
