import type { DataSource, QueryRunner } from 'typeorm';
import { eventually } from './eventually';

/**
 * Sends `send` while another transaction holds the tender row for update, as an amendment, a cancellation or
 * a closing does. Once the request waits for that lock (a statement whose text contains `waitingFor` waits on
 * a lock), `change` runs in the holding transaction, which then commits. Returns what `send` returned.
 */
export async function whileTenderHeld<T>(
  db: DataSource,
  tenderId: string,
  waitingFor: string,
  send: () => PromiseLike<T>,
  change: (holder: QueryRunner) => Promise<unknown>,
): Promise<T> {
  const holder = db.createQueryRunner();
  await holder.connect();
  await holder.startTransaction();
  try {
    await holder.query('SELECT 1 FROM tenders WHERE id = $1 FOR UPDATE', [tenderId]);
    const pending = Promise.resolve(send());
    await untilWaitingOnLock(db, waitingFor);
    await change(holder);
    await holder.commitTransaction();
    return await pending;
  } finally {
    if (holder.isTransactionActive) await holder.rollbackTransaction();
    await holder.release();
  }
}

/**
 * Resolves once a statement whose text contains `waitingFor` waits on a lock (a row lock, or an advisory lock):
 * a test of a race then knows the second party is blocked before the first lets it go, instead of guessing with a
 * sleep.
 */
export async function untilWaitingOnLock(db: DataSource, waitingFor: string): Promise<void> {
  await eventually(async () => {
    const [row] = await db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE wait_event_type = 'Lock' AND position($1 IN query) > 0`,
      [waitingFor],
    );
    return row && row.n > 0 ? true : undefined;
  }, 5_000);
}
