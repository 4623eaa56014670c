import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../pagination/cursor';
import { isoUtc } from '../database/sql-time';
import { buyerCityMatch, cpvMatch, cpvPattern, narrowTenders, TenderMatch } from '../tender/tender-matches';

export interface DealFilter {
  /** A buyer organisation taking part (organiser or joint buyer). */
  buyerId?: string;
  /** A supplier whose bid was opened on the deal, or that holds an award of it. */
  supplierId?: string;
  /** The city of a buyer. */
  cityId?: string;
  /** A CPV code; its whole subtree matches. */
  cpv?: string;
  /** Bounds on the deal's value (the estimates of its lots not cancelled), in the tender's currency. */
  valueMin?: string;
  valueMax?: string;
  currency?: string;
  /** Publication instant, from inclusive, to exclusive. */
  publishedFrom?: Date;
  publishedTo?: Date;
  status?: string;
  limit?: number;
  cursor?: string;
  /** Up to how many deals a selective filter collects first (MATCH_CAP); for tests of the other way. */
  matchCap?: number;
}

export interface DealSummary {
  id: string;
  number: string;
  ocid: string;
  title: string;
  status: string;
  buyers: { id: string; legalName: string; cityId: string }[];
  value: { amount: string; currency: string };
  publishedAt: string;
  /** Live awards (pending or accepted) with their suppliers. */
  awards: { lotId: string; status: string; amount: string; supplier: { id: string; legalName: string } }[];
}

const SUMMARY = `jsonb_build_object(
  'id', t.id, 'number', t.number, 'ocid', t.ocid, 'title', t.title, 'status', t.status,
  'buyers', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', o.id, 'legalName', o.legal_name, 'cityId', o.city_id)
       ORDER BY (o.id <> t.organizer_id), o.id), '[]')
     FROM tender_buyers tb JOIN organizations o ON o.id = tb.buyer_id WHERE tb.tender_id = t.id),
  'value', jsonb_build_object('amount', t.value::numeric(15,2)::text, 'currency', t.currency),
  'publishedAt', ${isoUtc('t.published_at')},
  'awards', (SELECT coalesce(jsonb_agg(jsonb_build_object('lotId', a.lot_id, 'status', a.status,
       'amount', a.amount::text, 'supplier', jsonb_build_object('id', o.id, 'legalName', o.legal_name))
       ORDER BY a.created_at, a.id), '[]')
     FROM awards a JOIN organizations o ON o.id = a.supplier_id
     WHERE a.tender_id = t.id AND a.status IN ('pending', 'active')))`;

/** Deal search for auditors: published tenders, newest first, a stable cursor over (published_at, id). */
@Injectable()
export class AuditDealsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(filter: DealFilter): Promise<Page<DealSummary>> {
    const limit = filter.limit ?? DEFAULT_PAGE_SIZE;
    const { where, params } = await conditions(this.dataSource.manager, filter);
    params.push(limit + 1);
    const rows = await this.dataSource.query<{ summary: DealSummary; published_key: string }[]>(
      `SELECT ${SUMMARY} AS summary, ${isoUtc('t.published_at')} AS published_key
         FROM tenders t WHERE ${where.join(' AND ')}
        ORDER BY t.published_at DESC, t.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = toPage(rows, limit, (r) => [r.published_key, r.summary.id]);
    return { items: page.items.map((r) => r.summary), nextCursor: page.nextCursor };
  }
}

/** The WHERE clause of a search, each value a bind parameter. */
async function conditions(
  manager: EntityManager,
  filter: DealFilter,
): Promise<{ where: string[]; params: unknown[] }> {
  const where = [`t.published_at IS NOT NULL`, `t.status <> 'draft'`];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (filter.status) add('t.status = ?', filter.status);
  if (filter.currency) add('t.currency = ?', filter.currency);
  if (filter.valueMin) add('t.value >= ?::numeric', filter.valueMin);
  if (filter.valueMax) add('t.value <= ?::numeric', filter.valueMax);
  if (filter.publishedFrom) add('t.published_at >= ?', filter.publishedFrom);
  if (filter.publishedTo) add('t.published_at < ?', filter.publishedTo);
  const after = filter.cursor ? decodeCursor(filter.cursor, ['instant', 'uuid']) : undefined;
  const matches: TenderMatch[] = [];
  if (filter.buyerId) {
    matches.push({
      ids: 'SELECT tb.tender_id FROM tender_buyers tb WHERE tb.buyer_id = $1::uuid',
      condition:
        'EXISTS (SELECT 1 FROM tender_buyers tb WHERE tb.tender_id = t.id AND tb.buyer_id = ?::uuid)',
      value: filter.buyerId,
    });
  }
  if (filter.cityId) matches.push(buyerCityMatch(filter.cityId));
  if (filter.supplierId) {
    // Invariant: a sealed bid never matches. Only opened (or dropped at opening) bids name their supplier.
    matches.push({
      ids: `SELECT a.tender_id FROM awards a WHERE a.supplier_id = $1::uuid
            UNION ALL SELECT b.tender_id FROM bids b WHERE b.supplier_id = $1::uuid AND b.status IN ('opened', 'dropped')`,
      condition: `(EXISTS (SELECT 1 FROM awards a WHERE a.tender_id = t.id AND a.supplier_id = ?::uuid)
        OR EXISTS (SELECT 1 FROM bids b WHERE b.tender_id = t.id AND b.supplier_id = ?::uuid
                      AND b.status IN ('opened', 'dropped')))`,
      value: filter.supplierId,
    });
  }
  if (filter.cpv) matches.push(cpvMatch(cpvPattern(filter.cpv)));
  await narrowTenders(manager, matches, add, filter.matchCap);
  if (after) {
    params.push(...after);
    where.push(`(t.published_at, t.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  return { where, params };
}
