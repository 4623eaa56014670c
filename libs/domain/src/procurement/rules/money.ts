/**
 * Exact decimal money. Amounts travel as strings ("1234.50") and are computed as bigint minor units (cents),
 * never as floating point: a bid of 0.1 + 0.2 must be exactly 0.30. The currency is not part of an amount;
 * every amount handled together here is in the one currency of its tender.
 */

/** The largest amount a single price may state: 1e12 in major units. */
export const MAX_AMOUNT_MINOR = 100_000_000_000_000n;

/** The largest total a tender's lots may add up to: what its value, a numeric(15,2), holds (just under 1e13). */
export const MAX_TOTAL_MINOR = 999_999_999_999_999n;

const AMOUNT = /^(\d+)(?:\.(\d{1,2}))?$/;
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
// Longer inputs cannot be valid amounts; refusing them early keeps BigInt parsing of hostile input cheap.
const MAX_INPUT_LENGTH = 40;

/** Parses "1234.5" into 123450n cents; throws RangeError on anything that is not a valid amount. */
export function parseAmount(s: string): bigint {
  const match = typeof s === 'string' && s.length <= MAX_INPUT_LENGTH ? AMOUNT.exec(s) : null;
  if (!match) {
    throw new RangeError(`not an amount (digits with at most 2 decimals): ${JSON.stringify(s)}`);
  }
  const minor = BigInt(match[1] ?? '0') * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  if (minor > MAX_AMOUNT_MINOR) throw new RangeError(`amount above 1e12: ${s}`);
  return minor;
}

/** Formats cents with exactly two decimals: 123450n -> "1234.50". Totals may exceed the per-amount cap. */
export function formatAmount(minor: bigint): string {
  if (minor < 0n) throw new RangeError(`negative amount: ${minor}`);
  const cents = String(minor % 100n).padStart(2, '0');
  return `${minor / 100n}.${cents}`;
}

export function isValidAmount(s: string): boolean {
  try {
    parseAmount(s);
    return true;
  } catch {
    return false;
  }
}

/** Exact sum; the result can be larger than one amount may be (a joint tender's total). */
export function sumAmounts(xs: string[]): string {
  return formatAmount(xs.reduce((sum, x) => sum + parseAmount(x), 0n));
}

/**
 * Splits a total into parts proportional to decimal shares (quantities, weights), to the cent. Each part is
 * the exact proportional value rounded down; the cents left over go one each to the parts with the largest
 * remainders (the earlier part on equal remainders), so the parts always add up exactly to the total and a
 * zero share always gets zero.
 */
export function splitByShares(total: string, shares: string[]): string[] {
  const totalMinor = parseAmount(total);
  if (shares.length === 0) throw new RangeError('no shares to split between');
  const weights = toCommonScale(shares.map(parseDecimal));
  const weightSum = weights.reduce((sum, w) => sum + w, 0n);
  if (weightSum === 0n) throw new RangeError('shares add up to zero');

  const parts = weights.map((w) => (totalMinor * w) / weightSum);
  const remainders = weights.map((w, index) => ({ index, remainder: (totalMinor * w) % weightSum }));
  let leftover = totalMinor - parts.reduce((sum, p) => sum + p, 0n);
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const { index } of remainders) {
    if (leftover === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return parts.map(formatAmount);
}

/**
 * splitByShares, where every positive share gets at least a cent when the total has a cent for each: a part that
 * rounds to nothing takes one from the largest part (the earlier one on equal parts). A joint award far below the
 * estimate would otherwise give a buyer with a small share, and its goods, no contract.
 */
export function splitGivingEveryShareACent(total: string, shares: string[]): string[] {
  const parts = splitByShares(total, shares).map(parseAmount);
  const positive = shares.map((share) => parseDecimal(share).units > 0n);
  if (BigInt(positive.filter(Boolean).length) > parseAmount(total)) return parts.map(formatAmount);
  positive.forEach((isPositive, index) => {
    if (!isPositive || parts[index] !== 0n) return;
    const largest = parts.reduce((best, part, i) => (part > (parts[best] ?? 0n) ? i : best), 0);
    parts[largest] = (parts[largest] ?? 0n) - 1n;
    parts[index] = 1n;
  });
  return parts.map(formatAmount);
}

/** amount × percent / 100, rounded half-up to the cent ("15" and "0.5" are percents). */
export function percentOf(amount: string, percent: string): string {
  const minor = parseAmount(amount);
  const { units, scale } = parseDecimal(percent);
  const denominator = 100n * 10n ** BigInt(scale);
  return formatAmount(divideHalfUp(minor * units, denominator));
}

/** Non-negative exact division rounded half-up. */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) throw new RangeError('divideHalfUp takes a non-negative ratio');
  return (2n * numerator + denominator) / (2n * denominator);
}

interface ScaledDecimal {
  /** the value times 10^scale */
  units: bigint;
  scale: number;
}

/** A non-negative decimal without exponent, as an integer and a power-of-ten scale. */
export function parseDecimal(s: string): ScaledDecimal {
  const match = typeof s === 'string' && s.length <= MAX_INPUT_LENGTH ? DECIMAL.exec(s) : null;
  if (!match) throw new RangeError(`not a non-negative decimal: ${JSON.stringify(s)}`);
  const fraction = match[2] ?? '';
  return { units: BigInt(`${match[1] ?? '0'}${fraction}`), scale: fraction.length };
}

function toCommonScale(values: ScaledDecimal[]): bigint[] {
  const scale = Math.max(...values.map((v) => v.scale));
  return values.map((v) => v.units * 10n ** BigInt(scale - v.scale));
}
