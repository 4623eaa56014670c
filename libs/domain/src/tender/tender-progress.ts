import type { EntityManager } from 'typeorm';
import type { DealLogWriter } from '../deal-log/deal-log.writer';
import { nextStatus, type TenderStatus } from '../procurement/rules/tender-state';
import { OPEN_BIDS_ON_LATE_CANCELLATION } from './tender-closing.service';

/**
 * Moves a tender in qualification or awarded on when its lots allow, and logs it: qualification → awarded
 * (or unsuccessful) once no active lot waits for an accepted award; awarded → complete once no lot waits for
 * its contracts (or unsuccessful, when no lot has any: the awarded lots were cancelled). Call it, with the tender row locked, after any change to its lots or awards: an accepted or
 * rejected award, a confirmed contract, a cancelled lot.
 */
export async function advanceTender(
  manager: EntityManager,
  log: DealLogWriter,
  tender: { id: string; status: TenderStatus },
  actorId: string | null,
): Promise<void> {
  if (tender.status !== 'active.qualification' && tender.status !== 'active.awarded') return;
  const [state] = await manager.query<{ open: number; awarded: number; contracting: number }[]>(
    `SELECT count(*) FILTER (WHERE l.status = 'active' AND NOT EXISTS
              (SELECT 1 FROM awards a WHERE a.lot_id = l.id AND a.status = 'active'))::int AS open,
            count(*) FILTER (WHERE l.status IN ('active', 'complete'))::int AS awarded,
            count(*) FILTER (WHERE l.status = 'active')::int AS contracting
       FROM lots l WHERE l.tender_id = $1`,
    [tender.id],
  );
  const s = state ?? { open: 0, awarded: 0, contracting: 0 };
  let status: TenderStatus = tender.status;
  if (status === 'active.qualification' && s.open === 0) {
    status = nextStatus(status, 'decideAward', { allLotsDecided: true, anyLotAwarded: s.awarded > 0 });
  } else if (status === 'active.awarded' && s.contracting === 0) {
    // No lot is active: `awarded` counts the complete ones.
    status = nextStatus(status, 'signContract', { allLotsDecided: true, anyLotAwarded: s.awarded > 0 });
  }
  if (status === tender.status) return;
  await manager.query(`UPDATE tenders SET status = $2, updated_at = now() WHERE id = $1`, [
    tender.id,
    status,
  ]);
  await log.append(manager, {
    type:
      status === 'complete'
        ? 'tender.completed'
        : status === 'unsuccessful'
          ? 'tender.unsuccessful'
          : 'tender.awarded',
    tenderId: tender.id,
    actorId,
    payload: { status },
  });
}

/**
 * Cancels the pending and accepted awards of a tender (or of one lot) and their unsigned contracts. A complaint
 * still pending about one of those awards has nothing left to decide: it is closed, with its event.
 */
export async function cancelAwards(
  manager: EntityManager,
  log: DealLogWriter,
  tenderId: string,
  lotId: string | null,
  actorId: string,
  reason: string,
): Promise<void> {
  await manager.query(
    `UPDATE awards SET status = 'cancelled' WHERE tender_id = $1 AND ($2::uuid IS NULL OR lot_id = $2)
       AND status IN ('pending', 'active')`,
    [tenderId, lotId],
  );
  await manager.query(
    `UPDATE contracts SET status = 'cancelled', status_reason = $3
      WHERE tender_id = $1 AND ($2::uuid IS NULL OR lot_id = $2) AND status IN ('pending', 'buyer_signed')`,
    [tenderId, lotId, reason],
  );
  await closePendingComplaints(manager, log, tenderId, { lotId }, actorId, reason);
}

/**
 * Closes the pending complaints of a tender, or of one lot, or of one award of it, whose award has ended: there is
 * nothing left for an operator to decide. Each is logged as `complaint.closed`.
 */
export async function closePendingComplaints(
  manager: EntityManager,
  log: DealLogWriter,
  tenderId: string,
  scope: { lotId: string | null; awardId?: string },
  actorId: string,
  reason: string,
): Promise<void> {
  // A top-level UPDATE comes back from TypeORM as [rows, affected].
  const closed = await manager.query<[{ id: string; award_id: string }[], number]>(
    `UPDATE complaints SET status = 'closed', decision_reason = $3, decided_at = now()
      WHERE tender_id = $1 AND ($2::uuid IS NULL OR lot_id = $2) AND ($4::uuid IS NULL OR award_id = $4)
        AND status = 'pending'
      RETURNING id, award_id`,
    [tenderId, scope.lotId, reason, scope.awardId ?? null],
  );
  await log.appendMany(
    manager,
    closed[0].map((c) => ({
      type: 'complaint.closed',
      tenderId,
      actorId,
      payload: { complaintId: c.id, awardId: c.award_id, reason },
    })),
  );
}

/**
 * Cancels an active lot of a tender (its row locked) with its awards and unsigned contracts, and logs it; with no
 * lot left the tender is cancelled too (past its deadline, its bids opened first), otherwise it moves on if the
 * lot was the last one undecided. Returns false, changing nothing, when the lot is not an active lot of it.
 */
export async function cancelLot(
  manager: EntityManager,
  log: DealLogWriter,
  tender: { id: string; status: TenderStatus },
  lotId: string,
  reason: string,
  actorId: string,
): Promise<boolean> {
  const [, updated] = await manager.query<[unknown[], number]>(
    `UPDATE lots SET status = 'cancelled', status_reason = $3 WHERE id = $1 AND tender_id = $2 AND status = 'active'`,
    [lotId, tender.id, reason],
  );
  if (updated === 0) return false;
  await cancelAwards(manager, log, tender.id, lotId, actorId, `the lot was cancelled: ${reason}`);
  await log.append(manager, {
    type: 'lot.cancelled',
    tenderId: tender.id,
    actorId,
    payload: { lotId, reason },
  });
  const [left] = await manager.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM lots WHERE tender_id = $1 AND status <> 'cancelled'`,
    [tender.id],
  );
  if (left?.n === 0) {
    await manager.query(OPEN_BIDS_ON_LATE_CANCELLATION, [tender.id]);
    await manager.query(`UPDATE tenders SET status = 'cancelled', status_reason = $2 WHERE id = $1`, [
      tender.id,
      'every lot was cancelled',
    ]);
    await log.append(manager, {
      type: 'tender.cancelled',
      tenderId: tender.id,
      actorId,
      payload: { reason: 'every lot was cancelled' },
    });
  } else {
    await advanceTender(manager, log, tender, actorId);
  }
  return true;
}
