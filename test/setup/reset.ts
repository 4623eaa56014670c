import Redis from 'ioredis';
import { Client } from 'pg';

/** Tables that hold reference data loaded by migrations and survive a reset. */
const KEEP = new Set(['cities', 'classifications', 'schema_migrations']);

/** Empties every table but the reference data, and the test Redis database, between spec files. */
export async function resetState(): Promise<void> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
    );
    const tables = rows.map((r) => r.tablename).filter((t) => !KEEP.has(t));
    // The deal log is append-only by trigger; a test reset (as superuser) lifts triggers for this session only.
    await client.query(`SET session_replication_role = replica`);
    if (tables.length > 0) await client.query(`TRUNCATE ${tables.map((t) => `"${t}"`).join(', ')} CASCADE`);
  } finally {
    await client.end();
  }
  const redis = new Redis(process.env.REDIS_URL as string);
  await redis.flushdb();
  await redis.quit();
}
