import { sumAmounts } from '../procurement/rules/money';
import {
  countryName,
  mainProcurementCategory,
  ocdsContractStatus,
  ocdsProcurementMethod,
  ocdsProcurementMethodDetails,
  ocdsDirectReason,
  ocdsEligibilityCriteria,
  ocdsTenderStatus,
  orderTags,
  type ReleaseTag,
  toOcdsNumber,
} from './ocds-codes';
import type {
  OcdsAward,
  OcdsBid,
  OcdsContract,
  OcdsItem,
  OcdsOrganizationReference,
  OcdsParty,
  OcdsRelease,
  OcdsTender,
} from './ocds-release';
import {
  applyEvent,
  type BidLotState,
  initialState,
  type ItemState,
  type LotState,
  type OcdsEvent,
  type ProcessState,
} from './process-state';
import { asciiUrl } from './ascii-url';
import { pruneEmpty } from './prune';

/**
 * A document link as published: links are stored as ASCII URIs since they are checked at input, and one stored
 * before that (or sealed in a bid's event, which never changes) is made one here.
 */
const publishedUrl = (url: string): string => asciiUrl(url) as string;

/** Public facts about the organisations of a process (never a person: no users, emails or phones). */
export interface OcdsOrganization {
  id: string;
  legalName: string;
  taxScheme: string | null;
  taxId: string | null;
  locality: string | null;
  region: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
}

/** Reference data a release needs besides the events; loaded once per batch of processes. */
export interface OcdsReferences {
  organizations: ReadonlyMap<string, OcdsOrganization>;
  /** CPV code -> English name. */
  cpvNames: ReadonlyMap<string, string>;
  /** UN/CEFACT unit code -> English name. */
  unitNames: ReadonlyMap<string, string>;
  /** The tender's documents; each is published in the releases dated at or after its publication. */
  documents: readonly { id: string; title: string; url: string; publishedAt: string }[];
  /** Opened bids' submission instants (ISO 8601). */
  bidDates: ReadonlyMap<string, string>;
}

/** One contracting process: its ocid and its release events in id order. */
export interface ProcessHistory {
  ocid: string;
  events: readonly OcdsEvent[];
  refs: OcdsReferences;
}

export interface BuiltRelease {
  /** The first event of the transaction that made the release: the release id is `<ocid>-<anchorEventId>`. */
  anchorEventId: string;
  release: OcdsRelease;
}

export const releaseId = (ocid: string, anchorEventId: string) => `${ocid}-${anchorEventId}`;

/**
 * Every release of a process, oldest first: one per transaction that changed something public (a closing
 * that opens, ranks and awards is one release). Each release is the whole public state at that point, so a
 * reader needs no earlier release to understand it. Events before the publication are ignored.
 */
export function buildReleases(history: ProcessHistory): BuiltRelease[] {
  const { ocid, events, refs } = history;
  const lastIndex = new Map<string, number>();
  const firstId = new Map<string, string>();
  events.forEach((event, i) => {
    lastIndex.set(event.txid, i);
    if (!firstId.has(event.txid)) firstId.set(event.txid, event.id);
  });

  const built: BuiltRelease[] = [];
  let state: ProcessState | undefined;
  const tags = new Map<string, ReleaseTag[]>();
  const dates = new Map<string, string>();
  events.forEach((event, i) => {
    const anchor = firstId.get(event.txid) ?? event.id;
    const id = releaseId(ocid, anchor);
    const groupTags = tags.get(event.txid) ?? [];
    if (event.type === 'tender.published' && !state) {
      state = initialState(event);
      groupTags.push('tender');
    } else if (state) {
      groupTags.push(
        ...applyEvent(state, event, { releaseId: id, previousReleaseId: built.at(-1)?.release.id }),
      );
    }
    tags.set(event.txid, groupTags);
    const date = dates.get(event.txid);
    if (!date || Date.parse(event.occurredAt) > Date.parse(date)) dates.set(event.txid, event.occurredAt);
    if (lastIndex.get(event.txid) !== i || !state || groupTags.length === 0) return;
    built.push({
      anchorEventId: anchor,
      release: renderRelease(state, refs, {
        ocid,
        id,
        date: dates.get(event.txid) ?? event.occurredAt,
        tag: orderTags(groupTags),
      }),
    });
  });
  return built;
}

/** The OCDS release of a state; empty strings, objects and arrays never appear (pruned). */
export function renderRelease(
  state: ProcessState,
  refs: OcdsReferences,
  meta: { ocid: string; id: string; date: string; tag: ReleaseTag[] },
): OcdsRelease {
  const ref = (id: string) => reference(id, refs, state);
  const release: OcdsRelease = {
    ocid: meta.ocid,
    id: meta.id,
    date: meta.date,
    tag: meta.tag,
    initiationType: 'tender',
    parties: parties(state, refs),
    buyer: ref(state.organizerId),
    tender: tender(state, refs, meta.date),
    // A direct purchase after a failed competition points to it.
    relatedProcesses: state.direct?.relatedOcid
      ? [
          {
            id: '1',
            relationship: ['unsuccessfulProcess'],
            scheme: 'ocid',
            identifier: state.direct.relatedOcid,
          },
        ]
      : undefined,
    bids: state.bids.length > 0 ? { details: state.bids.map((b) => bid(b, state, refs)) } : undefined,
    awards: state.awards.map((a): OcdsAward => {
      const lot = lotOf(state, a.lotId);
      return {
        id: a.id,
        title: lot ? `Lot ${lot.number}: ${lot.title}` : undefined,
        status: a.status,
        date: a.date,
        value: money(a.amount, state.currency),
        suppliers: [ref(a.supplierId)],
        items: lot?.items.map((i) => item(i, refs)),
        relatedBids: a.bidId ? [bidId(a.bidId, lot, a.lotId)] : undefined,
      };
    }),
    contracts: state.contracts.map((c): OcdsContract => {
      const lot = lotOf(state, c.lotId);
      const award = state.awards.find((a) => a.id === c.awardId);
      return {
        id: c.id,
        awardID: c.awardId,
        title: lot ? `Lot ${lot.number}: ${lot.title}` : undefined,
        status: ocdsContractStatus(c.status),
        value: money(c.amount, state.currency),
        // A joint tender's contract covers its buyer's share of each item.
        items: lot?.items.map((i) => item(i, refs, c.buyerId)),
        dateSigned: c.dateSigned,
        relatedBids: award?.bidId ? [bidId(award.bidId, lot, award.lotId)] : undefined,
      };
    }),
  };
  const pruned = pruneEmpty(release);
  if (!pruned) throw new Error(`release ${meta.id} is empty`);
  return pruned;
}

function tender(state: ProcessState, refs: OcdsReferences, date: string): OcdsTender {
  const items = state.lots.flatMap((lot) => lot.items);
  const live = state.lots.filter((lot) => lot.status !== 'cancelled').map((lot) => lot.estimate);
  const opened = state.bids.length > 0;
  return {
    id: state.tenderId,
    title: state.title,
    description: state.description,
    status: ocdsTenderStatus(state.status),
    procuringEntity: reference(state.organizerId, refs, state),
    items: items.map((i) => item(i, refs)),
    // The estimate of every lot still on offer; a cancelled lot's estimate leaves the tender's value.
    value: live.length > 0 ? money(sumAmounts(live), state.currency) : undefined,
    procurementMethod: ocdsProcurementMethod(state.method),
    procurementMethodDetails: ocdsProcurementMethodDetails(state.method),
    eligibilityCriteria: ocdsEligibilityCriteria(state.method),
    procurementMethodRationale: state.direct
      ? `${ocdsDirectReason(state.direct.reason)}: ${state.direct.rationale}`
      : undefined,
    mainProcurementCategory: mainProcurementCategory(items.map((i) => i.cpv)),
    // A direct purchase is reported once made: it had no bids, criteria or periods to publish.
    ...(state.direct
      ? {}
      : {
          awardCriteria: state.awardCriteria === 'lowestPrice' ? 'priceOnly' : undefined,
          awardCriteriaDetails: awardCriteriaDetails(state),
          submissionMethod: [state.method === 'auction' ? 'electronicAuction' : 'electronicSubmission'],
          tenderPeriod: state.tenderPeriod,
          enquiryPeriod: { startDate: state.publishedAt, endDate: state.clarificationsUntil },
        }),
    hasEnquiries: state.hasEnquiries,
    numberOfTenderers: opened ? state.tenderers.length : undefined,
    tenderers: opened ? state.tenderers.map((id) => reference(id, refs, state)) : undefined,
    documents: refs.documents
      .filter((d) => Date.parse(d.publishedAt) <= Date.parse(date))
      .map((d) => ({ id: d.id, title: d.title, url: publishedUrl(d.url), datePublished: d.publishedAt })),
    amendments: state.amendments.map((a) => ({ ...a })),
  };
}

function awardCriteriaDetails(state: ProcessState): string | undefined {
  if (state.awardCriteria !== 'lowestPrice') return undefined;
  const preference = state.localPreference;
  // An electronic auction ranks each bid's last price in it, a tie going to the price offered first.
  const [price, ties] =
    state.method === 'auction'
      ? ['price, of the last prices of the electronic auction,', 'the price offered first']
      : ['price', 'the earlier bid'];
  if (!preference) return `Lowest ${price} wins each lot; ties go to ${ties}.`;
  return (
    `Lowest evaluated ${price} wins each lot: a bid from a supplier registered in the buyer's ${preference.scope} ` +
    `is compared as if ${preference.percent}% lower and paid at its offered price; ties go to ${ties}.`
  );
}

/** One OCDS Bid per opened bid and lot (the bids extension's guidance for bids on several lots). */
function bid(b: BidLotState, state: ProcessState, refs: OcdsReferences): OcdsBid {
  const lot = lotOf(state, b.lotId);
  return {
    id: bidId(b.bidId, lot, b.lotId),
    identifiers: [{ scheme: 'internal', id: b.bidId }],
    date: refs.bidDates.get(b.bidId),
    status: b.status,
    tenderers: [reference(b.supplierId, refs, state)],
    value: money(b.price, b.currency),
    relatedLots: [b.lotId],
    hasRank: b.rank !== undefined ? true : undefined,
    rank: b.rank,
    documents: b.documents.length
      ? b.documents.map((d, i) => ({
          id: `${b.bidId}-doc-${i + 1}`,
          title: d.title,
          url: publishedUrl(d.url),
        }))
      : undefined,
  };
}

const bidId = (id: string, lot: LotState | undefined, lotId: string) => `${id}-${lot ? lot.number : lotId}`;

const lotOf = (state: ProcessState, lotId: string) => state.lots.find((l) => l.id === lotId);

function item(i: ItemState, refs: OcdsReferences, buyerId?: string): OcdsItem {
  const share = buyerId ? i.quantities.find((q) => q.buyerId === buyerId) : undefined;
  return {
    id: i.id,
    description: i.description,
    classification: { scheme: 'CPV', id: i.cpv, description: refs.cpvNames.get(i.cpv) },
    quantity: toOcdsNumber(share?.quantity ?? i.quantity),
    unit: { scheme: 'UNCEFACT', id: i.unitCode, name: refs.unitNames.get(i.unitCode) },
  };
}

function money(amount: string, currency: string) {
  const value = toOcdsNumber(amount);
  return value === undefined ? undefined : { amount: value, currency };
}

function reference(id: string, refs: OcdsReferences, state: ProcessState): OcdsOrganizationReference {
  const name = refs.organizations.get(id)?.legalName ?? state.buyers.find((b) => b.id === id)?.legalName;
  return { id, name };
}

/** Buyers (the organiser also as procuring entity) and, once bids are opened, tenderers and suppliers. */
function parties(state: ProcessState, refs: OcdsReferences): OcdsParty[] {
  const roles = new Map<string, Set<string>>();
  const add = (id: string, role: string) => {
    if (!id) return;
    const set = roles.get(id) ?? new Set<string>();
    set.add(role);
    roles.set(id, set);
  };
  for (const buyer of state.buyers) add(buyer.id, 'buyer');
  add(state.organizerId, 'procuringEntity');
  for (const supplierId of state.tenderers) add(supplierId, 'tenderer');
  for (const award of state.awards) add(award.supplierId, 'supplier');
  return [...roles].map(([id, set]) => {
    const org = refs.organizations.get(id);
    return {
      id,
      name: org?.legalName ?? state.buyers.find((b) => b.id === id)?.legalName,
      identifier: org
        ? { scheme: org.taxScheme ?? undefined, id: org.taxId ?? undefined, legalName: org.legalName }
        : undefined,
      address: org
        ? {
            locality: org.locality ?? undefined,
            region: org.region ?? undefined,
            countryName: org.country ? countryName(org.country) : undefined,
          }
        : undefined,
      roles: PARTY_ROLE_ORDER.filter((role) => set.has(role)),
    };
  });
}

const PARTY_ROLE_ORDER = ['buyer', 'procuringEntity', 'supplier', 'tenderer'];
