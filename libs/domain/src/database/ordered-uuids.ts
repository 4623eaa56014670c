import { randomBytes } from 'node:crypto';

/**
 * `count` UUIDs (version 7 layout: milliseconds, then a counter, then random bits) in increasing order, so that
 * rows ordered by id come in the order the ids were made.
 */
export function orderedUuids(count: number): string[] {
  const ids: string[] = [];
  let ms = Date.now();
  let seq = 0;
  for (let i = 0; i < count; i++) {
    if (seq > 0xfff) {
      ms += 1;
      seq = 0;
    }
    const b = randomBytes(16);
    b.writeUIntBE(ms, 0, 6);
    b[6] = 0x70 | (seq >> 8);
    b[7] = seq & 0xff;
    b[8] = 0x80 | (b[8]! & 0x3f);
    seq += 1;
    const hex = b.toString('hex');
    ids.push(
      `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    );
  }
  return ids;
}
