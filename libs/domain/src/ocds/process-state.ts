import type { AwardState, ContractState, ReleaseTag } from './ocds-codes';
import type { OcdsAmendment } from './ocds-release';

/** One public deal event of a tender, as stored (sealed bid events are never given to the fold). */
export interface OcdsEvent {
  /** deal_events.id (bigint as text): the order of the fold. */
  id: string;
  /** The writing transaction: the events of one transaction make one release. */
  txid: string;
  type: string;
  /** ISO 8601, UTC. */
  occurredAt: string;
  payload: Record<string, unknown>;
}

/**
 * Deal events that yield (or take part in) a release. Sealed bid events (bid.submitted, bid.changed,
 * bid.confirmed, bid.withdrawn) are absent on purpose: while bids are sealed they publish nothing.
 */
export const RELEASE_EVENT_TYPES = [
  'tender.published',
  'tender.amended',
  'question.asked',
  'question.answered',
  'bid.opened',
  'auction.started',
  'tender.closed',
  'award.pending',
  'award.direct',
  'award.accepted',
  'award.rejected',
  'award.declined',
  'lot.unsuccessful',
  'lot.cancelled',
  'lot.completed',
  'contract.created',
  'contract.signed',
  'contract.cancelled',
  'tender.awarded',
  'tender.completed',
  'tender.unsuccessful',
  'tender.cancelled',
] as const;

export interface ItemState {
  id: string;
  description: string;
  cpv: string;
  unitCode: string;
  quantity: string;
  quantities: { buyerId: string; quantity: string }[];
}

export interface LotState {
  id: string;
  number: number;
  title: string;
  estimate: string;
  status: string;
  items: ItemState[];
}

/** An opened bid's offer on one lot: the unit OCDS publishes as a Bid. */
export interface BidLotState {
  bidId: string;
  lotId: string;
  supplierId: string;
  price: string;
  currency: string;
  /** withdrawn: its supplier declined the contract it won (a quotation session). */
  status: 'valid' | 'disqualified' | 'withdrawn';
  rank?: number;
  /** The bid's documents, revealed at the opening with its prices. */
  documents: { title: string; url: string }[];
}

export interface AwardRecord {
  id: string;
  lotId: string;
  /** None for a direct purchase's award. */
  bidId: string | null;
  supplierId: string;
  amount: string;
  status: AwardState;
  date: string;
}

export interface ContractRecord {
  id: string;
  awardId: string;
  lotId: string;
  buyerId: string;
  amount: string;
  status: ContractState;
  dateSigned?: string;
}

/** What is public about a tender at one point of its history. */
export interface ProcessState {
  tenderId: string;
  title: string;
  description: string;
  status: string;
  method: string;
  currency: string;
  awardCriteria: string;
  localPreference: { scope: string; percent: string } | null;
  organizerId: string;
  buyers: { id: string; legalName: string }[];
  publishedAt: string | undefined;
  tenderPeriod: { startDate?: string; endDate?: string };
  clarificationsUntil: string | undefined;
  lots: LotState[];
  amendments: OcdsAmendment[];
  hasEnquiries: boolean;
  bids: BidLotState[];
  /** Suppliers whose bids were opened, in opening order. */
  tenderers: string[];
  awards: AwardRecord[];
  contracts: ContractRecord[];
  /** A direct purchase's reason and rationale, and the ocid of the failed tender it follows. */
  direct: { reason: string; rationale: string; relatedOcid: string | undefined } | null;
}

/** Where the fold is: the release the current transaction will make and the one published before it. */
export interface FoldContext {
  releaseId: string;
  previousReleaseId: string | undefined;
}

type Json = Record<string, unknown>;

const asObject = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
const asString = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
const text = (v: unknown): string => asString(v) ?? '';

/** The state right after publication, from the public tender view the event carries. */
export function initialState(event: OcdsEvent): ProcessState {
  const t = asObject(event.payload.tender);
  const period = asObject(t.tenderPeriod);
  const preference = asObject(t.localPreference);
  const direct = asObject(t.directAward);
  return {
    tenderId: text(t.id),
    title: text(t.title),
    description: text(t.description),
    status: text(t.status),
    method: text(t.method) || 'open',
    currency: text(t.currency),
    awardCriteria: text(t.awardCriteria),
    localPreference:
      preference.scope !== undefined
        ? { scope: text(preference.scope), percent: text(preference.percent) }
        : null,
    organizerId: text(t.organizerId),
    buyers: asArray(t.buyers).map((b) => ({
      id: text(asObject(b).id),
      legalName: text(asObject(b).legalName),
    })),
    publishedAt: asString(t.publishedAt) ?? event.occurredAt,
    tenderPeriod: { startDate: asString(period.startDate), endDate: asString(period.endDate) },
    clarificationsUntil: asString(t.clarificationsUntil),
    lots: asArray(t.lots).map(readLot),
    amendments: [],
    hasEnquiries: false,
    bids: [],
    tenderers: [],
    awards: [],
    contracts: [],
    direct:
      direct.supplierId !== undefined
        ? {
            reason: text(direct.reason),
            rationale: text(direct.rationale),
            relatedOcid: asString(direct.relatedOcid),
          }
        : null,
  };
}

function readLot(raw: unknown): LotState {
  const lot = asObject(raw);
  return {
    id: text(lot.id),
    number: Number(lot.number ?? 0),
    title: text(lot.title),
    estimate: text(lot.estimate),
    status: text(lot.status) || 'active',
    items: asArray(lot.items).map((rawItem) => {
      const item = asObject(rawItem);
      return {
        id: text(item.id),
        description: text(item.description),
        cpv: text(asObject(item.classification).id),
        unitCode: text(item.unitCode),
        quantity: text(item.quantity),
        quantities: asArray(item.quantities).map((q) => ({
          buyerId: text(asObject(q).buyerId),
          quantity: text(asObject(q).quantity),
        })),
      };
    }),
  };
}

/**
 * Applies one event to the state (in place) and returns the release tags it contributes.
 * Invariant: only the event's public payload is read; nothing sealed ever reaches the fold.
 */
export function applyEvent(state: ProcessState, event: OcdsEvent, ctx: FoldContext): ReleaseTag[] {
  const p = event.payload;
  switch (event.type) {
    case 'tender.amended':
      applyAmendment(state, event, ctx);
      return ['tenderAmendment'];
    case 'question.asked':
      state.hasEnquiries = true;
      return ['tenderUpdate'];
    case 'question.answered':
      return ['tenderUpdate'];
    case 'bid.opened':
      openBid(state, p);
      return ['tenderUpdate'];
    // An electronic auction's start fails its lots short of bids; its closing at the end ranks the last prices.
    case 'auction.started':
    case 'tender.closed':
      applyClosing(state, p);
      return ['tenderUpdate'];
    case 'award.pending':
      state.awards.push({
        id: text(p.awardId),
        lotId: text(p.lotId),
        bidId: text(p.bidId),
        supplierId: text(p.supplierId),
        amount: text(p.amount),
        status: 'pending',
        date: event.occurredAt,
      });
      return ['award'];
    case 'award.direct':
      state.awards.push({
        id: text(p.awardId),
        lotId: text(p.lotId),
        bidId: null,
        supplierId: text(p.supplierId),
        amount: text(p.amount),
        status: 'active',
        date: event.occurredAt,
      });
      return ['award'];
    case 'award.accepted':
      decideAward(state, text(p.awardId), 'active', event.occurredAt);
      return ['awardUpdate'];
    case 'award.rejected': {
      const award = decideAward(state, text(p.awardId), 'unsuccessful', event.occurredAt);
      for (const bid of state.bids) {
        if (award && bid.bidId === award.bidId && bid.lotId === award.lotId) bid.status = 'disqualified';
      }
      return ['awardUpdate'];
    }
    case 'award.declined': {
      const award = decideAward(state, text(p.awardId), 'unsuccessful', event.occurredAt);
      for (const bid of state.bids) {
        if (award && bid.bidId === award.bidId && bid.lotId === award.lotId) bid.status = 'withdrawn';
      }
      return ['awardUpdate'];
    }
    case 'lot.unsuccessful':
      setLotStatus(state, text(p.lotId), 'unsuccessful');
      return ['tenderUpdate'];
    case 'lot.completed':
      setLotStatus(state, text(p.lotId), 'complete');
      return ['tenderUpdate'];
    case 'lot.cancelled':
      setLotStatus(state, text(p.lotId), 'cancelled');
      return ['tenderUpdate', ...cancelAwardsAndContracts(state, text(p.lotId), event.occurredAt)];
    case 'tender.cancelled':
      state.status = 'cancelled';
      for (const lot of state.lots) if (lot.status === 'active') lot.status = 'cancelled';
      return ['tenderCancellation', ...cancelAwardsAndContracts(state, null, event.occurredAt)];
    case 'contract.created':
      state.contracts.push({
        id: text(p.contractId),
        awardId: text(p.awardId),
        lotId: text(p.lotId),
        buyerId: text(p.buyerId),
        amount: text(p.amount),
        status: 'pending',
      });
      return ['contract'];
    case 'contract.signed': {
      const contract = state.contracts.find((c) => c.id === text(p.contractId));
      if (contract && p.by === 'supplier') {
        contract.status = 'signed';
        contract.dateSigned = event.occurredAt;
      } else if (contract && contract.status === 'pending') {
        contract.status = 'buyer_signed';
      }
      return ['contractUpdate'];
    }
    case 'contract.cancelled': {
      const contract = state.contracts.find((c) => c.id === text(p.contractId));
      if (contract) contract.status = 'cancelled';
      return ['contractUpdate'];
    }
    case 'tender.awarded':
    case 'tender.completed':
    case 'tender.unsuccessful':
      state.status = text(p.status) || state.status;
      return ['tenderUpdate'];
    default:
      return [];
  }
}

/** How an amendment's description names a changed tender field (lot fields are named with their lot). */
const AMENDED_FIELD_NAMES: Record<string, string> = {
  'tenderPeriod.endDate': 'tender period end date',
  clarificationsUntil: 'clarification deadline',
};

function applyAmendment(state: ProcessState, event: OcdsEvent, ctx: FoldContext): void {
  const p = event.payload;
  const changed: string[] = [];
  for (const [field, rawChange] of Object.entries(asObject(p.changes))) {
    const after = asObject(rawChange).after;
    const lotField = /^lots\.([^.]+)\.(title|estimate|shares)$/.exec(field);
    if (field === 'title') state.title = text(after);
    else if (field === 'description') state.description = text(after);
    else if (field === 'tenderPeriod.endDate') state.tenderPeriod.endDate = asString(after);
    else if (field === 'clarificationsUntil') state.clarificationsUntil = asString(after);
    if (lotField) {
      const lot = state.lots.find((l) => l.id === lotField[1]);
      if (lot && lotField[2] === 'title') lot.title = text(after);
      if (lot && lotField[2] === 'estimate') lot.estimate = text(after);
      changed.push(lot ? `lot ${lot.number} ${lotField[2]}` : field);
    } else {
      changed.push(AMENDED_FIELD_NAMES[field] ?? field);
    }
  }
  state.amendments.push({
    id: text(p.number),
    date: event.occurredAt,
    rationale: text(p.rationale),
    description: changed.length > 0 ? `Changed: ${changed.join(', ')}` : undefined,
    amendsReleaseID: ctx.previousReleaseId,
    releaseID: ctx.releaseId,
  });
}

function openBid(state: ProcessState, p: Json): void {
  const bidId = text(p.bidId);
  const supplierId = text(p.supplierId);
  const content = asObject(p.content);
  // A bid not confirmed after a change of terms is opened (to prove its commitment) but never ranked.
  const status = p.status === 'dropped' ? 'disqualified' : 'valid';
  const documents = asArray(content.documents).map((raw) => {
    const document = asObject(raw);
    return { title: text(document.title), url: text(document.url) };
  });
  for (const raw of asArray(content.lots)) {
    const lot = asObject(raw);
    state.bids.push({
      bidId,
      lotId: text(lot.lotId),
      supplierId,
      price: text(lot.price),
      currency: text(content.currency) || state.currency,
      status,
      documents,
    });
  }
  if (supplierId && !state.tenderers.includes(supplierId)) state.tenderers.push(supplierId);
}

function applyClosing(state: ProcessState, p: Json): void {
  state.status = text(p.status) || state.status;
  for (const raw of asArray(p.lots)) {
    const result = asObject(raw);
    const lotId = text(result.lotId);
    if (result.status === 'unsuccessful') setLotStatus(state, lotId, 'unsuccessful');
    for (const rawRank of asArray(result.ranking)) {
      const ranked = asObject(rawRank);
      const bid = state.bids.find((b) => b.bidId === text(ranked.bidId) && b.lotId === lotId);
      if (bid && typeof ranked.rank === 'number') bid.rank = ranked.rank;
      if (bid && typeof ranked.price === 'string') bid.price = ranked.price;
    }
  }
}

function decideAward(
  state: ProcessState,
  awardId: string,
  status: AwardState,
  date: string,
): AwardRecord | undefined {
  const award = state.awards.find((a) => a.id === awardId);
  if (award) {
    award.status = status;
    award.date = date;
  }
  return award;
}

function setLotStatus(state: ProcessState, lotId: string, status: string): void {
  const lot = state.lots.find((l) => l.id === lotId);
  if (lot) lot.status = status;
}

/** As the service does on a cancellation: live awards and unsigned contracts (of one lot, or all) go. */
function cancelAwardsAndContracts(state: ProcessState, lotId: string | null, date: string): ReleaseTag[] {
  const tags: ReleaseTag[] = [];
  for (const award of state.awards) {
    if (
      (lotId === null || award.lotId === lotId) &&
      (award.status === 'pending' || award.status === 'active')
    ) {
      award.status = 'cancelled';
      award.date = date;
      tags.push('awardCancellation');
    }
  }
  for (const contract of state.contracts) {
    if (
      (lotId === null || contract.lotId === lotId) &&
      (contract.status === 'pending' || contract.status === 'buyer_signed')
    ) {
      contract.status = 'cancelled';
      tags.push('contractUpdate');
    }
  }
  return tags;
}
