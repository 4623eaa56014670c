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
  if (sources.length < MIN_REFERENCE_SOURCES) {
    return { status: 'insufficient', required: MIN_REFERENCE_SOURCES, sources };
  }
  const n = BigInt(sources.length);
  const prices = sources.map((s) => toScaled(s.unitPrice, UNIT_PRICE_SCALE));
  const sum = prices.reduce((a, b) => a + b, 0n);
  // Σ(x − mean)² · n² = Σ(n·x − sum)², kept in integers; variance = that / (n²·(n − 1)).
  const squares = prices.reduce((acc, x) => acc + (n * x - sum) ** 2n, 0n);
  const stdDev = isqrt(squares / (n * n * (n - 1n)));
  // CV% with 2 decimals = stdDev·10000 / mean = stdDev·10000·n / sum
  const cv = sum === 0n ? 0n : divideHalfUp(isqrt((squares * 10n ** 8n) / (n - 1n)), sum);
  // The rule is judged on the exact CV, not on the rounded one shown (33.000015% is above 33%):
  // CV > c% ⇔ squares / (n − 1) > (c/100)² · sum².
  const aboveLimit =
    squares * 10_000n > MAX_COMPARABLE_CV_PERCENT * MAX_COMPARABLE_CV_PERCENT * (n - 1n) * sum * sum;
  return {
    status: aboveLimit ? 'not_comparable' : 'comparable',
    count: sources.length,
    mean: fromScaled(divideHalfUp(sum, n), UNIT_PRICE_SCALE),
    stdDev: fromScaled(stdDev, UNIT_PRICE_SCALE),
    coefficientOfVariation: fromScaled(cv, 2),
    sources,
  };
}
