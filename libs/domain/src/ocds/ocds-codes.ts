/**
 * How the marketplace's own states and codes map onto OCDS 1.1 codelists. Every value returned here is a
 * code of the closed codelist named (tenderStatus, awardStatus, contractStatus, method, procurementCategory,
 * releaseTag, bids extension bidStatus); the e2e suite checks them against the CSVs.
 */

/**
 * tenderStatus. A published tender is `active` from publication until its outcome is known (qualification
 * and the stand-still included, while it can still be cancelled), as ProZorro's OCDS mapping does. Drafts are
 * never published, so `planned` and `withdrawn` are not used.
 */
export function ocdsTenderStatus(status: string): string | undefined {
  switch (status) {
    case 'active.enquiries':
    case 'active.tendering':
    case 'active.auction':
    case 'active.qualification':
    case 'active.awarded':
      return 'active';
    case 'complete':
      return 'complete';
    case 'cancelled':
      return 'cancelled';
    case 'unsuccessful':
      return 'unsuccessful';
    default:
      return undefined;
  }
}

/** Award states as published: already awardStatus codes (a rejected award is `unsuccessful`). */
export type AwardState = 'pending' | 'active' | 'unsuccessful' | 'cancelled';

/** contractStatus: in force once both sides signed; awaiting signatures it is `pending`. */
export function ocdsContractStatus(status: ContractState): string {
  switch (status) {
    case 'pending':
    case 'buyer_signed':
      return 'pending';
    case 'signed':
      return 'active';
    case 'cancelled':
      return 'cancelled';
  }
}
export type ContractState = 'pending' | 'buyer_signed' | 'signed' | 'cancelled';

/**
 * method: open tenders and auctions are open to all; a quotation session only to the suppliers qualified by a
 * current offer for its item (selective: "only qualified suppliers are invited"; the buyer picks no one).
 */
export function ocdsProcurementMethod(method: string): string {
  switch (method) {
    case 'quotation':
      return 'selective';
    case 'direct':
      return 'direct';
    default:
      return 'open';
  }
}

const METHOD_DETAILS: Record<string, string> = {
  open: 'Open tender with sealed bids',
  auction: 'Electronic auction',
  quotation: 'Quotation session',
  direct: 'Direct purchase',
};

export function ocdsProcurementMethodDetails(method: string): string | undefined {
  return METHOD_DETAILS[method];
}

const DIRECT_REASON_LABELS: Record<string, string> = {
  small_purchase: 'Small purchase within the threshold allowed without competition',
  sole_supplier: 'Only one supplier can deliver',
  emergency: 'Emergency',
  failed_competition: 'A competitive procedure for the need was unsuccessful',
  other: 'Another reason allowed by law',
};

/** A direct purchase's reason as procurementMethodRationale opens it. */
export function ocdsDirectReason(reason: string): string {
  return DIRECT_REASON_LABELS[reason] ?? reason;
}

/** Who may bid, where the method restricts it. */
export function ocdsEligibilityCriteria(method: string): string | undefined {
  return method === 'quotation'
    ? 'Suppliers with a current catalogue offer for the item, in the tender currency, delivering to the ' +
        'delivery city (or its region or country), for no more than the quantity bought.'
    : undefined;
}

/**
 * procurementCategory by the CPV rule of thumb: divisions 03-44 and 48 (software packages) are goods,
 * 45 is works, 50 and above are services.
 */
export function cpvCategory(cpvCode: string): 'goods' | 'works' | 'services' | undefined {
  const division = Number(cpvCode.slice(0, 2));
  if (!/^\d{2}/.test(cpvCode) || division < 3) return undefined;
  if (division === 45) return 'works';
  if (division < 45 || division === 48) return 'goods';
  return 'services';
}

/** The category of most items (the earlier one on a tie); undefined when no item has a usable CPV code. */
export function mainProcurementCategory(cpvCodes: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const code of cpvCodes) {
    const category = cpvCategory(code);
    if (category) counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const [category, count] of counts) {
    if (count > bestCount) {
      best = category;
      bestCount = count;
    }
  }
  return best;
}

/** releaseTag codes in codelist order: a release's tags are listed in this order. */
export const RELEASE_TAG_ORDER = [
  'planning',
  'planningUpdate',
  'tender',
  'tenderAmendment',
  'tenderUpdate',
  'tenderCancellation',
  'award',
  'awardUpdate',
  'awardCancellation',
  'contract',
  'contractUpdate',
  'contractAmendment',
  'implementation',
  'implementationUpdate',
  'contractTermination',
  'compiled',
] as const;
export type ReleaseTag = (typeof RELEASE_TAG_ORDER)[number];

export function orderTags(tags: Iterable<ReleaseTag>): ReleaseTag[] {
  const set = new Set(tags);
  return RELEASE_TAG_ORDER.filter((tag) => set.has(tag));
}

/**
 * An OCDS amount from an exact decimal string. OCDS amounts are JSON numbers; a numeric(15,2) amount has at
 * most 15 significant digits, which an IEEE double holds exactly enough that JSON prints the same decimal
 * back ("1234.50" -> 1234.5). Quantities (numeric(18,3)) round-trip up to 10^12. Never used for arithmetic:
 * sums are computed on the strings first (money rules).
 */
export function toOcdsNumber(decimal: string): number | undefined {
  const n = Number(decimal);
  return decimal.trim() !== '' && Number.isFinite(n) ? n : undefined;
}

/** English country name of an ISO 3166-1 alpha-2 code (the code itself when the runtime does not know it). */
const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region' });

export function countryName(code: string): string {
  try {
    return REGION_NAMES.of(code) ?? code;
  } catch {
    return code;
  }
}
