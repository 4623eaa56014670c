import { formatAmount, parseAmount } from '../procurement/rules/money';

/** Signed contracts between one buyer city and one supplier city in one currency. */
export interface TradeCell {
  buyerCityId: string;
  buyerRegion: string;
  buyerCountry: string;
  supplierCityId: string;
  supplierRegion: string;
  supplierCountry: string;
  currency: string;
  contracts: number;
  /** Exact amount text. */
  value: string;
}

export interface LocalShare {
  contracts: number;
  value: string;
  /** value / total value of the buyer city, 4 decimals rounded half-up; null when the total is zero. */
  valueShare: string | null;
}

export interface BuyerCityTrade {
  buyerCityId: string;
  currency: string;
  contracts: number;
  value: string;
  sameCity: LocalShare;
  sameRegion: LocalShare;
  sameCountry: LocalShare;
}

/** A ratio of two exact amounts as a decimal with 4 places, rounded half-up (never through floats). */
export function shareOf(part: bigint, total: bigint): string | null {
  if (total === 0n) return null;
  const scaled = (part * 10_000n * 2n + total) / (2n * total);
  return `${scaled / 10_000n}.${String(scaled % 10_000n).padStart(4, '0')}`;
}

/**
 * Per buyer city and currency: all its signed contracts, and those won by suppliers from the same city, the
 * same region and the same country (each wider circle includes the narrower). Sums are exact.
 */
export function summarizeTrade(cells: readonly TradeCell[]): BuyerCityTrade[] {
  interface Acc {
    contracts: number;
    value: bigint;
  }
  const zero = (): Acc => ({ contracts: 0, value: 0n });
  const groups = new Map<
    string,
    { buyerCityId: string; currency: string; all: Acc; city: Acc; region: Acc; country: Acc }
  >();
  for (const cell of cells) {
    const key = `${cell.buyerCityId}|${cell.currency}`;
    const group = groups.get(key) ?? {
      buyerCityId: cell.buyerCityId,
      currency: cell.currency,
      all: zero(),
      city: zero(),
      region: zero(),
      country: zero(),
    };
    groups.set(key, group);
    const value = parseAmount(cell.value);
    const add = (acc: Acc) => {
      acc.contracts += cell.contracts;
      acc.value += value;
    };
    add(group.all);
    const sameCountry = cell.supplierCountry === cell.buyerCountry;
    if (sameCountry) add(group.country);
    if (sameCountry && cell.supplierRegion === cell.buyerRegion) add(group.region);
    if (cell.supplierCityId === cell.buyerCityId) add(group.city);
  }
  const share = (acc: Acc, all: Acc): LocalShare => ({
    contracts: acc.contracts,
    value: formatAmount(acc.value),
    valueShare: shareOf(acc.value, all.value),
  });
  return [...groups.values()]
    .sort((a, b) => (a.buyerCityId + a.currency < b.buyerCityId + b.currency ? -1 : 1))
    .map((g) => ({
      buyerCityId: g.buyerCityId,
      currency: g.currency,
      contracts: g.all.contracts,
      value: formatAmount(g.all.value),
      sameCity: share(g.city, g.all),
      sameRegion: share(g.region, g.all),
      sameCountry: share(g.country, g.all),
    }));
}
