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

/** The methods a buyer can run; the entity leaves room for the electronic auction and direct purchases. */
export const TENDER_METHODS = ['open', 'quotation'] as const;
export type TenderMethod = (typeof TENDER_METHODS)[number];

/** What a buyer writes into a draft. */
export interface TenderInput {
  title: string;
  description?: string;
  currency: string;
  /** open: an open tender; quotation: a quotation session over one catalogue item (see TenderDraftsService). */
  method: TenderMethod;
  minBids?: number;
  localPreference?: { scope: PreferenceScope; percent: string } | null;
  enquiryEnd?: Date | null;
  tenderEnd: Date;
  clarificationsUntil?: Date | null;
  /** Other buyers joining the organiser in a joint tender. */
  jointBuyerIds?: string[];
  lots: LotInput[];
  documents?: DocumentInput[];
}
