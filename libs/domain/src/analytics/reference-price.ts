import { divideHalfUp } from '../procurement/rules/money';
import { fromScaled, toScaled, UNIT_PRICE_SCALE } from './price-stats';

/** Fewer sources than this cannot justify a price. */
export const MIN_REFERENCE_SOURCES = 3;
/** Above this coefficient of variation (in %) the sources are not comparable. */
export const MAX_COMPARABLE_CV_PERCENT = 33n;

export interface PriceSource {
  kind: 'offer' | 'contract';
  id: string;
  /** Unit price with up to 4 decimals. */
  unitPrice: string;
  [detail: string]: unknown;
}

/**
 * What the statistics need of every source, however many there are: their number, and the sum of their unit prices
 * and of their squares, in 1/10^4 units (and 1/10^8 for the squares), exact.
 */
export interface PriceMoments {
  count: bigint;
  sum: bigint;
  sumOfSquares: bigint;
}

export type ReferencePrice =
  | { status: 'insufficient'; required: number; sources: PriceSource[] }
  | {
      status: 'comparable' | 'not_comparable';
      count: number;
      /** Arithmetic mean of the unit prices, 4 decimals. */
      mean: string;
      /** Sample standard deviation (n − 1), 4 decimals, rounded down from the exact square root. */
      stdDev: string;
      /** stdDev / mean in percent, 2 decimals, rounded half-up. */
      coefficientOfVariation: string;
      sources: PriceSource[];
    };

/** floor(√n) for a non-negative bigint (Newton's method). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('square root of a negative number');
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}

/**
 * The reference price of the sources (the market-analysis method of public buyers): at least 3 sources, their
 * mean, the sample standard deviation and the coefficient of variation; above 33% the sources are not
 * comparable and the buyer should look for others. Exact: prices in 1/10^4 units, variance in their squares.
 */
export function referencePrice(sources: PriceSource[]): ReferencePrice {
  return referencePriceOf(momentsOf(sources), sources);
}

/** The moments of these sources. */
export function momentsOf(sources: PriceSource[]): PriceMoments {
  const prices = sources.map((s) => toScaled(s.unitPrice, UNIT_PRICE_SCALE));
  return {
    count: BigInt(prices.length),
    sum: prices.reduce((a, b) => a + b, 0n),
    sumOfSquares: prices.reduce((a, x) => a + x * x, 0n),
  };
}

/**
 * The reference price from the moments of all the sources, shown with `sources` (all of them, or the part of them
 * a response has room for).
 */
export function referencePriceOf(moments: PriceMoments, sources: PriceSource[]): ReferencePrice {
  if (moments.count < BigInt(MIN_REFERENCE_SOURCES)) {
    return { status: 'insufficient', required: MIN_REFERENCE_SOURCES, sources };
  }
  const { count: n, sum } = moments;
  // Σ(x − mean)² · n² = Σ(n·x − sum)² = n·(n·Σx² − sum²), kept in integers; variance = that / (n²·(n − 1)).
  const squares = n * (n * moments.sumOfSquares - sum * sum);
  const stdDev = isqrt(squares / (n * n * (n - 1n)));
  // CV% with 2 decimals = stdDev·10000 / mean = stdDev·10000·n / sum
  const cv = sum === 0n ? 0n : divideHalfUp(isqrt((squares * 10n ** 8n) / (n - 1n)), sum);
  // The rule is judged on the exact CV, not on the rounded one shown (33.000015% is above 33%):
  // CV > c% ⇔ squares / (n − 1) > (c/100)² · sum².
  const aboveLimit =
    squares * 10_000n > MAX_COMPARABLE_CV_PERCENT * MAX_COMPARABLE_CV_PERCENT * (n - 1n) * sum * sum;
  return {
    status: aboveLimit ? 'not_comparable' : 'comparable',
    count: Number(n),
    mean: fromScaled(divideHalfUp(sum, n), UNIT_PRICE_SCALE),
    stdDev: fromScaled(stdDev, UNIT_PRICE_SCALE),
    coefficientOfVariation: fromScaled(cv, 2),
    sources,
  };
}
