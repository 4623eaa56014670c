import { fieldOf } from './stored-page';

/** Binary COPY output as PostgreSQL writes it: signature, flags, header extension, tuples, trailer. */
function copyOutput(rows: (Buffer | null)[], extension = Buffer.alloc(0)): Buffer {
  const parts: Buffer[] = [
    Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'),
    int32(0),
    int32(extension.length),
    extension,
  ];
  for (const row of rows) {
    parts.push(int16(1), int32(row === null ? -1 : row.length));
    if (row) parts.push(row);
  }
  parts.push(int16(-1));
  return Buffer.concat(parts);
}
const int16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

/** The same bytes cut into chunks at the given offsets, as a stream may deliver them. */
const cut = (bytes: Buffer, at: number[]): Buffer[] =>
  [0, ...at, bytes.length].slice(1).map((end, i) => bytes.subarray([0, ...at][i], end));

describe('fieldOf (binary COPY of one stored page)', () => {
  const text = Buffer.from('{"entries":[{"index":0,"entry":{"text":"Бумага \\u0001"}}]}', 'utf8');

  it('returns the bytes of the one field as stored, UTF-8 included, however the output is cut', () => {
    const output = copyOutput([text], Buffer.from('ext'));
    expect(fieldOf([copyOutput([text])])?.equals(text)).toBe(true);
    for (let a = 1; a < output.length - 1; a += 3) {
      for (const at of [[a], [a, a + 1], [Math.min(a, 5), Math.max(a, 5) + 1, output.length - 2]]) {
        expect(fieldOf(cut(output, at))?.equals(text)).toBe(true);
      }
    }
  });

  it('gives a view of the chunk, not a copy, when the field lies in one', () => {
    const output = copyOutput([text]);
    const field = fieldOf([output])!;
    expect(field.buffer).toBe(output.buffer);
  });

  it('returns null when no page is stored, or its text is NULL', () => {
    expect(fieldOf([copyOutput([])])).toBeNull();
    expect(fieldOf([copyOutput([null])])).toBeNull();
  });

  it('refuses output that is not binary COPY, or is cut short', () => {
    expect(() => fieldOf([Buffer.from('items\n')])).toThrow('not PostgreSQL binary COPY output');
    const full = copyOutput([Buffer.from('x'.repeat(100))]);
    expect(() => fieldOf([full.subarray(0, full.length - 20)])).toThrow('cut short');
  });
});
