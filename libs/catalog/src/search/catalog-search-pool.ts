import { createHash } from 'node:crypto';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { SEARCH_SESSION_OPTIONS, SqlStatement } from './search-sql';

/** Connections kept for searches: enough to keep both cores of a small server busy, few enough to queue. */
export const SEARCH_POOL_SIZE = 8;

/**
 * Statement shapes kept prepared. A prepared search holds about 0.5 MB of the server's memory on each
 * connection, and the filters combine into over a thousand shapes, so past the first ones seen, a shape is
 * planned at each search instead (correct, a little slower). Ordinary use needs a dozen.
 */
export const SEARCH_PREPARED_SHAPES = 32;

/**
 * The catalogue search's own connections to the marketplace database. They carry the search's planner
 * settings for the whole session (SEARCH_SESSION_OPTIONS), so a search is one round trip with no transaction
 * around it, and its statements are prepared once per connection, by name, so they are not parsed and planned
 * again. Being separate, a burst of searches waits for these connections and cannot take the ones that bids
 * and other writes need.
 */
@Injectable()
export class CatalogSearchPool implements OnApplicationShutdown {
  private pool: Pool | null = null;
  private readonly prepared = new Set<string>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async query<T>(statement: SqlStatement): Promise<T[]> {
    // A name per statement shape (a filter is there or not); the values are parameters.
    const name = `catalog-search-${createHash('sha1').update(statement.text).digest('hex').slice(0, 16)}`;
    if (!this.prepared.has(name) && this.prepared.size < SEARCH_PREPARED_SHAPES) this.prepared.add(name);
    const { rows } = await this.connections().query({
      ...(this.prepared.has(name) ? { name } : {}),
      text: statement.text,
      values: statement.values,
    });
    return rows as T[];
  }

  async onApplicationShutdown(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.end();
  }

  private connections(): Pool {
    if (!this.pool) {
      const options = this.dataSource.options as PostgresConnectionOptions;
      this.pool = new Pool({
        connectionString: options.url,
        max: SEARCH_POOL_SIZE,
        connectionTimeoutMillis: 5000,
        application_name: 'marketplace-search',
        options: SEARCH_SESSION_OPTIONS,
      });
      // An idle connection that breaks is dropped by the pool; the error must not crash the process.
      this.pool.on('error', () => undefined);
    }
    return this.pool;
  }
}
