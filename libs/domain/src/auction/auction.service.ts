import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { DealLogWriter } from '../deal-log/deal-log.writer';
import { auctionStep, checkAuctionBid, percentHundredths } from '../procurement/rules/auction';
import { formatAmount, parseAmount } from '../procurement/rules/money';
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
import { EVALUATED, STANDING_ORDER, standingsOf, START_AUCTIONS } from './auction-sql';

export interface AuctionBidResult {
  tenderId: string;
  lotId: string;
  bidId: string;
  /** The bid's number in the auction, as the others see it. */
  participant: number;
  price: string;
  evaluatedPrice: string;
  /** Whether the price took the lead of the lot. */
  leads: boolean;
  auctionEnd: string;
}

/** A participant's standing as everyone sees it during the auction: a number, not a name. */
interface PublicStanding {
  participant: number;
  rank: number;
  price: string;
  evaluatedPrice: string;
  preferenceApplied: boolean;
}

export interface AuctionView {
  tenderId: string;
  status: string;
  stepPercent: string;
  roundSeconds: number;
  /** From the deadline (when the auction starts) to its end, which every lead moves; null until it starts. */
  auctionPeriod: { startDate: string; endDate: string } | null;
  lots: {
    lotId: string;
    number: number;
    status: string;
    estimate: string;
    step: string;
    /**
     * While the auction runs: the standings, best first, by participant number (who they are is sealed until the
     * auction ends and the bids are opened); null before and after (the public bids show the result).
     */
    standings: PublicStanding[] | null;
  }[];
}

interface LockedAuction {
  status: TenderStatus;
  step: string | null;
  preference: string;
  auction_end: Date | null;
}

interface StandingRow {
  estimate: string;
  lot_status: string;
  bid_id: string | null;
  supplier_id: string | null;
  participant: number | null;
  price: string | null;
  local: boolean | null;
}

/**
 * The live descending auction of an electronic auction (domain.md, "Methods"). It starts at the deadline instead of
 * the closing, in the closing's transaction, with the bids still sealed: the participants know each other only by
 * number. Each participant lowers its own price on a lot by the rule of checkAuctionBid; a price that takes the lead
 * moves the end to at least AUCTION_ROUND_SECONDS later. At the end the worker closes the tender as at a deadline
 * (TenderClosingService.finishAuctions): every bid opened, each lot ranked on the last prices, the best awarded.
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
   * Starts the auctions of claimed electronic auctions that have a lot with enough bids, in the closing's
   * transaction (START_AUCTIONS). Returns those started with their end, for the caller to schedule after commit;
   * the others are the caller's to close.
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
   * time and its end is read and moved under the same lock the worker's closing claims: a price is either in
   * before the end (and, if it leads, moves it) or refused with AUCTION_ENDED. Logged without the supplier's name
   * (auction.bid: the participant's number; who it is stays sealed with the bid until the opening at the end).
   */
  async placeBid(
    supplierId: string,
    tenderId: string,
    input: { lotId: string; price: string },
  ): Promise<AuctionBidResult> {
    const { result, previousEnd } = await this.dataSource.transaction(async (manager) => {
      const tender = await this.lockRunning(manager, supplierId, tenderId);
      const discount = percentHundredths(tender.preference).toString();
      // The lot, then its standings best first (the first one leads), or one row of nulls when it has none.
      const standings = await manager.query<StandingRow[]>(
        `SELECT l.estimate::text AS estimate, l.status AS lot_status, r.bid_id, r.supplier_id, r.participant,
                r.price::text AS price, r.local
           FROM lots l LEFT JOIN LATERAL (${standingsOf('l.id', '$3::int')}) r ON true
          WHERE l.id = $1 AND l.tender_id = $2
          ${STANDING_ORDER}`,
        [input.lotId, tenderId, discount],
      );
      const { lot, own } = this.participant(standings, supplierId, input.lotId);
      const price = parseAmount(input.price);
      if (price <= 0n) throw new AuctionPriceInvalidError('A price must be positive', { field: 'price' });
      const verdict = checkAuctionBid({
        estimate: lot.estimate,
        stepPercent: tender.step!,
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
      // Only a price that takes the lead moves the end: each such price lowers the lead by a step at least, so an
      // auction ends after at most (estimate / step) extensions, and nobody keeps it open by cents above the lead.
      const [[moved]] = verdict.leads
        ? await manager.query<[{ auction_end: Date }[], number]>(
            `UPDATE tenders SET auction_end = greatest(auction_end, clock_timestamp() + make_interval(secs => $2)),
                    updated_at = now()
              WHERE id = $1 RETURNING auction_end`,
            [tenderId, this.config.AUCTION_ROUND_SECONDS],
          )
        : [[{ auction_end: tender.auction_end! }]];
      const result: AuctionBidResult = {
        tenderId,
        lotId: input.lotId,
        bidId: own.bid_id!,
        participant: own.participant!,
        price: formatAmount(price),
        evaluatedPrice: verdict.evaluatedPrice,
        leads: verdict.leads,
        auctionEnd: (moved?.auction_end ?? tender.auction_end!).toISOString(),
      };
      await this.log.append(manager, {
        type: 'auction.bid',
        tenderId,
        actorId: null,
        payload: {
          lotId: input.lotId,
          participant: result.participant,
          price: result.price,
          previousPrice: own.price,
          evaluatedPrice: result.evaluatedPrice,
          leads: result.leads,
          auctionEnd: result.auctionEnd,
        },
        sealedPayload: { bidId: own.bid_id, supplierId },
      });
      // The last statement before the commit: a price whose transaction ran past the end it was offered under is
      // refused whole, so no price is logged after the end (the closing waits for this lock, then sees the end).
      const [open] = await manager.query<{ open: boolean }[]>(
        'SELECT $1::timestamptz > clock_timestamp() AS open',
        [tender.auction_end],
      );
      if (!open?.open) {
        throw new AuctionEndedError('The auction ended while your price was being taken; it was not', {
          auctionEnd: tender.auction_end!.toISOString(),
        });
      }
      return { result, previousEnd: tender.auction_end! };
    });
    await this.scheduler.scheduleAuctionEnd(tenderId, new Date(result.auctionEnd), previousEnd);
    return result;
  }

  /** The tender, locked, in its running auction, and the caller an active supplier; or why not. */
  private async lockRunning(
    manager: EntityManager,
    supplierId: string,
    tenderId: string,
  ): Promise<LockedAuction> {
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
    return tender;
  }

  /** The lot (active) and the caller's standing in it (a participant, not leading it); or why not. */
  private participant(
    standings: StandingRow[],
    supplierId: string,
    lotId: string,
  ): { lot: StandingRow; own: StandingRow } {
    const lot = standings[0];
    if (!lot) throw new LotNotFoundError('No lot with this id in this tender', { lotId });
    if (lot.lot_status !== 'active') {
      throw new AuctionLotClosedError(`This lot is ${lot.lot_status}: it has no auction`, {
        lotId,
        status: lot.lot_status,
      });
    }
    const own = standings.find((s) => s.supplier_id === supplierId);
    if (!own?.bid_id || own.price === null) {
      throw new AuctionNotParticipantError(
        'Only the suppliers with a bid on this lot, confirmed and placed in time, bid in its auction',
        { lotId },
      );
    }
    // The holder of the lead does not bid against itself: it waits until another participant beats it.
    if (own === lot) {
      throw new AuctionAlreadyLeadingError(
        'Your price leads this lot; another must beat it before you bid again',
        {
          lotId,
          price: own.price,
        },
      );
    }
    return { lot, own };
  }

  /**
   * The public state of a tender's auction: its step and period, and per lot its estimate, step and - while it
   * runs - the standings by participant number. Nothing of the bids before the deadline, and no names before the
   * opening at the end.
   */
  async view(tenderId: string): Promise<AuctionView> {
    const [tender] = await this.dataSource.query<
      {
        method: string;
        status: string;
        step: string | null;
        start: Date;
        auction_end: Date | null;
        discount: number;
      }[]
    >(
      `SELECT method, status, auction_step_percent::text AS step, tender_end AS start, auction_end,
              CASE WHEN preference_scope IS NULL THEN 0 ELSE (coalesce(preference_percent, 0) * 100)::int END AS discount
         FROM tenders WHERE id = $1 AND status <> 'draft'`,
      [tenderId],
    );
    if (!tender) throw new TenderNotFoundError('No tender with this id', { id: tenderId });
    if (tender.method !== 'auction' || tender.step === null) {
      throw new AuctionNotFoundError('This tender is not an electronic auction', { method: tender.method });
    }
    const running = tender.status === 'active.auction';
    const lots = await this.dataSource.query<
      { id: string; number: number; status: string; estimate: string; standings: PublicStanding[] | null }[]
    >(
      `SELECT l.id, l.number, l.status, l.estimate::text AS estimate,
              CASE WHEN $2 THEN (SELECT coalesce(jsonb_agg(jsonb_build_object('participant', x.participant,
                     'rank', x.rank, 'price', x.price::text, 'evaluatedPrice', x.evaluated::text,
                     'preferenceApplied', x.local) ORDER BY x.rank), '[]')
                FROM (SELECT r.participant, r.price, r.local, ${EVALUATED} AS evaluated,
                             row_number() OVER (${STANDING_ORDER}) AS rank
                        FROM (${standingsOf('l.id', '$3::int')}) r) x) END AS standings
         FROM lots l WHERE l.tender_id = $1 ORDER BY l.number`,
      [tenderId, running, tender.discount],
    );
    return {
      tenderId,
      status: tender.status,
      stepPercent: tender.step,
      roundSeconds: this.config.AUCTION_ROUND_SECONDS,
      auctionPeriod: tender.auction_end
        ? { startDate: tender.start.toISOString(), endDate: tender.auction_end.toISOString() }
        : null,
      lots: lots.map((l) => ({
        lotId: l.id,
        number: l.number,
        status: l.status,
        estimate: l.estimate,
        step: auctionStep(l.estimate, tender.step!),
        standings: running && l.status === 'active' ? l.standings : null,
      })),
    };
  }
}

const standing = (s: StandingRow) => ({ price: s.price ?? '0', local: s.local === true });
