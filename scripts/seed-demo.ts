/**
 * `npm run seed:demo`: data to show the marketplace with. Idempotent: every step writes rows with stable ids
 * and ignores what exists, so running it again changes nothing. Uses DATABASE_URL, or the local development
 * database that `npm start` uses; migrates it first. Later features append their own steps to DEMO_STEPS.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  loadConfig,
  OrganizationsModule,
  PlatformModule,
  ProcurementModule,
  runMigrationsLocked,
} from '@app/domain';
import { CatalogModule } from '@app/catalog';
import { seedProcurementDemo } from './demo/procurement-demo';
import { localEnv, persistentSecret, stopStarted } from './lib/local-env';
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

/** Procurement needs the domain services (numbers, commitments, events), so it runs in a Nest context. */
async function seedProcurement(env: NodeJS.ProcessEnv): Promise<void> {
  // Demo tenders are published with short periods and closed at once; production minimums do not apply here.
  const config = loadConfig({
    ...env,
    TENDER_MIN_PERIOD_SECONDS: '1',
    MIGRATIONS_RUN: 'false',
    LOG_LEVEL: 'warn',
  });

  @Module({
    imports: [PlatformModule.forRoot(config), OrganizationsModule, ProcurementModule, CatalogModule],
  })
  class DemoModule {}

  const app = await NestFactory.createApplicationContext(DemoModule, { logger: ['error'] });
  try {
    const logins = await seedProcurementDemo(app, persistentSecret('demo-password'));
    process.stdout.write(
      '[seed:demo] procurement: tenders in every state, a joint tender, a local preference, an electronic ' +
        'auction, quotation sessions, a direct purchase\n',
    );
    process.stdout.write(`[seed:demo] demo logins (password in .data/demo-password):\n`);
    for (const login of logins) {
      process.stdout.write(`  ${login.role.padEnd(9)} ${login.email.padEnd(38)} ${login.organisation}\n`);
    }
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const env = await localEnv();
  const dataSource = await new DataSource(dataSourceOptions(env.DATABASE_URL as string, {}, 2)).initialize();
  try {
    await runMigrationsLocked(dataSource);
    for (const step of DEMO_STEPS) {
      process.stdout.write(`[seed:demo] ${step.name}: ${await step.run(dataSource)}\n`);
    }
  } finally {
    await dataSource.destroy();
  }
  await seedProcurement(env);
  await stopStarted();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`seed:demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
