import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PreparedStatement } from '../database/prepared-statement';
import { DealLogWriter, NewDealEvent } from '../deal-log/deal-log.writer';
import { describeRule, LocalPreference, Place, rankLot, RankedBid } from '../procurement/rules/ranking';
import { nextStatus } from '../procurement/rules/tender-state';

interface DueTender {
  id: string;
  organizer_id: string;
  min_bids: number;
  preference_scope: LocalPreference['scope'] | null;
  preference_percent: string | null;
  buyer_city_id: string;
  buyer_region: string;
  buyer_country: string;
}

interface OpenedBid {
  id: string;
  tender_id: string;
  supplier_id: string;
  status: string;
  submitted_at: Date;
  sequence: string;
  city_id: string;
  region: string;
  country: string;
}

/** A bid as the single read returns it (JSON): the instant as ISO text. */
type OpenedBidRow = Omit<OpenedBid, 'submitted_at'> & { submitted_at: string };

interface LotRow {
  id: string;
  tender_id: string;
  number: number;
}

interface BidLotRow {
  bid_id: string;
  lot_id: string;
  price: string;
}

export interface ClosingResult {
  closed: { tenderId: string; status: string }[];
}

/** A tender (alias t) due to be closed: overdue, and not held by an unanswered question (read by ix_tenders_closing_due). */
const DUE = `t.status = 'active.tendering' AND t.tender_end <= clock_timestamp()
  AND NOT EXISTS (SELECT 1 FROM tender_questions q WHERE q.tender_id = t.id AND q.answered_at IS NULL)`;

const ISO_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** $1: the tenders to move, or null for every one due (read by ix_tenders_tendering_due). */
const START_TENDERING = new PreparedStatement(
  'start-tendering',
  `
WITH started AS (
  UPDATE tenders t SET status = 'active.tendering', updated_at = now()
   WHERE t.status = 'active.enquiries' AND t.enquiry_end <= clock_timestamp()
     AND ($1::uuid[] IS NULL OR t.id = ANY($1::uuid[]))
  RETURNING t.id, t.tender_start, t.tender_end)
${DealLogWriter.insertFrom(`
  SELECT 'tender.tendering' AS type, id AS tender_id, NULL::uuid AS actor_id,
         jsonb_build_object('status', 'active.tendering', 'tenderPeriod', jsonb_build_object(
           'startDate', to_char(tender_start AT TIME ZONE 'UTC', ${ISO_MS}),
           'endDate', to_char(tender_end AT TIME ZONE 'UTC', ${ISO_MS}))) AS payload,
         NULL::jsonb AS sealed_payload
    FROM started`)}
RETURNING tender_id`,
);

/**
 * Closes tenders whose deadline has passed, exactly once: the tender rows are claimed with
 * FOR UPDATE SKIP LOCKED and change status in the same transaction that opens, ranks and awards, so two
 * closers (a delayed job and the sweep, or two workers) never close the same tender twice.
 * A tender with an unanswered question waits; its view says why.
 */
@Injectable()
export class TenderClosingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: DealLogWriter,
  ) {}

  /**
   * Closes up to `limit` overdue tenders in one transaction: any of them, or only `tenderIds`, or - with
   * `fill` - those first and then as many other overdue tenders as still fit. A burst of close-tender jobs fills
   * its transactions, so the closing of a storm runs at the database's pace, not at the pace jobs are fetched.
   */
  async closeDue(
    limit: number,
    tenderIds?: string[],
    options: { fill?: boolean } = {},
  ): Promise<ClosingResult> {
    return this.dataSource.transaction(async (manager) => {
      const tenders = await this.claim(manager, limit, tenderIds ?? null, null);
      if (options.fill && tenderIds && tenders.length < limit) {
        tenders.push(...(await this.claim(manager, limit - tenders.length, null, tenderIds)));
      }
      if (tenders.length === 0) return { closed: [] };
      return this.close(manager, tenders);
    });
  }

  /**
   * Moves tenders whose enquiry period has ended into tendering, each with its `tender.tendering` event: every
   * such tender, or only `tenderIds`. One statement; a tender already moved (by a concurrent call) is left
   * alone, so each moves exactly once. Returns the ids moved.
   */
  async startTendering(tenderIds?: string[]): Promise<string[]> {
    const rows = await START_TENDERING.run<{ tender_id: string }>(this.dataSource, [tenderIds ?? null]);
    return rows.map((r) => r.tender_id);
  }

  /** The ids of up to `limit` tenders whose enquiry period has ended, the longest ended first. */
  async tenderingDueIds(limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM tenders WHERE status = 'active.enquiries' AND enquiry_end <= clock_timestamp()
        ORDER BY enquiry_end LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** The ids of up to `limit` tenders due to be closed, the longest overdue first. */
  async dueIds(limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT t.id FROM tenders t WHERE ${DUE} ORDER BY t.tender_end LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** Whether some tender waits to be closed now: overdue, and not held by an unanswered question. */
  async anyDue(): Promise<boolean> {
    const [row] = await this.dataSource.query<{ due: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM tenders t WHERE ${DUE}) AS due`,
    );
    return row?.due === true;
  }

  /** Locks overdue tenders that no question holds: only `only` if given, never those in `except`. */
  private claim(
    manager: EntityManager,
    limit: number,
    only: string[] | null,
    except: string[] | null,
  ): Promise<DueTender[]> {
    return manager.query<DueTender[]>(
      `SELECT t.id, t.organizer_id, t.min_bids, t.preference_scope, t.preference_percent::text,
              c.id AS buyer_city_id, c.region AS buyer_region, c.country AS buyer_country
         FROM tenders t
         JOIN organizations o ON o.id = t.organizer_id
         JOIN cities c ON c.id = o.city_id
        WHERE ${DUE}
          AND ($2::uuid[] IS NULL OR t.id = ANY($2::uuid[]))
          AND ($3::uuid[] IS NULL OR t.id <> ALL($3::uuid[]))
        ORDER BY t.tender_end
        LIMIT $1
        FOR UPDATE OF t SKIP LOCKED`,
      [limit, only, except],
    );
  }

  private async close(manager: EntityManager, tenders: DueTender[]): Promise<ClosingResult> {
    const ids = tenders.map((t) => t.id);
    // One statement for every read: a closing storm is bound by round trips, not by the rows. It runs after the
    // claim, never inside it, so its snapshot sees every bid committed before the tender rows were locked.
    // The bids are materialised first so their lots are fetched by key, whatever the planner thinks of the sizes.
    // What ranking needs comes here; what opening reveals (content, salt, commitment) never leaves the database:
    // the write below logs it straight from the bid rows.
    const [read] = await manager.query<
      { held: string[]; bids: OpenedBidRow[]; bid_lots: BidLotRow[]; lots: LotRow[] }[]
    >(
      `WITH b AS MATERIALIZED (
         SELECT b.id, b.tender_id, b.supplier_id, b.status, b.submitted_at,
                b.sequence::text AS sequence, c.id AS city_id, c.region, c.country
           FROM bids b JOIN organizations o ON o.id = b.supplier_id JOIN cities c ON c.id = o.city_id
          WHERE b.tender_id = ANY($1::uuid[]) AND b.status IN ('active', 'pending_confirmation'))
       SELECT
         (SELECT coalesce(json_agg(DISTINCT q.tender_id), '[]') FROM tender_questions q
           WHERE q.tender_id = ANY($1::uuid[]) AND q.answered_at IS NULL) AS held,
         (SELECT coalesce(json_agg(b), '[]') FROM b) AS bids,
         (SELECT coalesce(json_agg(x), '[]') FROM (
            SELECT bl.bid_id, bl.lot_id, bl.price::text AS price FROM b JOIN bid_lots bl ON bl.bid_id = b.id
             WHERE b.status = 'active') x) AS bid_lots,
         (SELECT coalesce(json_agg(x ORDER BY x.number), '[]') FROM (
            SELECT id, tender_id, number FROM lots WHERE tender_id = ANY($1::uuid[]) AND status = 'active') x) AS lots`,
      [ids],
    );
    // A question committed after the claim's snapshot, but before the claim reached the tender row, was not seen
    // by it: such a tender is held after all (left as it is, for the sweep to find when the question is answered).
    const held = new Set(read?.held ?? []);
    if (held.size > 0) {
      const rest = tenders.filter((t) => !held.has(t.id));
      return rest.length > 0 ? this.close(manager, rest) : { closed: [] };
    }
    // JSON carries instants as ISO text; Date parses it to the millisecond, as the driver does for timestamptz.
    const bids: OpenedBid[] = (read?.bids ?? []).map((b) => ({
      ...b,
      submitted_at: new Date(b.submitted_at),
    }));
    const bidLots = read?.bid_lots ?? [];
    const lots = read?.lots ?? [];
    const bidsByTender = groupBy(bids, (b) => b.tender_id);
    const lotsByTender = groupBy(lots, (l) => l.tender_id);
    const bidLotsByLot = groupBy(bidLots, (bl) => bl.lot_id);

    const events: NewDealEvent[] = [];
    const rankings: {
      bid_id: string;
      lot_id: string;
      evaluated_price: string;
      rank: number;
      preference: boolean;
    }[] = [];
    const awards: {
      id: string;
      tender_id: string;
      lot_id: string;
      bid_id: string;
      supplier_id: string;
      amount: string;
    }[] = [];
    const failedLots: string[] = [];
    const statuses: { id: string; status: string }[] = [];

    for (const tender of tenders) {
      const tenderBids = bidsByTender.get(tender.id) ?? [];
      const preference =
        tender.preference_scope && tender.preference_percent
          ? { scope: tender.preference_scope, percent: tender.preference_percent }
          : null;
      const buyerPlace: Place = {
        cityId: tender.buyer_city_id,
        region: tender.buyer_region,
        country: tender.buyer_country,
      };
      const bidsById = new Map(tenderBids.map((b) => [b.id, b]));
      const lotResults = (lotsByTender.get(tender.id) ?? []).map((lot) => {
        const ranked = this.rank(bidLotsByLot.get(lot.id) ?? [], bidsById, buyerPlace, preference);
        const enough = ranked.length >= tender.min_bids && ranked.length > 0;
        for (const r of ranked) {
          rankings.push({
            bid_id: r.bidId,
            lot_id: lot.id,
            evaluated_price: r.evaluatedPrice,
            rank: r.rank,
            preference: r.preferenceApplied,
          });
        }
        const best = ranked[0];
        if (enough && best) {
          awards.push({
            id: randomUUID(),
            tender_id: tender.id,
            lot_id: lot.id,
            bid_id: best.bidId,
            supplier_id: best.supplierId,
            amount: best.price,
          });
        } else {
          failedLots.push(lot.id);
        }
        return {
          lotId: lot.id,
          status: enough ? 'active' : 'unsuccessful',
          ...(enough ? {} : { reason: `fewer than ${tender.min_bids} bid(s)` }),
          bids: ranked.length,
          ranking: ranked.map((r) => ({
            rank: r.rank,
            bidId: r.bidId,
            supplierId: r.supplierId,
            price: r.price,
            evaluatedPrice: r.evaluatedPrice,
            preferenceApplied: r.preferenceApplied,
          })),
        };
      });
      const anyLotAwarded = lotResults.some((l) => l.status === 'active');
      const status = nextStatus('active.tendering', 'close', { anyLotAwarded });
      statuses.push({ id: tender.id, status });
      events.push({
        type: 'tender.closed',
        tenderId: tender.id,
        actorId: null,
        payload: { status, rule: describeRule(preference), minBids: tender.min_bids, lots: lotResults },
      });
    }
    for (const award of awards) {
      events.push({
        type: 'award.pending',
        tenderId: award.tender_id,
        actorId: null,
        payload: {
          awardId: award.id,
          lotId: award.lot_id,
          bidId: award.bid_id,
          supplierId: award.supplier_id,
          // The amount as the numeric(15,2) column spells it: prices are read as that same column type.
          amount: award.amount,
          rank: 1,
        },
      });
    }

    // Every write in one statement (the tables differ, so the data-modifying CTEs never touch the same row).
    // Every sealed bid is opened, so anyone can check it against the commitment logged before the deadline: its
    // bid.opened event is written from the row as it was before this statement (all CTEs share one snapshot),
    // ahead of the closing's other events, tender by tender in the order the bids were placed.
    await manager.query(
      `WITH opened AS (
         UPDATE bids SET status = CASE WHEN status = 'active' THEN 'opened' ELSE 'dropped' END, opened_at = now()
          WHERE tender_id = ANY($1::uuid[]) AND status IN ('active', 'pending_confirmation')
       ), revealed AS (
         ${DealLogWriter.insertFrom(
           `SELECT 'bid.opened' AS type, b.tender_id, b.supplier_id AS actor_id,
                   jsonb_build_object('bidId', b.id, 'supplierId', b.supplier_id, 'content', b.content,
                                      'salt', b.salt, 'commitment', b.commitment,
                                      'status', CASE WHEN b.status = 'active' THEN 'opened' ELSE 'dropped' END)
                   || CASE WHEN b.status = 'active' THEN '{}'::jsonb
                           ELSE '{"reason": "not confirmed after an amendment of terms"}'::jsonb END AS payload,
                   NULL::jsonb AS sealed_payload
              FROM bids b
             WHERE b.tender_id = ANY($1::uuid[]) AND b.status IN ('active', 'pending_confirmation')
             ORDER BY b.tender_id, b.sequence`,
         )}
       ), ranked AS (
         UPDATE bid_lots bl SET evaluated_price = r.evaluated_price, rank = r.rank, preference_applied = r.preference
           FROM jsonb_to_recordset($2::jsonb)
             AS r(bid_id uuid, lot_id uuid, evaluated_price numeric, rank int, preference boolean)
          WHERE bl.bid_id = r.bid_id AND bl.lot_id = r.lot_id
       ), failed AS (
         UPDATE lots SET status = 'unsuccessful', status_reason = 'too few bids' WHERE id = ANY($3::uuid[])
       ), awarded AS (
         INSERT INTO awards (id, tender_id, lot_id, bid_id, supplier_id, amount, rank, status)
         SELECT a.id, a.tender_id, a.lot_id, a.bid_id, a.supplier_id, a.amount, 1, 'pending'
           FROM jsonb_to_recordset($4::jsonb)
             AS a(id uuid, tender_id uuid, lot_id uuid, bid_id uuid, supplier_id uuid, amount numeric)
       )
       UPDATE tenders t SET status = s.status, closed_at = now(), updated_at = now()
         FROM jsonb_to_recordset($5::jsonb) AS s(id uuid, status text) WHERE t.id = s.id`,
      [ids, JSON.stringify(rankings), failedLots, JSON.stringify(awards), JSON.stringify(statuses)],
    );
    await this.log.appendMany(manager, events);
    return { closed: statuses.map((s) => ({ tenderId: s.id, status: s.status })) };
  }

  private rank(
    bidLots: BidLotRow[],
    bidsById: Map<string, OpenedBid>,
    buyerPlace: Place,
    preference: LocalPreference | null,
  ): RankedBid[] {
    const rankable = bidLots.flatMap((bl) => {
      const bid = bidsById.get(bl.bid_id);
      if (!bid) return [];
      return [
        {
          bidId: bid.id,
          supplierId: bid.supplier_id,
          price: bl.price,
          submittedAt: bid.submitted_at,
          sequence: Number(bid.sequence),
          supplierPlace: { cityId: bid.city_id, region: bid.region, country: bid.country },
        },
      ];
    });
    return rankLot(rankable, buyerPlace, preference);
  }
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}
