import { divideHalfUp, formatAmount, parseAmount, parseDecimal } from '../procurement/rules/money';

/**
 * Unit price statistics, exact: prices are decimals with UNIT_PRICE_SCALE places held as bigints, never floats.
 *
 * Quartile definition: linear interpolation between order statistics (Hyndman & Fan type 7, the default of R
 * and numpy, and PostgreSQL's percentile_cont): for n sorted prices x[0..n-1] and a probability p, h = (n − 1)·p,
 * Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌈h⌉] − x[⌊h⌋]), rounded half-up to UNIT_PRICE_SCALE places. The median is Q(1/2).
 * The database computes the same with price_quantile() (migration Analytics), so stored rows equal this function.
 */
export const UNIT_PRICE_SCALE = 4;
const QUANTITY_SCALE = 3;

export interface PricedItem {
  /** Unit price with up to UNIT_PRICE_SCALE decimals. */
  unitPrice: string;
  /** Quantity with up to 3 decimals. */
  quantity: string;
  /** The item's value (an amount with at most 2 decimals). */
  value: string;
}

export interface PriceSummary {
  /** Purchases counted: one per item line of a deal, however many buyers' contracts a joint purchase has. */
  count: number;
  min: string;
  q1: string;
  median: string;
  q3: string;
  max: string;
  mean: string;
  totalQuantity: string;
  totalValue: string;
}

/** Parses a decimal into units of 10^-scale; throws when it has more places than the scale. */
export function toScaled(value: string, scale: number): bigint {
  const { units, scale: places } = parseDecimal(value);
  if (places > scale) throw new RangeError(`more than ${scale} decimals: ${value}`);
  return units * 10n ** BigInt(scale - places);
}

export function fromScaled(units: bigint, scale: number): string {
  if (units < 0n) throw new RangeError(`negative value: ${units}`);
  const base = 10n ** BigInt(scale);
  return `${units / base}.${String(units % base).padStart(scale, '0')}`;
}

/**
 * The type 7 quantile of ascending `sorted` at p = num/den (0 ≤ p ≤ 1), rounded half-up to the input's scale.
 * Exact: h = (n − 1)·num/den is kept as a fraction.
 */
export function quantile(sorted: readonly bigint[], num: bigint, den: bigint): bigint {
  const n = BigInt(sorted.length);
  if (n === 0n) throw new RangeError('quantile of no values');
  if (den <= 0n || num < 0n || num > den) throw new RangeError('p must be within [0, 1]');
  const position = (n - 1n) * num; // h·den
  const lo = position / den;
  const rest = position % den; // (h − ⌊h⌋)·den
  const low = sorted[Number(lo)] as bigint;
  if (rest === 0n) return low;
  const high = sorted[Number(lo) + 1] as bigint;
  return divideHalfUp(low * den + rest * (high - low), den);
}

/** Statistics of a group of purchased items (one per purchase's item line, with its unit price, quantity and value). */
export function summarizePrices(items: readonly PricedItem[]): PriceSummary {
  if (items.length === 0) throw new RangeError('no prices to summarize');
  const prices = items
    .map((i) => toScaled(i.unitPrice, UNIT_PRICE_SCALE))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const at = (num: bigint, den: bigint) => fromScaled(quantile(prices, num, den), UNIT_PRICE_SCALE);
  const sum = prices.reduce((s, p) => s + p, 0n);
  return {
    count: items.length,
    min: at(0n, 1n),
    q1: at(1n, 4n),
    median: at(1n, 2n),
    q3: at(3n, 4n),
    max: at(1n, 1n),
    mean: fromScaled(divideHalfUp(sum, BigInt(items.length)), UNIT_PRICE_SCALE),
    totalQuantity: fromScaled(
      items.reduce((s, i) => s + toScaled(i.quantity, QUANTITY_SCALE), 0n),
      QUANTITY_SCALE,
    ),
    totalValue: formatAmount(items.reduce((s, i) => s + parseAmount(i.value), 0n)),
  };
}

/** Tukey's upper fence Q3 + 1.5·IQR, exact, for the "price far above the market" red flag. */
export function upperFence(q1: string, q3: string): string {
  const a = toScaled(q1, UNIT_PRICE_SCALE);
  const b = toScaled(q3, UNIT_PRICE_SCALE);
  // Q3 + 1.5·(Q3 − Q1) = (5·Q3 − 3·Q1) / 2, rounded half-up; Q3 ≥ Q1 so it is never negative.
  return fromScaled(divideHalfUp(5n * b - 3n * a, 2n), UNIT_PRICE_SCALE);
}

/**
 * CPV roll-up keys. A CPV code (8 digits and a check digit) names its parents by its leading digits: the key of
 * a code is its digits without trailing zeros (at least the 2 digits of the division), and statistics are kept
 * for the key of every prefix, so asking for "30190000-7" (key "3019") covers every code beginning with 3019.
 */
export function cpvKey(code: string): string {
  const digits = /^(\d{8})(?:-\d)?$/.exec(code)?.[1];
  if (!digits) throw new RangeError(`not a CPV code: ${JSON.stringify(code)}`);
  return keyOfDigits(digits);
}

/** The keys under which an item with this CPV code is counted: itself and every ancestor. */
export function cpvRollupKeys(code: string): string[] {
  const digits = cpvKey(code).padEnd(8, '0');
  const keys = new Set<string>();
  for (let n = 2; n <= 8; n++) keys.add(keyOfDigits(digits.slice(0, n)));
  return [...keys];
}

function keyOfDigits(digits: string): string {
  const trimmed = digits.replace(/0+$/, '');
  return digits.slice(0, Math.max(2, trimmed.length));
}
