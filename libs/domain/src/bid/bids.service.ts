import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '../database/pg-errors';
import { PreparedStatement } from '../database/prepared-statement';
import { isoUtc } from '../database/sql-time';
import { DealLogWriter } from '../deal-log/deal-log.writer';
import { TenderClosingService } from '../tender/tender-closing.service';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../pagination/cursor';
import { bidCommitment, canonicalJson, newSalt } from '../procurement/rules/commitment';
import { formatAmount, parseAmount } from '../procurement/rules/money';
import { TenderNotFoundError } from '../tender/tender.errors';
import {
  BidAfterDeadlineError,
  BidAlreadyExistsError,
  BidCurrencyMismatchError,
  BidLotInvalidError,
  BidNotFoundError,
  BidOnInactiveTenderError,
  TenderBuyerSuspendedError,
  BidPriceAboveEstimateError,
  BidTenderChangingError,
  QuotationOfferRequiredError,
  IdempotencyKeyReusedError,
  TenderAmendedSinceError,
} from './bid.errors';
import { assertActing } from '../tender/acting-organization';

/** A document of a bid: a link and the SHA-256 of what it points to, sealed with the prices. */
export interface BidDocument {
  title: string;
  url: string;
  sha256: string;
}

export interface BidInput {
  currency: string;
  lots: { lotId: string; price: string }[];
  documents?: BidDocument[];
}

/** A bid as its own supplier sees it; nobody else sees this before the opening. */
export interface OwnBidView {
  id: string;
  tenderId: string;
  status: string;
  currency: string;
  lots: { lotId: string; price: string }[];
  documents: BidDocument[];
  commitment: string;
  submittedAt: string;
}

interface LockedTender {
  id: string;
  status: string;
  currency: string;
  tender_end: Date;
  on_time: boolean;
  /** Whether the organiser is active: a suspended one's tender takes no bids (withdrawals it still takes). */
  organizer_active: boolean;
}

/** The tender as a change, a confirmation or a withdrawal reads it under its share lock. */
interface HeldTender extends LockedTender {
  amendment_count: number;
  method: string;
}

interface StateOfTender extends LockedTender {
  /** In enquiries, with the enquiry period over: bids are due, whether or not the worker has moved it yet. */
  tendering_due: boolean;
}

/**
 * Sealed bids. Invariant: a bid is accepted only while the tender row is share-locked and the database
 * clock is before the deadline, so the closer (which takes the row for update) sees every accepted bid and no late one.
 */
@Injectable()
export class BidsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: DealLogWriter,
    private readonly closing: TenderClosingService,
  ) {}

  async place(
    supplierId: string,
    tenderId: string,
    input: BidInput,
    idempotencyKey?: string,
  ): Promise<{ bid: OwnBidView; replayed: boolean }> {
    // The hot path of bid intake: a new bid that passes every check is written by BID_PLACE_WRITE alone, one
    // statement that checks it all with the tender row and the lots share-locked. Anything else (a refusal, a
    // withdrawn bid to replace, a retry with its Idempotency-Key) takes the loop below: BID_PLACE_STATE reads
    // what the bid is checked against and names the reason, or lets the bid through to the write again.
    const fresh = await this.placeFresh(supplierId, tenderId, input, idempotencyKey);
    if (fresh) return { bid: fresh, replayed: false };
    let movedIntoTendering = false;
    for (let attempt = 1; ; attempt++) {
      const [state] = await BID_PLACE_STATE.run<PlaceState>(this.dataSource, [
        tenderId,
        supplierId,
        input.lots.map((l) => l.lotId),
        idempotencyKey ?? null,
      ]);
      if (state?.supplier?.kind !== 'supplier' || state.supplier.status !== 'active') {
        await assertActing(this.dataSource.manager, supplierId, 'supplier');
      }
      if (idempotencyKey && state?.replay) {
        return {
          bid: await this.replay(this.dataSource.manager, supplierId, tenderId, input, idempotencyKey),
          replayed: true,
        };
      }
      if (state?.tendering_due && !movedIntoTendering) {
        // The API checks the time itself: the enquiry period is over, so bids are taken even if the worker has
        // not moved the tender yet. The move (once, with its tender.tendering event) commits before the bid.
        movedIntoTendering = true;
        await this.closing.startTendering([tenderId]);
        continue;
      }
      const tender = this.assertAcceptingBids(state, tenderId);
      if (!state!.may_bid) throw quotationOfferRequired();
      this.assertLotsAgainst(tender, state!.lots, input);
      const existing = state!.existing;
      if (existing && existing.status !== 'withdrawn') {
        throw new BidAlreadyExistsError('You already have a bid on this tender; change it instead', {
          bidId: existing.id,
        });
      }
      const bidId = existing?.id ?? randomUUID();
      const sealed = sealBid(bidId, tenderId, supplierId, input);
      let written: BidPlaceWritten | undefined;
      try {
        [written] = await BID_PLACE_WRITE.run<BidPlaceWritten>(
          this.dataSource,
          bidPlaceWriteValues(sealed, idempotencyKey ?? null),
        );
      } catch (error) {
        // A request with the same Idempotency-Key placed a bid on another tender in between, and committed:
        // read again, and the key answers for itself (IDEMPOTENCY_KEY_REUSED).
        if (isUniqueViolation(error, 'uq_bids_supplier_idempotency')) continue;
        throw error;
      }
      if (!written?.checked) {
        // The tender, a lot, the supplier or the clock moved on after the first read. Three rounds of that
        // in a row mean a tender under constant change: the supplier is asked to try again.
        if (attempt < 3) continue;
        throw new BidTenderChangingError('The tender changed while the bid was placed; send it again', {
          tenderId,
        });
      }
      if (!written.submitted_at) {
        // Another request of the same supplier placed a bid in between (the unique index decided) and
        // committed. If it carried this Idempotency-Key, it was this very bid: read again to answer with it.
        if (idempotencyKey) continue;
        throw new BidAlreadyExistsError('You already have a bid on this tender; change it instead', {
          bidId,
        });
      }
      return { bid: placedView(sealed, written.submitted_at), replayed: false };
    }
  }

  /**
   * Writes the bid as a new one, without reading first; undefined when the write refused it or found another
   * bid of the supplier (the caller then reads and answers). Lots named twice are left to the caller's checks.
   */
  private async placeFresh(
    supplierId: string,
    tenderId: string,
    input: BidInput,
    idempotencyKey?: string,
  ): Promise<OwnBidView | undefined> {
    if (new Set(input.lots.map((l) => l.lotId)).size !== input.lots.length) return undefined;
    const sealed = sealBid(randomUUID(), tenderId, supplierId, input);
    try {
      const [written] = await BID_PLACE_WRITE.run<BidPlaceWritten>(
        this.dataSource,
        bidPlaceWriteValues(sealed, idempotencyKey ?? null),
      );
      return written?.submitted_at ? placedView(sealed, written.submitted_at) : undefined;
    } catch (error) {
      // The Idempotency-Key of an earlier bid on another tender: the read names it.
      if (isUniqueViolation(error, 'uq_bids_supplier_idempotency')) return undefined;
      throw error;
    }
  }

  /**
   * Changes prices (and confirms a bid an amendment put on hold): a new salt and commitment. An active bid sent
   * again as it stands (a retried save) is left alone: a change would move it behind the bids of the same
   * price in the tie-break, for nothing.
   */
  async change(supplierId: string, tenderId: string, input: BidInput): Promise<OwnBidView> {
    return this.dataSource.transaction(async (manager) => {
      const tender = await this.lockTenderForBid(manager, tenderId);
      await assertActing(manager, supplierId, 'supplier');
      // A quotation bid is changed only under a current offer, as it is placed: one whose offer has lapsed stands
      // as it was placed (or is withdrawn).
      if (tender.method === 'quotation') {
        const [eligible] = await manager.query<{ may_bid: boolean }[]>(
          `SELECT ${MAY_BID('$2', 'clock_timestamp()')} AS may_bid FROM tenders t WHERE t.id = $1`,
          [tenderId, supplierId],
        );
        if (!eligible?.may_bid) throw quotationOfferRequired();
      }
      await this.assertLots(manager, tender, input);
      const bid = await this.lockOwnBid(manager, supplierId, tenderId);
      const sealed = sealBid(bid.id, tenderId, supplierId, input);
      if (bid.status === 'active' && canonicalJson(bid.content) === canonicalJson(sealed.content)) {
        return this.ownView(manager, supplierId, tenderId);
      }
      await manager.query(
        `UPDATE bids SET status = 'active', commitment = $2, salt = $3, content = $4,
           submitted_at = clock_timestamp(), sequence = nextval('bid_sequence') WHERE id = $1`,
        [bid.id, sealed.commitment, sealed.salt, sealed.content],
      );
      await this.writeLots(manager, bid.id, input);
      await this.log.append(manager, {
        type: 'bid.changed',
        tenderId,
        actorId: null,
        payload: { commitment: sealed.commitment, replaces: bid.commitment },
        sealedPayload: { bidId: bid.id, supplierId },
      });
      await this.assertStillOnTime(manager, tender);
      return this.ownView(manager, supplierId, tenderId);
    });
  }

  /**
   * Confirms an unchanged bid after an amendment changed the terms: the terms as of `amendment`, the tender's
   * amendment count the supplier read. A confirmation never covers an amendment published after that reading
   * (TENDER_AMENDED_SINCE, the bid stays on hold).
   */
  async confirm(supplierId: string, tenderId: string, amendment: number): Promise<OwnBidView> {
    return this.dataSource.transaction(async (manager) => {
      const tender = await this.lockTenderForBid(manager, tenderId);
      await assertActing(manager, supplierId, 'supplier');
      const bid = await this.lockOwnBid(manager, supplierId, tenderId);
      // Confirming a bid that awaits nothing (confirmed already, or never held) changes and logs nothing.
      if (bid.status === 'active') return this.ownView(manager, supplierId, tenderId);
      if (amendment !== tender.amendment_count) {
        throw new TenderAmendedSinceError(
          `The tender has had ${tender.amendment_count} amendments, not ${amendment}: read it again before confirming`,
          { amendmentCount: tender.amendment_count },
        );
      }
      // An amendment may have lowered a maximum price below this bid's: such a bid is changed, not confirmed.
      const [above] = await manager.query<{ lot_id: string; estimate: string }[]>(
        `SELECT bl.lot_id, l.estimate::text AS estimate FROM bid_lots bl JOIN lots l ON l.id = bl.lot_id
          WHERE bl.bid_id = $1 AND l.status = 'active' AND bl.price > l.estimate ORDER BY l.number LIMIT 1`,
        [bid.id],
      );
      if (above) {
        throw new BidPriceAboveEstimateError(
          `The price for lot ${above.lot_id} is above the lot's maximum price ${above.estimate}; change the bid instead`,
          { lotId: above.lot_id, estimate: above.estimate },
        );
      }
      await manager.query(`UPDATE bids SET status = 'active' WHERE id = $1`, [bid.id]);
      await this.log.append(manager, {
        type: 'bid.confirmed',
        tenderId,
        actorId: null,
        payload: { commitment: bid.commitment, amendment },
        sealedPayload: { bidId: bid.id, supplierId },
      });
      await this.assertStillOnTime(manager, tender);
      return this.ownView(manager, supplierId, tenderId);
    });
  }

  async withdraw(supplierId: string, tenderId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const tender = await this.lockTenderForBid(manager, tenderId, 'withdrawal');
      await assertActing(manager, supplierId, 'supplier');
      const bid = await this.lockOwnBid(manager, supplierId, tenderId);
      await manager.query(`UPDATE bids SET status = 'withdrawn' WHERE id = $1`, [bid.id]);
      await manager.query('DELETE FROM bid_lots WHERE bid_id = $1', [bid.id]);
      await this.log.append(manager, {
        type: 'bid.withdrawn',
        tenderId,
        actorId: null,
        payload: { commitment: bid.commitment },
        sealedPayload: { bidId: bid.id, supplierId },
      });
      await this.assertStillOnTime(manager, tender);
    });
  }

  async own(supplierId: string, tenderId: string): Promise<OwnBidView> {
    return this.ownView(this.dataSource.manager, supplierId, tenderId);
  }

  /**
   * A supplier's bids on all tenders, the most recently placed first. Paged by when each was first placed, which
   * never moves: a bid changed while the supplier pages keeps its place instead of jumping over the cursor.
   */
  async listOwn(supplierId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<Page<OwnBidView>> {
    const params: unknown[] = [supplierId, limit + 1];
    let after = '';
    if (cursor) {
      const [at, id] = decodeCursor(cursor, ['instant', 'uuid']);
      params.push(at, id);
      after = 'AND (b.placed_at, b.id) < ($3::timestamptz, $4::uuid)';
    }
    const rows = await this.dataSource.query<(OwnBidView & { placedAt: string })[]>(
      `SELECT ${OWN_BID_COLUMNS}, ${isoUtc('b.placed_at')} AS "placedAt" FROM bids b
        WHERE b.supplier_id = $1 ${after} ORDER BY b.placed_at DESC, b.id DESC LIMIT $2`,
      params,
    );
    const page = toPage(rows, limit, (r) => [r.placedAt, r.id]);
    return { ...page, items: page.items.map(({ placedAt: _placedAt, ...bid }) => bid) };
  }

  private async writeLots(manager: EntityManager, bidId: string, input: BidInput): Promise<void> {
    await manager.query('DELETE FROM bid_lots WHERE bid_id = $1', [bidId]);
    await manager.query(
      `INSERT INTO bid_lots (bid_id, lot_id, price)
       SELECT $1, l."lotId", l.price FROM jsonb_to_recordset($2::jsonb) AS l("lotId" uuid, price numeric)`,
      [bidId, JSON.stringify(input.lots)],
    );
  }

  /** Share-locks the tender row and reads the database clock against the deadline. */
  private async lockTenderForBid(
    manager: EntityManager,
    tenderId: string,
    purpose: 'bid' | 'withdrawal' = 'bid',
  ): Promise<HeldTender> {
    // The clock is read once the row is held, not before a wait for it (see TenderAmendmentsService.lock).
    const [tender] = await manager.query<HeldTender[]>(
      `WITH t AS MATERIALIZED (
         SELECT id, status, method, currency, tender_end, amendment_count, organizer_id FROM tenders WHERE id = $1 FOR SHARE)
       SELECT t.id, t.status, t.method, t.currency, t.tender_end, t.amendment_count, clock_timestamp() < t.tender_end AS on_time,
              ${ORGANIZER_ACTIVE} AS organizer_active
         FROM t`,
      [tenderId],
    );
    return this.assertAcceptingBids(tender, tenderId, purpose);
  }

  private assertAcceptingBids<T extends LockedTender>(
    tender: T | undefined,
    tenderId: string,
    purpose: 'bid' | 'withdrawal' = 'bid',
  ): T {
    if (!tender || tender.status === 'draft')
      throw new TenderNotFoundError('No tender with this id', { id: tenderId });
    if (tender.status === 'active.tendering' && !tender.on_time) {
      throw new BidAfterDeadlineError('The submission deadline has passed', {
        deadline: tender.tender_end.toISOString(),
      });
    }
    if (tender.status !== 'active.tendering') {
      throw new BidOnInactiveTenderError(
        `The tender is ${tender.status}; bids are accepted in active.tendering`,
        {
          status: tender.status,
          required: 'active.tendering',
        },
      );
    }
    if (purpose === 'bid' && !tender.organizer_active) {
      throw new TenderBuyerSuspendedError(
        "The tender's buyer is suspended by an operator; the tender takes no bids until it is reinstated",
        { tenderId },
      );
    }
    return tender;
  }

  /** The last statement before commit: a bid that reaches it after the deadline is rolled back. */
  private async assertStillOnTime(manager: EntityManager, tender: LockedTender): Promise<void> {
    const [row] = await manager.query<{ on_time: boolean }[]>(
      'SELECT clock_timestamp() < $1::timestamptz AS on_time',
      [tender.tender_end],
    );
    if (!row?.on_time) {
      throw new BidAfterDeadlineError('The submission deadline has passed', {
        deadline: tender.tender_end.toISOString(),
      });
    }
  }

  private async assertLots(manager: EntityManager, tender: LockedTender, input: BidInput): Promise<void> {
    const lots = await manager.query<{ id: string; estimate: string; status: string }[]>(
      'SELECT id, estimate::text, status FROM lots WHERE tender_id = $1 AND id = ANY($2::uuid[])',
      [tender.id, input.lots.map((l) => l.lotId)],
    );
    this.assertLotsAgainst(tender, lots, input);
  }

  private assertLotsAgainst(
    tender: LockedTender,
    lots: { id: string; estimate: string; status: string }[],
    input: BidInput,
  ): void {
    if (input.currency !== tender.currency) {
      throw new BidCurrencyMismatchError(`Bids on this tender are in ${tender.currency}`, {
        field: 'currency',
        expected: tender.currency,
      });
    }
    const ids = input.lots.map((l) => l.lotId);
    if (new Set(ids).size !== ids.length)
      throw new BidLotInvalidError('A lot appears twice', { field: 'lots' });
    input.lots.forEach((bidLot, i) => {
      const lot = lots.find((l) => l.id === bidLot.lotId);
      if (!lot || lot.status !== 'active') {
        throw new BidLotInvalidError('No active lot with this id in this tender', {
          field: `lots.${i}.lotId`,
        });
      }
      const price = parseAmount(bidLot.price);
      if (price <= 0n)
        throw new BidLotInvalidError('The price must be positive', { field: `lots.${i}.price` });
      if (price > parseAmount(lot.estimate)) {
        throw new BidPriceAboveEstimateError(`The price is above the lot's maximum price ${lot.estimate}`, {
          field: `lots.${i}.price`,
          estimate: lot.estimate,
        });
      }
    });
  }

  private async lockOwnBid(manager: EntityManager, supplierId: string, tenderId: string) {
    const [bid] = await manager.query<
      { id: string; status: string; commitment: string; content: SealedBid['content'] }[]
    >(
      `SELECT id, status, commitment, content FROM bids WHERE tender_id = $1 AND supplier_id = $2
         AND status IN ('active', 'pending_confirmation') FOR UPDATE`,
      [tenderId, supplierId],
    );
    if (!bid) throw new BidNotFoundError('You have no bid on this tender', { tenderId });
    return bid;
  }

  private async replay(
    manager: EntityManager,
    supplierId: string,
    tenderId: string,
    input: BidInput,
    key: string,
  ): Promise<OwnBidView> {
    const [bid] = await manager.query<
      {
        tender_id: string;
        content: { currency: string; lots: BidInput['lots']; documents?: BidDocument[] };
        idempotency_request: string | null;
      }[]
    >(
      'SELECT tender_id, content, idempotency_request FROM bids WHERE supplier_id = $1 AND idempotency_key = $2',
      [supplierId, key],
    );
    if (!bid) throw new BidNotFoundError('No bid with this Idempotency-Key', { header: 'Idempotency-Key' });
    const asked = input.lots
      .map((l) => ({ lotId: l.lotId, price: formatAmount(parseAmount(l.price)) }))
      .sort((a, b) => a.lotId.localeCompare(b.lotId));
    const documents = sealedDocuments(input);
    // A bid placed before fingerprints were kept is compared with its content, as it stands.
    const same =
      bid.idempotency_request !== null
        ? bid.idempotency_request ===
          idempotencyFingerprint({ tenderId, currency: input.currency, lots: asked, documents })
        : bid.tender_id === tenderId &&
          bid.content.currency === input.currency &&
          canonicalJson(bid.content.lots) === canonicalJson(asked) &&
          canonicalJson(bid.content.documents ?? []) === canonicalJson(documents);
    if (!same) {
      throw new IdempotencyKeyReusedError('This Idempotency-Key was used for a different request', {
        header: 'Idempotency-Key',
      });
    }
    return this.ownView(manager, supplierId, tenderId);
  }

  private async ownView(manager: EntityManager, supplierId: string, tenderId: string): Promise<OwnBidView> {
    const [row] = await manager.query<OwnBidView[]>(
      `${OWN_BID_SELECT} WHERE b.supplier_id = $1 AND b.tender_id = $2`,
      [supplierId, tenderId],
    );
    if (!row || row.status === 'withdrawn')
      throw new BidNotFoundError('You have no bid on this tender', { tenderId });
    return row;
  }
}

/** A bid as it will be revealed, with its salt and commitment. */
export interface SealedBid {
  content: {
    bidId: string;
    tenderId: string;
    supplierId: string;
    currency: string;
    lots: { lotId: string; price: string }[];
    /** Present only when the bid has documents, so a bid without keeps the content it always had. */
    documents?: BidDocument[];
  };
  salt: string;
  commitment: string;
}

/** Seals a bid: a new salt, and the commitment to the content it will reveal. */
export function sealBid(bidId: string, tenderId: string, supplierId: string, input: BidInput): SealedBid {
  // Prices in the revealed content read exactly as the published ones: two decimals.
  const lots = input.lots
    .map((l) => ({ lotId: l.lotId, price: formatAmount(parseAmount(l.price)) }))
    .sort((a, b) => a.lotId.localeCompare(b.lotId));
  const documents = sealedDocuments(input);
  const content: SealedBid['content'] = { bidId, tenderId, supplierId, currency: input.currency, lots };
  if (documents.length > 0) content.documents = documents;
  const salt = newSalt();
  return { content, salt, commitment: bidCommitment(content, salt) };
}

/** A bid's documents as sealed and revealed: exactly title, url and sha256, as given and in that order. */
function sealedDocuments(input: BidInput): BidDocument[] {
  return (input.documents ?? []).map(({ title, url, sha256 }) => ({ title, url, sha256 }));
}

/** The supplier's view of a bid BID_PLACE_WRITE has just written. */
function placedView(sealed: SealedBid, submittedAt: string): OwnBidView {
  const { bidId, tenderId, currency, lots, documents = [] } = sealed.content;
  return {
    id: bidId,
    tenderId,
    status: 'active',
    currency,
    lots,
    documents,
    commitment: sealed.commitment,
    submittedAt,
  };
}

/** What BID_PLACE_WRITE answers: whether the checks held, and when the bid was written (null: it was not). */
export interface BidPlaceWritten {
  checked: boolean;
  submitted_at: string | null;
}

/** The values of BID_PLACE_WRITE for a sealed bid. */
export function bidPlaceWriteValues(sealed: SealedBid, idempotencyKey: string | null): unknown[] {
  const { bidId, tenderId, supplierId, currency, lots, documents = [] } = sealed.content;
  return [
    bidId,
    tenderId,
    supplierId,
    sealed.commitment,
    sealed.salt,
    sealed.content,
    idempotencyKey,
    JSON.stringify(lots),
    JSON.stringify({ commitment: sealed.commitment }),
    JSON.stringify({ bidId, supplierId }),
    currency,
    idempotencyKey === null ? null : idempotencyFingerprint({ tenderId, currency, lots, documents }),
  ];
}

/**
 * What an Idempotency-Key is checked against on a retry: the SHA-256 of the canonical JSON of the request as
 * sealed (tender, currency, prices to two decimals in lot order, documents as given). Kept apart from the bid,
 * which a change rewrites.
 */
function idempotencyFingerprint(request: {
  tenderId: string;
  currency: string;
  lots: { lotId: string; price: string }[];
  documents: BidDocument[];
}): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

interface PlaceState extends StateOfTender {
  method: string;
  /** Whether the supplier may bid on this tender's method now (see MAY_BID). */
  may_bid: boolean;
  supplier: { kind: string; status: string } | null;
  lots: { id: string; estimate: string; status: string }[];
  existing: { id: string; status: string } | null;
  replay: boolean;
}

const quotationOfferRequired = () =>
  new QuotationOfferRequiredError(
    'This quotation session is open to suppliers with a current offer for its catalogue item, in its currency, ' +
      'delivering to its city, for no more than the quantity it buys; add such an offer to the catalogue first',
  );

/** Whether a tender's organiser (alias t) is active: an operator may have suspended it. */
const ORGANIZER_ACTIVE = `coalesce((SELECT bo.status = 'active' FROM organizations bo WHERE bo.id = t.organizer_id), false)`;

/**
 * Whether the supplier ($supplier) may bid on a quotation session (alias t) at `at`: a quotation session is open
 * to the suppliers with a current offer for its catalogue item, in its currency, delivering to its item's city
 * (directly, or to the city's region or country) and for at most the quantity it buys. An offer of the card the
 * item was merged into counts as one for the item; a card archived since takes no new offers, so only the
 * suppliers whose offers were current then can still bid.
 */
const QUOTATION_OFFER = (supplier: string, at: string) => `EXISTS (
  SELECT 1 FROM tender_items qi
    JOIN cities qc ON qc.id = qi.delivery_city_id
    JOIN catalog_items qci ON qci.id = qi.catalog_item_id
    -- A card merged since publication has its offers on the card that replaced it (merges repoint to the last).
    JOIN catalog_offers qo ON qo.item_id IN (qci.id, qci.merged_into_id)
   WHERE qi.tender_id = t.id AND qo.supplier_organization_id = ${supplier} AND qo.status = 'active'
     AND qo.currency = t.currency AND qo.valid_from <= ${at} AND qo.valid_until > ${at}
     AND qo.min_quantity <= qi.quantity
     AND qo.delivery_area && ARRAY['c:' || qc.id::text, 'r:' || qc.country || ':' || qc.region, 'k:' || qc.country])`;

/** Whether the supplier ($supplier) may bid on the tender (alias t) at `at`: on a quotation session, QUOTATION_OFFER. */
const MAY_BID = (supplier: string, at: string) =>
  `(t.method <> 'quotation' OR ${QUOTATION_OFFER(supplier, at)})`;

/**
 * Everything a bid is checked against, read in one statement to name the reason of a refusal (nothing is locked:
 * BID_PLACE_WRITE checks again).
 */
export const BID_PLACE_STATE = new PreparedStatement(
  'bid-place-state',
  `
SELECT t.id, t.status, t.currency, t.tender_end, clock_timestamp() < t.tender_end AS on_time,
       ${ORGANIZER_ACTIVE} AS organizer_active,
       t.status = 'active.enquiries' AND t.enquiry_end <= clock_timestamp() AS tendering_due,
       t.method, ${MAY_BID('$2', 'clock_timestamp()')} AS may_bid,
       (SELECT jsonb_build_object('kind', o.kind, 'status', o.status) FROM organizations o WHERE o.id = $2) AS supplier,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('id', l.id, 'estimate', l.estimate::text, 'status', l.status)), '[]')
          FROM lots l WHERE l.tender_id = t.id AND l.id = ANY($3::uuid[])) AS lots,
       (SELECT jsonb_build_object('id', b.id, 'status', b.status) FROM bids b
         WHERE b.tender_id = t.id AND b.supplier_id = $2) AS existing,
       EXISTS (SELECT 1 FROM bids b WHERE b.supplier_id = $2 AND b.idempotency_key = $4) AS replay
  FROM tenders t WHERE t.id = $1`,
);

/**
 * One statement, one transaction: share-locks the tender row and then the lots bid on (the order amendments and
 * closing lock them in), checks everything a bid must pass (the tender accepting bids, the
 * database clock before the deadline, the currency, an active supplier, every lot active with the price at most
 * its estimate) and only then writes the bid, its prices and its sealed event. Locked rows are read as they are
 * once the lock is granted, not as the statement's snapshot had them, and the clock is read after the locks: a bid
 * that waited for an amendment is checked against the amended lots, one that waited for a closing sees it closed.
 * A withdrawn bid of the same id is replaced (its prices were deleted at withdrawal); any other bid of the
 * supplier is left alone (checked, but no submitted_at). The event columns are DealLogWriter's.
 */
export const BID_PLACE_WRITE = new PreparedStatement(
  'bid-place-write',
  `
WITH t AS MATERIALIZED (
  SELECT id, status, method, currency, tender_end, organizer_id FROM tenders WHERE id = $2 FOR SHARE),
clock AS MATERIALIZED (
  -- Read once the tender's row is held: the time the deadline is checked against is the bid's submission time and
  -- its event's, so a logged bid never carries a time past the deadline it was accepted under.
  SELECT clock_timestamp() AS at FROM t),
asked AS (
  SELECT l."lotId" AS lot_id, l.price FROM jsonb_to_recordset($8::jsonb) AS l("lotId" uuid, price numeric)),
lots_now AS MATERIALIZED (
  SELECT l.id, l.status, l.estimate FROM t JOIN lots l ON l.tender_id = t.id
   WHERE l.id IN (SELECT lot_id FROM asked) FOR SHARE OF l),
ok AS MATERIALIZED (
  SELECT 1 FROM t
   WHERE t.status = 'active.tendering' AND t.currency = $11 AND (SELECT at FROM clock) < t.tender_end
     AND EXISTS (SELECT 1 FROM organizations o WHERE o.id = $3 AND o.kind = 'supplier' AND o.status = 'active')
     AND ${ORGANIZER_ACTIVE}
     AND ${MAY_BID('$3', '(SELECT at FROM clock)')}
     AND (SELECT count(*) FROM asked a JOIN lots_now l ON l.id = a.lot_id
           WHERE l.status = 'active' AND a.price > 0 AND a.price <= l.estimate)
         = (SELECT count(*) FROM asked)),
bid AS (
  INSERT INTO bids (id, tender_id, supplier_id, status, commitment, salt, content, submitted_at, sequence,
    idempotency_key, idempotency_request)
  SELECT $1, $2, $3, 'active', $4, $5, $6, (SELECT at FROM clock), nextval('bid_sequence'), $7, $12 FROM ok
  ON CONFLICT (tender_id, supplier_id) DO UPDATE SET status = 'active', commitment = EXCLUDED.commitment,
    salt = EXCLUDED.salt, content = EXCLUDED.content, submitted_at = EXCLUDED.submitted_at,
    sequence = EXCLUDED.sequence, idempotency_key = EXCLUDED.idempotency_key,
    idempotency_request = EXCLUDED.idempotency_request
  WHERE bids.status = 'withdrawn' AND bids.id = EXCLUDED.id
  RETURNING id, submitted_at),
prices AS (
  INSERT INTO bid_lots (bid_id, lot_id, price) SELECT bid.id, a.lot_id, a.price FROM bid, asked a),
event AS (
  INSERT INTO deal_events (type, tender_id, actor_id, payload, sealed_payload, txid, occurred_at)
  SELECT 'bid.submitted', $2, NULL, $9::jsonb, $10::jsonb, pg_current_xact_id()::text::bigint, bid.submitted_at
    FROM bid)
SELECT EXISTS (SELECT 1 FROM ok) AS checked,
       to_char((SELECT submitted_at FROM bid) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS submitted_at`,
);

/** A supplier's own view of its bid (alias b). */
const OWN_BID_COLUMNS = `
       b.id, b.tender_id AS "tenderId", b.status, b.content->>'currency' AS currency,
       coalesce((SELECT jsonb_agg(jsonb_build_object('lotId', bl.lot_id, 'price', bl.price::text) ORDER BY bl.lot_id)
                   FROM bid_lots bl WHERE bl.bid_id = b.id), '[]') AS lots,
       coalesce(b.content->'documents', '[]') AS documents, b.commitment, to_char(b.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "submittedAt"`;

const OWN_BID_SELECT = `SELECT ${OWN_BID_COLUMNS} FROM bids b`;
