/** `npm run db:migrate`: applies pending migrations under the same advisory lock the API and worker take. */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions, loadConfig, runMigrationsLocked } from '@app/domain';
import { localEnv, say, stopStarted } from './lib/local-env';

async function main(): Promise<void> {
  const config = loadConfig(await localEnv());
  const dataSource = new DataSource(dataSourceOptions(config.DATABASE_URL));
  await dataSource.initialize();
  try {
    const applied = await runMigrationsLocked(dataSource);
    say(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'the database is up to date');
  } finally {
    await dataSource.destroy();
  }
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`migration failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  })
  .finally(() => void stopStarted());
