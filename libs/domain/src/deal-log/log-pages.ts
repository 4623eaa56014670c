/** Entries in a page of `GET /log/entries` at most, and in a stored page exactly. */
export const LOG_PAGE_SIZE = 1000;

/**
 * One item of a page, `{"index":..,"entry":..,"leafHash":".."}`, as the database writes it from the row `l` of
 * log_entries: the stored canonical JSON goes in as it is, so a page carries the exact leaf bytes.
 */
export const LOG_ITEM_SQL = `'{"index":' || l.idx || ',"entry":' || l.entry || ',"leafHash":"' || encode(l.leaf_hash, 'hex') || '"}'`;

type Query = (sql: string, params: unknown[]) => Promise<unknown>;

/**
 * Stores the pages that the log's growth from `fromSize` to `toSize` entries completed: each full, aligned page
 * of LOG_PAGE_SIZE entries, as the comma-separated text of its items (log_pages). Logged entries never change, so
 * neither does a full page; serving one is then one stored value rather than a thousand rows to read and join.
 * Called in the transaction that stores the entries.
 */
export async function storeFullPages(query: Query, fromSize: number, toSize: number): Promise<void> {
  const first = Math.floor(fromSize / LOG_PAGE_SIZE) * LOG_PAGE_SIZE;
  const last = Math.floor(toSize / LOG_PAGE_SIZE) * LOG_PAGE_SIZE - LOG_PAGE_SIZE;
  if (last < first) return;
  await query(
    `INSERT INTO log_pages (start, items)
     SELECT p.start, (SELECT string_agg(${LOG_ITEM_SQL}, ',' ORDER BY l.idx) FROM log_entries l
                       WHERE l.idx >= p.start AND l.idx < p.start + ${LOG_PAGE_SIZE})
       FROM generate_series($1::bigint, $2::bigint, ${LOG_PAGE_SIZE}) AS p(start)`,
    [first, last],
  );
}
