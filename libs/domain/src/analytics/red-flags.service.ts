import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../pagination/cursor';
import { TenderNotFoundError } from '../tender/tender.errors';
import { operatorCalendarYears } from '../cities/working-calendars.service';
import { cpvKey } from './price-stats';
import {
  computeRedFlags,
  CPV_CLASS_DIGITS,
  SPLIT_WINDOW_DAYS,
  FlagAward,
  FlagLot,
  MarketPrices,
  RedFlagCode,
  subjectKey,
  TenderFacts,
} from './red-flags';

export interface RedFlagView {
  id: string;
  code: string;
  tenderId: string;
  lotId: string | null;
  awardId: string | null;
  buyerId: string;
  supplierId: string | null;
  cityId: string;
  figures: Record<string, unknown>;
  computedAt: string;
}

export interface RedFlagFilter {
  code?: RedFlagCode;
  cityId?: string;
  buyerId?: string;
  supplierId?: string;
  /** Computed at or after / before these instants. */
  from?: Date;
  to?: Date;
  cursor?: string;
  limit?: number;
}

/** The deal log position up to which the red flag sweep has read (table analytics_cursors). */
const RED_FLAGS_CURSOR = 'red-flags';

/** Statistics of fewer purchases than this are too thin to call a price an outlier (a joint one counts once). */
export const MIN_MARKET_COUNT = 4;

interface TenderRow {
  id: string;
  currency: string;
  organizer_id: string;
  method: string;
  country: string;
  city_id: string;
  bidding_opened_on: string | null;
  tender_end_on: string;
  logged_idx: string;
}

/** `cursorAt` is computed_at as text: microseconds kept, so the keyset never skips rows within a millisecond. */
type FlagRow = Omit<RedFlagView, 'computedAt'> & { computedAt: Date; cursorAt: string };

const VIEW_COLUMNS = `id, code, tender_id AS "tenderId", lot_id AS "lotId", award_id AS "awardId", buyer_id AS "buyerId",
  supplier_id AS "supplierId", city_id AS "cityId", figures, computed_at AS "computedAt", computed_at::text AS "cursorAt"`;

/** Recomputes and lists red flags. Rules are pure (red-flags.ts); this reads the facts and stores the result. */
@Injectable()
export class RedFlagsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Replaces the flags of one closed tender by those its facts raise now. Safe to run twice and concurrently:
   * the tender's run row is locked first, flags are upserted on (code, subject_key) and stale ones deleted.
   * Returns the number of flags, or null when the tender is not closed (nothing to judge yet).
   */
  async recompute(tenderId: string): Promise<number | null> {
    return this.dataSource.transaction(async (manager) => {
      // Locks the tender's run row: a wish the sweep adds meanwhile waits, and is seen by the next run.
      const [run] = await manager.query<{ wanted_idx: string }[]>(
        `INSERT INTO red_flag_runs (tender_id) VALUES ($1)
           ON CONFLICT (tender_id) DO UPDATE SET tender_id = EXCLUDED.tender_id
         RETURNING wanted_idx::text`,
        [tenderId],
      );
      const facts = await this.readFacts(manager, tenderId);
      if (!facts) {
        await manager.query(`DELETE FROM red_flag_runs WHERE tender_id = $1`, [tenderId]);
        return null;
      }
      const flags = computeRedFlags(facts.facts, {
        openTenderMinWorkingDays: this.config.OPEN_TENDER_MIN_WORKING_DAYS,
      });
      const rows = flags.map((f) => ({
        code: f.code,
        subject_key: subjectKey(f.subject),
        lot_id: f.subject.lotId,
        award_id: f.subject.awardId,
        supplier_id: f.subject.supplierId,
        figures: f.figures,
      }));
      await manager.query(
        `DELETE FROM red_flags WHERE tender_id = $1 AND NOT (code || '|' || subject_key = ANY($2::text[]))`,
        [tenderId, rows.map((r) => `${r.code}|${r.subject_key}`)],
      );
      if (rows.length > 0) {
        await manager.query(
          `INSERT INTO red_flags (code, subject_key, tender_id, lot_id, award_id, buyer_id, supplier_id, city_id, figures)
           SELECT r.code, r.subject_key, $2, r.lot_id, r.award_id, $3, r.supplier_id, $4, r.figures
             FROM jsonb_to_recordset($1::jsonb)
                  AS r(code text, subject_key text, lot_id uuid, award_id uuid, supplier_id uuid, figures jsonb)
           ON CONFLICT (code, subject_key) DO UPDATE
              SET figures = EXCLUDED.figures, supplier_id = EXCLUDED.supplier_id, computed_at = now()
              -- A flag recomputed unchanged keeps its time: the auditors' list is paged on it.
              WHERE (red_flags.figures, red_flags.supplier_id) IS DISTINCT FROM (EXCLUDED.figures, EXCLUDED.supplier_id)`,
          [JSON.stringify(rows), tenderId, facts.facts.buyerId, facts.cityId],
        );
      }
      await manager.query(
        // The wish may name another tender's entry (a direct purchase's change, for SPLIT_DIRECT_PURCHASES).
        `UPDATE red_flag_runs SET done_idx = GREATEST(done_idx, $2, $3), computed_at = now() WHERE tender_id = $1`,
        [tenderId, facts.loggedIdx, run?.wanted_idx ?? '-1'],
      );
      return rows.length;
    });
  }

  /**
   * Follows the deal log: reads up to `scan` entries after the stored watermark, marks the closed tenders among
   * them as wanting flags up to their latest entry, and moves the watermark past them, in one transaction (a
   * second sweep at once waits for the cursor row). Then returns the tenders whose flags lag behind, oldest
   * wish first, with the log index wanted (for a deterministic job id). A lost job is found again here, because
   * the wish stays in the database until a recomputation fulfils it.
   */
  async sweep(scan: number, limit: number): Promise<{ tenderId: string; wantedIdx: string }[]> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO analytics_cursors (name, position) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING`,
        [RED_FLAGS_CURSOR],
      );
      const [cursor] = await manager.query<{ position: string }[]>(
        `SELECT position::text FROM analytics_cursors WHERE name = $1 FOR UPDATE`,
        [RED_FLAGS_CURSOR],
      );
      const [moved] = await manager.query<{ next: string | null }[]>(
        `WITH scanned AS (
           SELECT idx, tender_id FROM log_entries WHERE idx >= $1 ORDER BY idx LIMIT $2
         ), touched AS (
           SELECT s.tender_id, max(s.idx) AS idx FROM scanned s
             JOIN tenders t ON t.id = s.tender_id AND t.closed_at IS NOT NULL
            GROUP BY s.tender_id
         ), later_direct AS (
           -- A direct purchase's change (a cancellation) can change SPLIT_DIRECT_PURCHASES of the organiser's direct
           -- purchases reported in the window after it, which have no entry of their own to be swept for.
           SELECT l.id AS tender_id, tt.idx FROM touched tt
             JOIN tenders d ON d.id = tt.tender_id AND d.method = 'direct'
             JOIN tenders l ON l.organizer_id = d.organizer_id AND l.method = 'direct' AND l.id <> d.id
                           AND l.closed_at IS NOT NULL AND l.published_at >= d.published_at
                           AND l.published_at < d.published_at + make_interval(days => $3)
         ), wanted AS (
           INSERT INTO red_flag_runs (tender_id, wanted_idx)
           SELECT tender_id, max(idx) FROM (SELECT * FROM touched UNION ALL SELECT * FROM later_direct) w
            GROUP BY tender_id
           ON CONFLICT (tender_id) DO UPDATE SET wanted_idx = GREATEST(red_flag_runs.wanted_idx, EXCLUDED.wanted_idx)
           RETURNING 1
         )
         SELECT (max(idx) + 1)::text AS next FROM scanned`,
        [cursor!.position, scan, SPLIT_WINDOW_DAYS],
      );
      if (moved?.next) {
        await manager.query(`UPDATE analytics_cursors SET position = $2, moved_at = now() WHERE name = $1`, [
          RED_FLAGS_CURSOR,
          moved.next,
        ]);
      }
    });
    return this.dataSource.query(
      `SELECT tender_id AS "tenderId", wanted_idx::text AS "wantedIdx" FROM red_flag_runs
        WHERE wanted_idx > done_idx ORDER BY wanted_idx LIMIT $1`,
      [limit],
    );
  }

  /** Auditors' list, newest computed first, keyset-paginated over (computed_at, id). */
  async list(filter: RedFlagFilter): Promise<Page<RedFlagView>> {
    const limit = filter.limit ?? DEFAULT_PAGE_SIZE;
    const after = filter.cursor ? decodeCursor(filter.cursor, ['instant', 'uuid']) : null;
    const rows = await this.dataSource.query<FlagRow[]>(
      `SELECT ${VIEW_COLUMNS} FROM red_flags
        WHERE ($1::text IS NULL OR code = $1) AND ($2::uuid IS NULL OR city_id = $2)
          AND ($3::uuid IS NULL OR buyer_id = $3) AND ($4::uuid IS NULL OR supplier_id = $4)
          AND ($5::timestamptz IS NULL OR computed_at >= $5) AND ($6::timestamptz IS NULL OR computed_at < $6)
          AND ($7::timestamptz IS NULL OR (computed_at, id) < ($7::timestamptz, $8::uuid))
        ORDER BY computed_at DESC, id DESC
        LIMIT $9`,
      [
        filter.code ?? null,
        filter.cityId ?? null,
        filter.buyerId ?? null,
        filter.supplierId ?? null,
        filter.from ?? null,
        filter.to ?? null,
        after ? String(after[0]) : null,
        after ? String(after[1]) : null,
        limit + 1,
      ],
    );
    const page = toPage(rows, limit, (r) => [r.cursorAt, r.id]);
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }

  /** Flags of one published tender, for its public page. */
  async forTender(tenderId: string): Promise<RedFlagView[]> {
    const [tender] = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM tenders WHERE id = $1 AND published_at IS NOT NULL`,
      [tenderId],
    );
    if (!tender) throw new TenderNotFoundError(`No published tender ${tenderId}`, { tenderId });
    const rows = await this.dataSource.query<FlagRow[]>(
      `SELECT ${VIEW_COLUMNS} FROM red_flags WHERE tender_id = $1 ORDER BY code, subject_key`,
      [tenderId],
    );
    return rows.map(toView);
  }

  /**
   * Per single-item lot, the latest month of statistics for the same catalogue item (else CPV roll-up key), unit,
   * currency and delivery city, with enough purchases to judge: one query for all the lots.
   */
  private async markets(
    manager: EntityManager,
    items: SingleItem[],
    currency: string,
  ): Promise<Map<string, MarketPrices>> {
    if (items.length === 0) return new Map();
    const rows = await manager.query<
      {
        lot_id: string;
        city_id: string;
        kind: string;
        subject: string;
        month: string;
        count: number;
        q1: string;
        q3: string;
      }[]
    >(
      `SELECT i.lot_id, i.city_id, m.kind, m.subject, to_char(m.month, 'YYYY-MM') AS month, m.count,
              m.q1::text, m.q3::text
         FROM jsonb_to_recordset($1::jsonb) AS i(lot_id uuid, item text, cpv text, unit text, city_id uuid)
         CROSS JOIN LATERAL (
           SELECT kind, subject, month, count, q1, q3 FROM price_stats
            WHERE ((kind = 'item' AND subject = i.item) OR (kind = 'cpv' AND subject = i.cpv))
              AND unit_code = i.unit AND currency = $2 AND geo = i.city_id::text AND count >= $3
            ORDER BY kind = 'item' DESC, month DESC
            LIMIT 1
         ) m`,
      [
        JSON.stringify(
          items.map((item) => ({
            lot_id: item.lot_id,
            item: item.catalog_item_id ?? '',
            cpv: cpvKey(item.cpv_code),
            unit: item.unit_code,
            city_id: item.delivery_city_id,
          })),
        ),
        currency,
        MIN_MARKET_COUNT,
      ],
    );
    return new Map(
      rows.map((row) => [
        row.lot_id,
        {
          source: { kind: row.kind, subject: row.subject, cityId: row.city_id, month: row.month },
          count: row.count,
          q1: row.q1,
          q3: row.q3,
        },
      ]),
    );
  }

  /**
   * A direct purchase's CPV classes, and the organiser's other direct purchases (reported, not cancelled, in its
   * currency) in the SPLIT_WINDOW_DAYS up to it with an item of one of those classes. Read from the organiser's
   * tenders (ix_tenders_organizer_created).
   */
  private async directSiblings(
    manager: EntityManager,
    tenderId: string,
  ): Promise<{ directSiblings: { tenderId: string; value: string }[]; cpvClasses: string[] }> {
    const [row] = await manager.query<
      { classes: string[]; siblings: { tenderId: string; value: string }[] }[]
    >(
      `WITH me AS (SELECT id, organizer_id, currency, published_at FROM tenders WHERE id = $1),
            classes AS (SELECT DISTINCT left(i.cpv_code, $2) AS c FROM tender_items i WHERE i.tender_id = $1)
       SELECT (SELECT coalesce(array_agg(c ORDER BY c), '{}') FROM classes) AS classes,
              (SELECT coalesce(jsonb_agg(jsonb_build_object('tenderId', t.id, 'value', t.value::numeric(15,2)::text)
                        ORDER BY t.published_at, t.id), '[]')
                 FROM me JOIN tenders t ON t.organizer_id = me.organizer_id
                WHERE t.method = 'direct' AND t.id <> me.id AND t.status NOT IN ('draft', 'cancelled')
                  AND t.currency = me.currency
                  AND t.published_at > me.published_at - make_interval(days => $3) AND t.published_at <= me.published_at
                  AND EXISTS (SELECT 1 FROM tender_items i WHERE i.tender_id = t.id
                                 AND left(i.cpv_code, $2) IN (SELECT c FROM classes))) AS siblings`,
      [tenderId, CPV_CLASS_DIGITS, SPLIT_WINDOW_DAYS],
    );
    return { directSiblings: row?.siblings ?? [], cpvClasses: row?.classes ?? [] };
  }

  private async readFacts(
    manager: EntityManager,
    tenderId: string,
  ): Promise<{ facts: TenderFacts; cityId: string; loggedIdx: string } | null> {
    const [tender] = await manager.query<TenderRow[]>(
      `SELECT t.id, t.currency, t.organizer_id, t.method, c.country, c.id AS city_id,
              to_char(coalesce(t.enquiry_end, t.published_at) AT TIME ZONE c.time_zone, 'YYYY-MM-DD')
                AS bidding_opened_on,
              -- A deadline at local midnight ends the day before (as at publication: assertSubmissionPeriod).
              to_char((t.tender_end - interval '1 microsecond') AT TIME ZONE c.time_zone, 'YYYY-MM-DD')
                AS tender_end_on,
              (SELECT COALESCE(max(e.idx), -1)::text FROM log_entries e WHERE e.tender_id = t.id) AS logged_idx
         FROM tenders t
         JOIN organizations o ON o.id = t.organizer_id
         JOIN cities c ON c.id = o.city_id
        WHERE t.id = $1 AND t.closed_at IS NOT NULL`,
      [tenderId],
    );
    if (!tender) return null;
    const lots = await manager.query<{ id: string; estimate: string }[]>(
      // A lot cancelled (before or after the closing) is nobody's purchase: its bids raise no flag.
      `SELECT id, estimate::text FROM lots WHERE tender_id = $1 AND status <> 'cancelled' ORDER BY number`,
      [tenderId],
    );
    const bids = await manager.query<
      {
        lot_id: string;
        bid_id: string;
        supplier_id: string;
        price: string;
        evaluated_price: string | null;
        auction_priced: boolean;
      }[]
    >(
      `SELECT bl.lot_id, b.id AS bid_id, b.supplier_id, bl.price::text, bl.evaluated_price::text,
              bl.auction_bid_at IS NOT NULL AS auction_priced
         FROM bids b JOIN bid_lots bl ON bl.bid_id = b.id
        WHERE b.tender_id = $1 AND b.status = 'opened'
        ORDER BY bl.price, b.id`,
      [tenderId],
    );
    const awards = await manager.query<
      (Omit<FlagAward, 'awardId' | 'bidId' | 'supplierId'> & {
        id: string;
        lot_id: string;
        bid_id: string | null;
        supplier_id: string;
      })[]
    >(
      `SELECT id, lot_id, bid_id, supplier_id, status, amount::text, declined FROM awards WHERE tender_id = $1
        ORDER BY created_at, id`,
      [tenderId],
    );
    const items = await manager.query<SingleItem[]>(
      `SELECT lot_id, quantity::text, cpv_code, catalog_item_id, unit_code, delivery_city_id FROM tender_items
        WHERE tender_id = $1 AND lot_id IN (SELECT lot_id FROM tender_items WHERE tender_id = $1
                                             GROUP BY lot_id HAVING count(*) = 1)`,
      [tenderId],
    );
    const markets = await this.markets(manager, items, tender.currency);
    const flagLots: FlagLot[] = lots.map((lot) => ({
      lotId: lot.id,
      estimate: lot.estimate,
      quantity: items.find((i) => i.lot_id === lot.id)?.quantity ?? null,
      market: markets.get(lot.id),
      bids: bids
        .filter((b) => b.lot_id === lot.id)
        .map((b) => ({
          bidId: b.bid_id,
          supplierId: b.supplier_id,
          price: b.price,
          evaluatedPrice: b.evaluated_price,
          auctionPriced: b.auction_priced,
        })),
      awards: awards
        .filter((a) => a.lot_id === lot.id)
        .map((a) => ({
          awardId: a.id,
          bidId: a.bid_id,
          supplierId: a.supplier_id,
          status: a.status,
          amount: a.amount,
          declined: a.declined,
        })),
    }));
    return {
      facts: {
        tenderId,
        buyerId: tender.organizer_id,
        method: tender.method,
        country: tender.country,
        calendarYears: tender.bidding_opened_on
          ? await operatorCalendarYears(
              manager,
              tender.country,
              Number(tender.bidding_opened_on.slice(0, 4)),
              Number(tender.tender_end_on.slice(0, 4)),
            )
          : [],
        biddingOpenedOn: tender.bidding_opened_on,
        tenderEndOn: tender.tender_end_on,
        lots: flagLots,
        ...(tender.method === 'direct' ? await this.directSiblings(manager, tenderId) : {}),
        currency: tender.currency,
      },
      cityId: tender.city_id,
      loggedIdx: tender.logged_idx,
    };
  }
}

interface SingleItem {
  lot_id: string;
  quantity: string;
  cpv_code: string;
  catalog_item_id: string | null;
  unit_code: string;
  delivery_city_id: string;
}

function toView({ cursorAt: _cursorAt, ...row }: FlagRow): RedFlagView {
  return { ...row, computedAt: row.computedAt.toISOString() };
}
