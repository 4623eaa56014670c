import type { EntityManager } from 'typeorm';
import type { DealLogWriter } from '../deal-log/deal-log.writer';
import { parseAmount, splitGivingEveryShareACent } from '../procurement/rules/money';

/** A pending award as its acceptance reads it. */
export interface AwardToAccept {
  id: string;
  lot_id: string;
  supplier_id: string;
  amount: string;
}

/**
 * Accepts a pending award (locked by the caller, with its tender): the award becomes active, its stand-still
 * starts, and each buyer of the lot gets its contract with the winner, all logged. `actorId` is the organiser who
 * accepted it, or null where the rule accepted it (a quotation session's lowest price wins automatically: the
 * event then says `automatic`).
 */
export async function acceptAward(
  manager: EntityManager,
  log: DealLogWriter,
  standstillSeconds: number,
  tenderId: string,
  award: AwardToAccept,
  actorId: string | null,
): Promise<void> {
  // A top-level UPDATE comes back from TypeORM as [rows, affected].
  const [[accepted]] = await manager.query<[{ standstill_end: Date }[], number]>(
    `UPDATE awards SET status = 'active', decided_at = now(),
       standstill_end = now() + make_interval(secs => $2) WHERE id = $1 RETURNING standstill_end`,
    [award.id, standstillSeconds],
  );
  const contracts = await createContracts(manager, tenderId, award);
  // The stand-still's end is logged, so anyone can check from the log alone that no contract was signed, and no
  // complaint refused, before it.
  const standstillEnd = accepted?.standstill_end.toISOString();
  await log.appendMany(manager, [
    {
      type: 'award.accepted',
      tenderId,
      actorId,
      payload: {
        awardId: award.id,
        lotId: award.lot_id,
        standstillEnd,
        ...(actorId === null ? { automatic: true } : {}),
      },
    },
    ...contractEvents(tenderId, award, contracts, actorId),
  ]);
}

/**
 * A direct purchase's awards, as it is reported (its tender row locked, published in this transaction): each active
 * lot goes to the named supplier at its estimate, the agreed price, without a bid or a rank and without a
 * stand-still (no competitor to complain), and each buyer of the lot gets its contract to sign. Logged as
 * `award.direct` and `contract.created`, by the organiser who reported it.
 */
export async function awardDirectly(
  manager: EntityManager,
  log: DealLogWriter,
  tenderId: string,
  supplierId: string,
  organizerId: string,
): Promise<void> {
  const awards = await manager.query<(AwardToAccept & { standstill_end: Date })[]>(
    `INSERT INTO awards (tender_id, lot_id, bid_id, supplier_id, amount, rank, status, decided_at, standstill_end)
     SELECT l.tender_id, l.id, NULL, $2, l.estimate, NULL, 'active', now(), now()
       FROM lots l WHERE l.tender_id = $1 AND l.status = 'active' ORDER BY l.number
     RETURNING id, lot_id, supplier_id, amount::text AS amount, standstill_end`,
    [tenderId, supplierId],
  );
  for (const award of awards) {
    const contracts = await createContracts(manager, tenderId, award);
    await log.appendMany(manager, [
      {
        type: 'award.direct',
        tenderId,
        actorId: organizerId,
        // standstillEnd: none to wait for (the award's time), so the log alone shows a signature may follow.
        payload: {
          awardId: award.id,
          lotId: award.lot_id,
          supplierId,
          amount: award.amount,
          standstillEnd: award.standstill_end.toISOString(),
        },
      },
      ...contractEvents(tenderId, award, contracts, organizerId),
    ]);
  }
}

/** The `contract.created` events of an award's contracts. */
const contractEvents = (
  tenderId: string,
  award: AwardToAccept,
  contracts: { id: string; buyer_id: string; amount: string }[],
  actorId: string | null,
) =>
  contracts.map((c) => ({
    type: 'contract.created',
    tenderId,
    actorId,
    payload: {
      contractId: c.id,
      awardId: award.id,
      lotId: award.lot_id,
      buyerId: c.buyer_id,
      amount: c.amount,
    },
  }));

async function createContracts(manager: EntityManager, tenderId: string, award: AwardToAccept) {
  const shares = await manager.query<{ buyer_id: string; amount: string }[]>(
    `SELECT buyer_id, amount::text FROM lot_buyer_shares WHERE lot_id = $1 ORDER BY buyer_id`,
    [award.lot_id],
  );
  // A joint tender yields one contract per buyer, the award split by the buyers' shares of the estimate; a buyer
  // with a share gets at least a cent, so its goods come under a contract however low the award.
  const parts = shares.length
    ? splitGivingEveryShareACent(
        award.amount,
        shares.map((s) => s.amount),
      )
        .map((amount, i) => ({
          buyerId: shares[i]!.buyer_id,
          amount,
        }))
        // A buyer whose share of the award is nothing gets no contract to sign.
        .filter((part) => parseAmount(part.amount) > 0n)
    : [
        {
          buyerId: (
            await manager.query<{ organizer_id: string }[]>(
              'SELECT organizer_id FROM tenders WHERE id = $1',
              [tenderId],
            )
          )[0]!.organizer_id,
          amount: award.amount,
        },
      ];
  return manager.query<{ id: string; buyer_id: string; amount: string }[]>(
    `INSERT INTO contracts (tender_id, lot_id, award_id, buyer_id, supplier_id, amount)
     SELECT $1, $2, $3, p."buyerId", $4, p.amount FROM jsonb_to_recordset($5::jsonb) AS p("buyerId" uuid, amount numeric)
     RETURNING id, buyer_id, amount::text`,
    [tenderId, award.lot_id, award.id, award.supplier_id, JSON.stringify(parts)],
  );
}
