import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { DealLogWriter } from '../deal-log/deal-log.writer';
import { auctionStep, checkAuctionBid, percentHundredths } from '../procurement/rules/auction';
import { formatAmount, parseAmount } from '../procurement/rules/money';
import { describeRule, type LocalPreference } from '../procurement/rules/ranking';
import { canDo, type TenderStatus } from '../procurement/rules/tender-state';
import { assertActing } from '../tender/acting-organization';
import { TenderClosingScheduler } from '../tender/tender-closing.scheduler';
import { LotNotFoundError, TenderNotFoundError } from '../tender/tender.errors';
import {
  AuctionAlreadyLeadingError,
  AuctionEndedError,
  AuctionLotClosedError,
  AuctionNotFoundError,
  AuctionNotParticipantError,
  AuctionNotRunningError,
  AuctionPriceInvalidError,
  AuctionPriceNotLowerError,
  AuctionStepTooSmallError,
} from './auction.errors';
import { FINISH_AUCTIONS, RANK_LOT, STANDING_ORDER, standingsOf, START_AUCTIONS } from './auction-sql';

export interface AuctionBidResult {
  tenderId: string;
  lotId: string;
  bidId: string;
  price: string;
  evaluatedPrice: string;
  /** Whether the price took the lead of the lot. */
  leads: boolean;
  auctionEnd: string;
}

interface AuctionLeader {
  bidId: string;
  supplierId: string;
  supplierName: string;
  price: string;
  evaluatedPrice: string;
}

export interface AuctionView {
  tenderId: string;
  status: string;
  stepPercent: string;
  roundSeconds: number;
  /** From the opening at the deadline; the end moves with every price until it passes. */
  auctionPeriod: { startDate: string | null; endDate: string } | null;
  lots: {
    lotId: string;
    number: number;
    status: string;
    estimate: string;
    step: string;
    /** Opened bids on the lot; null before the opening. */
    bids: number | null;
    /** The bid ranked first on its current price; null before the opening. */
    leader: AuctionLeader | null;
  }[];
}

interface LockedAuction {
  status: TenderStatus;
  step: string | null;
  preference: string;
  auction_end: Date | null;
}

/**
 * The live descending auction of an electronic auction (domain.md, "Methods"): it starts at the deadline's opening,
 * in the closing's transaction; each participant lowers its own price on a lot by the rule of checkAuctionBid, and
 * every price moves the end to at least AUCTION_ROUND_SECONDS later; at the end the worker ranks every lot on the
 * last prices and gives the best bid a pending award, exactly once, as the closing does at a deadline.
 */
@Injectable()
export class AuctionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: DealLogWriter,
    private readonly config: AppConfig,
    private readonly scheduler: TenderClosingScheduler,
  ) {}

  /**
   * Starts the auctions of tenders the closing has just moved into active.auction ($1), in its transaction: each
   * gets its end and an auction.started event. Returns when each ends, for the caller to schedule after commit.
   */
  async start(
    manager: EntityManager,
    tenderIds: string[],
  ): Promise<{ tenderId: string; auctionEnd: Date }[]> {
    if (tenderIds.length === 0) return [];
    const rows = await manager.query<{ id: string; auction_end: Date }[]>(START_AUCTIONS, [
      tenderIds,
      this.config.AUCTION_ROUND_SECONDS,
    ]);
    return rows.map((r) => ({ tenderId: r.id, auctionEnd: r.auction_end }));
  }

  /** Schedules the end of auctions that started, after their transaction committed (best effort: the sweep). */
  async scheduleEnds(started: { tenderId: string; auctionEnd: Date }[]): Promise<void> {
    for (const { tenderId, auctionEnd } of started) {
      await this.scheduler.scheduleAuctionEnd(tenderId, auctionEnd);
    }
  }

  /**
   * A participant's new price on a lot. The tender row is locked, so the prices of an auction change one at a
   * time and its end is read and moved under the same lock the worker's finishing claims: a price is either in
   * before the end (and moves it) or refused with AUCTION_ENDED.
   */
  async placeBid(
    supplierId: string,
    tenderId: string,
    input: { lotId: string; price: string },
  ): Promise<AuctionBidResult> {
    const { result, previousEnd } = await this.dataSource.transaction(async (manager) => {
      const [tender] = await manager.query<LockedAuction[]>(
        `SELECT status, auction_step_percent::text AS step, auction_end,
                CASE WHEN preference_scope IS NULL THEN '0' ELSE coalesce(preference_percent, 0)::text END AS preference
           FROM tenders WHERE id = $1 AND status <> 'draft' FOR NO KEY UPDATE`,
        [tenderId],
      );
      if (!tender) throw new TenderNotFoundError('No tender with this id', { id: tenderId });
      // The clock once the lock is held (a clock read with the row could be from before a wait for the lock).
      const [clock] = await manager.query<{ ended: boolean }[]>(
        'SELECT $1::timestamptz <= clock_timestamp() AS ended',
        [tender.auction_end],
      );
      await assertActing(manager, supplierId, 'supplier');
      if (!canDo(tender.status, 'auctionBid') || tender.step === null || tender.auction_end === null) {
        throw new AuctionNotRunningError(
          `This tender is ${tender.status}: prices are offered only while its electronic auction runs`,
          { status: tender.status, required: 'active.auction' },
        );
      }
      if (clock?.ended !== false) {
        throw new AuctionEndedError('The auction has ended; it is closed with the prices it had', {
          auctionEnd: tender.auction_end.toISOString(),
        });
      }
      const discount = percentHundredths(tender.preference).toString();
      // The lot, then its standings best first (the first one leads), or one row of nulls when it has none.
      const standings = await manager.query<
        {
          estimate: string;
          lot_status: string;
          bid_id: string | null;
          supplier_id: string | null;
          price: string | null;
          local: boolean | null;
        }[]
      >(
        `SELECT l.estimate::text AS estimate, l.status AS lot_status, r.bid_id, r.supplier_id, r.price::text AS price,
                r.local
           FROM lots l LEFT JOIN LATERAL (${standingsOf('l.id', '$3::int')}) r ON true
          WHERE l.id = $1 AND l.tender_id = $2
          ${STANDING_ORDER}`,
        [input.lotId, tenderId, discount],
      );
      const lot = standings[0];
      if (!lot) throw new LotNotFoundError('No lot with this id in this tender', { lotId: input.lotId });
      if (lot.lot_status !== 'active') {
        throw new AuctionLotClosedError(`This lot is ${lot.lot_status}: it has no auction`, {
          lotId: input.lotId,
          status: lot.lot_status,
        });
      }
      const own = standings.find((s) => s.supplier_id === supplierId);
      if (!own?.bid_id || own.price === null) {
        throw new AuctionNotParticipantError(
          'Only the suppliers whose first bid on this lot was opened bid in its auction',
          { lotId: input.lotId },
        );
      }
      if (own === lot) {
        throw new AuctionAlreadyLeadingError(
          'Your price leads this lot; another must beat it before you bid again',
          {
            lotId: input.lotId,
            price: own.price,
          },
        );
      }
      const price = parseAmount(input.price);
      if (price <= 0n) {
        throw new AuctionPriceInvalidError('A price must be positive', { field: 'price' });
      }
      const standing = (s: (typeof standings)[number]) => ({
        price: s.price ?? '0',
        local: s.local === true,
      });
      const verdict = checkAuctionBid({
        estimate: lot.estimate,
        stepPercent: tender.step,
        preferencePercent: tender.preference,
        own: standing(own),
        standings: standings.map(standing),
        price: formatAmount(price),
      });
      if (!verdict.ok && verdict.code === 'AUCTION_PRICE_NOT_LOWER') {
        throw new AuctionPriceNotLowerError('A new price must be lower than your current price', {
          ownPrice: verdict.ownPrice,
        });
      }
      if (!verdict.ok) {
        const { ok: _ok, code: _code, ...details } = verdict;
        throw new AuctionStepTooSmallError(
          'A price that takes the lead must beat the lowest evaluated price by at least the step',
          details,
        );
      }
      await manager.query(
        `UPDATE bid_lots SET price = $3, auction_bid_at = clock_timestamp() WHERE bid_id = $1 AND lot_id = $2`,
        [own.bid_id, input.lotId, formatAmount(price)],
      );
      await manager.query(RANK_LOT, [input.lotId, discount]);
      // Only a price that takes the lead moves the end: each such price lowers the lead by a step at least, so an
      // auction ends after at most (estimate / step) extensions, and nobody keeps it open by cents above the lead.
      const [[moved]] = verdict.leads
        ? await manager.query<[{ auction_end: Date }[], number]>(
            `UPDATE tenders SET auction_end = greatest(auction_end, clock_timestamp() + make_interval(secs => $2)),
                    updated_at = now()
              WHERE id = $1 RETURNING auction_end`,
            [tenderId, this.config.AUCTION_ROUND_SECONDS],
          )
        : [[{ auction_end: tender.auction_end }]];
      const auctionEnd = (moved?.auction_end ?? tender.auction_end).toISOString();
      await this.log.append(manager, {
        type: 'auction.bid',
        tenderId,
        actorId: supplierId,
        payload: {
          lotId: input.lotId,
          bidId: own.bid_id,
          supplierId,
          price: formatAmount(price),
          previousPrice: own.price,
          evaluatedPrice: verdict.evaluatedPrice,
          leads: verdict.leads,
          auctionEnd,
        },
      });
      const result: AuctionBidResult = {
        tenderId,
        lotId: input.lotId,
        bidId: own.bid_id,
        price: formatAmount(price),
        evaluatedPrice: verdict.evaluatedPrice,
        leads: verdict.leads,
        auctionEnd,
      };
      return { result, previousEnd: tender.auction_end };
    });
    await this.scheduler.scheduleAuctionEnd(tenderId, new Date(result.auctionEnd), previousEnd);
    return result;
  }

  /**
   * Finishes up to `limit` auctions whose end has passed (any, or only `tenderIds`), each exactly once: the rows
   * are claimed FOR UPDATE SKIP LOCKED under the end and status condition, in the transaction that ranks and awards.
   */
  async finishDue(limit: number, tenderIds?: string[]): Promise<{ tenderId: string; status: string }[]> {
    return this.dataSource.transaction(async (manager) => {
      const due = await manager.query<
        { id: string; preference_scope: LocalPreference['scope'] | null; preference_percent: string | null }[]
      >(
        `SELECT t.id, t.preference_scope, t.preference_percent::text
           FROM tenders t
          WHERE t.status = 'active.auction' AND t.auction_end <= now()
            AND ($2::uuid[] IS NULL OR t.id = ANY($2::uuid[]))
          ORDER BY t.auction_end LIMIT $1
            FOR UPDATE SKIP LOCKED`,
        [limit, tenderIds ?? null],
      );
      if (due.length === 0) return [];
      const rules = due.map((t) =>
        describeRule(
          t.preference_scope && t.preference_percent
            ? { scope: t.preference_scope, percent: t.preference_percent }
            : null,
          { auction: true },
        ),
      );
      const rows = await manager.query<{ id: string; status: string }[]>(FINISH_AUCTIONS, [
        due.map((t) => t.id),
        rules,
      ]);
      return rows.map((r) => ({ tenderId: r.id, status: r.status }));
    });
  }

  /**
   * The public state of a tender's auction: its step and period, and per lot its estimate, step, number of bids and
   * current leader (bids are opened at the deadline, so prices and suppliers are public from then on; the full
   * standings are the tender's public bids, ranked live). Before the opening no lot shows anything.
   */
  async view(tenderId: string): Promise<AuctionView> {
    const [tender] = await this.dataSource.query<
      { method: string; status: string; step: string | null; start: Date | null; auction_end: Date | null }[]
    >(
      `SELECT method, status, auction_step_percent::text AS step, closed_at AS start, auction_end
         FROM tenders WHERE id = $1 AND status <> 'draft'`,
      [tenderId],
    );
    if (!tender) throw new TenderNotFoundError('No tender with this id', { id: tenderId });
    if (tender.method !== 'auction' || tender.step === null) {
      throw new AuctionNotFoundError('This tender is not an electronic auction', { method: tender.method });
    }
    const opened = tender.auction_end !== null;
    const lots = await this.dataSource.query<
      {
        id: string;
        number: number;
        status: string;
        estimate: string;
        bids: number;
        leader: AuctionLeader | null;
      }[]
    >(
      `SELECT l.id, l.number, l.status, l.estimate::text AS estimate,
              (SELECT count(*)::int FROM bid_lots bl JOIN bids b ON b.id = bl.bid_id AND b.status = 'opened'
                WHERE bl.lot_id = l.id AND $2) AS bids,
              (SELECT jsonb_build_object('bidId', bl.bid_id, 'supplierId', b.supplier_id, 'supplierName', o.legal_name,
                        'price', bl.price::text, 'evaluatedPrice', bl.evaluated_price::text)
                 FROM bid_lots bl JOIN bids b ON b.id = bl.bid_id AND b.status = 'opened'
                 JOIN organizations o ON o.id = b.supplier_id
                WHERE bl.lot_id = l.id AND bl.rank = 1 AND $2) AS leader
         FROM lots l WHERE l.tender_id = $1 ORDER BY l.number`,
      [tenderId, opened],
    );
    return {
      tenderId,
      status: tender.status,
      stepPercent: tender.step,
      roundSeconds: this.config.AUCTION_ROUND_SECONDS,
      auctionPeriod:
        opened && tender.auction_end
          ? { startDate: tender.start?.toISOString() ?? null, endDate: tender.auction_end.toISOString() }
          : null,
      lots: lots.map((l) => ({
        lotId: l.id,
        number: l.number,
        status: l.status,
        estimate: l.estimate,
        step: auctionStep(l.estimate, tender.step!),
        bids: opened ? l.bids : null,
        leader: l.leader,
      })),
    };
  }

  /** The ids of up to `limit` auctions whose end has passed, the longest ended first (ix_tenders_auction_due). */
  async dueIds(limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM tenders WHERE status = 'active.auction' AND auction_end <= now() ORDER BY auction_end LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** Whether an auction's end has passed (a finishing job retries while a price holds the row). */
  async isDue(tenderId: string): Promise<boolean> {
    const [row] = await this.dataSource.query<{ due: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM tenders WHERE id = $1 AND status = 'active.auction' AND auction_end <= now()) AS due`,
      [tenderId],
    );
    return row?.due === true;
  }
}
