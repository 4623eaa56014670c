import type { EntityManager } from 'typeorm';
import type { DealLogWriter } from '../deal-log/deal-log.writer';
import { nextStatus, type TenderStatus } from '../procurement/rules/tender-state';

/**
 * Moves a tender in qualification or awarded on when its lots allow, and logs it: qualification → awarded
 * (or unsuccessful) once no active lot waits for an accepted award; awarded → complete once no lot waits for
 * its contracts. Call it, with the tender row locked, after any change to its lots or awards: an accepted or
 * rejected award, a confirmed contract, a cancelled lot.
 */
export async function advanceTender(
  manager: EntityManager,
  log: DealLogWriter,
  tender: { id: string; status: TenderStatus },
  actorId: string,
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
    status = nextStatus(status, 'signContract', { allLotsDecided: true });
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
