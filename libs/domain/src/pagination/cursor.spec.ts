import fc from 'fast-check';
import { decodeCursor, encodeCursor, toPage } from './cursor';
import { InvalidCursorError } from '../errors';

describe('cursor', () => {
  it('round-trips any key', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.integer()), { minLength: 1, maxLength: 3 }), (key) => {
        expect(decodeCursor(encodeCursor(key), key.length)).toEqual(key);
      }),
    );
  });

  it('refuses a forged or foreign cursor', () => {
    expect(() => decodeCursor('not-a-cursor', 2)).toThrow(InvalidCursorError);
    expect(() => decodeCursor(encodeCursor(['a']), 2)).toThrow(InvalidCursorError);
  });

  it('gives a next cursor only when more rows exist', () => {
    expect(toPage([1, 2, 3], 2, (n) => [n]).nextCursor).toBe(encodeCursor([2]));
    expect(toPage([1, 2], 2, (n) => [n]).nextCursor).toBeNull();
  });
});
