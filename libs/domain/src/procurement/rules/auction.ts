import { divideHalfUp, formatAmount, parseAmount } from './money';

/**
 * The rule of the live descending auction (domain.md, "Methods"): every price is compared as an evaluated price
 * (the local preference applied, as in the ranking), exactly, in cents x PERCENT_SCALE. A new price must be lower
 * than the supplier's own; a price that takes the lead - at or below the lowest evaluated price of the lot - must
 * beat it by at least the step, a fixed share of the lot's estimate. A price that stays above the lowest only
 * improves the supplier's place, and needs no step (nor moves the auction's end: AuctionService). The holder of
 * the lead bids again only once another has beaten it.
 */

/** The bounds of the minimal step, in percent of a lot's estimate (44-FZ: 0.5% to 5%). */
export const AUCTION_MIN_STEP_PERCENT = '0.5';
export const AUCTION_MAX_STEP_PERCENT = '5';

const PERCENT_SCALE = 10_000n;
const HUNDREDTHS = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

/** "0.5" -> 50n hundredths of a percent; throws RangeError on anything else. */
export function percentHundredths(percent: string): bigint {
  const match = typeof percent === 'string' ? HUNDREDTHS.exec(percent) : null;
  if (!match) throw new RangeError(`not a percent with at most 2 decimals: ${JSON.stringify(percent)}`);
  return BigInt(match[1] ?? '0') * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}

export function isValidStepPercent(percent: string): boolean {
  try {
    const hundredths = percentHundredths(percent);
    return (
      hundredths >= percentHundredths(AUCTION_MIN_STEP_PERCENT) &&
      hundredths <= percentHundredths(AUCTION_MAX_STEP_PERCENT)
    );
  } catch {
    return false;
  }
}

/** The step in money: the percent of the estimate, rounded half-up to the cent (at least one cent). */
export function auctionStep(estimate: string, stepPercent: string): string {
  const cents = divideHalfUp(parseAmount(estimate) * percentHundredths(stepPercent), PERCENT_SCALE);
  return formatAmount(cents > 0n ? cents : 1n);
}

/** A participant's standing in a lot: its current price, and whether the preference applies to it. */
export interface AuctionStanding {
  price: string;
  local: boolean;
}

export interface AuctionBidInput {
  estimate: string;
  stepPercent: string;
  /** The tender's preference percent ("0" without one); it applies to local standings only. */
  preferencePercent: string;
  own: AuctionStanding;
  /** Every standing in the lot, the bidder's own included. */
  standings: AuctionStanding[];
  price: string;
}

export type AuctionBidVerdict =
  | { ok: true; evaluatedPrice: string; leads: boolean }
  | { ok: false; code: 'AUCTION_PRICE_NOT_LOWER'; ownPrice: string }
  | {
      ok: false;
      code: 'AUCTION_STEP_TOO_SMALL';
      step: string;
      lowestEvaluatedPrice: string;
      /** The highest price with which this bidder would lead (null: none above zero). */
      maximumPrice: string | null;
    };

/** Whether a new auction price is allowed; prices are valid amounts (the caller checked them). */
export function checkAuctionBid(input: AuctionBidInput): AuctionBidVerdict {
  const discount = percentHundredths(input.preferencePercent);
  const factor = (standing: AuctionStanding) => PERCENT_SCALE - (standing.local ? discount : 0n);
  const scaled = (standing: AuctionStanding) => parseAmount(standing.price) * factor(standing);
  const price = parseAmount(input.price);
  if (price >= parseAmount(input.own.price)) {
    return { ok: false, code: 'AUCTION_PRICE_NOT_LOWER', ownPrice: input.own.price };
  }
  const proposed = price * factor(input.own);
  const lowest = input.standings.map(scaled).reduce((a, b) => (b < a ? b : a), scaled(input.own));
  const evaluatedPrice = formatAmount(divideHalfUp(proposed, PERCENT_SCALE));
  if (proposed > lowest) return { ok: true, evaluatedPrice, leads: false };
  const step = parseAmount(auctionStep(input.estimate, input.stepPercent));
  const limit = lowest - step * PERCENT_SCALE;
  if (proposed <= limit) return { ok: true, evaluatedPrice, leads: true };
  const maximum = limit > 0n ? limit / factor(input.own) : 0n;
  return {
    ok: false,
    code: 'AUCTION_STEP_TOO_SMALL',
    step: formatAmount(step),
    lowestEvaluatedPrice: formatAmount(divideHalfUp(lowest, PERCENT_SCALE)),
    maximumPrice: maximum > 0n ? formatAmount(maximum) : null,
  };
}
