import type { Pool } from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/** The signature that opens PostgreSQL's binary COPY format, then 32-bit flags and a header extension length. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * The body of the full page at `start` (`{"entries":[` + log_pages.items + `]}`) as the UTF-8 bytes PostgreSQL
 * keeps, or null when the page is not stored. Read with a binary COPY: a query result would decode the third of a
 * megabyte into a JavaScript string only for the response to encode it back into the same bytes, and that was
 * most of the API's work when a verifier downloads the whole log. The database writes the brackets around the
 * items, so the bytes are copied once in this process, or not at all when they arrive in one piece.
 */
export async function storedPageBody(pool: Pool, start: number): Promise<Buffer | null> {
  if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`no page starts at ${start}`);
  const client = await pool.connect();
  try {
    const stream = client.query(
      copyTo(
        `COPY (SELECT '{"entries":[' || items || ']}' FROM log_pages WHERE start = ${start})
           TO STDOUT (FORMAT binary)`,
      ),
    );
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return fieldOf(chunks);
  } finally {
    client.release();
  }
}

/**
 * The one text field of the binary COPY output (in chunks as received) of at most one row of one column; null
 * when there is no row. The field is a view of its chunk when it lies in one.
 */
export function fieldOf(chunks: Buffer[]): Buffer | null {
  const head = chunks[0] && chunks[0].length >= HEAD_BYTES ? chunks[0] : Buffer.concat(chunks);
  if (head.length < HEAD_BYTES || !head.subarray(0, SIGNATURE.length).equals(SIGNATURE)) {
    throw new Error('not PostgreSQL binary COPY output');
  }
  // Past the header extension, in the chunks taken as one sequence of bytes.
  const bytes = new ChunkReader(chunks);
  bytes.skip(SIGNATURE.length + 4);
  bytes.skip(bytes.uint32());
  const fields = bytes.int16();
  if (fields === -1) return null;
  if (fields !== 1) throw new Error(`expected one column, got ${fields}`);
  const length = bytes.int32();
  if (length < 0) return null;
  return bytes.take(length);
}

/** The signature, flags and extension length: what must be read before anything else. */
const HEAD_BYTES = SIGNATURE.length + 8;

class ChunkReader {
  private chunk = 0;
  private at = 0;

  constructor(private readonly chunks: Buffer[]) {}

  skip(n: number): void {
    this.take(n);
  }

  uint32(): number {
    return this.take(4).readUInt32BE(0);
  }

  int32(): number {
    return this.take(4).readInt32BE(0);
  }

  int16(): number {
    return this.take(2).readInt16BE(0);
  }

  /** The next n bytes: a view when they lie in one chunk, a copy otherwise. */
  take(n: number): Buffer {
    while (this.chunk < this.chunks.length && this.at === this.chunks[this.chunk]!.length) {
      this.chunk++;
      this.at = 0;
    }
    const current = this.chunks[this.chunk];
    if (current && this.at + n <= current.length) {
      const view = current.subarray(this.at, this.at + n);
      this.at += n;
      return view;
    }
    const parts: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const chunk = this.chunks[this.chunk];
      if (!chunk) throw new Error('binary COPY output cut short');
      const part = chunk.subarray(this.at, this.at + left);
      parts.push(part);
      left -= part.length;
      this.at += part.length;
      if (this.at === chunk.length) {
        this.chunk++;
        this.at = 0;
      }
    }
    return Buffer.concat(parts, n);
  }
}

/**
 * Full pages as the API sends them, by start, within a byte budget. A full page never changes (log_pages refuses
 * UPDATE and DELETE), and every verifier downloads every page, so a page is kept as it is first served until the
 * budget is used up, and none is ever dropped: a whole-log download after the first then reads no page from the
 * database while the log fits, and most of them when it does not (an LRU would keep none of a scan larger than
 * itself).
 */
export class FullPageCache {
  private readonly pages = new Map<number, Buffer>();
  private used = 0;

  constructor(private readonly budgetBytes: number) {}

  get bytes(): number {
    return this.used;
  }

  get(start: number): Buffer | undefined {
    return this.pages.get(start);
  }

  /** Keeps a copy of the page if it fits (the body may be a view of a larger chunk, which is not kept alive). */
  keep(start: number, body: Buffer): void {
    if (this.pages.has(start) || this.used + body.length > this.budgetBytes) return;
    this.pages.set(start, Buffer.from(body));
    this.used += body.length;
  }
}
