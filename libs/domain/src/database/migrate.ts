import { DataSource } from 'typeorm';
import type { Migration } from 'typeorm';

/** Arbitrary but fixed: every process that migrates this database takes the same advisory lock. */
export const MIGRATION_LOCK_KEY = 72_410_001;

/**
 * Runs pending migrations while holding a session advisory lock, so an API and a worker starting together
 * never run the same migration twice. The lock is taken on a dedicated connection and released even on error.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
