import type { Characteristic } from '@app/catalog';
import type { PreferenceScope } from '../procurement/rules/ranking';

/** A free item or a catalogue item, with its delivery; quantities per buyer in a joint tender. */
export interface ItemInput {
  catalogItemId?: string | null;
  description: string;
  /** Only for a free item: a catalogue item has those of its card. */
  characteristics?: Characteristic[];
  cpvCode: string;
  unitCode: string;
  quantity: string;
  quantities?: { buyerId: string; quantity: string }[];
  deliveryCityId: string;
  deliveryDate: string;
}

export interface LotInput {
  title: string;
  estimate: string;
  /** Each buyer's share of the estimate in a joint tender; they must add up to it. */
  shares?: { buyerId: string; amount: string }[];
  items: ItemInput[];
}

export interface DocumentInput {
  title: string;
  url: string;
  sha256: string;
}

/** The methods a buyer can run (domain.md, "Methods"). */
export const TENDER_METHODS = ['open', 'auction', 'quotation', 'direct'] as const;
export type TenderMethod = (typeof TENDER_METHODS)[number];

/**
 * Why a purchase is made from one supplier without competition: a small purchase within the threshold the
 * buyer's law allows; the only supplier able to deliver (exclusive rights, a natural monopoly, a utility); an
 * emergency that cannot wait for a tender; a competition for the need that failed (name it); another reason the
 * law allows (say which in the rationale).
 */
export const DIRECT_REASONS = [
  'small_purchase',
  'sole_supplier',
  'emergency',
  'failed_competition',
  'other',
] as const;
export type DirectReason = (typeof DIRECT_REASONS)[number];

/** A direct purchase's award: the supplier, the reason and its rationale, and the failed tender it follows. */
export interface DirectAwardInput {
  supplierId: string;
  reason: DirectReason;
  rationale: string;
  relatedTenderId?: string | null;
}

/** What a buyer writes into a draft. */
export interface TenderInput {
  title: string;
  description?: string;
  currency: string;
  /**
   * open: an open tender; auction: an electronic auction (sealed first bids, then a live descending auction);
   * quotation: a quotation session over one catalogue item; direct: the report of a direct purchase (see
   * TenderDraftsService).
   */
  method: TenderMethod;
  /** An electronic auction's alone: its minimal step, in percent of each lot's estimate (0.5 to 5). */
  auctionStepPercent?: string | null;
  minBids?: number;
  localPreference?: { scope: PreferenceScope; percent: string } | null;
  enquiryEnd?: Date | null;
  /** The deadline; none for a direct purchase. */
  tenderEnd: Date | null;
  clarificationsUntil?: Date | null;
  /** Other buyers joining the organiser in a joint tender. */
  jointBuyerIds?: string[];
  /** A direct purchase's alone. */
  directAward?: DirectAwardInput | null;
  lots: LotInput[];
  documents?: DocumentInput[];
}
