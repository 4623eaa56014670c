import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PriceStatsScheduler } from '../analytics/price-stats.scheduler';
import type { PriceStatsPart } from '../analytics/price-stats.service';
import { AppConfig } from '../config/app-config';
import { DealLogWriter } from '../deal-log/deal-log.writer';
import { acceptAward, type AwardToAccept } from './award-acceptance';
import type { TenderStatus } from '../procurement/rules/tender-state';
import { assertActing } from '../tender/acting-organization';
import { advanceTender, cancelLot, closePendingComplaints } from '../tender/tender-progress';
import { NotTheBuyerError, TenderNotFoundError, TenderStateError } from '../tender/tender.errors';
import {
  AwardNotFoundError,
  AwardStateError,
  ComplaintPendingError,
  ContractNotFoundError,
  ContractStateError,
  StandstillNotOverError,
} from './award.errors';

interface LockedTender {
  id: string;
  status: TenderStatus;
  organizer_id: string;
  method?: string;
}

/**
 * Qualification and contracts: the organiser accepts or rejects the pending award of each lot; a rejection
 * passes the award to the next ranked bid. After the stand-still each buyer signs its contract and the winner
 * confirms it; the tender completes when every lot is decided.
 */
@Injectable()
export class AwardsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: DealLogWriter,
    private readonly config: AppConfig,
    private readonly priceStats: PriceStatsScheduler,
  ) {}

  async accept(buyerId: string, tenderId: string, awardId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const tender = await this.lockTender(manager, tenderId, buyerId, 'active.qualification');
      const award = await this.lockPendingAward(manager, tenderId, awardId);
      await acceptAward(manager, this.log, this.config.STANDSTILL_SECONDS, tenderId, award, buyerId);
      await advanceTender(manager, this.log, tender, buyerId);
    });
  }

  async reject(buyerId: string, tenderId: string, awardId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const tender = await this.lockTender(manager, tenderId, buyerId, 'active.qualification');
      const award = await this.lockPendingAward(manager, tenderId, awardId);
      await manager.query(
        `UPDATE awards SET status = 'unsuccessful', reason = $2, decided_at = now() WHERE id = $1`,
        [awardId, reason],
      );
      await this.log.append(manager, {
        type: 'award.rejected',
        tenderId,
        actorId: buyerId,
        payload: { awardId, lotId: award.lot_id, bidId: award.bid_id, reason },
      });
      const next = await awardNextRanked(manager, this.log, tenderId, award.lot_id, award.rank);
      if (!next) {
        await failLot(manager, this.log, tenderId, award.lot_id, 'every ranked bid was rejected', buyerId);
      }
      await advanceTender(manager, this.log, tender, buyerId);
    });
  }

  /**
   * The buyer of the contract signs it, once the stand-still is over and every lot of the tender is decided
   * (active.awarded): contracts are signed in that state, by the buyer and then by the winner.
   */
  async sign(buyerId: string, contractId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const tender = await this.lockTenderOfContract(manager, contractId);
      const contract = await this.lockContract(manager, contractId);
      if (contract.buyer_id !== buyerId) throw new NotTheBuyerError('Only the contract’s buyer may sign it');
      await assertActing(manager, buyerId, 'buyer');
      if (contract.status !== 'pending') {
        throw new ContractStateError(
          `The contract is ${contract.status}; the buyer signs a pending contract`,
          {
            status: contract.status,
            required: 'pending',
          },
        );
      }
      // A lot of the tender still in qualification holds every contract of it.
      assertTenderState(tender, contract.tender_id, null, 'active.awarded');
      if (!contract.standstill_over) {
        throw new StandstillNotOverError('The stand-still period is not over yet', {
          standstillEnd: contract.standstill_end.toISOString(),
        });
      }
      await assertNoPendingComplaint(manager, contractId);
      await manager.query(
        `UPDATE contracts SET status = 'buyer_signed', buyer_signed_at = now() WHERE id = $1`,
        [contractId],
      );
      await this.log.append(manager, {
        type: 'contract.signed',
        tenderId: contract.tender_id,
        actorId: buyerId,
        payload: { contractId, by: 'buyer' },
      });
    });
  }

  /**
   * The winner confirms the signed contract; the lot and then the tender complete. Once committed, the price
   * statistics of the contract's items are refreshed (debounced, in the worker).
   */
  async confirm(supplierId: string, contractId: string): Promise<void> {
    const parts = await this.dataSource.transaction(async (manager) => {
      const locked = await this.lockTenderOfContract(manager, contractId);
      const contract = await this.lockContract(manager, contractId);
      if (contract.supplier_id !== supplierId) {
        throw new ContractNotFoundError('No contract of yours with this id', { id: contractId });
      }
      await assertActing(manager, supplierId, 'supplier');
      const tender = assertTenderState(locked, contract.tender_id, null, 'active.awarded');
      if (contract.status !== 'buyer_signed') {
        throw new ContractStateError(
          `The contract is ${contract.status}; the winner confirms after the buyer signs`,
          {
            status: contract.status,
            required: 'buyer_signed',
          },
        );
      }
      await assertNoPendingComplaint(manager, contractId);
      await manager.query(
        `UPDATE contracts SET status = 'signed', supplier_signed_at = now() WHERE id = $1`,
        [contractId],
      );
      await this.log.append(manager, {
        type: 'contract.signed',
        tenderId: contract.tender_id,
        actorId: supplierId,
        payload: { contractId, by: 'supplier' },
      });
      await completeLotIfSigned(manager, this.log, contract.tender_id, contract.lot_id, supplierId);
      await advanceTender(manager, this.log, tender, supplierId);
      return manager.query<PriceStatsPart[]>(
        `SELECT DISTINCT left(cpv_code, 2) AS division, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM') AS month
           FROM tender_items WHERE lot_id = $1`,
        [contract.lot_id],
      );
    });
    await this.priceStats.refresh(parts);
  }

  /**
   * Cancels one buyer's contract before it is signed by both sides, with a reason: its buyer does so when it no
   * longer takes its part of a joint purchase, or the organiser does when a buyer never signs. The lot is then
   * decided by its other contracts: complete once they are all signed, or cancelled with its award when no contract
   * of it is left. A lot with one buyer is cancelled by cancelling its contract, as a lot cancellation would; only
   * the organiser may cancel a lot, so only the organiser may cancel its last contract.
   */
  async cancelContract(buyerId: string, contractId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const locked = await this.lockTenderOfContract(manager, contractId);
      const contract = await this.lockContract(manager, contractId);
      if (!locked || (contract.buyer_id !== buyerId && locked.organizer_id !== buyerId)) {
        throw new NotTheBuyerError('Only the contract’s buyer or the tender’s organiser may cancel it');
      }
      await assertActing(manager, buyerId, 'buyer');
      if (contract.status !== 'pending' && contract.status !== 'buyer_signed') {
        throw new ContractStateError(
          `The contract is ${contract.status}; only a contract not yet signed by both sides can be cancelled`,
          { status: contract.status, required: ['pending', 'buyer_signed'] },
        );
      }
      const [others] = await manager.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM contracts WHERE lot_id = $1 AND status <> 'cancelled' AND id <> $2`,
        [contract.lot_id, contractId],
      );
      const last = others?.n === 0;
      // The last contract takes the lot (and maybe the tender) with it: the organiser's decision, as cancelling a
      // lot is. A joint buyer cancels only its own part while another contract of the lot stands.
      if (last && locked.organizer_id !== buyerId) {
        throw new NotTheBuyerError(
          'Only the tender’s organiser may cancel the last contract of a lot: it cancels the lot',
          { required: 'organiser' },
        );
      }
      await this.cancelOne(manager, contract, reason, buyerId, { reason });
      await this.decideLotAfter(
        manager,
        locked,
        contract,
        last,
        `every contract was cancelled: ${reason}`,
        buyerId,
      );
    });
  }

  /**
   * A supplier declines, with a reason and before it confirms, a contract it did not choose: the one a direct
   * purchase names it in (the buyer reported the purchase alone, and only the supplier's confirmation shows its
   * consent: the contract is cancelled, and its lot with its last contract), or the one a quotation session's rule
   * gave it (the award passes to the next ranked bid: passOnDeclinedAward). An open tender's winner does not
   * decline here: its buyer decides its award.
   */
  async decline(supplierId: string, contractId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const locked = await this.lockTenderOfContract(manager, contractId);
      const contract = await this.lockContract(manager, contractId);
      if (!locked || contract.supplier_id !== supplierId) {
        throw new ContractNotFoundError('No contract of yours with this id', { id: contractId });
      }
      await assertActing(manager, supplierId, 'supplier');
      if (locked.method !== 'direct' && locked.method !== 'quotation') {
        throw new ContractStateError(
          'Only the contract of a direct purchase or a quotation session is declined by its supplier; the ' +
            "buyer decides an open tender's awards",
          { method: locked.method, required: ['direct', 'quotation'] },
        );
      }
      if (contract.status !== 'pending' && contract.status !== 'buyer_signed') {
        throw new ContractStateError(
          `The contract is ${contract.status}; only a contract the supplier has not confirmed can be declined`,
          { status: contract.status, required: ['pending', 'buyer_signed'] },
        );
      }
      await this.cancelOne(manager, contract, `declined by the supplier: ${reason}`, supplierId, {
        reason,
        declinedBy: 'supplier',
      });
      if (locked.method === 'quotation') {
        await this.passOnDeclinedAward(manager, locked, contract, supplierId, reason);
        return;
      }
      const [others] = await manager.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM contracts WHERE lot_id = $1 AND status <> 'cancelled'`,
        [contract.lot_id],
      );
      const lotReason = `the supplier declined the contract: ${reason}`;
      await this.decideLotAfter(manager, locked, contract, others?.n === 0, lotReason, supplierId);
    });
  }

  /** Cancels one unsigned contract, with its reason, and logs `contract.cancelled` with `payload`'s facts. */
  private async cancelOne(
    manager: EntityManager,
    contract: { id: string; tender_id: string; lot_id: string; buyer_id: string },
    statusReason: string,
    actorId: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    await manager.query(`UPDATE contracts SET status = 'cancelled', status_reason = $2 WHERE id = $1`, [
      contract.id,
      statusReason,
    ]);
    await this.log.append(manager, {
      type: 'contract.cancelled',
      tenderId: contract.tender_id,
      actorId,
      payload: { contractId: contract.id, lotId: contract.lot_id, buyerId: contract.buyer_id, ...payload },
    });
  }

  /**
   * After one of its contracts is cancelled, the lot is decided by the others: cancelled (and maybe the tender
   * with it) when it was the `last`, otherwise complete once the rest are signed.
   */
  private async decideLotAfter(
    manager: EntityManager,
    tender: LockedTender,
    contract: { tender_id: string; lot_id: string },
    last: boolean,
    lotReason: string,
    actorId: string,
  ): Promise<void> {
    if (last) {
      await cancelLot(manager, this.log, tender, contract.lot_id, lotReason, actorId);
      return;
    }
    await completeLotIfSigned(manager, this.log, contract.tender_id, contract.lot_id, actorId);
    await advanceTender(manager, this.log, tender, actorId);
  }

  /**
   * A quotation session's winner declined the contract the rule gave it: its award ends (`award.declined`; its bid
   * counts as withdrawn), and the lot passes to the next ranked bid of a supplier still active, accepted by the
   * rule in turn, with its own contract and stand-still; with none left, the lot is unsuccessful.
   */
  private async passOnDeclinedAward(
    manager: EntityManager,
    tender: LockedTender,
    contract: { tender_id: string; lot_id: string; award_id: string },
    supplierId: string,
    reason: string,
  ): Promise<void> {
    // A top-level UPDATE comes back from TypeORM as [rows, affected].
    const [[award]] = await manager.query<[{ id: string; bid_id: string; rank: number }[], number]>(
      `UPDATE awards SET status = 'unsuccessful', declined = true, reason = $2, decided_at = now()
        WHERE id = $1 AND status = 'active' RETURNING id, bid_id, rank`,
      [contract.award_id, `the winner declined the contract: ${reason}`],
    );
    if (!award) return;
    await this.log.append(manager, {
      type: 'award.declined',
      tenderId: tender.id,
      actorId: supplierId,
      payload: { awardId: award.id, lotId: contract.lot_id, bidId: award.bid_id, reason },
    });
    // A complaint about the award has nothing left to decide.
    await closePendingComplaints(
      manager,
      this.log,
      tender.id,
      { lotId: contract.lot_id, awardId: award.id },
      supplierId,
      `the winner declined the contract: ${reason}`,
    );
    const next = await awardNextRanked(manager, this.log, tender.id, contract.lot_id, award.rank);
    if (!next) {
      const why = 'every ranked bid declined or was rejected';
      await failLot(manager, this.log, tender.id, contract.lot_id, why, supplierId);
      await advanceTender(manager, this.log, tender, supplierId);
      return;
    }
    await acceptAward(manager, this.log, this.config.STANDSTILL_SECONDS, tender.id, next, null);
  }

  private async lockTender(
    manager: EntityManager,
    tenderId: string,
    organizerId: string | null,
    required: TenderStatus,
  ): Promise<LockedTender> {
    const [tender] = await manager.query<LockedTender[]>(
      'SELECT id, status, organizer_id FROM tenders WHERE id = $1 FOR UPDATE',
      [tenderId],
    );
    const decided = assertTenderState(tender, tenderId, organizerId, required);
    if (organizerId) await assertActing(manager, organizerId, 'buyer');
    return decided;
  }

  private async lockPendingAward(manager: EntityManager, tenderId: string, awardId: string) {
    const [award] = await manager.query<
      {
        id: string;
        lot_id: string;
        bid_id: string;
        supplier_id: string;
        amount: string;
        rank: number;
        status: string;
      }[]
    >(
      `SELECT id, lot_id, bid_id, supplier_id, amount::text, rank, status FROM awards
        WHERE id = $1 AND tender_id = $2 FOR UPDATE`,
      [awardId, tenderId],
    );
    if (!award) throw new AwardNotFoundError('No award with this id in this tender', { id: awardId });
    if (award.status !== 'pending') {
      throw new AwardStateError(`The award is ${award.status}; only a pending award can be decided`, {
        status: award.status,
        required: 'pending',
      });
    }
    return award;
  }

  /**
   * Locks the tender of a contract before the contract itself: the order a cancellation takes them in. The other
   * order deadlocked with a cancellation of the same tender (each waiting for the row the other held). Undefined
   * when there is no such contract (lockContract then says so).
   */
  private async lockTenderOfContract(
    manager: EntityManager,
    contractId: string,
  ): Promise<LockedTender | undefined> {
    const [tender] = await manager.query<LockedTender[]>(
      'SELECT id, status, organizer_id, method FROM tenders WHERE id = (SELECT tender_id FROM contracts WHERE id = $1) FOR UPDATE',
      [contractId],
    );
    return tender;
  }

  private async lockContract(manager: EntityManager, contractId: string) {
    const [contract] = await manager.query<
      {
        id: string;
        tender_id: string;
        lot_id: string;
        award_id: string;
        buyer_id: string;
        supplier_id: string;
        status: string;
        standstill_end: Date;
        standstill_over: boolean;
      }[]
    >(
      `SELECT c.id, c.tender_id, c.lot_id, c.award_id, c.buyer_id, c.supplier_id, c.status, a.standstill_end,
              a.standstill_end <= now() AS standstill_over
         FROM contracts c JOIN awards a ON a.id = c.award_id WHERE c.id = $1 FOR UPDATE OF c`,
      [contractId],
    );
    if (!contract) throw new ContractNotFoundError('No contract with this id', { id: contractId });
    return contract;
  }
}

/**
 * The tender as a decision needs it: one that exists and is published, organised by `organizerId` (when given),
 * in the `required` status.
 */
function assertTenderState(
  tender: LockedTender | undefined,
  tenderId: string,
  organizerId: string | null,
  required: TenderStatus,
): LockedTender {
  if (!tender || tender.status === 'draft')
    throw new TenderNotFoundError('No tender with this id', { id: tenderId });
  if (organizerId && tender.organizer_id !== organizerId) {
    throw new NotTheBuyerError('Only the tender’s organiser may decide awards');
  }
  if (tender.status !== required) {
    throw new TenderStateError(`The tender is ${tender.status}; this needs ${required}`, {
      status: tender.status,
      required,
    });
  }
  return tender;
}

/**
 * A contract is not signed while a complaint about its award waits. Complaints are filed under the tender's lock,
 * which signing holds too, and only while the stand-still runs by the clock read after that lock; signing needs
 * the stand-still over. So none can arrive between this check and the signature.
 */
/** A lot whose ranked bids are all spent is unsuccessful, logged with the reason. */
async function failLot(
  manager: EntityManager,
  log: DealLogWriter,
  tenderId: string,
  lotId: string,
  reason: string,
  actorId: string,
): Promise<void> {
  await manager.query(`UPDATE lots SET status = 'unsuccessful', status_reason = $2 WHERE id = $1`, [
    lotId,
    reason,
  ]);
  await log.append(manager, { type: 'lot.unsuccessful', tenderId, actorId, payload: { lotId, reason } });
}

/**
 * Passes a lot's award on after the award of rank `afterRank` ended (rejected, or declined by its winner): to the
 * next ranked bid whose supplier is still active - one suspended since the closing could confirm no contract, and
 * its award would only hold the lot up - as a pending award, logged. Null when no such bid is left.
 */
async function awardNextRanked(
  manager: EntityManager,
  log: DealLogWriter,
  tenderId: string,
  lotId: string,
  afterRank: number,
): Promise<AwardToAccept | null> {
  const [next] = await manager.query<{ bid_id: string; supplier_id: string; price: string; rank: number }[]>(
    `SELECT bl.bid_id, b.supplier_id, bl.price::text, bl.rank FROM bid_lots bl JOIN bids b ON b.id = bl.bid_id
      WHERE bl.lot_id = $1 AND b.status = 'opened' AND bl.rank > $2
        AND EXISTS (SELECT 1 FROM organizations o WHERE o.id = b.supplier_id AND o.status = 'active')
      ORDER BY bl.rank LIMIT 1`,
    [lotId, afterRank],
  );
  if (!next) return null;
  const [created] = await manager.query<{ id: string }[]>(
    `INSERT INTO awards (tender_id, lot_id, bid_id, supplier_id, amount, rank, status)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending') RETURNING id`,
    [tenderId, lotId, next.bid_id, next.supplier_id, next.price, next.rank],
  );
  await log.append(manager, {
    type: 'award.pending',
    tenderId,
    actorId: null,
    payload: {
      awardId: created!.id,
      lotId,
      bidId: next.bid_id,
      supplierId: next.supplier_id,
      amount: next.price,
      rank: next.rank,
    },
  });
  return { id: created!.id, lot_id: lotId, supplier_id: next.supplier_id, amount: next.price };
}

async function assertNoPendingComplaint(manager: EntityManager, contractId: string): Promise<void> {
  const [complained] = await manager.query<{ id: string }[]>(
    `SELECT c.id FROM complaints c JOIN contracts k ON k.award_id = c.award_id
      WHERE k.id = $1 AND c.status = 'pending' LIMIT 1`,
    [contractId],
  );
  if (complained) {
    throw new ComplaintPendingError('A complaint about the award waits for its decision', {
      complaintId: complained.id,
    });
  }
}

/** A lot whose contracts are all signed (those cancelled aside) is complete, with its lot.completed event. */
async function completeLotIfSigned(
  manager: EntityManager,
  log: DealLogWriter,
  tenderId: string,
  lotId: string,
  actorId: string,
): Promise<void> {
  // A top-level UPDATE comes back from TypeORM as [rows, affected].
  const [, completed] = await manager.query<[{ id: string }[], number]>(
    `UPDATE lots SET status = 'complete' WHERE id = $1 AND status = 'active' AND NOT EXISTS
       (SELECT 1 FROM contracts c WHERE c.lot_id = $1 AND c.status NOT IN ('signed', 'cancelled'))
     RETURNING id`,
    [lotId],
  );
  if (completed > 0) {
    await log.append(manager, { type: 'lot.completed', tenderId, actorId, payload: { lotId } });
  }
}
