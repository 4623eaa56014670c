import type { EntityManager } from 'typeorm';
import { TenderNotFoundError } from '../tender/tender.errors';
import { sealedFactsVisible } from './sealed-facts';

export interface PublishedTender {
  id: string;
  number: string;
  status: string;
  /** Whether facts kept back until opening may be shown (see sealedFactsVisible). */
  sealedFactsVisible: boolean;
}

/** A published tender of the auditor's view; a draft is as unknown as a missing id (TENDER_NOT_FOUND). */
export async function findPublishedTender(
  db: Pick<EntityManager, 'query'>,
  id: string,
): Promise<PublishedTender> {
  const [row] = await db.query<{ id: string; number: string; status: string; closed_at: Date | null }[]>(
    'SELECT id, number, status, closed_at FROM tenders WHERE id = $1',
    [id],
  );
  if (!row || row.status === 'draft') throw new TenderNotFoundError('No tender with this id', { id });
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    sealedFactsVisible: sealedFactsVisible({ status: row.status, closedAt: row.closed_at }),
  };
}
