import type { EntityManager } from 'typeorm';
import { LogEmptyError } from '../deal-log/log.errors';
import { LogService, SignedTreeHeadView } from '../deal-log/log.service';
import { distinctNodes, inclusionProofFromNodes, inclusionProofNodes } from '../deal-log/merkle';

/** The latest signed tree head, or null while the log has signed none. */
export async function latestTreeHead(log: LogService): Promise<SignedTreeHeadView | null> {
  try {
    return await log.treeHead();
  } catch (error) {
    if (error instanceof LogEmptyError) return null;
    throw error;
  }
}

/**
 * Inclusion proofs (hex audit paths) of many leaves in the tree of `treeSize`, with every stored node they need
 * fetched in one query rather than one round trip per entry.
 */
export async function inclusionProofs(
  db: Pick<EntityManager, 'query'>,
  indexes: readonly number[],
  treeSize: number,
): Promise<Map<number, string[]>> {
  const refs = distinctNodes(indexes.flatMap((index) => inclusionProofNodes(index, treeSize)));
  const rows = refs.length
    ? await db.query<{ level: number; idx: string; hash: Buffer }[]>(
        `SELECT n.level, n.idx::text, n.hash FROM log_nodes n
           JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, idx) ON n.level = w.level AND n.idx = w.idx`,
        [refs.map((r) => r.level), refs.map((r) => r.index)],
      )
    : [];
  const byKey = new Map(rows.map((r) => [`${r.level}:${r.idx}`, r.hash]));
  const getNode = (level: number, index: number): Buffer => {
    const hash = byKey.get(`${level}:${index}`);
    if (!hash) throw new Error(`log node ${level}/${index} is missing`);
    return hash;
  };
  const proofs = new Map<number, string[]>();
  for (const index of indexes) {
    const path = await inclusionProofFromNodes(index, treeSize, getNode);
    proofs.set(
      index,
      path.map((h) => h.toString('hex')),
    );
  }
  return proofs;
}
