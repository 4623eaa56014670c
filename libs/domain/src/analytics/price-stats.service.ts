import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  type CursorPart,
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type Page,
  toPage,
} from '../pagination/cursor';
import { cpvKey, type PriceSummary } from './price-stats';

/**
 * A full rebuild holds this lock exclusively, a (division, month) refresh holds it shared plus a lock of its own
 * part: refreshes of different parts run side by side, and nothing interleaves with a full rebuild.
 */
const REBUILD_LOCK_KEY = 7_640_600_001;

/** One part of the statistics that a change can move: a CPV division (two digits) and a month (YYYY-MM). */
export interface PriceStatsPart {
  division: string;
  month: string;
}
/**
 * Memory for the sorts and hashes of a rebuild (its own transaction only). At 1,000,000 contracted items the
 * grouping spills to disk with the default 4 MB and its SELECT takes 39 s; with this, 24 s.
 */
export const REBUILD_WORK_MEM = '256MB';
/** The same for a refresh of some parts (a burst of contracts), which sorts far fewer rows. */
export const REFRESH_WORK_MEM = '64MB';

/** Rows of a page of statistics: the house defaults (a monthly series across cities spans several pages). */
export const PRICE_STATS_PAGE_SIZE = DEFAULT_PAGE_SIZE;
export const MAX_PRICE_STATS_PAGE_SIZE = MAX_PAGE_SIZE;

export interface PriceStatView extends PriceSummary {
  kind: 'cpv' | 'item';
  subject: string;
  /** The CPV division (first two digits) the row's contracted items belong to. */
  division: string;
  unitCode: string;
  currency: string;
  country: string;
  /** null on a country row. */
  cityId: string | null;
  /** YYYY-MM. */
  month: string;
}

export interface PriceStatsQuery {
  /** Exactly one of cpv (children rolled up) and catalogItemId. */
  cpv?: string;
  catalogItemId?: string;
  /** A city's rows; or a country's own rows; neither: every city (to compare one item across cities). */
  cityId?: string;
  country?: string;
  unitCode?: string;
  currency?: string;
  /** Months, YYYY-MM, inclusive. */
  from?: string;
  to?: string;
  /** Rows of the page (PRICE_STATS_PAGE_SIZE when not given). */
  limit?: number;
  /** nextCursor of the previous page. */
  cursor?: string;
}

/** The order of a series and of its pages (the primary key after kind and subject). */
const KEY_SHAPE: CursorPart[] = ['month', 'text', 'text', 'text', 'text', 'text'];
const keyOf = (r: PriceStatView) => [
  r.month,
  r.country,
  r.cityId ?? r.country,
  r.unitCode,
  r.currency,
  r.division,
];

/**
 * Every item of every signed contract that has a unit price, from the contracts themselves (the full rebuild's
 * source). A lot carries one price, not item prices: only the item of a one-item lot has a unit price, the award
 * over its quantity; the items of a lot of several items are left out (splitting the award among them invented
 * prices, such as 125.63 and 25,000 a pack for 199 packs and 1 pack bought at 250). In a joint tender each buyer's
 * contract of the item is priced at the deal's unit price, whatever the buyers' shares of the estimate (which split
 * the award into contract amounts): its value is the award's part for the buyer's quantity. The trigger behind
 * contracted_items (migration SingleItemLotUnitPrices) computes the same when a contract is signed. item_id names
 * the purchase's item line, which statsOf counts once.
 */
export const PRICED_ITEMS = `
  SELECT ti.id AS item_id, ti.cpv_code, ti.catalog_item_id, ti.unit_code, t.currency, c.id AS city_id, c.country,
         date_trunc('month', GREATEST(k.buyer_signed_at, k.supplier_signed_at) AT TIME ZONE 'UTC')::date AS month,
         COALESCE(q.quantity, ti.quantity) AS quantity,
         round(a.amount * COALESCE(q.quantity, ti.quantity) / ti.quantity, 2) AS value
    FROM contracts k
    JOIN awards a ON a.id = k.award_id
    JOIN tenders t ON t.id = k.tender_id
    JOIN tender_items ti ON ti.lot_id = k.lot_id
    LEFT JOIN tender_item_quantities q ON q.item_id = ti.id AND q.buyer_id = k.buyer_id
    JOIN cities c ON c.id = ti.delivery_city_id
   WHERE k.status = 'signed'
     AND NOT EXISTS (SELECT 1 FROM tender_items x WHERE x.lot_id = ti.lot_id AND x.id <> ti.id)`;

/** The same items of the (division, month) parts given as the parallel arrays $1 and $2, by index. */
const CONTRACTED_ITEMS_OF_PARTS = `
  SELECT item_id, cpv_code, catalog_item_id, unit_code, currency, city_id, country, month, quantity, value
    FROM contracted_items
   WHERE (division, month) IN (SELECT * FROM unnest($1::text[], $2::date[]))`;

/**
 * The rows (subject) of the CPV roll-up keys of a code (cpvRollupKeys in price-stats.ts): the 2-digit division and
 * every longer prefix of the 8 digits that ends in a non-zero digit. A prefix ending in zero names the same key
 * as a shorter one, so no DISTINCT is needed.
 */
export const cpvRollupKeysSql = (code: string) => `
  SELECT left(${code}, n.n) AS subject FROM (VALUES (2), (3), (4), (5), (6), (7), (8)) n(n)
   WHERE n.n = 2 OR substr(${code}, n.n, 1) <> '0'`;

/**
 * Statistics per subject (every CPV roll-up key, see cpvRollupKeys, and the catalogue item), city and country,
 * inserted into the table named (price_stats, or the table a full rebuild fills before swapping it in).
 *
 * A data point is a purchase's item line, not a contract: a joint purchase gives each buyer a contract of the item
 * at the deal's one unit price, and counting those repeated that price once per buyer (two joint purchases of two
 * buyers passed for a market of four, the red flags' MIN_MARKET_COUNT, and weighed the quartiles). The contracts
 * of an item line signed in the same month are summed into one point, priced at their value over their quantity:
 * count is a number of purchases, and total_quantity and total_value still add up every contract.
 *
 * Written for one pass over the priced items: each item line is read once and fanned out to its subjects by a
 * lateral list (cpvRollupKeysSql, and its catalogue item). The grouping keys are compared bytewise (COLLATE "C"): grouping only
 * needs equality, and the one big sort of a full rebuild is several times cheaper than with the database's
 * locale; subject leads, the most varied key. OFFSET 0 keeps the item lines' subquery whole, so an item line's
 * value and unit price are computed once, not once per subject and again in each aggregate of each grouping set.
 * With `groups` (a relation of the keys to keep), the fanned-out items are fenced the same way, so they meet the
 * groups in one hashed semi-join instead of being fanned out again for each group.
 */
const statsOf = (items: string, groups?: string) => `
  SELECT subject COLLATE "default" AS subject, kind COLLATE "default" AS kind,
         division COLLATE "default" AS division, unit_code COLLATE "default" AS unit_code,
         currency COLLATE "default" AS currency, country COLLATE "default" AS country, month, city_id,
         COALESCE(city_id::text, country) COLLATE "default" AS geo, count(*)::int AS count,
         min(unit_price) AS min,
         price_quantile(array_agg(unit_price ORDER BY unit_price), 0.25) AS q1,
         price_quantile(array_agg(unit_price ORDER BY unit_price), 0.5) AS median,
         price_quantile(array_agg(unit_price ORDER BY unit_price), 0.75) AS q3,
         max(unit_price) AS max,
         round(sum(unit_price) / count(*), 4) AS mean,
         sum(quantity) AS total_quantity, sum(value) AS total_value
    FROM (SELECT s.subject, s.kind, left(p.cpv_code, 2) COLLATE "C" AS division, p.unit_code COLLATE "C" AS unit_code,
                 p.currency COLLATE "C" AS currency, p.country COLLATE "C" AS country, p.month, p.city_id,
                 p.unit_price, p.quantity, p.value
            FROM (SELECT p.cpv_code, p.catalog_item_id, p.unit_code, p.currency, p.city_id, p.country, p.month,
                         sum(p.quantity) AS quantity, sum(p.value) AS value,
                         round(sum(p.value) / sum(p.quantity), 4) AS unit_price
                    FROM (${items}) p
                   WHERE p.quantity > 0
                   GROUP BY p.item_id, p.cpv_code, p.catalog_item_id, p.unit_code, p.currency, p.city_id, p.country,
                            p.month
                  OFFSET 0) p
            CROSS JOIN LATERAL (
              SELECT subject COLLATE "C", 'cpv' COLLATE "C" AS kind FROM (${cpvRollupKeysSql('p.cpv_code')}) k
              UNION ALL
              SELECT p.catalog_item_id::text COLLATE "C", 'item' WHERE p.catalog_item_id IS NOT NULL
            ) s
          ${groups ? 'OFFSET 0' : ''}) i
   ${groups ? `WHERE (subject, kind, division, unit_code, currency, country, month) IN (SELECT * FROM ${groups})` : ''}
   GROUP BY GROUPING SETS (
     (subject, kind, division, unit_code, currency, country, month, city_id),
     (subject, kind, division, unit_code, currency, country, month)
   )`;

const COLUMNS = `subject, kind, division, unit_code, currency, country, month, city_id, geo, count,
                 min, q1, median, q3, max, mean, total_quantity, total_value`;
const FIGURES = ['count', 'min', 'q1', 'median', 'q3', 'max', 'mean', 'total_quantity', 'total_value'];

/** Every statistic, inserted into a table shaped as price_stats (a full rebuild). */
const rebuildInto = (table: string) => `INSERT INTO ${table} (${COLUMNS}) ${statsOf(PRICED_ITEMS)}`;

/**
 * Counts the changes waiting for the parts $1, $2 (contracts signed since they were last computed): takes them
 * out of price_stats_changes and recomputes only the groups they touch (each CPV roll-up key and catalogue item
 * of a changed item, with its unit, currency, country and month: the country row and every city row), from the
 * parts' contracted items, and writes the difference: rows of those groups that are gone are deleted, new ones
 * inserted, and a row is updated only when one of its figures changed (rewriting every row, heap, both indexes
 * and WAL, cost more than computing them). NOT IN over fresh's keys (never null) is a hashed lookup whatever the
 * row estimates; an anti-join planned from a bad estimate of fresh compared every pair (2,354 x 2,354 keys,
 * 1.3 s). Returns how many rows it recomputed.
 */
const REFRESH_CHANGES = `
  WITH taken AS (
    DELETE FROM price_stats_changes c USING unnest($1::text[], $2::date[]) AS w(division, month)
     WHERE c.division = w.division AND c.month = w.month
    RETURNING c.*
  ),
  groups AS MATERIALIZED (
    SELECT DISTINCT k.subject, k.kind, c.division, c.unit_code, c.currency, c.country, c.month
      FROM taken c
      CROSS JOIN LATERAL (
        SELECT subject, 'cpv' AS kind FROM (${cpvRollupKeysSql('c.cpv_code')}) r
        UNION ALL
        SELECT c.catalog_item_id::text, 'item' WHERE c.catalog_item_id IS NOT NULL
      ) k
  ),
  fresh AS MATERIALIZED (${statsOf(
    `${CONTRACTED_ITEMS_OF_PARTS} AND (division, month) IN (SELECT division, month FROM groups)`,
    'groups',
  )}),
  gone AS (
    DELETE FROM price_stats s USING groups g
     WHERE (s.kind, s.subject, s.division, s.unit_code, s.currency, s.country, s.month)
         = (g.kind, g.subject, g.division, g.unit_code, g.currency, g.country, g.month)
       AND (s.kind, s.subject, s.month, s.country, s.geo, s.unit_code, s.currency, s.division) NOT IN (
             SELECT f.kind, f.subject, f.month, f.country, f.geo, f.unit_code, f.currency, f.division FROM fresh f)
  ),
  written AS (
    INSERT INTO price_stats (${COLUMNS}) SELECT ${COLUMNS} FROM fresh
    ON CONFLICT ON CONSTRAINT pk_price_stats DO UPDATE
       SET ${FIGURES.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, computed_at = now()
     WHERE (${FIGURES.map((c) => `price_stats.${c}`).join(', ')})
           IS DISTINCT FROM (${FIGURES.map((c) => `EXCLUDED.${c}`).join(', ')})
  )
  SELECT count(*)::int AS rows FROM fresh`;

/**
 * A full rebuild fills this table, indexes it and swaps it in for price_stats in the same transaction. Filling
 * an unindexed table and building its indexes once, by sorting, costs a fraction of maintaining two b-trees for
 * four million inserted rows (and of deleting the old ones first); readers keep the old table until the commit.
 */
const NEXT = 'price_stats_next';
/** Memory for building the new table's indexes (its own transaction only). */
export const REBUILD_MAINTENANCE_WORK_MEM = '256MB';

/**
 * The statement behind query() (exported for the benchmark's raw baseline). It walks the primary key
 * (kind, subject, month, country, geo, unit, currency, division) in order from the cursor's key ($9..$14), so a
 * page comes without a sort and without reading the pages before it; geo is the city id as text on city rows,
 * which orders them as the uuids do. $15 is the number of rows to fetch (a page and one more).
 */
export const PRICE_STATS_QUERY = `
  SELECT kind, subject, division, unit_code AS "unitCode", currency, country, city_id AS "cityId",
         to_char(month, 'YYYY-MM') AS month, count, min::text, q1::text, median::text, q3::text, max::text,
         mean::text, total_quantity::text AS "totalQuantity", total_value::text AS "totalValue"
    FROM price_stats
   WHERE kind = $1 AND subject = $2
     AND CASE WHEN $3::uuid IS NOT NULL THEN city_id = $3
              WHEN $4::text IS NOT NULL THEN city_id IS NULL AND country = $4
              ELSE city_id IS NOT NULL END
     AND ($5::text IS NULL OR unit_code = $5) AND ($6::text IS NULL OR currency = $6)
     AND ($7::date IS NULL OR price_stats.month >= $7) AND ($8::date IS NULL OR price_stats.month <= $8)
     AND ($9::date IS NULL OR (price_stats.month, country, geo, unit_code, currency, division)
                               > ($9::date, $10::text, $11::text, $12::text, $13::text, $14::text))
   ORDER BY price_stats.month, country, geo, unit_code, currency, division
   LIMIT $15`;

/** The parameters of PRICE_STATS_QUERY for a query (throws InvalidCursorError for a cursor it did not make). */
export function priceStatsQueryParams(q: PriceStatsQuery): unknown[] {
  const [kind, subject] = q.catalogItemId ? ['item', q.catalogItemId] : ['cpv', cpvKey(q.cpv ?? '')];
  const after = q.cursor ? decodeCursor(q.cursor, KEY_SHAPE) : undefined;
  return [
    kind,
    subject,
    q.cityId ?? null,
    q.country ?? null,
    q.unitCode ?? null,
    q.currency ?? null,
    q.from ? `${q.from}-01` : null,
    q.to ? `${q.to}-01` : null,
    after ? `${after[0]}-01` : null,
    ...(after ? after.slice(1).map(String) : [null, null, null, null, null]),
    (q.limit ?? PRICE_STATS_PAGE_SIZE) + 1,
  ];
}

/** Runs an INSERT in the transaction of the manager and returns how many rows it wrote. */
async function insertedRows(manager: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const result = await manager.queryRunner!.query(sql, params, true);
  return result.affected ?? 0;
}

/** Builds and reads the unit price statistics of contracted items (definitions in price-stats.ts). */
@Injectable()
export class PriceStatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Rebuilds every statistic from the signed contracts (the nightly job): fills a new table, indexes and analyses
   * it, then replaces price_stats with it under the names the schema gives (pk_price_stats,
   * ix_price_stats_division_month). All in one transaction: a failure leaves the old statistics as they were.
   */
  async rebuild(): Promise<{ rows: number }> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock($1)`, [REBUILD_LOCK_KEY]);
      await manager.query(
        `SELECT set_config('work_mem', $1, true), set_config('maintenance_work_mem', $2, true)`,
        [REBUILD_WORK_MEM, REBUILD_MAINTENANCE_WORK_MEM],
      );
      await manager.query(`CREATE TABLE ${NEXT} (LIKE price_stats INCLUDING DEFAULTS INCLUDING STORAGE)`);
      const rows = await insertedRows(manager, rebuildInto(NEXT), []);
      await manager.query(
        `ALTER TABLE ${NEXT} ADD CONSTRAINT ${NEXT}_pk
           PRIMARY KEY (kind, subject, month, country, geo, unit_code, currency, division)`,
      );
      await manager.query(`CREATE INDEX ${NEXT}_division_month ON ${NEXT} (division, month)`);
      await manager.query(`ANALYZE ${NEXT}`);
      await manager.query(`DROP TABLE price_stats`);
      await manager.query(`ALTER TABLE ${NEXT} RENAME TO price_stats`);
      await manager.query(`ALTER TABLE price_stats RENAME CONSTRAINT ${NEXT}_pk TO pk_price_stats`);
      await manager.query(`ALTER INDEX ${NEXT}_division_month RENAME TO ix_price_stats_division_month`);
      // Every part is computed now (a part without statistics keeps its last time: it holds nothing to move).
      await manager.query(
        `INSERT INTO price_stats_parts (division, month, computed_at)
         SELECT DISTINCT division, month, now() FROM price_stats
         ON CONFLICT (division, month) DO UPDATE SET computed_at = now()`,
      );
      return { rows };
    });
  }

  /**
   * Counts the contracts signed in some parts since they were last computed: recomputes only the groups their
   * items touch (see REFRESH_CHANGES), in one statement for all the parts. What confirming a contract asks for;
   * nothing to do when nothing changed. Safe to run twice or at once: see REBUILD_LOCK_KEY (part locks are taken
   * in one order); a part's rows change in one transaction.
   */
  async refreshChanges(parts: readonly PriceStatsPart[]): Promise<{ rows: number }> {
    const unique = [...new Map(parts.map((p) => [`${p.division} ${p.month}`, p])).values()].sort((a, b) =>
      a.division === b.division ? a.month.localeCompare(b.month) : a.division.localeCompare(b.division),
    );
    if (unique.length === 0) return { rows: 0 };
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock_shared($1)`, [REBUILD_LOCK_KEY]);
      await manager.query(`SELECT set_config('work_mem', $1, true)`, [REFRESH_WORK_MEM]);
      await manager.query(
        `SELECT pg_advisory_xact_lock(hashtext('price_stats ' || d || ' ' || m))
           FROM unnest($1::text[], $2::text[]) AS w(d, m) ORDER BY d, m`,
        [unique.map((p) => p.division), unique.map((p) => p.month)],
      );
      const params = [unique.map((p) => p.division), unique.map((p) => `${p.month}-01`)];
      const [result] = await manager.query<{ rows: number }[]>(REFRESH_CHANGES, params);
      await manager.query(
        `INSERT INTO price_stats_parts (division, month, computed_at)
         SELECT division, month, now() FROM unnest($1::text[], $2::date[]) AS w(division, month)
         ON CONFLICT (division, month) DO UPDATE SET computed_at = now()`,
        params,
      );
      return { rows: result?.rows ?? 0 };
    });
  }

  /**
   * The (division, month) parts holding a tender's signed contracts whose statistics were last computed before
   * the latest signing there, or that still have changes waiting: what a change to the tender may still have to
   * move. A part refreshed since with nothing waiting (as confirming a contract asks at once) is left out, so the
   * red flag backstop does not repeat that work.
   */
  async partsOfTender(tenderId: string): Promise<PriceStatsPart[]> {
    return this.dataSource.query<PriceStatsPart[]>(
      `SELECT p.division, to_char(p.month, 'YYYY-MM') AS month
         FROM (SELECT left(ti.cpv_code, 2) AS division,
                      date_trunc('month', GREATEST(k.buyer_signed_at, k.supplier_signed_at) AT TIME ZONE 'UTC')::date
                        AS month,
                      max(GREATEST(k.buyer_signed_at, k.supplier_signed_at)) AS signed_at
                 FROM contracts k JOIN tender_items ti ON ti.lot_id = k.lot_id
                WHERE k.tender_id = $1 AND k.status = 'signed'
                GROUP BY 1, 2) p
        WHERE NOT EXISTS (SELECT 1 FROM price_stats_parts s
                           WHERE s.division = p.division AND s.month = p.month AND s.computed_at > p.signed_at)
           OR EXISTS (SELECT 1 FROM price_stats_changes c WHERE c.division = p.division AND c.month = p.month)
        ORDER BY 1, 2`,
      [tenderId],
    );
  }

  /** A page of a monthly series per place, oldest first, for a CPV code (children included) or a catalogue item. */
  async query(q: PriceStatsQuery): Promise<Page<PriceStatView>> {
    // Rows, serialised by the API: building the JSON in the database measured slower (its CPU is the scarcer).
    const rows = await this.dataSource.query<PriceStatView[]>(PRICE_STATS_QUERY, priceStatsQueryParams(q));
    return toPage(rows, q.limit ?? PRICE_STATS_PAGE_SIZE, keyOf);
  }
}
