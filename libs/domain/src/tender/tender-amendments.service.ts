import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { IdempotencyKeyReusedError } from '../bid/bid.errors';
import { isUniqueViolation } from '../database/pg-errors';
import { DealLogWriter } from '../deal-log/deal-log.writer';
import { canonicalJson } from '../procurement/rules/commitment';
import { formatAmount, MAX_TOTAL_MINOR, parseAmount, splitByShares } from '../procurement/rules/money';
import { isTerminal, type TenderStatus } from '../procurement/rules/tender-state';
import { TenderClosingScheduler } from './tender-closing.scheduler';
import { OPEN_BIDS_ON_LATE_CANCELLATION } from './tender-closing.service';
import { assertActing } from './acting-organization';
import { assertDeadlineHorizon, assertDeliveryAfterDeadline, assertSubmissionPeriod } from './tender-periods';
import { cancelAwards, cancelLot } from './tender-progress';
import {
  DeadlineExtensionRequiredError,
  LotNotFoundError,
  lotNotActive,
  NothingToAmendError,
  TenderDeadlinePassedError,
  NotTheBuyerError,
  TenderInvalidError,
  TenderLimitError,
  TenderNotFoundError,
  TenderStateError,
  QuotationNotAmendableError,
} from './tender.errors';

export interface AmendmentInput {
  rationale: string;
  title?: string;
  description?: string;
  tenderEnd?: Date;
  lots?: { lotId: string; title?: string; estimate?: string }[];
  addDocuments?: { title: string; url: string; sha256: string }[];
}

interface LockedTender {
  id: string;
  status: TenderStatus;
  organizer_id: string;
  method: string;
  title: string;
  description: string;
  enquiry_end: Date | null;
  tender_end: Date;
  clarifications_until: Date | null;
  /** When bids open: the end of the enquiry period, or the publication. Null only for a draft, never amended. */
  tender_start: Date;
  now: Date;
  amendment_count: number;
}

const AMENDABLE = ['active.enquiries', 'active.tendering'];

/**
 * At most this many amendments and documents make one tender. Each OCDS release of a process repeats its
 * documents, so a process's release package grows with amendments times documents: 800 amendments adding
 * documents made it 147 MB, built on the API's one thread while every other request waited. A tender that needs
 * more is a new tender.
 */
export const MAX_AMENDMENTS = 100;
export const MAX_TENDER_DOCUMENTS = 200;

/** Amendments during enquiries and tendering, and cancellation of a tender or a lot before its contract is signed. */
@Injectable()
export class TenderAmendmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: DealLogWriter,
    private readonly config: AppConfig,
    private readonly scheduler: TenderClosingScheduler,
  ) {}

  /**
   * Keeps the rationale and the values replaced. A change of terms (anything but a later deadline) puts every
   * active bid on hold until its supplier confirms or changes it, and needs at least AMENDMENT_MIN_DAYS_LEFT days
   * left before the deadline (extended by the same amendment if need be).
   */
  async amend(
    buyerId: string,
    tenderId: string,
    input: AmendmentInput,
    idempotencyKey?: string,
  ): Promise<{ number: number; termsChanged: boolean; replayed: boolean }> {
    const requestHash = createHash('sha256')
      .update(canonicalJson(JSON.parse(JSON.stringify(input)) as unknown))
      .digest('hex');
    const result = await this.dataSource.transaction(async (manager) => {
      const tender = await this.lock(manager, tenderId, buyerId);
      // Under the tender's lock: a retry finds the amendment its first request made, whatever the tender is now.
      if (idempotencyKey) {
        // The key is the organiser's, across its tenders, as a supplier's is across its bids.
        const [earlier] = await manager.query<
          { tender_id: string; number: number; terms_changed: boolean; request_hash: string }[]
        >(
          `SELECT tender_id, number, terms_changed, request_hash FROM tender_amendments
            WHERE organizer_id = $1 AND idempotency_key = $2`,
          [buyerId, idempotencyKey],
        );
        if (earlier) {
          if (earlier.tender_id !== tenderId || earlier.request_hash !== requestHash) {
            throw new IdempotencyKeyReusedError('This Idempotency-Key was used for a different request', {
              header: 'Idempotency-Key',
            });
          }
          return { number: earlier.number, termsChanged: earlier.terms_changed, replayed: true } as const;
        }
      }
      // A request of a few hours is cancelled and posted again rather than amended: an amendment would put the
      // bids on hold, and their suppliers would have hours at most to confirm them.
      if (tender.method === 'quotation' && AMENDABLE.includes(tender.status)) {
        throw new QuotationNotAmendableError(
          'A quotation session is not amended; cancel it and publish a new one',
          { method: tender.method },
        );
      }
      if (!AMENDABLE.includes(tender.status)) {
        throw new TenderStateError(
          `The tender is ${tender.status}; it can be amended during enquiries or tendering`,
          {
            status: tender.status,
            required: AMENDABLE,
          },
        );
      }
      // Past the deadline the bids are final, even while the closing waits (for the sweep, or for an answer):
      // a later deadline now would reopen bidding after it.
      if (tender.now >= tender.tender_end) {
        throw new TenderDeadlinePassedError(
          'The submission deadline has passed; the tender can no longer be amended, only cancelled',
          { deadline: tender.tender_end.toISOString() },
        );
      }
      if (tender.amendment_count >= MAX_AMENDMENTS) {
        throw new TenderLimitError(
          `A tender takes at most ${MAX_AMENDMENTS} amendments; cancel it and publish a new one`,
          { field: 'amendments', limit: MAX_AMENDMENTS },
        );
      }
      if (input.addDocuments?.length) {
        const [{ documents }] = await manager.query<[{ documents: number }]>(
          `SELECT count(*)::int AS documents FROM tender_documents WHERE tender_id = $1`,
          [tenderId],
        );
        if (documents + input.addDocuments.length > MAX_TENDER_DOCUMENTS) {
          throw new TenderLimitError(
            `A tender holds at most ${MAX_TENDER_DOCUMENTS} documents; it has ${documents}`,
            { field: 'addDocuments', limit: MAX_TENDER_DOCUMENTS, documents },
          );
        }
      }
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      let termsChanged = false;
      if (input.title !== undefined && input.title.trim() !== tender.title) {
        changes.title = { before: tender.title, after: input.title.trim() };
        termsChanged = true;
      }
      if (input.description !== undefined && input.description.trim() !== tender.description) {
        changes.description = { before: tender.description, after: input.description.trim() };
        termsChanged = true;
      }
      const deadline = input.tenderEnd ?? tender.tender_end;
      let clarificationsUntil = tender.clarifications_until;
      if (input.tenderEnd && input.tenderEnd.getTime() !== tender.tender_end.getTime()) {
        if (input.tenderEnd <= tender.now) {
          throw new TenderInvalidError('tenderPeriod.endDate: must be in the future', {
            field: 'tenderPeriod.endDate',
          });
        }
        assertDeadlineHorizon(input.tenderEnd, tender.now);
        if (input.tenderEnd > tender.tender_end)
          await assertDeliveryAfterDeadline(manager, tender.id, input.tenderEnd);
        changes['tenderPeriod.endDate'] = {
          before: tender.tender_end.toISOString(),
          after: input.tenderEnd.toISOString(),
        };
        if (input.tenderEnd < tender.tender_end) {
          await this.assertEarlierDeadline(manager, tender, input.tenderEnd);
          termsChanged = true;
        }
        // Questions are asked until the deadline at the latest: one asked after it would hold the closing. Where
        // they were open until the deadline itself, they stay open until the new one.
        const untilDeadline = tender.clarifications_until?.getTime() === tender.tender_end.getTime();
        if (tender.clarifications_until && (tender.clarifications_until > input.tenderEnd || untilDeadline)) {
          changes.clarificationsUntil = {
            before: tender.clarifications_until.toISOString(),
            after: input.tenderEnd.toISOString(),
          };
          clarificationsUntil = input.tenderEnd;
        }
      }
      const lotIds = (input.lots ?? []).map((l) => l.lotId);
      if (new Set(lotIds).size !== lotIds.length) {
        // Two changes of one lot: the second would record the first's result as the previous value.
        throw new TenderInvalidError('lots: a lot appears twice', { field: 'lots' });
      }
      const lotsChanged = await this.amendLots(manager, tenderId, input.lots ?? [], changes);
      if (lotsChanged.terms) termsChanged = true;
      const estimatesChanged = lotsChanged.estimates;
      if (estimatesChanged) await this.assertTotal(manager, tenderId);
      if (input.addDocuments?.length) {
        // The same file again would change no term, yet put every bid on hold.
        const [known] = await manager.query<{ sha256: string }[]>(
          `SELECT sha256 FROM tender_documents WHERE tender_id = $1 AND sha256 = ANY($2::text[]) LIMIT 1`,
          [tenderId, input.addDocuments.map((d) => d.sha256)],
        );
        if (known) {
          throw new TenderInvalidError('addDocuments: the tender already has this document', {
            field: 'addDocuments',
            sha256: known.sha256,
          });
        }
        changes.documents = { before: null, after: input.addDocuments };
        await manager.query(
          `INSERT INTO tender_documents (tender_id, title, url, sha256)
           SELECT $1, d.title, d.url, d.sha256 FROM jsonb_to_recordset($2::jsonb) AS d(title text, url text, sha256 text)`,
          [tenderId, JSON.stringify(input.addDocuments)],
        );
        termsChanged = true;
      }
      if (Object.keys(changes).length === 0) throw new NothingToAmendError('The amendment changes nothing');
      const minimumMs = this.config.AMENDMENT_MIN_DAYS_LEFT * 86_400_000;
      if (termsChanged && deadline.getTime() - tender.now.getTime() < minimumMs) {
        throw new DeadlineExtensionRequiredError(
          `A change of terms needs at least ${this.config.AMENDMENT_MIN_DAYS_LEFT} days before the deadline; extend tenderPeriod.endDate`,
          {
            field: 'tenderPeriod.endDate',
            earliestDeadline: new Date(tender.now.getTime() + minimumMs).toISOString(),
          },
        );
      }
      const number = tender.amendment_count + 1;
      await manager.query(
        `UPDATE tenders SET title = $2, description = $3, tender_end = $4, amendment_count = $5,
                clarifications_until = $6, updated_at = now()
          WHERE id = $1`,
        [
          tenderId,
          input.title?.trim() ?? tender.title,
          input.description?.trim() ?? tender.description,
          deadline,
          number,
          clarificationsUntil,
        ],
      );
      await manager
        .query(
          `INSERT INTO tender_amendments (tender_id, organizer_id, number, rationale, changes, terms_changed,
             idempotency_key, request_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            tenderId,
            buyerId,
            number,
            input.rationale,
            JSON.stringify(changes),
            termsChanged,
            idempotencyKey ?? null,
            idempotencyKey ? requestHash : null,
          ],
        )
        .catch((error: unknown) => {
          // An amendment of another tender of the organiser took the key meanwhile, and committed.
          if (isUniqueViolation(error, 'uq_tender_amendments_organizer_idempotency')) {
            throw new IdempotencyKeyReusedError('This Idempotency-Key was used for a different request', {
              header: 'Idempotency-Key',
            });
          }
          throw error;
        });
      let heldBids = 0;
      if (termsChanged) {
        // A top-level UPDATE comes back from TypeORM as [rows, affected].
        const [, held] = await manager.query<[unknown[], number]>(
          `UPDATE bids SET status = 'pending_confirmation' WHERE tender_id = $1 AND status = 'active'`,
          [tenderId],
        );
        heldBids = held;
      }
      await this.log.append(manager, {
        type: 'tender.amended',
        tenderId,
        actorId: buyerId,
        payload: {
          number,
          rationale: input.rationale,
          changes,
          termsChanged,
          bidsAwaitingConfirmation: heldBids,
        },
      });
      return { number, termsChanged, deadline, previous: tender.tender_end, replayed: false } as const;
    });
    if (result.replayed) return result;
    if (result.deadline.getTime() !== result.previous.getTime()) {
      await this.scheduler.schedule(tenderId, result.deadline, result.previous);
    }
    return { number: result.number, termsChanged: result.termsChanged, replayed: false };
  }

  async cancel(buyerId: string, tenderId: string, reason: string): Promise<void> {
    const deadline = await this.dataSource.transaction(async (manager) => {
      const tender = await this.lock(manager, tenderId, buyerId);
      await this.assertCancellable(manager, tender, null);
      await manager.query(OPEN_BIDS_ON_LATE_CANCELLATION, [tenderId]);
      await manager.query(
        `UPDATE tenders SET status = 'cancelled', status_reason = $2, updated_at = now() WHERE id = $1`,
        [tenderId, reason],
      );
      await manager.query(
        `UPDATE lots SET status = 'cancelled', status_reason = $2 WHERE tender_id = $1 AND status = 'active'`,
        [tenderId, reason],
      );
      await cancelAwards(manager, this.log, tenderId, null, buyerId, `the tender was cancelled: ${reason}`);
      await this.log.append(manager, {
        type: 'tender.cancelled',
        tenderId,
        actorId: buyerId,
        payload: { reason },
      });
      return tender.tender_end;
    });
    await this.scheduler.unschedule(tenderId, deadline);
  }

  async cancelLot(buyerId: string, tenderId: string, lotId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const tender = await this.lock(manager, tenderId, buyerId);
      // The lot's own state first: a complete lot is named as such, not by the signed contract that completed it.
      const [lot] = await manager.query<{ status: string }[]>(
        'SELECT status FROM lots WHERE id = $1 AND tender_id = $2',
        [lotId, tenderId],
      );
      if (!lot) throw new LotNotFoundError('No lot with this id in this tender', { id: lotId });
      if (lot.status !== 'active') throw lotNotActive(lot.status, 'lotId', 'cancelled');
      await this.assertCancellable(manager, tender, lotId);
      await cancelLot(manager, this.log, tender, lotId, reason, buyerId);
    });
  }

  private async assertCancellable(
    manager: EntityManager,
    tender: LockedTender,
    lotId: string | null,
  ): Promise<void> {
    if (tender.status === 'draft' || isTerminal(tender.status)) {
      throw new TenderStateError(
        `The tender is ${tender.status}; only a published, unfinished tender can be cancelled`,
        {
          status: tender.status,
        },
      );
    }
    const [signed] = await manager.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM contracts WHERE tender_id = $1 AND status = 'signed' AND ($2::uuid IS NULL OR lot_id = $2)`,
      [tender.id, lotId],
    );
    if ((signed?.n ?? 0) > 0) {
      throw new TenderStateError('A contract has been signed; it can no longer be cancelled', {
        status: tender.status,
      });
    }
  }

  /** The lots still on offer add up to no more than a tender's value holds. */
  private async assertTotal(manager: EntityManager, tenderId: string): Promise<void> {
    const max = formatAmount(MAX_TOTAL_MINOR);
    const [row] = await manager.query<{ over: boolean }[]>(
      `SELECT coalesce(sum(estimate), 0) > $2::numeric AS over FROM lots WHERE tender_id = $1 AND status <> 'cancelled'`,
      [tenderId, max],
    );
    if (row?.over) {
      throw new TenderInvalidError(`lots: the estimates add up to more than ${max}`, { field: 'lots' });
    }
  }

  /**
   * A deadline moved earlier still ends after the enquiry period and still gives suppliers the submission period
   * the method needs, counted from when bids open, as when the tender was published.
   */
  private async assertEarlierDeadline(
    manager: EntityManager,
    tender: LockedTender,
    end: Date,
  ): Promise<void> {
    if (tender.enquiry_end && end <= tender.enquiry_end) {
      throw new TenderInvalidError('tenderPeriod.endDate: must be after the enquiry period ends', {
        field: 'tenderPeriod.endDate',
        enquiryEnd: tender.enquiry_end.toISOString(),
      });
    }
    await assertSubmissionPeriod(manager, this.config, tender.organizer_id, tender.tender_start, end);
  }

  /**
   * The lots' part of an amendment, in a fixed number of statements however many lots it names: the lots are read
   * and locked in one, their titles and estimates written in one, and the shares of joint lots whose estimate
   * changed read and written in one each. A lot named that is not an active lot of the tender is refused with its
   * index, before anything is written.
   */
  private async amendLots(
    manager: EntityManager,
    tenderId: string,
    lotChanges: NonNullable<AmendmentInput['lots']>,
    changes: Record<string, { before: unknown; after: unknown }>,
  ): Promise<{ terms: boolean; estimates: boolean }> {
    if (lotChanges.length === 0) return { terms: false, estimates: false };
    const rows = await manager.query<{ id: string; title: string; estimate: string; status: string }[]>(
      `SELECT id, title, estimate::text, status FROM lots
        WHERE tender_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
      [tenderId, lotChanges.map((l) => l.lotId)],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    const writes: { id: string; title: string | null; estimate: string | null }[] = [];
    for (const [i, lotChange] of lotChanges.entries()) {
      const lot = byId.get(lotChange.lotId);
      if (!lot) {
        throw new LotNotFoundError('No lot with this id in this tender', { field: `lots.${i}.lotId` });
      }
      if (lot.status !== 'active') throw lotNotActive(lot.status, `lots.${i}.lotId`, 'amended');
      const title = lotChange.title?.trim();
      const newTitle = title !== undefined && title !== lot.title ? title : null;
      let newEstimate: string | null = null;
      if (lotChange.estimate !== undefined && parseAmount(lotChange.estimate) !== parseAmount(lot.estimate)) {
        newEstimate = formatAmount(parseAmount(lotChange.estimate));
        if (parseAmount(newEstimate) <= 0n) {
          throw new TenderInvalidError(`lots.${i}.estimate: must be positive`, {
            field: `lots.${i}.estimate`,
          });
        }
      }
      if (newTitle !== null || newEstimate !== null)
        writes.push({ id: lot.id, title: newTitle, estimate: newEstimate });
    }
    if (writes.length === 0) return { terms: false, estimates: false };
    const rescaled = await this.rescaleShares(
      manager,
      writes.filter((w) => w.estimate !== null) as { id: string; estimate: string }[],
    );
    for (const write of writes) {
      const lot = byId.get(write.id)!;
      if (write.title !== null) changes[`lots.${write.id}.title`] = { before: lot.title, after: write.title };
      if (write.estimate !== null) {
        changes[`lots.${write.id}.estimate`] = { before: lot.estimate, after: write.estimate };
        const shares = rescaled.get(write.id);
        if (shares) changes[`lots.${write.id}.shares`] = shares;
      }
    }
    await manager.query(
      `UPDATE lots l SET title = coalesce(n.title, l.title), estimate = coalesce(n.estimate, l.estimate)
         FROM unnest($1::uuid[], $2::text[], $3::numeric[]) AS n(id, title, estimate)
        WHERE l.id = n.id`,
      [writes.map((w) => w.id), writes.map((w) => w.title), writes.map((w) => w.estimate)],
    );
    return { terms: true, estimates: writes.some((w) => w.estimate !== null) };
  }

  /**
   * The shares of joint lots after their estimates changed: each lot's split in proportion to its old shares, to
   * the cent, so they still add up exactly to the estimate (rounding each share alone could miss it by cents).
   * Returns each rescaled lot's previous and new shares, which go into the amendment with the other previous values.
   */
  private async rescaleShares(
    manager: EntityManager,
    lots: { id: string; estimate: string }[],
  ): Promise<Map<string, { before: unknown; after: unknown }>> {
    const rescaled = new Map<string, { before: unknown; after: unknown }>();
    if (lots.length === 0) return rescaled;
    const shares = await manager.query<{ lot_id: string; buyer_id: string; amount: string }[]>(
      `SELECT lot_id, buyer_id, amount::text FROM lot_buyer_shares
        WHERE lot_id = ANY($1::uuid[]) ORDER BY lot_id, buyer_id`,
      [lots.map((l) => l.id)],
    );
    if (shares.length === 0) return rescaled;
    const written: { lotId: string; buyerId: string; amount: string }[] = [];
    for (const { id, estimate } of lots) {
      const own = shares.filter((s) => s.lot_id === id);
      if (own.length === 0) continue;
      const amounts = splitByShares(
        estimate,
        own.map((s) => s.amount),
      );
      // A buyer with a part of the lot keeps a part of its price: an estimate so small that a share rounds to
      // nothing would leave that buyer's goods under no contract.
      const lost = own.findIndex(
        (s, i) => parseAmount(s.amount) > 0n && parseAmount(amounts[i] as string) === 0n,
      );
      if (lost >= 0) {
        throw new TenderInvalidError(
          `lots: the new estimate ${estimate} leaves buyer ${own[lost]?.buyer_id}'s share of the lot at nothing`,
          { field: 'lots', lotId: id, buyerId: own[lost]?.buyer_id },
        );
      }
      own.forEach((s, i) => written.push({ lotId: id, buyerId: s.buyer_id, amount: amounts[i] as string }));
      const view = (list: string[]) => own.map((s, i) => ({ buyerId: s.buyer_id, amount: list[i] }));
      rescaled.set(id, {
        before: view(own.map((s) => formatAmount(parseAmount(s.amount)))),
        after: view(amounts),
      });
    }
    await manager.query(
      `UPDATE lot_buyer_shares s SET amount = n.amount
         FROM unnest($1::uuid[], $2::uuid[], $3::numeric[]) AS n(lot_id, buyer_id, amount)
        WHERE s.lot_id = n.lot_id AND s.buyer_id = n.buyer_id`,
      [written.map((w) => w.lotId), written.map((w) => w.buyerId), written.map((w) => w.amount)],
    );
    return rescaled;
  }

  private async lock(manager: EntityManager, tenderId: string, buyerId: string): Promise<LockedTender> {
    // The clock is read once the row is held: in the locking SELECT itself it would be the time before a wait
    // behind a bid's share lock, and an amendment that waited past the deadline would still move it.
    const [tender] = await manager.query<LockedTender[]>(
      `WITH t AS MATERIALIZED (
         SELECT id, status, organizer_id, method, title, description, enquiry_end, tender_end, clarifications_until,
                tender_start, amendment_count
           FROM tenders WHERE id = $1 FOR UPDATE)
       SELECT t.*, clock_timestamp() AS now FROM t`,
      [tenderId],
    );
    if (!tender || (tender.status === 'draft' && tender.organizer_id !== buyerId)) {
      throw new TenderNotFoundError('No tender with this id', { id: tenderId });
    }
    if (tender.organizer_id !== buyerId)
      throw new NotTheBuyerError('Only the tender’s organiser may do this');
    await assertActing(manager, buyerId, 'buyer');
    return tender;
  }
}
