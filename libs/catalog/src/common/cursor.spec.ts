import fc from 'fast-check';
import { CatalogInvalidCursorError } from '../errors/catalog-error';
import { decodeCatalogCursor, encodeCatalogCursor, toCatalogPage } from './cursor';

describe('catalogue cursors', () => {
  it('round-trips keys of the declared shape', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.integer(), (id, n) => {
        const cursor = encodeCatalogCursor('t', [n, id]);
        expect(decodeCatalogCursor(cursor, 't', ['int', 'uuid'])).toEqual([n, id]);
      }),
    );
  });

  it('refuses a cursor of another list or ordering', () => {
    const cursor = encodeCatalogCursor('price', ['1.00', '00000000-0000-4000-8000-000000000000']);
    expect(() => decodeCatalogCursor(cursor, 'newest', ['decimal', 'uuid'])).toThrow(
      CatalogInvalidCursorError,
    );
  });

  it('refuses forged keys before they can reach SQL', () => {
    const forged = [
      encodeCatalogCursor('t', [1, 'not-a-uuid']),
      encodeCatalogCursor('t', ['1', '00000000-0000-4000-8000-000000000000']),
      encodeCatalogCursor('t', [1.5, '00000000-0000-4000-8000-000000000000']),
      'not base64 json',
      Buffer.from('{"a":1}').toString('base64url'),
    ];
    for (const cursor of forged) {
      expect(() => decodeCatalogCursor(cursor, 't', ['int', 'uuid'])).toThrow(CatalogInvalidCursorError);
    }
    // An integer column holds 32 bits: a larger key would fail in PostgreSQL, not here.
    expect(() => decodeCatalogCursor(encodeCatalogCursor('t', [2 ** 31]), 't', ['int'])).toThrow();
    expect(() => decodeCatalogCursor(encodeCatalogCursor('t', [-(2 ** 31) - 1]), 't', ['int'])).toThrow();
    expect(decodeCatalogCursor(encodeCatalogCursor('t', [2 ** 31]), 't', ['bigint'])).toEqual([2 ** 31]);
    expect(() => decodeCatalogCursor(encodeCatalogCursor('t', [2 ** 53]), 't', ['bigint'])).toThrow();
    expect(() => decodeCatalogCursor(encodeCatalogCursor('t', ['1e5']), 't', ['decimal'])).toThrow();
    expect(() => decodeCatalogCursor(encodeCatalogCursor('t', ['yesterday']), 't', ['timestamp'])).toThrow();
  });

  it('gives a next cursor only when more rows exist', () => {
    expect(toCatalogPage([1, 2, 3], 2, 't', (n) => [n]).nextCursor).toBe(encodeCatalogCursor('t', [2]));
    expect(toCatalogPage([1, 2], 2, 't', (n) => [n]).nextCursor).toBeNull();
  });
});
