import { divideHalfUp, formatAmount, parseAmount, parseDecimal } from './money';

/**
 * Evaluation of a lot: lowest evaluated price wins. A tender may grant local suppliers a preference: their
 * bids are compared as if cheaper by a percentage, but are paid at the offered price. The ranking, the
 * evaluated prices and describeRule() are published with the result, so anyone can redo the ranking.
 */

export type PreferenceScope = 'city' | 'region' | 'country' | 'eaeu';

/** percent: "0".."25", at most 2 decimals */
export interface LocalPreference {
  scope: PreferenceScope;
  percent: string;
}

/** country: ISO 3166-1 alpha-2 */
export interface Place {
  cityId: string;
  region: string;
  country: string;
}

export interface RankableBid {
  bidId: string;
  supplierId: string;
  price: string;
  submittedAt: Date;
  /** the per-tender commit sequence: orders bids the clock cannot tell apart */
  sequence: number;
  supplierPlace: Place;
}

export interface RankedBid extends RankableBid {
  rank: number;
  /** the exact evaluated price rounded half-up to the cent, for display only */
  evaluatedPrice: string;
  preferenceApplied: boolean;
}

/** Member states of the Eurasian Economic Union. */
export const EAEU_COUNTRIES = ['AM', 'BY', 'KZ', 'KG', 'RU'] as const;

export const MAX_PREFERENCE_PERCENT = '25';

const PERCENT = /^\d{1,2}(?:\.\d{1,2})?$/;
// Percents are held in hundredths of a percent, so an evaluated price is price × (10000 − p) / 10000.
const PERCENT_SCALE = 10_000n;

/** Whether a supplier is registered inside the preference scope around the buyer. */
export function isLocal(supplier: Place, buyer: Place, scope: PreferenceScope): boolean {
  const sameCountry = supplier.country.toUpperCase() === buyer.country.toUpperCase();
  switch (scope) {
    case 'city':
      return supplier.cityId === buyer.cityId;
    case 'region':
      // Region names repeat across countries (two "Central" regions are not one region).
      return sameCountry && supplier.region === buyer.region;
    case 'country':
      return sameCountry;
    case 'eaeu':
      // The union is one scope whatever the buyer's country; a tender may only choose it for a buyer inside
      // the union, which publishing checks.
      return (EAEU_COUNTRIES as readonly string[]).includes(supplier.country.toUpperCase());
  }
}

/**
 * Ranks the bids on one lot. Evaluated prices are compared exactly (as integers over one common
 * denominator), never as rounded values; equal evaluated prices go to the earlier submittedAt, then the
 * lower commit sequence, then the lower bidId, so the ranking is a total order and never depends on input
 * order.
 */
export function rankLot(
  bids: RankableBid[],
  buyerPlace: Place,
  preference: LocalPreference | null,
): RankedBid[] {
  const discount = preference ? parsePercent(preference.percent) : 0n;
  assertUniqueIds(bids);
  const evaluated = bids.map((bid) => {
    checkTieKeys(bid);
    const preferenceApplied =
      preference !== null && discount > 0n && isLocal(bid.supplierPlace, buyerPlace, preference.scope);
    // evaluated price × PERCENT_SCALE, exact
    const scaled = parseAmount(bid.price) * (PERCENT_SCALE - (preferenceApplied ? discount : 0n));
    return { bid, scaled, preferenceApplied };
  });
  evaluated.sort(
    (a, b) =>
      compareBigInt(a.scaled, b.scaled) ||
      a.bid.submittedAt.getTime() - b.bid.submittedAt.getTime() ||
      a.bid.sequence - b.bid.sequence ||
      compareText(a.bid.bidId, b.bid.bidId),
  );
  return evaluated.map(({ bid, scaled, preferenceApplied }, index) => ({
    ...bid,
    rank: index + 1,
    evaluatedPrice: formatAmount(divideHalfUp(scaled, PERCENT_SCALE)),
    preferenceApplied,
  }));
}

/**
 * The rule in words, published with the result; after an electronic auction, of the last price each bid offered
 * in it, a tie going to the price offered first.
 */
export function describeRule(
  preference: LocalPreference | null,
  options: { auction?: boolean } = {},
): string {
  const parts = [
    options.auction
      ? "lowest evaluated price, of each bid's last price in the electronic auction"
      : 'lowest evaluated price',
  ];
  if (preference && parsePercent(preference.percent) > 0n) {
    parts.push(
      `bids from suppliers registered ${SCOPE_WORDS[preference.scope]} are evaluated ` +
        `${plainPercent(preference.percent)}% lower and paid at their offered price`,
    );
  }
  parts.push(options.auction ? 'ties go to the price offered first' : 'ties go to the earlier bid');
  return parts.join('; ');
}

const SCOPE_WORDS: Record<PreferenceScope, string> = {
  city: "in the buyer's city",
  region: "in the buyer's region",
  country: "in the buyer's country",
  eaeu: 'in a member state of the Eurasian Economic Union (Armenia, Belarus, Kazakhstan, Kyrgyzstan, Russia)',
};

/** The percent in hundredths; throws RangeError outside "0".."25" or with more than 2 decimals. */
function parsePercent(percent: string): bigint {
  if (typeof percent !== 'string' || !PERCENT.test(percent)) {
    throw new RangeError(
      `preference percent must be 0..25 with at most 2 decimals: ${JSON.stringify(percent)}`,
    );
  }
  const { units, scale } = parseDecimal(percent);
  const hundredths = units * 10n ** BigInt(2 - scale);
  if (hundredths > BigInt(MAX_PREFERENCE_PERCENT) * 100n) {
    throw new RangeError(`preference percent above ${MAX_PREFERENCE_PERCENT}: ${percent}`);
  }
  return hundredths;
}

/** "15.00" -> "15", "7.50" -> "7.5", "05" -> "5" */
function plainPercent(percent: string): string {
  const hundredths = parsePercent(percent);
  const whole = hundredths / 100n;
  const fraction = String(hundredths % 100n)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

function assertUniqueIds(bids: RankableBid[]): void {
  const ids = new Set(bids.map((bid) => bid.bidId));
  if (ids.size !== bids.length) throw new RangeError('a lot cannot rank the same bidId twice');
}

// An invalid date or sequence would make the comparator inconsistent, and the ranking depend on input order.
function checkTieKeys(bid: RankableBid): void {
  if (!(bid.submittedAt instanceof Date) || Number.isNaN(bid.submittedAt.getTime())) {
    throw new RangeError(`bid ${bid.bidId} has no valid submittedAt`);
  }
  if (!Number.isSafeInteger(bid.sequence)) throw new RangeError(`bid ${bid.bidId} has no integer sequence`);
}

function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code-unit order: the same on every machine and locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
