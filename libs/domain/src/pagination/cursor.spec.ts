import fc from 'fast-check';
import { type CursorPart, decodeCursor, encodeCursor, toPage } from './cursor';
import { InvalidCursorError } from '../errors';

describe('cursor', () => {
  it('round-trips the keys the lists produce', () => {
    const instant = fc
      .date({
        min: new Date('1970-01-01T00:00:00Z'),
        max: new Date('9999-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
    fc.assert(
      fc.property(instant, fc.uuid(), fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), (at, id, n) => {
        const key = [at, id, n.toString()];
        expect(decodeCursor(encodeCursor(key), ['instant', 'uuid', 'digits'])).toEqual(key);
      }),
    );
    const shapes: [CursorPart, string | number][] = [
      ['instant', '2026-11-26 23:45:26.123456+00'],
      ['instant', '2026-02-28T10:00:00.000000Z'],
      ['instant', '2024-02-29T10:00:00+05:30'],
      ['index', 0],
      ['index', Number.MAX_SAFE_INTEGER],
      ['month', '2026-11'],
      ['date', '2024-02-29'],
      ['text', 'saint-petersburg'],
    ];
    for (const [part, value] of shapes) expect(decodeCursor(encodeCursor([value]), [part])).toEqual([value]);
  });

  it('refuses a forged or foreign cursor', () => {
    expect(() => decodeCursor('not-a-cursor', ['uuid', 'uuid'])).toThrow(InvalidCursorError);
    expect(() => decodeCursor(encodeCursor(['a']), ['text', 'text'])).toThrow(InvalidCursorError);
  });

  it('refuses key parts that PostgreSQL would not read into their columns', () => {
    const bad: [CursorPart, unknown][] = [
      ['instant', 'x'],
      ['instant', '2026-13-01T00:00:00Z'],
      ['instant', '2026-02-30T00:00:00Z'],
      ['instant', '2025-02-29T00:00:00Z'],
      ['instant', '2026-01-01T24:00:00Z'],
      ['instant', '2026-01-01T00:60:00Z'],
      ['instant', '2026-01-01T00:00:00+99'],
      ['instant', '2026-01-01T00:00:00'],
      ['instant', 1764200000000],
      ['uuid', 'not-a-uuid'],
      ['uuid', 7],
      ['digits', '9223372036854775808'],
      ['digits', '-1'],
      ['digits', 12],
      ['index', -1],
      ['index', 2 ** 53],
      ['index', '5'],
      ['month', '2026-13'],
      ['date', '2026-02-30'],
      ['text', 'x'.repeat(201)],
      ['text', 5],
      ['text', 'RU\u0000'],
      ['text', 'a\uD800b'],
      ['text', '\uDC00'],
    ];
    for (const [part, value] of bad) {
      expect(() => decodeCursor(encodeCursor([value as string]), [part])).toThrow(InvalidCursorError);
    }
  });

  it('keeps text with a surrogate pair (an emoji) or Cyrillic', () => {
    for (const text of ['Москва', 'pen \uD83D\uDD8A']) {
      expect(decodeCursor(encodeCursor([text]), ['text'])).toEqual([text]);
    }
  });

  it('gives a next cursor only when more rows exist', () => {
    expect(toPage([1, 2, 3], 2, (n) => [n]).nextCursor).toBe(encodeCursor([2]));
    expect(toPage([1, 2], 2, (n) => [n]).nextCursor).toBeNull();
  });
});
