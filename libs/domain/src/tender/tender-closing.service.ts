import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PreparedStatement } from '../database/prepared-statement';
import { DealLogWriter } from '../deal-log/deal-log.writer';
import { describeRule, LocalPreference } from '../procurement/rules/ranking';
import { nextStatus, type TenderStatus } from '../procurement/rules/tender-state';
import { acceptAward, type AwardToAccept } from '../award/award-acceptance';
import { AppConfig } from '../config/app-config';
import { AuctionService } from '../auction/auction.service';
import { LOCAL_SUPPLIER } from './closing-sql';
import { advanceTender } from './tender-progress';

/** A claimed tender: what its published rule is made of (CLOSE_TENDERS reads the rest itself). */
interface DueTender {
  id: string;
  method: string;
  preference_scope: LocalPreference['scope'] | null;
  preference_percent: string | null;
}

export interface ClosingResult {
  closed: { tenderId: string; status: string }[];
}

/** A closing's work inside its transaction: what it closed, and the auctions it started (scheduled after commit). */
interface ClosingWork extends ClosingResult {
  auctions: { tenderId: string; auctionEnd: Date }[];
}

/**
 * A tender (alias t) due to be closed: overdue when the transaction began (now()), and not held by an unanswered
 * question (read by ix_tenders_closing_due). Not the clock of the moment: a closing takes its transaction id with
 * its first claim, and a bid takes its own before it reads the clock against the deadline, so every bid a closing
 * opens has the lower id and comes first in the deal log (which is in transaction-id order). A tender whose
 * deadline passed after the closing's transaction began waits for the next one.
 */
const DUE = `t.status = 'active.tendering' AND t.tender_end <= now()
  AND NOT EXISTS (SELECT 1 FROM tender_questions q WHERE q.tender_id = t.id AND q.answered_at IS NULL)`;

/** An electronic auction (alias t) whose end has passed when the transaction began: due to be closed. */
const AUCTION_DUE = `t.status = 'active.auction' AND t.auction_end <= now()`;

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
 * Locks up to $1 overdue tenders that no question holds, the longest overdue first: only those in $2 if not null,
 * never those in $3 (the closing-storm bench runs it as its raw baseline's claim).
 */
export const CLAIM_TENDERS = `
SELECT t.id, t.method, t.preference_scope, t.preference_percent::text
  FROM tenders t
 WHERE ${DUE}
   AND ($2::uuid[] IS NULL OR t.id = ANY($2::uuid[]))
   AND ($3::uuid[] IS NULL OR t.id <> ALL($3::uuid[]))
 ORDER BY t.tender_end
 LIMIT $1
   FOR UPDATE SKIP LOCKED`;

const AWARDED = nextStatus('active.tendering', 'close', { anyLotAwarded: true });
const QUALIFICATION: TenderStatus = 'active.qualification';
/** Where a quotation session goes once its award is accepted by the rule: every lot (its one lot) decided. */
const AUTOMATICALLY_AWARDED = nextStatus(QUALIFICATION, 'decideAward', {
  allLotsDecided: true,
  anyLotAwarded: true,
});
const UNSUCCESSFUL = nextStatus('active.tendering', 'close', { anyLotAwarded: false });
/** Where an electronic auction goes at its deadline when a lot has enough bids: its live auction. */
const AUCTION = nextStatus('active.tendering', 'close', { anyLotAwarded: true, auction: true });
// Invariant: an auction's end closes it to the statuses CLOSE_TENDERS writes at a deadline.
if (
  nextStatus('active.auction', 'finishAuction', { anyLotAwarded: true }) !== AWARDED ||
  nextStatus('active.auction', 'finishAuction', { anyLotAwarded: false }) !== UNSUCCESSFUL
) {
  throw new Error('an auction must end in the statuses of a closing');
}

/**
 * Whether the supplier of a sealed bid (alias b) may still win: an operator may have suspended it after it bid. Its
 * bid is opened all the same (its commitment is checked like any other) but dropped, out of the count and the
 * ranking: a suspended supplier can confirm no contract, and its award would only hold the lot up.
 */
const SUPPLIER_ACTIVE = `coalesce((SELECT o.status = 'active' FROM organizations o WHERE o.id = b.supplier_id), false)`;

/**
 * A sealed bid (alias s, with supplier_active and entered) that is opened to be ranked; any other is dropped. A bid
 * of an electronic auction has `entered` only if the auction took it in at the deadline (auction_participant).
 */
const RANKABLE = `(s.status = 'active' AND s.supplier_active AND s.entered)`;

/** Whether a bid (alias b) of a tender (`tender`: an alias with its auction_end) took part in its auction, if any. */
const entered = (tender: string) => `(${tender}.auction_end IS NULL OR b.auction_participant IS NOT NULL)`;

/** Opens the sealed bids (alias s; active or awaiting confirmation): those not RANKABLE are dropped. */
const OPEN_SEALED = `UPDATE bids b SET status = CASE WHEN ${RANKABLE} THEN 'opened' ELSE 'dropped' END,
    opened_at = now()
    FROM sealed s WHERE b.id = s.id`;

/** The public payload of a bid.opened event, from a sealed bid (alias s), as docs/transparency.md gives it. */
const BID_OPENED_PAYLOAD = `jsonb_build_object('bidId', s.id, 'supplierId', s.supplier_id, 'content', s.content,
               'salt', s.salt, 'commitment', s.commitment,
               'status', CASE WHEN ${RANKABLE} THEN 'opened' ELSE 'dropped' END)
             || CASE WHEN ${RANKABLE} THEN '{}'::jsonb
                     WHEN s.status <> 'active' THEN '{"reason": "not confirmed after an amendment of terms"}'::jsonb
                     WHEN NOT s.entered THEN
                       '{"reason": "left out of the auction: its supplier was suspended at the deadline"}'::jsonb
                     ELSE '{"reason": "the supplier is suspended"}'::jsonb END`;

/**
 * A tender ($1, locked) cancelled after its deadline (by the clock once the tender's lock is held, so a cancellation
 * that waited for it behind a bid racing the deadline counts as late) and before the worker closed it
 * - the closing waits for every question to be answered - or during its electronic auction, has its bids opened
 * all the same: every bid is opened at the deadline (an auction's at its end), and a cancellation must not keep
 * the bids that arrived in time sealed for good. Opened (or dropped)
 * with the same events as at a closing, in commit order, and the tender's closed_at says when; nothing is ranked or
 * awarded. A tender cancelled before its deadline keeps its bids sealed.
 */
export const OPEN_BIDS_ON_LATE_CANCELLATION = `
WITH late AS (
  UPDATE tenders t SET closed_at = clock_timestamp()
   WHERE t.id = $1 AND t.status IN ('active.tendering', 'active.auction') AND t.tender_end <= clock_timestamp()
     AND t.closed_at IS NULL
  RETURNING t.id, t.auction_end
), sealed AS MATERIALIZED (
  SELECT b.id, b.tender_id, b.supplier_id, b.status, b.sequence, b.content, b.salt, b.commitment,
         ${SUPPLIER_ACTIVE} AS supplier_active, ${entered('t')} AS entered
    FROM late t JOIN bids b ON b.tender_id = t.id AND b.status IN ('active', 'pending_confirmation')
), opened AS (
  ${OPEN_SEALED}
)
${DealLogWriter.insertFrom(`
  SELECT 'bid.opened' AS type, s.tender_id, s.supplier_id AS actor_id, ${BID_OPENED_PAYLOAD} AS payload,
         NULL::jsonb AS sealed_payload
    FROM sealed s ORDER BY s.sequence`)}`;

/**
 * The closing of claimed tenders ($1, locked by the claim; $2 each one's published rule, from describeRule), as
 * rankLot ranks, in one statement (the closing-storm bench runs it in its raw baseline). Every sealed bid is
 * opened, so anyone can check it against the commitment logged before the deadline; bids still awaiting
 * confirmation, and bids of a supplier suspended since it bid, are dropped. Each active lot ranks its opened bids by exact evaluated price (price x (10000 -
 * preference in hundredths of a percent), compared unrounded), then the earlier bid to the millisecond, the lower
 * commit sequence and the lower bid id in code-unit order; the evaluated price shown is rounded half-up to the
 * cent in integers, so no division rounds twice. A lot with fewer than max(min_bids, 1) bids is unsuccessful;
 * otherwise its first bid gets a pending award. An electronic auction whose lots have enough bids is not closed at
 * its deadline but starts its live auction (AuctionService.start), its bids still sealed; it is closed by this
 * statement at the auction's end, each bid lot at its last price (bid_lots.price), a tie going to the price offered
 * first (auction_bid_at, or the bid's submission). A tender held by an unanswered question (one committed after the
 * claim's snapshot) is left as it was. All CTEs share one snapshot and touch different rows; the events go in
 * claim order: every bid.opened (by commit sequence), every tender.closed, every award.pending.
 */
export const CLOSE_TENDERS = `
WITH due AS MATERIALIZED (
  SELECT t.id, x.ord, x.rule, t.min_bids, t.auction_end, t.preference_scope AS scope,
         CASE WHEN t.preference_scope IS NULL THEN 0 ELSE (coalesce(t.preference_percent, 0) * 100)::int END AS discount,
         c.id AS city_id, c.region, upper(c.country) AS country
    FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS x(id, rule, ord)
    JOIN tenders t ON t.id = x.id
    JOIN organizations o ON o.id = t.organizer_id
    JOIN cities c ON c.id = o.city_id
   WHERE NOT EXISTS (SELECT 1 FROM tender_questions q WHERE q.tender_id = t.id AND q.answered_at IS NULL)
), sealed AS MATERIALIZED (
  SELECT b.id, b.tender_id, d.ord, b.supplier_id, b.status, b.sequence, b.submitted_at, b.content, b.salt,
         b.commitment, d.discount, ${SUPPLIER_ACTIVE} AS supplier_active, ${entered('d')} AS entered,
         -- The supplier's place is looked up only where a preference applies.
         ${LOCAL_SUPPLIER} AS local
    FROM due d
    JOIN bids b ON b.tender_id = d.id AND b.status IN ('active', 'pending_confirmation')
), opened AS (
  ${OPEN_SEALED}
), ranked AS MATERIALIZED (
  SELECT r.*, div(r.scaled * 100 + 5000, 10000) * 0.01 AS evaluated,
         row_number() OVER (PARTITION BY r.lot_id
                            ORDER BY r.scaled, date_trunc('milliseconds', r.priced_at), r.sequence,
                                     r.bid_id::text COLLATE "C") AS rank
    FROM (
      SELECT bl.bid_id, bl.lot_id, l.tender_id, s.supplier_id, s.sequence, bl.price, s.local,
             coalesce(bl.auction_bid_at, s.submitted_at) AS priced_at,
             bl.price * (10000 - CASE WHEN s.local THEN s.discount ELSE 0 END) AS scaled
        FROM sealed s
        JOIN bid_lots bl ON bl.bid_id = s.id
        JOIN lots l ON l.id = bl.lot_id AND l.tender_id = s.tender_id AND l.status = 'active'
       WHERE ${RANKABLE}) r
), evaluated AS (
  UPDATE bid_lots bl SET evaluated_price = r.evaluated, rank = r.rank, preference_applied = r.local
    FROM ranked r WHERE bl.bid_id = r.bid_id AND bl.lot_id = r.lot_id
), lot_results AS MATERIALIZED (
  SELECT l.id AS lot_id, l.tender_id, l.number, d.min_bids, coalesce(r.bids, 0) AS bids,
         coalesce(r.bids, 0) >= greatest(d.min_bids, 1) AS enough, coalesce(r.ranking, '[]') AS ranking
    FROM due d
    JOIN lots l ON l.tender_id = d.id AND l.status = 'active'
    LEFT JOIN (
      SELECT lot_id, count(*)::int AS bids,
             jsonb_agg(jsonb_build_object('rank', rank, 'bidId', bid_id, 'supplierId', supplier_id,
                                          'price', price::text, 'evaluatedPrice', evaluated::text,
                                          'preferenceApplied', local) ORDER BY rank) AS ranking
        FROM ranked GROUP BY lot_id
    ) r ON r.lot_id = l.id
), failed AS (
  UPDATE lots l SET status = 'unsuccessful', status_reason = 'too few bids'
    FROM lot_results lr WHERE l.id = lr.lot_id AND NOT lr.enough
), awarded AS (
  INSERT INTO awards (tender_id, lot_id, bid_id, supplier_id, amount, rank, status)
  SELECT r.tender_id, r.lot_id, r.bid_id, r.supplier_id, r.price, 1, 'pending'
    FROM ranked r JOIN lot_results lr ON lr.lot_id = r.lot_id
   WHERE r.rank = 1 AND lr.enough
  RETURNING id, tender_id, lot_id, bid_id, supplier_id, amount
), tender_results AS MATERIALIZED (
  SELECT d.id, d.ord, d.rule, d.min_bids,
         CASE WHEN coalesce(bool_or(lr.enough), false) THEN '${AWARDED}' ELSE '${UNSUCCESSFUL}' END AS status,
         coalesce(jsonb_agg(
           jsonb_build_object('lotId', lr.lot_id, 'status', CASE WHEN lr.enough THEN 'active' ELSE 'unsuccessful' END,
                              'bids', lr.bids, 'ranking', lr.ranking)
           || CASE WHEN lr.enough THEN '{}'::jsonb
                   ELSE jsonb_build_object('reason', 'fewer than ' || lr.min_bids || ' bid(s)') END
           ORDER BY lr.number) FILTER (WHERE lr.lot_id IS NOT NULL), '[]') AS lots
    FROM due d LEFT JOIN lot_results lr ON lr.tender_id = d.id
   GROUP BY d.id, d.ord, d.rule, d.min_bids
), closed AS (
  UPDATE tenders t SET status = tr.status, closed_at = now(), updated_at = now()
    FROM tender_results tr WHERE t.id = tr.id
  RETURNING t.id, tr.status
), logged AS (
  ${DealLogWriter.insertFrom(`
  SELECT e.type, e.tender_id, e.actor_id, e.payload, NULL::jsonb AS sealed_payload
    FROM (
      SELECT 1 AS part, s.ord, s.sequence::numeric AS k, 'bid.opened' AS type, s.tender_id,
             s.supplier_id AS actor_id,
             ${BID_OPENED_PAYLOAD} AS payload
        FROM sealed s
      UNION ALL
      SELECT 2, tr.ord, 0, 'tender.closed', tr.id, NULL::uuid,
             jsonb_build_object('status', tr.status, 'rule', tr.rule, 'minBids', tr.min_bids, 'lots', tr.lots)
        FROM tender_results tr
      UNION ALL
      SELECT 3, d.ord, l.number, 'award.pending', a.tender_id, NULL::uuid,
             jsonb_build_object('awardId', a.id, 'lotId', a.lot_id, 'bidId', a.bid_id, 'supplierId', a.supplier_id,
                                'amount', a.amount::text, 'rank', 1)
        FROM awarded a JOIN due d ON d.id = a.tender_id JOIN lots l ON l.id = a.lot_id
    ) e
   ORDER BY e.part, e.ord, e.k`)}
)
SELECT id, status FROM closed`;

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
    private readonly config: AppConfig,
    private readonly auctions: AuctionService,
  ) {}

  /** Whether a tender is due to close: in tendering, past its deadline, no question holding it. */
  async isDue(tenderId: string): Promise<boolean> {
    const [row] = await this.dataSource.query<{ due: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM tenders t WHERE t.id = $1 AND ${DUE}) AS due`,
      [tenderId],
    );
    return row?.due === true;
  }

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
    const work = await this.dataSource.transaction(async (manager): Promise<ClosingWork> => {
      const tenders = await this.claim(manager, limit, tenderIds ?? null, null);
      if (options.fill && tenderIds && tenders.length < limit) {
        tenders.push(...(await this.claim(manager, limit - tenders.length, null, tenderIds)));
      }
      if (tenders.length === 0) return { closed: [], auctions: [] };
      return this.close(manager, tenders);
    });
    await this.auctions.scheduleEnds(work.auctions);
    return { closed: work.closed };
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

  /**
   * Whether some tender waits to be closed: overdue and not held by an unanswered question, or an auction past its
   * end; with `seconds`, only one whose deadline (or end) passed within them, a closing under way (a storm takes
   * seconds), not one that keeps failing or that the worker was away for.
   */
  async anyDue(seconds?: number): Promise<boolean> {
    const [row] = await this.dataSource.query<{ due: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM tenders t WHERE ${DUE}
          AND ($1::float8 IS NULL OR t.tender_end > now() - make_interval(secs => $1)))
          OR EXISTS (SELECT 1 FROM tenders t WHERE ${AUCTION_DUE}
          AND ($1::float8 IS NULL OR t.auction_end > now() - make_interval(secs => $1))) AS due`,
      [seconds ?? null],
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
    return manager.query<DueTender[]>(CLAIM_TENDERS, [limit, only, except]);
  }

  /**
   * A quotation session's lowest evaluated price wins automatically: the pending award the closing gave its lot is
   * accepted at once, in the closing's transaction, by the rule rather than by a person (`actorId` null, the event
   * says `automatic`), and the session moves on to active.awarded, its stand-still running. Returns the sessions
   * so awarded.
   */
  private async awardAutomatically(manager: EntityManager, tenderIds: string[]): Promise<string[]> {
    // Only where the winner and the buyer are both still active, read under a share lock so that a suspension
    // running now either commits first (and is seen) or waits for this closing: a suspended supplier could
    // confirm no contract, and a suspended buyer's tender takes no step on its own. Such an award stays pending,
    // for the buyer (once reinstated) to accept or reject - a rejection passes it to the next ranked bid.
    const awards = await manager.query<(AwardToAccept & { tender_id: string })[]>(
      `SELECT a.id, a.tender_id, a.lot_id, a.supplier_id, a.amount::text AS amount
         FROM awards a
         JOIN tenders t ON t.id = a.tender_id
         JOIN organizations s ON s.id = a.supplier_id
         JOIN organizations b ON b.id = t.organizer_id
        WHERE a.tender_id = ANY($1::uuid[]) AND a.status = 'pending' AND s.status = 'active' AND b.status = 'active'
        ORDER BY a.tender_id, a.lot_id
          FOR SHARE OF s, b`,
      [tenderIds],
    );
    for (const award of awards) {
      await acceptAward(manager, this.log, this.config.STANDSTILL_SECONDS, award.tender_id, award, null);
    }
    const accepted = [...new Set(awards.map((a) => a.tender_id))];
    for (const id of accepted) {
      await advanceTender(manager, this.log, { id, status: QUALIFICATION }, null);
    }
    return accepted;
  }

  /**
   * Opens, ranks and awards the claimed tenders in one set-based statement: the database does the whole closing
   * next to the rows, so a storm costs one round trip per batch and no row travels to this process and back.
   * The ranking is rankLot's (which the property tests check against a brute-force reference, and the closing
   * against rankLot); only the published rule text comes from here. At a deadline, an electronic auction with
   * enough bids starts its auction instead (its bids stay sealed); `afterAuction` closes auctions that have ended.
   */
  private async close(
    manager: EntityManager,
    claimed: DueTender[],
    afterAuction = false,
  ): Promise<ClosingWork> {
    const auctions = afterAuction
      ? []
      : await this.auctions.start(
          manager,
          claimed.filter((t) => t.method === 'auction').map((t) => t.id),
        );
    const started = new Set(auctions.map((a) => a.tenderId));
    const tenders = claimed.filter((t) => !started.has(t.id));
    const rules = tenders.map((t) =>
      describeRule(
        t.preference_scope && t.preference_percent
          ? { scope: t.preference_scope, percent: t.preference_percent }
          : null,
        { auction: afterAuction },
      ),
    );
    const rows =
      tenders.length === 0
        ? []
        : await manager.query<{ id: string; status: string }[]>(CLOSE_TENDERS, [
            tenders.map((t) => t.id),
            rules,
          ]);
    const statuses = new Map(rows.map((r) => [r.id, r.status]));
    for (const id of started) statuses.set(id, AUCTION);
    const quotations = tenders.filter(
      (t) => t.method === 'quotation' && statuses.get(t.id) === QUALIFICATION,
    );
    if (quotations.length > 0) {
      const awarded = await this.awardAutomatically(
        manager,
        quotations.map((t) => t.id),
      );
      for (const id of awarded) statuses.set(id, AUTOMATICALLY_AWARDED);
    }
    // In claim order; a tender held by a question committed after the claim's snapshot is left as it was.
    return {
      auctions,
      closed: claimed.flatMap((t) => {
        const status = statuses.get(t.id);
        return status ? [{ tenderId: t.id, status }] : [];
      }),
    };
  }

  /**
   * Closes up to `limit` electronic auctions whose end has passed (any, or only `tenderIds`), each exactly once:
   * claimed FOR UPDATE SKIP LOCKED under the status and end condition (a price takes the same row lock before it
   * reads the end), then opened, ranked on the last prices and awarded by CLOSE_TENDERS in the same transaction.
   */
  async finishAuctions(
    limit: number,
    tenderIds?: string[],
    options: { fill?: boolean } = {},
  ): Promise<ClosingResult> {
    return this.dataSource.transaction(async (manager) => {
      const claim = (n: number, only: string[] | null, except: string[] | null) =>
        manager.query<DueTender[]>(
          `SELECT t.id, t.method, t.preference_scope, t.preference_percent::text
             FROM tenders t
            WHERE ${AUCTION_DUE} AND ($2::uuid[] IS NULL OR t.id = ANY($2::uuid[]))
              AND ($3::uuid[] IS NULL OR t.id <> ALL($3::uuid[]))
            ORDER BY t.auction_end LIMIT $1
              FOR UPDATE SKIP LOCKED`,
          [n, only, except],
        );
      const claimed = await claim(limit, tenderIds ?? null, null);
      // Many auctions started by one closing end together: one job's transaction takes the others due too.
      if (options.fill && tenderIds && claimed.length < limit) {
        claimed.push(...(await claim(limit - claimed.length, null, tenderIds)));
      }
      if (claimed.length === 0) return { closed: [] };
      return { closed: (await this.close(manager, claimed, true)).closed };
    });
  }

  /** The ids of up to `limit` auctions whose end has passed, the longest ended first (ix_tenders_auction_due). */
  async auctionDueIds(limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT t.id FROM tenders t WHERE ${AUCTION_DUE} ORDER BY t.auction_end LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** Whether an auction's end has passed (a closing job retries while a price holds the row). */
  async isAuctionDue(tenderId: string): Promise<boolean> {
    const [row] = await this.dataSource.query<{ due: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM tenders t WHERE t.id = $1 AND ${AUCTION_DUE}) AS due`,
      [tenderId],
    );
    return row?.due === true;
  }
}
