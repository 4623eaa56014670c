/**
 * `npm run seed:demo`: data to show the marketplace with. Idempotent: every step writes rows with stable ids
 * and ignores what exists, so running it again changes nothing. Uses DATABASE_URL, or the local development
 * database that `npm start` uses; migrates it first. Later features append their own steps to DEMO_STEPS.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrationsLocked } from '@app/domain';
import { seedOfficePaper } from './catalogue-seed/office-paper';
import { ensureSuppliers, loadCities, seedCatalogue } from './catalogue-seed/seed';

export interface DemoStep {
  name: string;
  /** Writes its data if missing and says what it did. */
  run: (dataSource: DataSource) => Promise<string>;
}

const DEMO_ITEMS = 300;
const DEMO_OFFERS = 900;
const DEMO_SUPPLIERS = 40;

export const DEMO_STEPS: DemoStep[] = [
  {
    name: 'catalogue',
    run: async (dataSource) => {
      const report = await seedCatalogue(dataSource, {
        items: DEMO_ITEMS,
        offers: DEMO_OFFERS,
        suppliers: DEMO_SUPPLIERS,
      });
      return `${report.itemsInserted} items and ${report.offersInserted} offers added (${DEMO_ITEMS} and ${DEMO_OFFERS} in all)`;
    },
  },
  {
    name: 'office paper (CPV 30197630-1)',
    run: async (dataSource) => {
      const suppliers = await ensureSuppliers(dataSource, await loadCities(dataSource), DEMO_SUPPLIERS);
      return `${await seedOfficePaper(dataSource, suppliers)} office paper items with offers in every member country`;
    },
  },
];

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/marketplace';
  const dataSource = await new DataSource(dataSourceOptions(url, { extra: { max: 2 } })).initialize();
  try {
    await runMigrationsLocked(dataSource);
    for (const step of DEMO_STEPS) {
      process.stdout.write(`[seed:demo] ${step.name}: ${await step.run(dataSource)}\n`);
    }
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`seed:demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
