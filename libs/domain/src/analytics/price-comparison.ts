import { divideHalfUp, parseDecimal } from '../procurement/rules/money';
import { fromScaled, type PriceSummary, toScaled, UNIT_PRICE_SCALE } from './price-stats';

/**
 * Cross-city price comparisons in one base currency, exact: every figure is a bigint of its own scale, divided
 * by the rate and rounded half-up back to that scale, never through a float.
 *
 * Direction of a rate (as exchange_rates records it): one unit of `base` buys `rate` units of `currency`, so an
 * amount in `currency` is amount / rate in `base`.
 *
 * The stored statistics are converted, not the prices behind them: a positive factor keeps the order of prices,
 * so the quantiles of the converted prices are the converted quantiles up to rounding (at most one unit in the
 * fourth decimal), and the order min ≤ q1 ≤ median ≤ q3 ≤ max survives because rounding half-up is monotone.
 */

/** Scale of the money total of a statistics row (cents). */
const TOTAL_SCALE = 2;

/** The per-unit figures of a statistics row, each with UNIT_PRICE_SCALE decimals. */
export const UNIT_PRICE_FIGURES = ['min', 'q1', 'median', 'q3', 'max', 'mean'] as const;

/** The figures of a statistics row that a conversion changes (unit prices and the money total). */
export type PriceFigures = Omit<PriceSummary, 'count' | 'totalQuantity'>;

/** The rate a comparison used: `rate` units of `currency` for one unit of `base`, recorded for `day`. */
export interface UsedRate {
  base: string;
  currency: string;
  /** YYYY-MM-DD: the day of the recorded rate, which may be earlier than the day asked for. */
  day: string;
  rate: string;
}

/** One city's statistics row of a month, in its own currency. */
export interface CityPrices extends PriceFigures {
  cityId: string;
  country: string;
  currency: string;
  count: number;
}

/** A city's row converted into the base currency, with the figures it came from and the rate applied. */
export interface ComparedCity extends CityPrices {
  original: PriceFigures;
  rate: UsedRate;
}

/** amount / rate, rounded half-up to `scale` decimals; `amount` may not have more decimals than that. */
export function convertAmount(amount: string, scale: number, rate: string): string {
  const { units, scale: rateScale } = parseDecimal(rate);
  if (units === 0n) throw new RangeError('an exchange rate must be positive');
  // amount / (units / 10^rateScale) = amount · 10^rateScale / units, all in units of 10^-scale.
  return fromScaled(divideHalfUp(toScaled(amount, scale) * 10n ** BigInt(rateScale), units), scale);
}

/** Converts a statistics row's figures from its currency into the base currency of `rate`. */
export function convertFigures(figures: PriceFigures, rate: string): PriceFigures {
  const at = (field: (typeof UNIT_PRICE_FIGURES)[number]) =>
    convertAmount(figures[field], UNIT_PRICE_SCALE, rate);
  return {
    min: at('min'),
    q1: at('q1'),
    median: at('median'),
    q3: at('q3'),
    max: at('max'),
    mean: at('mean'),
    totalValue: convertAmount(figures.totalValue, TOTAL_SCALE, rate),
  };
}

/**
 * Converts each city's row with the rate of its currency; cheapest converted median first, then by city id
 * and currency (a city may have rows in several currencies), so equal inputs always give the same order.
 */
export function compareCities(
  rows: readonly CityPrices[],
  rateOf: (currency: string) => UsedRate,
): ComparedCity[] {
  const compared = rows.map((row): ComparedCity => {
    const rate = rateOf(row.currency);
    const original = figuresOf(row);
    return {
      cityId: row.cityId,
      country: row.country,
      currency: row.currency,
      count: row.count,
      ...convertFigures(original, rate.rate),
      original,
      rate,
    };
  });
  const median = (c: ComparedCity) => toScaled(c.median, UNIT_PRICE_SCALE);
  return compared.sort(
    (a, b) =>
      compareBig(median(a), median(b)) ||
      compareText(a.cityId, b.cityId) ||
      compareText(a.currency, b.currency),
  );
}

/** The rates recorded by operators that a comparison used, once each; a base-currency row needs none. */
export function distinctRates(cities: readonly ComparedCity[]): UsedRate[] {
  const byKey = new Map<string, UsedRate>();
  for (const { rate } of cities) {
    if (rate.base !== rate.currency) byKey.set(`${rate.currency}|${rate.day}|${rate.rate}`, rate);
  }
  return [...byKey.values()].sort((a, b) => compareText(a.currency, b.currency) || compareText(a.day, b.day));
}

/**
 * The day whose rate converts a month's statistics: its last day, or today while the month is still running
 * (a rate of a day to come is not known yet). `month` is YYYY-MM, `today` YYYY-MM-DD, both UTC like the months
 * of price_stats.
 */
export function rateDay(month: string, today: string): string {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new RangeError(`not a month YYYY-MM: ${JSON.stringify(month)}`);
  const year = Number(match[1]);
  const m = Number(match[2]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = m === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  const last = `${month}-${days}`;
  return last < today ? last : today;
}

/** Only the figures of a row (a stored row may carry more keys). */
export function figuresOf(f: PriceFigures): PriceFigures {
  return {
    min: f.min,
    q1: f.q1,
    median: f.median,
    q3: f.q3,
    max: f.max,
    mean: f.mean,
    totalValue: f.totalValue,
  };
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code-unit order, not the locale's: the order of stored results must not depend on the server. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
