import { CatalogInvalidCursorError } from '../errors/catalog-error';

/** A page of a list ordered by a stable key; nextCursor is null on the last page. */
export interface CatalogPage<T> {
  items: T[];
  nextCursor: string | null;
}

export const CATALOG_DEFAULT_PAGE_SIZE = 20;

export type CursorKey = (string | number)[];

/** What each position of a cursor key must look like before it is bound into SQL. */
/** `int` is a 32-bit integer (an integer column), `bigint` any safe integer (bigint columns and keys). */
export type CursorPart = 'uuid' | 'int' | 'bigint' | 'timestamp' | 'decimal' | 'code';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^-?\d{1,16}(\.\d{1,4})?$/;
const CODE = /^[0-9A-Za-z.-]{1,32}$/;

function fits(value: unknown, part: CursorPart): boolean {
  switch (part) {
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31;
    case 'bigint':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'timestamp':
      return typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value));
    case 'decimal':
      return typeof value === 'string' && DECIMAL.test(value);
    case 'code':
      return typeof value === 'string' && CODE.test(value);
  }
}

/**
 * Opaque cursors carry the sort key of the last row seen plus a tag naming the list and ordering, so a cursor
 * of one ordering is refused by another instead of silently skipping rows, and a forged key never reaches SQL.
 */
export function encodeCatalogCursor(tag: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify([tag, ...key]), 'utf8').toString('base64url');
}

export function decodeCatalogCursor(cursor: string, tag: string, shape: readonly CursorPart[]): CursorKey {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === shape.length + 1 &&
      parsed[0] === tag &&
      shape.every((part, i) => fits(parsed[i + 1], part))
    ) {
      return parsed.slice(1) as CursorKey;
    }
  } catch {
    // fall through to the error below
  }
  throw new CatalogInvalidCursorError('The cursor is not one this list produced', { field: 'cursor' });
}

/** Turns limit+1 fetched rows into a page, computing the next cursor from the last row kept. */
export function toCatalogPage<T>(
  rows: T[],
  limit: number,
  tag: string,
  keyOf: (row: T) => CursorKey,
): CatalogPage<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCatalogCursor(tag, keyOf(last)) : null };
}
