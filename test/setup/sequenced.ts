import type { DataSource } from 'typeorm';
import { eventually } from './eventually';

/**
 * Waits until a running sequencer (a test worker's) has logged and signed every deal event written so far;
 * returns how many there are, the tree size the latest signed head then has.
 */
export async function untilSequenced(db: DataSource): Promise<number> {
  const total = Number((await db.query('SELECT count(*) AS n FROM deal_events'))[0].n);
  await eventually(async () => {
    const [head] = await db.query<{ n: number | null }[]>(
      'SELECT max(tree_size)::int AS n FROM log_tree_heads',
    );
    return head?.n === total ? true : undefined;
  }, 10_000);
  return total;
}
