import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * One place that says how to reach the database; synchronize is never on, the schema comes from migrations.
 * `poolSize` is the connection pool's size.
 */
export function dataSourceOptions(
  databaseUrl: string,
  overrides: Partial<DataSourceOptions> = {},
  poolSize = 20,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    applicationName: 'marketplace',
    extra: { max: poolSize, connectionTimeoutMillis: 5000 },
    ...overrides,
  } as DataSourceOptions;
}
