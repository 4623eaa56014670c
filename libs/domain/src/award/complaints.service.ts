import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DealLogWriter } from '../deal-log/deal-log.writer';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../pagination/cursor';
import type { TenderStatus } from '../procurement/rules/tender-state';
import { cancelLot } from '../tender/tender-progress';
import { TenderNotFoundError } from '../tender/tender.errors';
import {
  AwardNotFoundError,
  AwardStateError,
  ComplaintExistsError,
  ComplaintNotFoundError,
  ComplaintPeriodOverError,
  ComplaintStateError,
  NotABidderError,
} from './award.errors';
import type { ComplaintStatus } from './complaint.entity';
import { isoUtc } from '../database/sql-time';
import { assertActing } from '../tender/acting-organization';

export interface ComplaintView {
  id: string;
  tenderId: string;
  lotId: string;
  awardId: string;
  complainant: { id: string; legalName: string };
  text: string;
  status: ComplaintStatus;
  decisionReason: string | null;
  filedAt: string;
  decidedAt: string | null;
}

const VIEW = `SELECT c.id, c.tender_id AS "tenderId", c.lot_id AS "lotId", c.award_id AS "awardId",
    json_build_object('id', o.id, 'legalName', o.legal_name) AS complainant, c.text, c.status,
    c.decision_reason AS "decisionReason", ${isoUtc('c.filed_at')} AS "filedAt", ${isoUtc('c.decided_at')} AS "decidedAt"
  FROM complaints c JOIN organizations o ON o.id = c.complainant_id`;

export type ComplaintDecision = 'upheld' | 'dismissed';

/**
 * Complaints during the stand-still (the brief: "a stand-still period lets losers complain"; complaints are
 * public). A supplier that bid on the lot, and did not win it, files one against the accepted award while its
 * stand-still runs; while it is pending no contract of the award can be signed. An operator decides it:
 * dismissed, the contracts may be signed; upheld, the lot is cancelled with its award and contracts, for the
 * buyer to procure again. A complaint whose award is cancelled first (its lot or tender cancelled) is closed.
 * Each step is an event of the deal log.
 */
@Injectable()
export class ComplaintsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: DealLogWriter,
  ) {}

  async file(supplierId: string, tenderId: string, awardId: string, text: string): Promise<ComplaintView> {
    return this.dataSource.transaction(async (manager) => {
      // The tender's row, as signing a contract locks it: a complaint and a signature do not pass each other.
      const tender = await this.lockTender(manager, tenderId);
      await assertActing(manager, supplierId, 'supplier');
      const [award] = await manager.query<
        { lot_id: string; supplier_id: string; status: string; standstill_end: Date | null; open: boolean }[]
      >(
        // The clock after the tender's lock: a signature that committed meanwhile came after the stand-still,
        // and so does this complaint.
        `SELECT lot_id, supplier_id, status, standstill_end,
                coalesce(clock_timestamp() < standstill_end, false) AS open
           FROM awards WHERE id = $1 AND tender_id = $2`,
        [awardId, tender.id],
      );
      if (!award) throw new AwardNotFoundError('No award with this id in this tender', { id: awardId });
      if (award.status !== 'active') {
        throw new AwardStateError(
          `The award is ${award.status}; complaints are filed against an accepted award during its stand-still`,
          { status: award.status, required: 'active' },
        );
      }
      if (!award.open) {
        throw new ComplaintPeriodOverError('The stand-still period is over; complaints are no longer taken', {
          standstillEnd: award.standstill_end?.toISOString() ?? null,
        });
      }
      const [bidder] = await manager.query<unknown[]>(
        `SELECT 1 FROM bids b JOIN bid_lots bl ON bl.bid_id = b.id
          WHERE b.tender_id = $1 AND b.supplier_id = $2 AND bl.lot_id = $3 AND b.status = 'opened'`,
        [tender.id, supplierId, award.lot_id],
      );
      if (!bidder || award.supplier_id === supplierId) {
        throw new NotABidderError('Only a supplier whose bid on the lot did not win may complain');
      }
      const [created] = await manager.query<{ id: string }[]>(
        `INSERT INTO complaints (tender_id, lot_id, award_id, complainant_id, text) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (award_id, complainant_id) DO NOTHING RETURNING id`,
        [tender.id, award.lot_id, awardId, supplierId, text],
      );
      if (!created) {
        throw new ComplaintExistsError('You have already complained about this award', { awardId });
      }
      await this.log.append(manager, {
        type: 'complaint.filed',
        tenderId: tender.id,
        actorId: supplierId,
        payload: { complaintId: created.id, awardId, lotId: award.lot_id, complainantId: supplierId, text },
      });
      return this.view(manager, created.id);
    });
  }

  async decide(
    operatorId: string,
    complaintId: string,
    decision: ComplaintDecision,
    reason: string,
  ): Promise<ComplaintView> {
    return this.dataSource.transaction(async (manager) => {
      const [found] = await manager.query<{ tender_id: string }[]>(
        'SELECT tender_id FROM complaints WHERE id = $1',
        [complaintId],
      );
      if (!found) throw new ComplaintNotFoundError('No complaint with this id', { id: complaintId });
      const tender = await this.lockTender(manager, found.tender_id);
      const [complaint] = await manager.query<
        { status: string; lot_id: string; award_id: string; award_status: string }[]
      >(
        `SELECT c.status, c.lot_id, c.award_id, a.status AS award_status
           FROM complaints c JOIN awards a ON a.id = c.award_id WHERE c.id = $1 FOR UPDATE OF c`,
        [complaintId],
      );
      if (complaint!.status !== 'pending') {
        throw new ComplaintStateError(
          `The complaint is ${complaint!.status}; only a pending one is decided`,
          {
            status: complaint!.status,
            required: 'pending',
          },
        );
      }
      // A pending complaint's award is in force: cancelling the award closes the complaint (cancelAwards).
      if (complaint!.award_status !== 'active') {
        throw new AwardStateError(
          `The award is ${complaint!.award_status}; there is nothing left to decide`,
          {
            status: complaint!.award_status,
            required: 'active',
          },
        );
      }
      await manager.query(
        `UPDATE complaints SET status = $2, decision_reason = $3, decided_by = $4, decided_at = now() WHERE id = $1`,
        [complaintId, decision, reason, operatorId],
      );
      await this.log.append(manager, {
        type: 'complaint.decided',
        tenderId: tender.id,
        actorId: operatorId,
        payload: { complaintId, awardId: complaint!.award_id, decision, reason },
      });
      if (decision === 'upheld') {
        // The award falls with its lot; other complaints pending about it are closed, each with its event.
        const cancelled = await cancelLot(
          manager,
          this.log,
          tender,
          complaint!.lot_id,
          `complaint ${complaintId} upheld: ${reason}`,
          operatorId,
        );
        if (!cancelled) throw new Error(`the lot of complaint ${complaintId} is not active`);
      }
      return this.view(manager, complaintId);
    });
  }

  /** A published tender's complaints, oldest first, paged by (filedAt, id). */
  async listForTender(
    tenderId: string,
    limit = DEFAULT_PAGE_SIZE,
    cursor?: string,
  ): Promise<Page<ComplaintView>> {
    const [tender] = await this.dataSource.query<{ status: string }[]>(
      'SELECT status FROM tenders WHERE id = $1',
      [tenderId],
    );
    if (!tender || tender.status === 'draft')
      throw new TenderNotFoundError('No tender with this id', { id: tenderId });
    return this.page('c.tender_id = $1', [tenderId], limit, cursor);
  }

  /** Every complaint, or those of one status (operators' queue: pending), oldest first. */
  async list(status: ComplaintStatus | undefined, limit = DEFAULT_PAGE_SIZE, cursor?: string) {
    return status
      ? this.page('c.status = $1', [status], limit, cursor)
      : this.page('true', [], limit, cursor);
  }

  private async page(
    where: string,
    params: unknown[],
    limit: number,
    cursor?: string,
  ): Promise<Page<ComplaintView>> {
    const values = [...params];
    let after = '';
    if (cursor) {
      const [at, id] = decodeCursor(cursor, ['instant', 'uuid']);
      values.push(at, id);
      after = ` AND (c.filed_at, c.id) > ($${values.length - 1}::timestamptz, $${values.length}::uuid)`;
    }
    values.push(limit + 1);
    const rows = await this.dataSource.query<ComplaintView[]>(
      `${VIEW} WHERE ${where}${after} ORDER BY c.filed_at, c.id LIMIT $${values.length}`,
      values,
    );
    return toPage(rows, limit, (c) => [c.filedAt, c.id]);
  }

  private async view(manager: EntityManager, id: string): Promise<ComplaintView> {
    const [row] = await manager.query<ComplaintView[]>(`${VIEW} WHERE c.id = $1`, [id]);
    return row!;
  }

  private async lockTender(
    manager: EntityManager,
    tenderId: string,
  ): Promise<{ id: string; status: TenderStatus }> {
    const [tender] = await manager.query<{ id: string; status: TenderStatus }[]>(
      'SELECT id, status FROM tenders WHERE id = $1 FOR UPDATE',
      [tenderId],
    );
    if (!tender || tender.status === 'draft')
      throw new TenderNotFoundError('No tender with this id', { id: tenderId });
    return tender;
  }
}
