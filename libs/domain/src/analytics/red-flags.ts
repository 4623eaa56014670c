import { formatAmount, parseAmount, sumAmounts } from '../procurement/rules/money';
import { fromScaled, toScaled, UNIT_PRICE_SCALE, upperFence } from './price-stats';
import { type CalendarYear, workingDaysBetween } from '../procurement/rules/working-calendar';

/**
 * Red flags: pure rules over the facts of one tender, each returning the figures behind it.
 * A flag is a reason to look, not a verdict. Only opened bids count: a dropped bid was never a real offer.
 */
export const RED_FLAG_CODES = [
  'SINGLE_BID',
  'SHORT_SUBMISSION_PERIOD',
  'PRICE_NEAR_ESTIMATE',
  'IDENTICAL_PRICES',
  'ALL_BUT_WINNER_DISQUALIFIED',
  'LOWEST_BID_DISQUALIFIED',
  'PRICE_ABOVE_MARKET',
  'SPLIT_DIRECT_PURCHASES',
  'AUCTION_WITHOUT_BIDDING',
] as const;
export type RedFlagCode = (typeof RED_FLAG_CODES)[number];

/** Methods where competition is expected; a direct award has one supplier by design. */
const COMPETITIVE_METHODS = new Set(['open', 'auction', 'quotation']);

export interface FlagBid {
  bidId: string;
  supplierId: string;
  /** Exact decimal text, e.g. "1000.00". */
  price: string;
  /**
   * The price the closing ranked it by, after a local preference (exact decimal text); absent where it was not
   * ranked, when the price is what counts.
   */
  evaluatedPrice?: string | null;
  /** An electronic auction's: whether the supplier lowered its price in the auction (its price is the last). */
  auctionPriced?: boolean;
}

export interface FlagAward {
  awardId: string;
  /** None for a direct purchase's award. */
  bidId: string | null;
  supplierId: string;
  status: 'pending' | 'active' | 'unsuccessful' | 'cancelled';
  amount: string;
  /** Ended by its winner declining the contract, not by the buyer: no disqualification. */
  declined?: boolean;
}

/** Statistics of the same item (unit, currency, delivery city) that an award's unit price is compared with. */
export interface MarketPrices {
  /** What the statistics describe, e.g. { kind: 'cpv', subject: '3019763', cityId, month }. */
  source: Record<string, unknown>;
  count: number;
  q1: string;
  q3: string;
}

export interface FlagLot {
  lotId: string;
  estimate: string;
  /** The quantity of the lot's only item; null when the lot has several items (no unit price is defined). */
  quantity?: string | null;
  /** Absent when no statistics with enough contracts exist. */
  market?: MarketPrices;
  /** Opened bids on this lot. */
  bids: FlagBid[];
  awards: FlagAward[];
}

export interface TenderFacts {
  tenderId: string;
  buyerId: string;
  method: string;
  /** The buyer's country, for its working calendar. */
  country: string;
  /** The operator's calendars of that country for the years of the tender, replacing the built-in ones. */
  calendarYears?: readonly CalendarYear[];
  /**
   * Local dates (YYYY-MM-DD) in the buyer's time zone: when bids opened (the end of the enquiry period, or the
   * publication), as the publication check counts the submission period; null when never published.
   */
  biddingOpenedOn: string | null;
  tenderEndOn: string;
  lots: FlagLot[];
  /**
   * A direct purchase's alone: the organiser's other direct purchases (not cancelled, in the tender's currency)
   * reported in the SPLIT_WINDOW_DAYS up to this one, of the same CPV classes (see CPV_CLASS_DIGITS).
   */
  directSiblings?: { tenderId: string; value: string }[];
  /** The CPV classes of a direct purchase's items, as its siblings were matched on. */
  cpvClasses?: string[];
  currency?: string;
}

/** How far back a direct purchase's siblings are counted (days up to its report). */
export const SPLIT_WINDOW_DAYS = 30;
/** A CPV class: the first four digits of the code (3019 of 30197630-1: office supplies). */
export const CPV_CLASS_DIGITS = 4;
/** From how many direct purchases in the window (this one included) they look split. */
export const SPLIT_MIN_PURCHASES = 3;

export interface RedFlagSubject {
  tenderId: string;
  buyerId: string;
  lotId: string | null;
  awardId: string | null;
  supplierId: string | null;
}

export interface RedFlagDraft {
  code: RedFlagCode;
  subject: RedFlagSubject;
  figures: Record<string, unknown>;
}

export interface RedFlagOptions {
  /** OPEN_TENDER_MIN_WORKING_DAYS: the minimum submission period of an open tender. */
  openTenderMinWorkingDays: number;
}

/** A stable key of a subject: (code, key) is unique, so recomputing a tender's flags replaces them. */
export function subjectKey(subject: RedFlagSubject): string {
  return [subject.tenderId, subject.lotId ?? '-', subject.awardId ?? '-'].join('/');
}

/** Every flag the tender raises now; the same facts always give the same flags (in the same order). */
export function computeRedFlags(facts: TenderFacts, options: RedFlagOptions): RedFlagDraft[] {
  const flags: RedFlagDraft[] = [];
  const short = shortSubmissionPeriod(facts, options);
  if (short) flags.push(short);
  const split = splitDirectPurchases(facts);
  if (split) flags.push(split);
  for (const lot of facts.lots) {
    flags.push(...lotFlags(facts, lot));
  }
  return flags;
}

function subjectOf(
  facts: TenderFacts,
  lot?: FlagLot,
  award?: FlagAward,
  supplierId?: string,
): RedFlagSubject {
  return {
    tenderId: facts.tenderId,
    buyerId: facts.buyerId,
    lotId: lot?.lotId ?? null,
    awardId: award?.awardId ?? null,
    supplierId: supplierId ?? award?.supplierId ?? null,
  };
}

/**
 * A buyer buying the same class of goods from suppliers of its choosing, again and again within a month, may be
 * splitting one purchase to keep each part under the threshold that lets it skip a tender. Raised on the direct
 * purchase that makes SPLIT_MIN_PURCHASES within SPLIT_WINDOW_DAYS, with the earlier ones and the total.
 */
export function splitDirectPurchases(facts: TenderFacts): RedFlagDraft | null {
  const siblings = facts.directSiblings ?? [];
  // A purchase cancelled since (no lot left to buy) is split from nothing.
  if (facts.method !== 'direct' || facts.lots.length === 0 || siblings.length + 1 < SPLIT_MIN_PURCHASES) {
    return null;
  }
  const own = sumAmounts(facts.lots.map((l) => l.estimate));
  return {
    code: 'SPLIT_DIRECT_PURCHASES',
    subject: subjectOf(facts),
    figures: {
      purchases: siblings.length + 1,
      windowDays: SPLIT_WINDOW_DAYS,
      cpvClasses: facts.cpvClasses ?? [],
      totalValue: sumAmounts([own, ...siblings.map((s) => s.value)]),
      currency: facts.currency ?? null,
      earlierTenderIds: siblings.map((s) => s.tenderId).sort(),
    },
  };
}

export function shortSubmissionPeriod(facts: TenderFacts, options: RedFlagOptions): RedFlagDraft | null {
  // An auction's first bids are taken as an open tender's, in the same period.
  if (!['open', 'auction'].includes(facts.method) || facts.biddingOpenedOn === null) return null;
  const workingDays = workingDaysBetween(
    facts.country,
    facts.biddingOpenedOn,
    facts.tenderEndOn,
    facts.calendarYears,
  );
  const minimum = options.openTenderMinWorkingDays;
  if (workingDays >= minimum) return null;
  return {
    code: 'SHORT_SUBMISSION_PERIOD',
    subject: subjectOf(facts),
    figures: {
      workingDays,
      minimumWorkingDays: minimum,
      country: facts.country,
      biddingOpenedOn: facts.biddingOpenedOn,
      tenderEndOn: facts.tenderEndOn,
    },
  };
}

function lotFlags(facts: TenderFacts, lot: FlagLot): RedFlagDraft[] {
  const flags: RedFlagDraft[] = [];
  const winner = lot.awards.find((a) => a.status === 'active' || a.status === 'pending');
  const disqualified = new Set(
    lot.awards.filter((a) => a.status === 'unsuccessful' && !a.declined).map((a) => a.bidId),
  );

  const [onlyBid] = lot.bids;
  if (COMPETITIVE_METHODS.has(facts.method) && lot.bids.length === 1 && onlyBid) {
    flags.push({
      code: 'SINGLE_BID',
      subject: subjectOf(facts, lot, undefined, onlyBid.supplierId),
      figures: { bids: 1, method: facts.method, price: onlyBid.price, estimate: lot.estimate },
    });
  }

  // A direct purchase is awarded at its estimate, the agreed price: nearness to it says nothing there.
  if (winner && facts.method !== 'direct' && isWithinOnePercent(winner.amount, lot.estimate)) {
    const estimate = parseAmount(lot.estimate);
    const amount = parseAmount(winner.amount);
    flags.push({
      code: 'PRICE_NEAR_ESTIMATE',
      subject: subjectOf(facts, lot, winner),
      figures: {
        amount: winner.amount,
        estimate: lot.estimate,
        difference: formatAmount(amount > estimate ? amount - estimate : estimate - amount),
      },
    });
  }

  const identical = identicalPriceGroups(lot.bids);
  if (identical.length > 0) {
    flags.push({ code: 'IDENTICAL_PRICES', subject: subjectOf(facts, lot), figures: { groups: identical } });
  }

  const others = lot.bids.filter((b) => b.bidId !== winner?.bidId);
  if (winner && others.length > 0 && others.every((b) => disqualified.has(b.bidId))) {
    flags.push({
      code: 'ALL_BUT_WINNER_DISQUALIFIED',
      subject: subjectOf(facts, lot, winner),
      figures: { bids: lot.bids.length, disqualified: others.length, winningAmount: winner.amount },
    });
  }

  const passive = winner ? auctionWithoutBidding(facts, lot, winner) : null;
  if (passive && winner)
    flags.push({ code: 'AUCTION_WITHOUT_BIDDING', subject: subjectOf(facts, lot, winner), figures: passive });

  const market = winner ? aboveMarket(lot, winner) : null;
  if (market && winner)
    flags.push({ code: 'PRICE_ABOVE_MARKET', subject: subjectOf(facts, lot, winner), figures: market });

  const lowest = lowestBids(lot.bids).filter((b) => disqualified.has(b.bidId));
  const [firstLowest] = lowest;
  if (firstLowest) {
    flags.push({
      code: 'LOWEST_BID_DISQUALIFIED',
      subject: subjectOf(facts, lot, undefined, firstLowest.supplierId),
      figures: {
        lowestPrice: firstLowest.price,
        ...(firstLowest.evaluatedPrice && firstLowest.evaluatedPrice !== firstLowest.price
          ? { lowestEvaluatedPrice: firstLowest.evaluatedPrice }
          : {}),
        disqualifiedBidIds: lowest.map((b) => b.bidId),
        winningAmount: winner?.amount ?? null,
      },
    });
  }
  return flags;
}

/**
 * An electronic auction whose lot had two or more participants and ended without a single price lowered: the
 * competition the auction is for did not happen, a known sign of bidders who agreed not to compete (the winner's
 * first bid stands). Raised once the auction has ended (the lot has its award), with the figures.
 */
export function auctionWithoutBidding(
  facts: TenderFacts,
  lot: FlagLot,
  winner: FlagAward,
): Record<string, unknown> | null {
  if (facts.method !== 'auction' || lot.bids.length < 2 || lot.bids.some((b) => b.auctionPriced)) return null;
  return {
    participants: lot.bids.length,
    auctionPrices: 0,
    winningAmount: winner.amount,
    estimate: lot.estimate,
  };
}

/** The figures when the award's unit price is above Q3 + 1.5·IQR of the market statistics, else null. */
export function aboveMarket(lot: FlagLot, award: FlagAward): Record<string, unknown> | null {
  if (!lot.market || lot.quantity === null || lot.quantity === undefined) return null;
  const quantity = toScaled(lot.quantity, 3);
  if (quantity === 0n) return null;
  // amount (cents) / quantity (thousandths), to UNIT_PRICE_SCALE places, rounded half-up
  const numerator = parseAmount(award.amount) * 10n ** BigInt(UNIT_PRICE_SCALE + 1);
  const unitPrice = (2n * numerator + quantity) / (2n * quantity);
  const fence = upperFence(lot.market.q1, lot.market.q3);
  if (unitPrice <= toScaled(fence, UNIT_PRICE_SCALE)) return null;
  return {
    unitPrice: fromScaled(unitPrice, UNIT_PRICE_SCALE),
    quantity: lot.quantity,
    amount: award.amount,
    q1: lot.market.q1,
    q3: lot.market.q3,
    upperFence: fence,
    count: lot.market.count,
    ...lot.market.source,
  };
}

/** |amount - estimate| <= 1% of the estimate, in exact cents: 100·|a − e| <= e. */
export function isWithinOnePercent(amount: string, estimate: string): boolean {
  const a = parseAmount(amount);
  const e = parseAmount(estimate);
  if (e === 0n) return false;
  const diff = a > e ? a - e : e - a;
  return diff * 100n <= e;
}

/** Prices offered by two or more different suppliers, with who offered them (sorted for stable figures). */
export function identicalPriceGroups(bids: FlagBid[]): { price: string; supplierIds: string[] }[] {
  const byPrice = new Map<bigint, Set<string>>();
  for (const bid of bids) {
    const cents = parseAmount(bid.price);
    const suppliers = byPrice.get(cents) ?? new Set<string>();
    suppliers.add(bid.supplierId);
    byPrice.set(cents, suppliers);
  }
  return [...byPrice.entries()]
    .filter(([, suppliers]) => suppliers.size >= 2)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([cents, suppliers]) => ({ price: formatAmount(cents), supplierIds: [...suppliers].sort() }));
}

/**
 * The bids at the lowest price the lot was ranked by (several when tied): the evaluated price, so a local
 * supplier's bid that won on the preference is the lowest even when a foreign one offered less.
 */
export function lowestBids(bids: FlagBid[]): FlagBid[] {
  const ranked = (bid: FlagBid) => parseAmount(bid.evaluatedPrice ?? bid.price);
  let min: bigint | null = null;
  for (const bid of bids) {
    const cents = ranked(bid);
    if (min === null || cents < min) min = cents;
  }
  return bids.filter((b) => ranked(b) === min);
}
