import { Injectable } from '@nestjs/common';
import { type Characteristic, findUnit } from '@app/catalog';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { orderedUuids } from '../database/ordered-uuids';
import { DealLogWriter } from '../deal-log/deal-log.writer';
import { Organization } from '../organizations/organization.entity';
import {
  AUCTION_MAX_STEP_PERCENT,
  AUCTION_MIN_STEP_PERCENT,
  isValidStepPercent,
} from '../procurement/rules/auction';
import { formatAmount, MAX_TOTAL_MINOR, parseAmount, sumAmounts } from '../procurement/rules/money';
import { EAEU_COUNTRIES } from '../procurement/rules/ranking';
import { nextStatus } from '../procurement/rules/tender-state';
import { TenderDocument, Lot, LotBuyerShare, TenderItem, TenderItemQuantity } from './tender-parts.entity';
import { Tender } from './tender.entity';
import {
  BuyerNotActiveError,
  DraftChangedError,
  JointBuyerNotConfirmedError,
  TenderInvalidError,
  TenderNotFoundError,
  TenderPeriodTooShortError,
  TenderStateError,
  UnknownBuyerError,
} from './tender.errors';
import type { ItemInput, TenderInput } from './tender-input';
import { TenderClosingScheduler } from './tender-closing.scheduler';
import {
  assertDeadlineHorizon,
  assertDeliveryAfterDeadline,
  assertQuotationPeriod,
  assertSubmissionPeriod,
} from './tender-periods';
import { formatTenderNumber, tenderNumberYear } from './tender-number';
import { TenderViews } from './tender-views';
import { awardDirectly } from '../award/award-acceptance';
import { assertActing } from './acting-organization';

/** Quantities have up to 3 decimals; compared exactly in thousandths. */
const toThousandths = (quantity: string): bigint => {
  const [whole = '0', fraction = ''] = quantity.split('.');
  return BigInt(whole) * 1000n + BigInt(fraction.padEnd(3, '0').slice(0, 3));
};

/** The tender row's own fields, as a draft is created or replaced. */
const draftFields = (input: TenderInput) => ({
  title: input.title.trim(),
  description: input.description?.trim() ?? '',
  currency: input.currency,
  method: input.method,
  minBids: input.minBids ?? 1,
  preferenceScope: input.localPreference?.scope ?? null,
  preferencePercent: input.localPreference?.percent ?? null,
  enquiryEnd: input.enquiryEnd ?? null,
  // A direct purchase has no deadline: its draft keeps the time it was saved, and its report the time it was made.
  tenderEnd: input.tenderEnd ?? new Date(),
  clarificationsUntil: input.clarificationsUntil ?? null,
  directSupplierId: input.directAward?.supplierId ?? null,
  directReason: input.directAward?.reason ?? null,
  directRationale: input.directAward?.rationale.trim() ?? null,
  relatedTenderId: input.directAward?.relatedTenderId ?? null,
  auctionStepPercent: input.method === 'auction' ? (input.auctionStepPercent ?? null) : null,
});

const invalid = (field: string, message: string) => new TenderInvalidError(`${field}: ${message}`, { field });

/**
 * A quotation session is a short request over one catalogue item: one lot of one item that names a catalogue
 * item (so that the suppliers it is open to - those with a current offer for that item - are known), one buyer,
 * and no enquiry period or questions, which a request of a few hours has no time for.
 */
function assertMethodShape(input: TenderInput): void {
  if (input.method === 'direct') return assertDirectShape(input);
  if (input.directAward) throw invalid('directAward', 'only a direct purchase names its supplier');
  if (!input.tenderEnd) throw invalid('tenderPeriod', 'is required');
  if (input.method === 'auction') return assertAuctionShape(input);
  if (input.auctionStepPercent) throw invalid('auctionStepPercent', 'only an electronic auction has a step');
  if (input.method !== 'quotation') return;
  const quotation = (field: string, message: string) => invalid(field, `a quotation session ${message}`);
  if (input.lots.length !== 1) throw quotation('lots', 'has exactly one lot');
  const [lot] = input.lots;
  if (lot!.items.length !== 1) throw quotation('lots.0.items', 'buys exactly one item');
  if (!lot!.items[0]!.catalogItemId) {
    throw quotation('lots.0.items.0.catalogItemId', 'buys a catalogue item: name it');
  }
  if (input.jointBuyerIds?.length) throw quotation('jointBuyerIds', 'has one buyer; run a joint open tender');
  if (input.enquiryEnd) throw quotation('enquiryPeriod', 'has no enquiry period');
  if (input.clarificationsUntil) throw quotation('clarificationsUntil', 'takes no questions');
}

/** An electronic auction names its minimal step, from 0.5% to 5% of each lot's estimate (domain.md, "Methods"). */
function assertAuctionShape(input: TenderInput): void {
  if (!input.auctionStepPercent || !isValidStepPercent(input.auctionStepPercent)) {
    throw invalid(
      'auctionStepPercent',
      `an electronic auction names its minimal step: ${AUCTION_MIN_STEP_PERCENT} to ${AUCTION_MAX_STEP_PERCENT} (percent of each lot's estimate, at most 2 decimals)`,
    );
  }
}

/**
 * A direct purchase is reported, not competed: it names its supplier, the reason the law allows it and the buyer's
 * rationale, and has no periods, no local preference and no minimum number of bids.
 */
function assertDirectShape(input: TenderInput): void {
  const direct = (field: string, message: string) => invalid(field, `a direct purchase ${message}`);
  if (!input.directAward) throw direct('directAward', 'names its supplier, reason and rationale');
  if (input.tenderEnd) throw direct('tenderPeriod', 'has no tender period: it is reported once made');
  if (input.enquiryEnd) throw direct('enquiryPeriod', 'has no enquiry period');
  if (input.clarificationsUntil) throw direct('clarificationsUntil', 'takes no questions');
  if (input.localPreference) throw direct('localPreference', 'has no competition to give a preference in');
  if (input.minBids !== undefined && input.minBids !== 1) throw direct('minBids', 'takes no bids');
  if (input.directAward.reason === 'failed_competition' && !input.directAward.relatedTenderId) {
    throw direct('directAward.relatedTenderId', 'after a failed competition names the tender that failed');
  }
}

interface CatalogueRef {
  id: string;
  status: string;
  /** Active, or archived after it was: anyone may see it. A proposal never published is its proposer's. */
  public: boolean;
  proposer: string;
  merged_into_id: string | null;
  classification_scheme: string;
  classification_code: string;
  unit_code: string;
}

/**
 * A tender item that names a catalogue item buys that item as its card classifies and measures it: the same CPV
 * code and unit, so its prices compare with the item's offers and contracts. Null when it does.
 */
function cardMismatch(
  item: { cpvCode: string; unitCode: string },
  ref: CatalogueRef,
  path: string,
): TenderInvalidError | null {
  if (ref.classification_scheme !== 'CPV' || ref.classification_code !== item.cpvCode) {
    return new TenderInvalidError(
      `${path}.classification: the catalogue item is classified ${ref.classification_scheme} ` +
        `${ref.classification_code}; give that code`,
      { field: `${path}.classification`, catalogItemId: ref.id, cpvCode: ref.classification_code },
    );
  }
  if (ref.unit_code !== item.unitCode) {
    return new TenderInvalidError(
      `${path}.unitCode: the catalogue item is measured in ${ref.unit_code}; give that unit`,
      { field: `${path}.unitCode`, catalogItemId: ref.id, unitCode: ref.unit_code },
    );
  }
  return null;
}

/** A tender item may not name an archived catalogue item; a merged one names the item that replaces it. */
const archivedItem = (field: string, ref: CatalogueRef) =>
  ref.merged_into_id
    ? new TenderInvalidError(
        `${field}: the catalogue item was merged into ${ref.merged_into_id}; name that one`,
        {
          field,
          mergedIntoId: ref.merged_into_id,
        },
      )
    : invalid(field, 'the catalogue item is archived');

/**
 * A free item's characteristics, of the shape and within the bounds of a catalogue item's (checked by the HTTP
 * DTO); their units are checked here, as the item's own unit is. A catalogue item takes none: its card has them,
 * and a second list on the tender item could contradict it.
 */
function assertCharacteristics(item: ItemInput, path: string): void {
  const characteristics = item.characteristics ?? [];
  if (item.catalogItemId && characteristics.length > 0) {
    throw invalid(
      `${path}.characteristics`,
      'a catalogue item has the characteristics of its card; give none',
    );
  }
  characteristics.forEach((c, k) => {
    if (c.unit !== undefined && !findUnit(c.unit))
      throw invalid(`${path}.characteristics.${k}.unit`, 'not a known UN/ECE Recommendation 20 unit');
  });
}

/** Exactly { name, value, unit? }: the stored jsonb never carries whatever else an input object holds. */
const storedCharacteristics = (characteristics: Characteristic[] = []): Characteristic[] =>
  characteristics.map(({ name, value, unit }) =>
    unit === undefined ? { name, value } : { name, value, unit },
  );

/** Drafts: create, replace, delete, publish. Only the organiser's organisation sees or touches a draft. */
@Injectable()
export class TenderDraftsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly log: DealLogWriter,
    private readonly views: TenderViews,
    private readonly scheduler: TenderClosingScheduler,
  ) {}

  async create(organizerId: string, input: TenderInput): Promise<string> {
    assertMethodShape(input);
    return this.dataSource.transaction(async (manager) => {
      await this.assertBuyers(manager, organizerId, input);
      await this.assertReferences(manager, organizerId, input);
      await this.assertDirectAward(manager, organizerId, input.directAward);
      const tender = manager.create(Tender, {
        ...draftFields(input),
        organizerId,
      });
      const { identifiers } = await manager.insert(Tender, tender);
      const id = (identifiers[0] as { id: string }).id;
      await this.insertParts(manager, id, organizerId, input);
      return id;
    });
  }

  async replace(organizerId: string, tenderId: string, input: TenderInput): Promise<void> {
    assertMethodShape(input);
    await this.dataSource.transaction(async (manager) => {
      await this.lockDraft(manager, organizerId, tenderId);
      await this.assertBuyers(manager, organizerId, input);
      await this.assertReferences(manager, organizerId, input);
      await this.assertDirectAward(manager, organizerId, input.directAward);
      await manager.update(
        Tender,
        { id: tenderId },
        { ...draftFields(input), draftRevision: () => 'draft_revision + 1' },
      );
      await this.deleteParts(manager, tenderId);
      await this.insertParts(manager, tenderId, organizerId, input);
    });
  }

  /**
   * A joint buyer confirms its part of a draft - its shares of the lots and its quantities - in the revision it
   * read (the draft view's `revision`): the organiser cannot publish a tender that commits another buyer without
   * it. A save of the draft makes a new revision and asks again; a confirmation of an older one is refused
   * (DRAFT_CHANGED). Only a joint buyer of the draft, not its organiser, confirms; anyone else is told no draft
   * exists.
   */
  async confirmParticipation(buyerId: string, tenderId: string, revision: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // Locked first, as a save or a publication locks it; the buyer rows are read after the lock, so a save that
      // committed meanwhile is seen.
      const [tender] = await manager.query<
        { status: string; organizer_id: string; draft_revision: number }[]
      >(`SELECT status, organizer_id, draft_revision FROM tenders WHERE id = $1 FOR UPDATE`, [tenderId]);
      const [joint] = tender
        ? await manager.query<{ buyer_id: string }[]>(
            `SELECT buyer_id FROM tender_buyers WHERE tender_id = $1 AND buyer_id = $2`,
            [tenderId, buyerId],
          )
        : [];
      if (!tender || !joint || tender.organizer_id === buyerId) {
        throw new TenderNotFoundError('No joint draft of yours to confirm with this id', { id: tenderId });
      }
      if (tender.status !== 'draft') {
        throw new TenderStateError(
          `The tender is ${tender.status}; a joint buyer confirms its part of a draft`,
          {
            status: tender.status,
            required: 'draft',
          },
        );
      }
      if (tender.draft_revision !== revision) {
        throw new DraftChangedError(
          `The draft was saved again (revision ${tender.draft_revision}); read it and confirm that revision`,
          { field: 'revision', revision: tender.draft_revision },
        );
      }
      await assertActing(manager, buyerId, 'buyer');
      await manager.query(
        `UPDATE tender_buyers SET confirmed_at = now() WHERE tender_id = $1 AND buyer_id = $2`,
        [tenderId, buyerId],
      );
    });
  }

  async delete(organizerId: string, tenderId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.lockDraft(manager, organizerId, tenderId);
      await assertActing(manager, organizerId, 'buyer');
      await this.deleteParts(manager, tenderId);
      await manager.delete(Tender, { id: tenderId });
    });
  }

  /**
   * Checks everything against the database clock, assigns the number and the ocid, makes the tender public
   * and schedules its closing. The publication event carries the whole public tender.
   */
  async publish(organizerId: string, tenderId: string): Promise<void> {
    const tender = await this.dataSource.transaction(async (manager) => {
      const draft = await this.lockDraft(manager, organizerId, tenderId);
      const [{ now }] = (await manager.query<{ now: Date }[]>('SELECT now() AS now')) as [{ now: Date }];
      const direct = draft.method === 'direct';
      if (direct) {
        await this.assertDirectAward(
          manager,
          organizerId,
          draft.directSupplierId
            ? { supplierId: draft.directSupplierId, relatedTenderId: draft.relatedTenderId }
            : null,
        );
      } else {
        await this.assertPeriods(manager, draft, now);
      }
      await this.assertCatalogueItemsActive(manager, tenderId);
      // Every buyer of it, the organiser first, is still active (as when the draft was saved).
      const [inactive] = await manager.query<{ buyer_id: string; status: string }[]>(
        `SELECT tb.buyer_id, o.status FROM tender_buyers tb JOIN organizations o ON o.id = tb.buyer_id
          WHERE tb.tender_id = $1 AND o.status <> 'active'
          ORDER BY tb.buyer_id <> $2, tb.buyer_id LIMIT 1`,
        [tenderId, organizerId],
      );
      if (inactive) {
        throw new BuyerNotActiveError(`Buyer ${inactive.buyer_id} is ${inactive.status}`, {
          buyerId: inactive.buyer_id,
          status: inactive.status,
        });
      }
      // Every joint buyer has confirmed its part of the draft as it stands (a save asks them again).
      const [unconfirmed] = await manager.query<{ buyer_id: string }[]>(
        `SELECT buyer_id FROM tender_buyers WHERE tender_id = $1 AND confirmed_at IS NULL ORDER BY buyer_id LIMIT 1`,
        [tenderId],
      );
      if (unconfirmed) {
        throw new JointBuyerNotConfirmedError(
          `Buyer ${unconfirmed.buyer_id} has not confirmed its part of this joint tender`,
          { buyerId: unconfirmed.buyer_id, required: 'POST /tenders/:id/participation by that buyer' },
        );
      }
      // The year in the organiser's city at publication, with the instant stored as publishedAt.
      const year = await tenderNumberYear(manager, organizerId, now);
      // Numbers are taken only once everything is valid, so refused publications leave no gaps.
      const [{ seq }] = (await manager.query<{ seq: string }[]>(
        `SELECT nextval('tender_number_seq')::text AS seq`,
      )) as [{ seq: string }];
      const number = formatTenderNumber(year, seq);
      // assertPeriods saw to it that an enquiry period, if any, ends in the future.
      const hasEnquiryPeriod = draft.enquiryEnd !== null;
      // A direct purchase is reported as made: awarded to its supplier at once, without bids.
      const status = direct
        ? nextStatus('draft', 'report')
        : nextStatus('draft', 'publish', { hasEnquiryPeriod });
      await manager.update(
        Tender,
        { id: tenderId },
        {
          number,
          ocid: `${this.config.OCDS_PREFIX}-${number}`,
          status,
          publishedAt: now,
          // Reported, it is as closed as a tender can be: its award is decided now (red flags, auditors' views).
          ...(direct ? { tenderEnd: now, closedAt: now } : {}),
          tenderStart: hasEnquiryPeriod ? draft.enquiryEnd : now,
          // A quotation session takes no questions: its clarification period ends as it is published.
          clarificationsUntil:
            draft.method === 'quotation' || direct
              ? now
              : (draft.clarificationsUntil ?? draft.enquiryEnd ?? draft.tenderEnd),
        },
      );
      const view = await this.views.tender(manager, tenderId);
      await this.log.append(manager, {
        type: 'tender.published',
        tenderId,
        actorId: organizerId,
        payload: { tender: view },
      });
      if (direct) await awardDirectly(manager, this.log, tenderId, draft.directSupplierId!, organizerId);
      return {
        direct,
        id: tenderId,
        tenderEnd: draft.tenderEnd,
        enquiryEnd: hasEnquiryPeriod ? draft.enquiryEnd : null,
      };
    });
    if (tender.direct) return;
    if (tender.enquiryEnd) await this.scheduler.scheduleTendering(tender.id, tender.enquiryEnd);
    await this.scheduler.schedule(tender.id, tender.tenderEnd);
  }

  private async lockDraft(manager: EntityManager, organizerId: string, tenderId: string): Promise<Tender> {
    const tender = await manager.findOne(Tender, {
      where: { id: tenderId },
      lock: { mode: 'pessimistic_write' },
    });
    // A draft is invisible to everyone but its organiser: the same answer as a missing tender.
    if (!tender || (tender.status === 'draft' && tender.organizerId !== organizerId)) {
      throw new TenderNotFoundError('No tender with this id', { id: tenderId });
    }
    if (tender.organizerId !== organizerId) {
      throw new TenderNotFoundError('No draft of yours with this id', { id: tenderId });
    }
    if (tender.status !== 'draft') {
      throw new TenderStateError(`The tender is ${tender.status}; only a draft can be changed this way`, {
        status: tender.status,
        required: 'draft',
      });
    }
    return tender;
  }

  /**
   * A published tender names only active catalogue items: a draft may name one still in moderation, and one may
   * have been archived or merged since the draft named it.
   */
  private async assertCatalogueItemsActive(manager: EntityManager, tenderId: string): Promise<void> {
    // The active cards are share-locked first (in id order, as a merge locks its pair), as an offer's write
    // does: a merge, an archiving or a change of CPV code or unit running now commits before they are read, or
    // waits for this publication. A card that is not active is refused below anyway, and left unlocked: a merge
    // repoints the cards merged into its duplicate out of id order.
    await manager.query(
      `SELECT 1 FROM catalog_items c
        WHERE c.id IN (SELECT i.catalog_item_id FROM tender_items i WHERE i.tender_id = $1) AND c.status = 'active'
        ORDER BY c.id FOR SHARE OF c`,
      [tenderId],
    );
    const [ref] = await manager.query<
      (CatalogueRef & { lot: number; item: number; cpv_code: string; item_unit: string })[]
    >(
      `SELECT c.id, c.status, c.merged_into_id, c.classification_scheme, c.classification_code, c.unit_code,
              l.number AS lot, i.position AS item, i.cpv_code, i.unit_code AS item_unit
         FROM (SELECT i.*, row_number() OVER (PARTITION BY i.lot_id ORDER BY i.id) - 1 AS position
                 FROM tender_items i WHERE i.tender_id = $1) i
         JOIN lots l ON l.id = i.lot_id JOIN catalog_items c ON c.id = i.catalog_item_id
        WHERE c.status <> 'active' OR c.classification_scheme <> 'CPV' OR c.classification_code <> i.cpv_code
           OR c.unit_code <> i.unit_code
        ORDER BY l.number, i.position LIMIT 1`,
      [tenderId],
    );
    if (!ref) return;
    const field = `lots.${ref.lot - 1}.items`;
    // The card may have been reclassified or remeasured since the draft named it.
    const mismatch =
      ref.status === 'active'
        ? cardMismatch({ cpvCode: ref.cpv_code, unitCode: ref.item_unit }, ref, `${field}.${ref.item}`)
        : null;
    if (mismatch) throw mismatch;
    if (ref.status === 'archived') throw archivedItem(field, ref);
    throw new TenderInvalidError(`${field}: catalogue item ${ref.id} is ${ref.status}, not yet approved`, {
      field,
      catalogItemId: ref.id,
      status: ref.status,
    });
  }

  /**
   * Every period ends in the future, in order (enquiries, then questions, then the deadline), and suppliers get
   * the submission period the method needs: from the end of the enquiry period, when bids open, or else from
   * the publication.
   */
  private async assertPeriods(manager: EntityManager, tender: Tender, now: Date): Promise<void> {
    if (tender.tenderEnd <= now) {
      throw new TenderPeriodTooShortError('tenderPeriod.endDate must be in the future', {
        field: 'tenderPeriod.endDate',
      });
    }
    assertDeadlineHorizon(tender.tenderEnd, now);
    if (tender.enquiryEnd && tender.enquiryEnd <= now) {
      throw invalid('enquiryPeriod.endDate', 'must be in the future');
    }
    if (tender.enquiryEnd && tender.enquiryEnd >= tender.tenderEnd) {
      throw invalid('enquiryPeriod.endDate', 'must be before the tender period ends');
    }
    if (tender.clarificationsUntil && tender.clarificationsUntil <= now) {
      throw invalid('clarificationsUntil', 'must be in the future');
    }
    if (tender.clarificationsUntil && tender.clarificationsUntil > tender.tenderEnd) {
      throw invalid('clarificationsUntil', 'must not be after the tender period ends');
    }
    if (tender.clarificationsUntil && tender.enquiryEnd && tender.clarificationsUntil < tender.enquiryEnd) {
      throw invalid('clarificationsUntil', 'must not be before the enquiry period ends');
    }
    await assertDeliveryAfterDeadline(manager, tender.id, tender.tenderEnd);
    if (tender.method === 'quotation') {
      assertQuotationPeriod(this.config, now, tender.tenderEnd);
      return;
    }
    const bidsOpen = tender.enquiryEnd ?? now;
    await assertSubmissionPeriod(manager, this.config, tender.organizerId, bidsOpen, tender.tenderEnd);
  }

  /**
   * A direct purchase's supplier is an active supplier organisation (it confirms the contract on the platform),
   * and the tender whose failure it follows is one of the organiser's published tenders that failed, wholly or in
   * a lot. Checked when the draft is saved and again when it is reported.
   */
  private async assertDirectAward(
    manager: EntityManager,
    organizerId: string,
    award: { supplierId: string; relatedTenderId?: string | null } | null | undefined,
  ): Promise<void> {
    if (!award) return;
    const [supplier] = await manager.query<{ kind: string; status: string }[]>(
      'SELECT kind, status FROM organizations WHERE id = $1',
      [award.supplierId],
    );
    if (supplier?.kind !== 'supplier' || supplier.status !== 'active') {
      throw invalid('directAward.supplierId', 'no active supplier organisation with this id');
    }
    if (!award.relatedTenderId) return;
    const [related] = await manager.query<{ failed: boolean }[]>(
      `SELECT t.status = 'unsuccessful' OR EXISTS (SELECT 1 FROM lots l WHERE l.tender_id = t.id
                AND l.status = 'unsuccessful') AS failed
         FROM tenders t WHERE t.id = $1 AND t.organizer_id = $2 AND t.status <> 'draft'`,
      [award.relatedTenderId, organizerId],
    );
    if (!related) throw invalid('directAward.relatedTenderId', 'no published tender of yours with this id');
    if (!related.failed) {
      throw invalid(
        'directAward.relatedTenderId',
        'that tender has not failed: neither it nor a lot is unsuccessful',
      );
    }
  }

  private async assertBuyers(manager: EntityManager, organizerId: string, input: TenderInput): Promise<void> {
    const ids = [organizerId, ...(input.jointBuyerIds ?? [])];
    if (new Set(ids).size !== ids.length)
      throw invalid('jointBuyerIds', 'must not repeat a buyer or the organiser');
    const orgs = await manager.find(Organization, { where: ids.map((id) => ({ id })) });
    for (const id of ids) {
      const org = orgs.find((o) => o.id === id);
      if (!org || org.kind !== 'buyer') {
        throw new UnknownBuyerError(`No buyer organisation ${id}`, { field: 'jointBuyerIds', buyerId: id });
      }
      if (org.status !== 'active') {
        throw new BuyerNotActiveError(`Buyer ${id} is ${org.status}`, { buyerId: id, status: org.status });
      }
    }
    const percent = input.localPreference?.percent;
    if (percent !== undefined && !(Number(percent) >= 0 && Number(percent) <= 25)) {
      throw invalid('localPreference.percent', 'must be from 0 to 25');
    }
    // The union's preference favours the union's suppliers over outsiders: it would turn against the local
    // suppliers of a buyer outside it.
    const country = orgs.find((o) => o.id === organizerId)?.country.toUpperCase() ?? '';
    if (input.localPreference?.scope === 'eaeu' && !(EAEU_COUNTRIES as readonly string[]).includes(country)) {
      throw invalid(
        'localPreference.scope',
        `eaeu is only for buyers in the Eurasian Economic Union (${EAEU_COUNTRIES.join(', ')}), not ${country}`,
      );
    }
    const joint = ids.length > 1;
    let total = 0n;
    input.lots.forEach((lot, l) => {
      const estimate = parseAmount(lot.estimate);
      if (estimate <= 0n) throw invalid(`lots.${l}.estimate`, 'must be positive');
      total += estimate;
      if (total > MAX_TOTAL_MINOR) {
        throw invalid('lots', `the estimates add up to more than ${formatAmount(MAX_TOTAL_MINOR)}`);
      }
      if (joint) {
        const shares = lot.shares ?? [];
        if (shares.length !== ids.length || !ids.every((id) => shares.some((s) => s.buyerId === id))) {
          throw invalid(`lots.${l}.shares`, 'a joint tender needs one share of the estimate per buyer');
        }
        if (parseAmount(sumAmounts(shares.map((s) => s.amount))) !== estimate) {
          throw invalid(`lots.${l}.shares`, 'the shares must add up to the estimate');
        }
      } else if (lot.shares?.length) {
        throw invalid(`lots.${l}.shares`, 'shares are only for joint tenders');
      }
      lot.items.forEach((item, i) => {
        const quantities = item.quantities ?? [];
        if (!joint) {
          if (quantities.length) throw invalid(`lots.${l}.items.${i}.quantities`, 'only for joint tenders');
          return;
        }
        if (
          quantities.length !== ids.length ||
          !ids.every((id) => quantities.some((q) => q.buyerId === id))
        ) {
          throw invalid(`lots.${l}.items.${i}.quantities`, 'a joint tender needs one quantity per buyer');
        }
        const sum = quantities.reduce((acc, q) => acc + toThousandths(q.quantity), 0n);
        if (sum !== toThousandths(item.quantity)) {
          throw invalid(`lots.${l}.items.${i}.quantities`, 'the quantities must add up to the item quantity');
        }
      });
      if (joint) assertSharesMatchQuantities(lot, l, ids);
    });
  }

  /** Cities, CPV codes, catalogue items and units named by the items must exist; see assertCharacteristics. */
  private async assertReferences(
    manager: EntityManager,
    organizerId: string,
    input: TenderInput,
  ): Promise<void> {
    const items = input.lots.flatMap((lot, l) =>
      lot.items.map((item, i) => ({ item, path: `lots.${l}.items.${i}` })),
    );
    // One connection per transaction: the lookups run one after another.
    const cities = await manager.query<{ id: string }[]>('SELECT id FROM cities WHERE id = ANY($1::uuid[])', [
      [...new Set(items.map((x) => x.item.deliveryCityId))],
    ]);
    const cpvs = await manager.query<{ code: string }[]>(
      `SELECT code FROM classifications WHERE scheme = 'CPV' AND code = ANY($1)`,
      [[...new Set(items.map((x) => x.item.cpvCode))]],
    );
    const catalog = await manager.query<CatalogueRef[]>(
      `SELECT id, status, merged_into_id, classification_scheme, classification_code, unit_code,
              status = 'active' OR (status = 'archived' AND published_at IS NOT NULL) AS public,
              proposed_by_organization_id AS proposer
         FROM catalog_items WHERE id = ANY($1::uuid[])`,
      [[...new Set(items.flatMap((x) => (x.item.catalogItemId ? [x.item.catalogItemId] : [])))]],
    );
    for (const { item, path } of items) {
      if (!findUnit(item.unitCode))
        throw invalid(`${path}.unitCode`, 'not a known UN/ECE Recommendation 20 unit');
      if (item.quantity.match(/^0+(\.0+)?$/)) throw invalid(`${path}.quantity`, 'must be positive');
      if (!cities.some((c) => c.id === item.deliveryCityId))
        throw invalid(`${path}.deliveryCityId`, 'no such member city');
      if (!cpvs.some((c) => c.code === item.cpvCode))
        throw invalid(`${path}.classification`, 'no such CPV code');
      if (item.catalogItemId) {
        const ref = catalog.find((c) => c.id === item.catalogItemId);
        // Another organisation's proposal, never published, is not named by its code, unit or merge either.
        if (!ref || (!ref.public && ref.proposer !== organizerId))
          throw invalid(`${path}.catalogItemId`, 'no such catalogue item');
        if (ref.status === 'archived') throw archivedItem(`${path}.catalogItemId`, ref);
        const mismatch = cardMismatch(item, ref, path);
        if (mismatch) throw mismatch;
      }
      assertCharacteristics(item, path);
    }
  }

  /**
   * The parts of a draft, a few multi-row inserts in all (a tender may have 100 lots of 200 items). Lots and items
   * get ids made here, in the order given, so that the views, which order items by id, list them as the buyer did.
   */
  private async insertParts(
    manager: EntityManager,
    tenderId: string,
    organizerId: string,
    input: TenderInput,
  ) {
    const buyerIds = [organizerId, ...(input.jointBuyerIds ?? [])];
    const lotIds = orderedUuids(input.lots.length);
    const itemIds = orderedUuids(input.lots.reduce((n, lot) => n + lot.items.length, 0));
    const lots: Partial<Lot>[] = [];
    const shares: Partial<LotBuyerShare>[] = [];
    const items: Partial<TenderItem>[] = [];
    const quantities: Partial<TenderItemQuantity>[] = [];
    for (const [l, lotInput] of input.lots.entries()) {
      const lotId = lotIds[l]!;
      lots.push({
        id: lotId,
        tenderId,
        number: l + 1,
        title: lotInput.title.trim(),
        estimate: lotInput.estimate,
      });
      for (const s of lotInput.shares ?? []) shares.push({ lotId, buyerId: s.buyerId, amount: s.amount });
      for (const item of lotInput.items) {
        const itemId = itemIds[items.length]!;
        items.push({
          id: itemId,
          lotId,
          tenderId,
          catalogItemId: item.catalogItemId ?? null,
          description: item.description.trim(),
          characteristics: storedCharacteristics(item.characteristics),
          cpvCode: item.cpvCode,
          unitCode: item.unitCode,
          quantity: item.quantity,
          deliveryCityId: item.deliveryCityId,
          deliveryDate: item.deliveryDate,
        });
        for (const q of item.quantities ?? [])
          quantities.push({ itemId, buyerId: q.buyerId, quantity: q.quantity });
      }
    }
    // The organiser's part is confirmed by saving it; each joint buyer confirms its own (confirmParticipation).
    await manager.query(
      `INSERT INTO tender_buyers (tender_id, buyer_id, created_at, confirmed_at)
       SELECT t.id, b.id, t.created_at, CASE WHEN b.id = t.organizer_id THEN now() END
         FROM tenders t, unnest($2::uuid[]) AS b(id) WHERE t.id = $1`,
      [tenderId, buyerIds],
    );
    await insertAll(manager, Lot, lots);
    await insertAll(manager, LotBuyerShare, shares);
    await insertAll(manager, TenderItem, items);
    await insertAll(manager, TenderItemQuantity, quantities);
    await insertAll(
      manager,
      TenderDocument,
      (input.documents ?? []).map((d) => ({ tenderId, ...d })),
    );
  }

  private async deleteParts(manager: EntityManager, tenderId: string): Promise<void> {
    await manager.query(
      `DELETE FROM tender_item_quantities WHERE item_id IN (SELECT id FROM tender_items WHERE tender_id = $1)`,
      [tenderId],
    );
    await manager.query('DELETE FROM tender_items WHERE tender_id = $1', [tenderId]);
    await manager.query(
      'DELETE FROM lot_buyer_shares WHERE lot_id IN (SELECT id FROM lots WHERE tender_id = $1)',
      [tenderId],
    );
    await manager.query('DELETE FROM lots WHERE tender_id = $1', [tenderId]);
    await manager.query('DELETE FROM tender_documents WHERE tender_id = $1', [tenderId]);
    await manager.query('DELETE FROM tender_buyers WHERE tender_id = $1', [tenderId]);
  }
}

/** Rows a statement: below PostgreSQL's 65,535 parameters for every part of a draft. */
const INSERT_CHUNK = 1000;

async function insertAll<T extends object>(
  manager: EntityManager,
  entity: new () => T,
  rows: Partial<T>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await manager.insert(entity, rows.slice(i, i + INSERT_CHUNK) as never);
  }
}

/**
 * In a joint lot, a buyer pays a part of the price exactly when it receives a part of the goods: each contract is
 * the award split by the shares, so a share without quantities would pay for another buyer's goods, and
 * quantities without a share would be delivered under no contract.
 */
function assertSharesMatchQuantities(lot: TenderInput['lots'][number], l: number, buyerIds: string[]): void {
  for (const buyerId of buyerIds) {
    const share = lot.shares?.find((s) => s.buyerId === buyerId);
    const paying = share !== undefined && parseAmount(share.amount) > 0n;
    const receiving = lot.items.some((item) =>
      (item.quantities ?? []).some((q) => q.buyerId === buyerId && toThousandths(q.quantity) > 0n),
    );
    if (paying !== receiving) {
      throw invalid(
        `lots.${l}.shares`,
        paying
          ? `buyer ${buyerId} has a share of the estimate but no quantity of the lot's items`
          : `buyer ${buyerId} has quantities of the lot's items but no share of the estimate`,
      );
    }
  }
}
