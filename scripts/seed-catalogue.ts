/**
 * `npm run seed:catalogue -- --items N --offers M [--suppliers S] [--bulk-threshold B]`: fills the catalogue
 * with N active items and M offers (idempotent: a second run with the same numbers inserts nothing). Above B new
 * rows (default 200,000) the GIN indexes are dropped for the load and rebuilt after it; a run that is
 * interrupted leaves them to the next run, which rebuilds them before it loads (or after, if it is a bulk load
 * itself). Uses DATABASE_URL, or the local
 * development database that `npm start` uses; migrates it first.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrationsLocked } from '@app/domain';
import { seedCatalogue } from './catalogue-seed/seed';
import { resolveDatabaseUrl, stopStarted } from './lib/local-env';

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} needs a non-negative integer`);
  return value;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const items = option(args, 'items', 10_000);
  const offers = option(args, 'offers', items * 3);
  const suppliers = args.includes('--suppliers') ? option(args, 'suppliers', 0) : undefined;
  const bulkThreshold = args.includes('--bulk-threshold') ? option(args, 'bulk-threshold', 0) : undefined;
  const url = await resolveDatabaseUrl();
  const dataSource = new DataSource(dataSourceOptions(url, {}, 2));
  try {
    await dataSource.initialize();
    await runMigrationsLocked(dataSource);
    const report = await seedCatalogue(dataSource, {
      items,
      offers,
      suppliers,
      bulkThreshold,
      log: (message) => process.stdout.write(`[seed:catalogue] ${message}\n`),
    });
    process.stdout.write(
      `[seed:catalogue] done in ${report.seconds} s: ${report.itemsInserted} items and ${report.offersInserted} ` +
        `offers inserted (${items} items, ${offers} offers requested; ${report.suppliers} suppliers)\n`,
    );
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    // A PostgreSQL this script had to start (npm start's embedded one, when nothing else answers) stops again.
    await stopStarted();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`seed:catalogue failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
