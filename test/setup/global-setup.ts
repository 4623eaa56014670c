import 'reflect-metadata';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/domain/src/database/data-source-options';
import { runMigrationsLocked } from '../../libs/domain/src/database/migrate';
import { adminUrl, testEnv } from './test-env';

/** Creates the test database afresh, migrates it once, and empties the test Redis database. */
export default async function globalSetup(): Promise<void> {
  const env = testEnv();
  const { adminUrl: admin, database } = adminUrl(env.DATABASE_URL as string);
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [database],
  );
  await client.query(`DROP DATABASE IF EXISTS "${database}"`);
  await client.query(`CREATE DATABASE "${database}"`);
  await client.end();

  const dataSource = new DataSource(dataSourceOptions(env.DATABASE_URL as string));
  await dataSource.initialize();
  await runMigrationsLocked(dataSource);
  await dataSource.destroy();

  const redis = new Redis(env.REDIS_URL as string);
  await redis.flushdb();
  await redis.quit();
}
