import type { DataSource } from 'typeorm';

/**
 * Runs `body` while a transaction of another connection is running with a transaction id of its own, as a
 * writer that has not committed yet; `end` rolls it back half-way through the body.
 */
export async function whileTransactionRuns(
  dataSource: DataSource,
  body: (end: () => Promise<void>) => Promise<void>,
): Promise<void> {
  const running = dataSource.createQueryRunner();
  await running.connect();
  await running.startTransaction();
  try {
    await running.query('SELECT txid_current()');
    await body(() => running.rollbackTransaction());
  } finally {
    if (running.isTransactionActive) await running.rollbackTransaction();
    await running.release();
  }
}
