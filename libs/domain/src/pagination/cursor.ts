import { InvalidCursorError } from '../errors';

/** A page of a list ordered by a stable key; nextCursor is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/**
 * What each position of a cursor key must be before it is bound into SQL, so that a forged cursor is a 400 and
 * never a database error (a timestamp PostgreSQL cannot read, a number out of its column's range):
 * - `uuid`: a UUID string;
 * - `instant`: an ISO 8601 or PostgreSQL timestamp with its zone, a real date and time;
 * - `digits`: a string of digits that fits a bigint (ids and transaction ids sent as text);
 * - `index`: a non-negative safe integer;
 * - `month`: YYYY-MM; `date`: YYYY-MM-DD, a real day;
 * - `text`: a string of at most 200 characters that PostgreSQL can store: no U+0000 and no UTF-16 surrogate
 *   without its pair (a cursor is base64url, so the request's own checks never see what it decodes to).
 */
export type CursorPart = 'uuid' | 'instant' | 'digits' | 'index' | 'month' | 'date' | 'text';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](\d{2})(?::?(\d{2}))?)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const BIGINT_MAX = 9223372036854775807n;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isDay(year: number, month: number, day: number): boolean {
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= days;
}

function isInstant(value: string): boolean {
  const m = INSTANT.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second, zoneHour = 0, zoneMinute = 0] = m
    .slice(1)
    .map((v) => (v === undefined ? undefined : Number(v))) as number[];
  return (
    isDay(year!, month!, day!) &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 59 &&
    zoneHour <= 15 &&
    zoneMinute <= 59
  );
}

function fits(value: unknown, part: CursorPart): boolean {
  if (part === 'index') return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
  if (typeof value !== 'string') return false;
  switch (part) {
    case 'uuid':
      return UUID.test(value);
    case 'instant':
      return isInstant(value);
    case 'digits':
      return /^\d{1,19}$/.test(value) && BigInt(value) <= BIGINT_MAX;
    case 'month': {
      const m = MONTH.exec(value);
      return m !== null && isDay(Number(m[1]), Number(m[2]), 1);
    }
    case 'date': {
      const m = DATE.exec(value);
      return m !== null && isDay(Number(m[1]), Number(m[2]), Number(m[3]));
    }
    case 'text':
      return value.length <= 200 && !value.includes('\u0000') && !LONE_SURROGATE.test(value);
  }
}

/** Opaque cursors carry the sort key of the last row seen, so pages stay stable while rows are added. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key of a cursor this list produced, each part checked against `shape`; anything else is INVALID_CURSOR. */
export function decodeCursor(cursor: string, shape: readonly CursorPart[]): (string | number)[] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === shape.length &&
      shape.every((p, i) => fits(parsed[i], p))
    ) {
      return parsed as (string | number)[];
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidCursorError('The cursor is not one this list produced', { field: 'cursor' });
}

/** Turns limit+1 fetched rows into a page, computing the next cursor from the last row kept. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

/**
 * Every item of a list, read page by page at the largest page size: for documents that hold a whole list of one
 * deal (bounded by that deal), such as the audit dossier.
 */
export async function everyPage<T>(read: (limit: number, cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(MAX_PAGE_SIZE, cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
