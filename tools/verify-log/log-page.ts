/**
 * Reads a page of `GET /log/entries` (`{ "entries": [{ "index", "entry", "leafHash" }] }`) straight from its
 * bytes, without building the entries as objects.
 *
 * The log serves each entry as its leaf: the RFC 8785 canonical JSON the tree hashes. When the served bytes of an
 * entry are canonical, the verifier hashes them as they are; building the object (JSON.parse) only to write the
 * same text again (canonicalJson) was most of its work. An entry whose bytes are anything else (whitespace,
 * another key order, another escape or number form) is marked so, and the verifier parses and canonicalises it
 * as the format defines. The outcome is the one of canonicalising every entry, only cheaper.
 *
 * The page itself may be any JSON (whitespace, extra members, any member order). A page that is not JSON, or has
 * no `entries` array, is refused with a PageError, as JSON.parse would refuse it.
 */

/** What a canonical entry's `type` says for the commitment check. */
export enum EntryKind {
  Other,
  /** bid.submitted, bid.confirmed: logs a commitment. */
  Commits,
  /** bid.opened: reveals a bid. */
  Opens,
  /** bid.changed (logs a commitment, retires the one it replaces), bid.withdrawn (retires one): read parsed. */
  Retires,
  /**
   * tender.closed, tender.cancelled: every commitment still live must have been opened by a closing, or by a
   * cancellation after the deadline; read parsed.
   */
  Closes,
  /** tender.published, tender.tendering, tender.amended: may set the deadline commitments must come before; parsed. */
  SetsDeadline,
  /** auction.started, auction.bid: an electronic auction's end, and its prices, which must come before it; parsed. */
  Auction,
}

/** One served item. Offsets are into the page's bytes. */
export interface PageItem {
  /** As JSON.parse gives it. */
  index: unknown;
  /** Where the served leaf hash starts, when it is a string of 64 lowercase hex digits; otherwise -1. */
  leafHashAt: number;
  /** The served leaf hash as JSON.parse gives it, when leafHashAt is -1. */
  leafHash: unknown;
  /**
   * 0x00, then the entry's bytes as served: the byte before the entry (the page's ":" or whitespace) is
   * overwritten with the leaf hash's prefix, so a canonical entry is hashed without a copy. Only the 0x00 when
   * the item has no entry.
   */
  leaf: Buffer;
  /** Whether the entry's bytes are the canonical JSON of the value they denote (so its leaf is those bytes). */
  canonical: boolean;
  /**
   * Whether the fast scan read the entry, and with it what follows: the kind its `type` gives, where its
   * `tenderId` is when that is a plain string (tenderStart -1 otherwise), and where its `payload.commitment` is
   * when that is 64 lowercase hex digits (-1 otherwise). Other entries are parsed for the commitment check.
   */
  scanned: boolean;
  kind: EntryKind;
  tenderStart: number;
  tenderEnd: number;
  commitmentAt: number;
  /** Where the entry's `occurredAt` is when that is a plain string (occurredStart -1 otherwise). */
  occurredStart: number;
  occurredEnd: number;
}

export class PageError extends Error {}

/** Deeper nesting is refused rather than risking the stack (the log's entries nest a few levels). */
const MAX_DEPTH = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');
const NAMES = {
  entries: ascii('entries'),
  index: ascii('index'),
  entry: ascii('entry'),
  leafHash: ascii('leafHash'),
  type: ascii('type'),
  tenderId: ascii('tenderId'),
  payload: ascii('payload'),
  commitment: ascii('commitment'),
  occurredAt: ascii('occurredAt'),
};
const OPENS = ascii('bid.opened');
const CLOSES = ['tender.closed', 'tender.cancelled'].map(ascii);
const SETS_DEADLINE = ['tender.published', 'tender.tendering', 'tender.amended'].map(ascii);
const COMMITS = ['bid.submitted', 'bid.confirmed'].map(ascii);
const RETIRES = ['bid.changed', 'bid.withdrawn'].map(ascii);
const AUCTION = ['auction.started', 'auction.bid'].map(ascii);
// An item as the log writes it: {"index":<digits>,"entry":<entry>,"leafHash":"<64 hex>"}.
const ITEM_INDEX = ascii('{"index":');
const ITEM_ENTRY = ascii(',"entry":');
const ITEM_LEAF_HASH = ascii(',"leafHash":"');

// The fast entry scan: what it expects next, and what the value being read is wanted for.
const VALUE = 0;
const MEMBER = 1;
const AFTER = 2;
const WANT_NOTHING = 0;
const WANT_TYPE = 1;
const WANT_TENDER = 2;
const WANT_PAYLOAD = 3;
const WANT_COMMITMENT = 4;
const WANT_OCCURRED = 5;

/** The value of a hex digit byte (lowercase only), or -1. */
const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) HEX['0123456789abcdef'.charCodeAt(i)] = i;

/** The bytes a canonical string holds as they are, without a note: ASCII from space up, but for `"` and `\`. */
const PLAIN = new Uint8Array(256);
for (let b = 0x20; b < 0x80; b++) PLAIN[b] = b === QUOTE || b === BACKSLASH ? 0 : 1;

/** Whether bytes at..at+64 of `buf` are 64 lowercase hex digits. */
export function isHexHash(buf: Uint8Array, at: number): boolean {
  if (at < 0 || at + 64 > buf.length) return false;
  for (let i = at; i < at + 64; i++) if (HEX[buf[i]!]! < 0) return false;
  return true;
}

/** Writes the 32 bytes of the 64 lowercase hex digits at `at` (checked by isHexHash) into `out` at `outAt`. */
export function decodeHexHash(buf: Uint8Array, at: number, out: Uint8Array, outAt = 0): void {
  for (let i = 0; i < 32; i++) out[outAt + i] = (HEX[buf[at + 2 * i]!]! << 4) | HEX[buf[at + 2 * i + 1]!]!;
}

/** Whether the 64 lowercase hex digits at `at` in `buf` (checked by isHexHash) spell `digest`, a binary string. */
export function hexHashEquals(buf: Uint8Array, at: number, digest: string): boolean {
  if (digest.length !== 32) return false;
  for (let i = 0; i < 32; i++)
    if (((HEX[buf[at + 2 * i]!]! << 4) | HEX[buf[at + 2 * i + 1]!]!) !== digest.charCodeAt(i)) return false;
  return true;
}

/**
 * The items of one page (of UTF-8 bytes; the caller replaces invalid sequences first, as a JSON parser would).
 * Throws PageError when the page is not JSON or has no `entries` array. Overwrites one byte before each entry.
 */
export function readPage(page: Buffer): PageItem[] {
  return new PageReader(page).page();
}

class PageReader {
  private pos = 0;
  /** Whether an entry is being scanned, and whether it is canonical so far. */
  private inEntry = false;
  private canonical = true;
  // The last string token: its content's range, whether it has escapes or bytes above ASCII.
  private tokenStart = 0;
  private tokenEnd = 0;
  private tokenEscaped = false;
  private tokenNonAscii = false;
  // The key of the member being read: its range, and its text when it has escapes.
  private keyStart = 0;
  private keyEnd = 0;
  private keyText: string | undefined;
  // The fast entry scan's stack: each open container's kind, and an object's last key.
  private readonly kinds = new Uint8Array(MAX_DEPTH + 1);
  private readonly keyStarts = new Int32Array(MAX_DEPTH + 1);
  private readonly keyEnds = new Int32Array(MAX_DEPTH + 1);

  constructor(private readonly buf: Buffer) {}

  page(): PageItem[] {
    let items: PageItem[] | undefined;
    this.space();
    if (this.buf[this.pos] !== OPEN_OBJECT) this.fail('the page is not an object');
    this.object(() => {
      if (!this.keyIs(NAMES.entries)) return false;
      if (this.buf[this.pos] !== OPEN_ARRAY) throw new PageError('the page has no entries array');
      items = this.items();
      return true;
    });
    this.space();
    if (this.pos !== this.buf.length) this.fail('text after the page');
    if (!items) throw new PageError('the page has no entries array');
    return items;
  }

  private items(): PageItem[] {
    const items: PageItem[] = [];
    this.array(() => items.push(this.fastItem() ?? this.item()));
    return items;
  }

  /** An item written exactly as the log writes it, or undefined (nothing read) for the general path. */
  private fastItem(): PageItem | undefined {
    const buf = this.buf;
    const start = this.pos;
    if (!this.literal(start, ITEM_INDEX)) return undefined;
    let i = start + ITEM_INDEX.length;
    let index = 0;
    const digitsFrom = i;
    while (buf[i]! >= 0x30 && buf[i]! <= 0x39 && i - digitsFrom < 15) index = index * 10 + buf[i++]! - 0x30;
    const digits = i - digitsFrom;
    if (digits === 0 || (digits > 1 && buf[digitsFrom] === 0x30) || !this.literal(i, ITEM_ENTRY))
      return undefined;
    i += ITEM_ENTRY.length;
    const item = newItem(index);
    const end = this.canonicalEntry(i, item);
    if (end < 0 || !this.literal(end, ITEM_LEAF_HASH)) return undefined;
    const hashAt = end + ITEM_LEAF_HASH.length;
    if (!isHexHash(buf, hashAt) || buf[hashAt + 64] !== QUOTE || buf[hashAt + 65] !== CLOSE_OBJECT)
      return undefined;
    item.canonical = item.scanned = true;
    item.leafHashAt = hashAt;
    item.leaf = this.leaf(i, end);
    this.pos = hashAt + 66;
    return item;
  }

  /** Any item: an object with members in any order and whitespace, or anything else (kept without an index). */
  private item(): PageItem {
    const item = newItem(undefined);
    this.space();
    if (this.buf[this.pos] !== OPEN_OBJECT) {
      this.value(2);
      this.space();
      return item;
    }
    this.object(() => {
      if (this.keyIs(NAMES.index)) item.index = this.plainValue();
      else if (this.keyIs(NAMES.leafHash)) {
        const at = this.pos + 1;
        const value = this.plainValue();
        const isHash = typeof value === 'string' && value.length === 64 && isHexHash(this.buf, at);
        item.leafHashAt = isHash ? at : -1;
        item.leafHash = isHash ? undefined : value;
      } else if (this.keyIs(NAMES.entry)) this.entry(item);
      else return false;
      return true;
    });
    this.space();
    return item;
  }

  /** An item's entry, by the fast scan or else the general one. A repeated "entry" member: the last counts. */
  private entry(item: PageItem): void {
    const start = this.pos;
    Object.assign(item, {
      scanned: false,
      kind: EntryKind.Other,
      tenderStart: -1,
      commitmentAt: -1,
      occurredStart: -1,
    });
    let end = this.canonicalEntry(start, item);
    if (end >= 0) {
      item.canonical = item.scanned = true;
    } else {
      this.inEntry = true;
      this.canonical = true;
      this.value(3);
      this.inEntry = false;
      item.canonical = this.canonical;
      end = this.pos;
    }
    item.leaf = this.leaf(start, end);
    this.pos = end;
    this.space();
  }

  /** The entry at start..end with the byte before it (never part of the entry) made the leaf prefix 0x00. */
  private leaf(start: number, end: number): Buffer {
    this.buf[start - 1] = 0;
    return this.buf.subarray(start - 1, end);
  }

  /** A value outside entries, as JSON.parse gives it (read directly when it is digits or a plain string). */
  private plainValue(): unknown {
    const start = this.pos;
    this.value(3);
    const end = this.pos;
    this.space();
    const buf = this.buf;
    if (buf[start] === QUOTE && !this.tokenEscaped && !this.tokenNonAscii)
      return buf.toString('latin1', start + 1, end - 1);
    return JSON.parse(buf.toString('utf8', start, end)) as unknown;
  }

  /**
   * The fast scan of an entry: the end of the canonical JSON value at `start`, or -1 when the bytes there are
   * anything else (not canonical, not JSON, keys with escapes or above ASCII, nested too deep, a `type` or
   * `tenderId` that is not a plain string), which the general scan then decides. One loop over the bytes, with
   * the open containers on a stack. What the commitment check needs goes into `item`.
   */
  private canonicalEntry(start: number, item: PageItem): number {
    const buf = this.buf;
    const kinds = this.kinds;
    const keyStarts = this.keyStarts;
    const keyEnds = this.keyEnds;
    let i = start;
    let depth = 0;
    let state = VALUE;
    /** Depth of the entry's payload object while inside it, else 0. */
    let payload = 0;
    /** What the value being read is wanted for. */
    let wanted = WANT_NOTHING;
    let kind = EntryKind.Other;
    let tenderStart = -1;
    let tenderEnd = -1;
    let commitmentAt = -1;
    let occurredStart = -1;
    let occurredEnd = -1;
    // Reads stay in bounds (see plainString); the few that look ahead are past the end only for a bad page.
    const length = buf.length;
    for (;;) {
      if (i >= length) return -1;
      if (state === VALUE) {
        const b = buf[i]!;
        if (b === QUOTE) {
          const end = this.plainString(i);
          if (end < 0) return -1;
          if (wanted === WANT_TYPE || wanted === WANT_TENDER || wanted === WANT_OCCURRED) {
            if (this.tokenEscaped || this.tokenNonAscii) return -1;
            if (wanted === WANT_TENDER) {
              tenderStart = i + 1;
              tenderEnd = end - 1;
            } else if (wanted === WANT_OCCURRED) {
              occurredStart = i + 1;
              occurredEnd = end - 1;
            } else {
              kind = this.kindOf(i + 1, end - 1);
            }
          } else if (wanted === WANT_COMMITMENT && end - i === 66 && isHexHash(buf, i + 1)) {
            commitmentAt = i + 1;
          }
          i = end;
          state = AFTER;
        } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
          const close = b === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
          if (buf[i + 1] === close) {
            i += 2;
            state = AFTER;
          } else {
            if (++depth >= MAX_DEPTH) return -1;
            kinds[depth] = b;
            i++;
            if (b === OPEN_OBJECT) {
              keyStarts[depth] = -1;
              if (wanted === WANT_PAYLOAD) payload = depth;
              state = MEMBER;
            }
          }
        } else if (b === MINUS || (b >= 0x30 && b <= 0x39)) {
          let j = i + 1;
          for (; j < length; j++) {
            const c = buf[j]!;
            if (!((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x2b || c === MINUS)) break;
          }
          const text = buf.toString('latin1', i, j);
          // Number() also takes forms JSON does not ("1.", "-.5", "1e+"...), but String() writes none of them.
          if (String(Number(text)) !== text) return -1;
          i = j;
          state = AFTER;
        } else if (b === 0x74 && this.literal(i, TRUE)) {
          i += 4;
          state = AFTER;
        } else if (b === 0x66 && this.literal(i, FALSE)) {
          i += 5;
          state = AFTER;
        } else if (b === 0x6e && this.literal(i, NULL)) {
          i += 4;
          state = AFTER;
        } else {
          return -1;
        }
        wanted = WANT_NOTHING;
      } else if (state === MEMBER) {
        if (buf[i] !== QUOTE) return -1;
        const end = this.plainString(i);
        if (end < 0 || this.tokenEscaped || this.tokenNonAscii || buf[end] !== COLON) return -1;
        const from = i + 1;
        const to = end - 1;
        // Members in strictly increasing order of their keys (for ASCII, byte order is code-unit order).
        if (keyStarts[depth]! >= 0 && !this.before(keyStarts[depth]!, keyEnds[depth]!, from, to)) return -1;
        keyStarts[depth] = from;
        keyEnds[depth] = to;
        if (depth === 1) wanted = this.topMember(from, to);
        else if (depth === 2 && payload === 2 && this.named(from, to, NAMES.commitment))
          wanted = WANT_COMMITMENT;
        i = end + 1;
        state = VALUE;
      } else {
        if (depth === 0) break;
        const b = buf[i];
        const open = kinds[depth];
        if (b === COMMA) {
          i++;
          state = open === OPEN_OBJECT ? MEMBER : VALUE;
        } else if (
          (b === CLOSE_OBJECT && open === OPEN_OBJECT) ||
          (b === CLOSE_ARRAY && open === OPEN_ARRAY)
        ) {
          if (depth === payload) payload = 0;
          depth--;
          i++;
        } else {
          return -1;
        }
      }
    }
    item.kind = kind;
    item.tenderStart = tenderStart;
    item.tenderEnd = tenderEnd;
    item.commitmentAt = commitmentAt;
    item.occurredStart = occurredStart;
    item.occurredEnd = occurredEnd;
    return i;
  }

  /** What a member of the entry's top level is read for. */
  private topMember(from: number, to: number): number {
    if (this.named(from, to, NAMES.type)) return WANT_TYPE;
    if (this.named(from, to, NAMES.tenderId)) return WANT_TENDER;
    if (this.named(from, to, NAMES.payload)) return WANT_PAYLOAD;
    if (this.named(from, to, NAMES.occurredAt)) return WANT_OCCURRED;
    return WANT_NOTHING;
  }

  private kindOf(from: number, to: number): EntryKind {
    for (let i = 0; i < CLOSES.length; i++) if (this.named(from, to, CLOSES[i]!)) return EntryKind.Closes;
    for (let i = 0; i < SETS_DEADLINE.length; i++) {
      if (this.named(from, to, SETS_DEADLINE[i]!)) return EntryKind.SetsDeadline;
    }
    for (let i = 0; i < AUCTION.length; i++) if (this.named(from, to, AUCTION[i]!)) return EntryKind.Auction;
    // Every other name it tells apart starts "bid."; most types do not.
    if (this.buf[from] !== 0x62 || this.buf[from + 3] !== 0x2e) return EntryKind.Other;
    if (this.named(from, to, OPENS)) return EntryKind.Opens;
    for (let i = 0; i < COMMITS.length; i++) if (this.named(from, to, COMMITS[i]!)) return EntryKind.Commits;
    for (let i = 0; i < RETIRES.length; i++) if (this.named(from, to, RETIRES[i]!)) return EntryKind.Retires;
    return EntryKind.Other;
  }

  /** Whether the plain (unescaped) key or string at from..to is `name`. */
  private named(from: number, to: number, name: Buffer): boolean {
    if (to - from !== name.length) return false;
    for (let i = 0; i < name.length; i++) if (this.buf[from + i] !== name[i]) return false;
    return true;
  }

  /** Whether `text` is written at `at`. */
  private literal(at: number, text: Buffer): boolean {
    for (let i = 0; i < text.length; i++) if (this.buf[at + i] !== text[i]) return false;
    return true;
  }

  /** Whether the ASCII key at a..aEnd is strictly before the one at b..bEnd. */
  private before(a: number, aEnd: number, b: number, bEnd: number): boolean {
    const n = Math.min(aEnd - a, bEnd - b);
    for (let i = 0; i < n; i++) {
      const x = this.buf[a + i]!;
      const y = this.buf[b + i]!;
      if (x !== y) return x < y;
    }
    return aEnd - a < bEnd - b;
  }

  /**
   * The string token at `at` in canonical form: the position after its closing quote, or -1 (a control
   * character, a bad or non-canonical escape, no end). Notes escapes and bytes above ASCII in the token flags.
   */
  private plainString(at: number): number {
    const buf = this.buf;
    let i = at + 1;
    let escaped = false;
    let nonAscii = false;
    const length = buf.length;
    for (;;) {
      // Most bytes of a string are plain: one table lookup each, until the next byte that is not. (Every read
      // stays in bounds: a read past the end makes V8 fall back to slower code for the whole loop.)
      while (i < length && PLAIN[buf[i]!] === 1) i++;
      if (i >= length) return -1;
      const b = buf[i]!;
      if (b === QUOTE) break;
      if (b < 0x20) return -1;
      if (b === BACKSLASH) {
        const c = buf[i + 1];
        if (
          c === QUOTE ||
          c === BACKSLASH ||
          c === 0x62 ||
          c === 0x66 ||
          c === 0x6e ||
          c === 0x72 ||
          c === 0x74
        ) {
          i += 2;
        } else if (c === 0x75 && buf[i + 2] === 0x30 && buf[i + 3] === 0x30) {
          // \u00xx with lowercase digits, only for a control without a short form.
          const hi = buf[i + 4];
          const lo = HEX[buf[i + 5] ?? 0]!;
          if ((hi !== 0x30 && hi !== 0x31) || lo < 0) return -1;
          const code = (hi - 0x30) * 16 + lo;
          if (code === 8 || code === 9 || code === 10 || code === 12 || code === 13) return -1;
          i += 6;
        } else {
          return -1;
        }
        escaped = true;
      } else {
        if (b >= 0x80) nonAscii = true;
        i++;
      }
    }
    this.tokenEscaped = escaped;
    this.tokenNonAscii = nonAscii;
    return i + 1;
  }

  // -------------------------------------------------------------------------------------------------------
  // The general scan: any JSON. Inside an entry it also decides whether the entry is canonical: no whitespace,
  // members in code-unit order of their keys and no key twice, the shortest escapes, numbers as ECMAScript
  // writes them.

  /** Moves past one JSON value at this.pos (no whitespace before it), checking its syntax. */
  private value(depth: number): void {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const b = this.buf[this.pos];
    if (b === QUOTE) return this.string();
    if (b === OPEN_OBJECT) return this.inEntry ? this.entryObject(depth) : this.object(() => false, depth);
    if (b === OPEN_ARRAY) return this.array(() => this.value(depth + 1));
    if (b === MINUS || (b !== undefined && b >= 0x30 && b <= 0x39)) return this.number();
    for (const word of [TRUE, FALSE, NULL]) {
      if (this.literal(this.pos, word)) {
        this.pos += word.length;
        return;
      }
    }
    this.fail('a value was expected');
  }

  /** An object inside an entry: its keys must come in order. */
  private entryObject(depth: number): void {
    let previous: string | undefined;
    this.object(() => {
      const key = this.keyText ?? this.buf.toString('utf8', this.keyStart, this.keyEnd);
      // RFC 8785 3.2.3 sorts by UTF-16 code units, which is how JavaScript compares strings.
      if (previous !== undefined && !(previous < key)) this.canonical = false;
      previous = key;
      return false;
    }, depth);
  }

  /**
   * `{ members }` at this.pos. For each member, `member` is called with its key readable through keyIs (until
   * the value is read) and this.pos at the value; it reads the value and returns true, or returns false to have
   * it skipped.
   */
  private object(member: () => boolean, depth = 0): void {
    this.pos++; // {
    this.space();
    if (this.buf[this.pos] === CLOSE_OBJECT) {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.buf[this.pos] !== QUOTE) this.fail('a key was expected');
      this.string();
      this.keyStart = this.tokenStart;
      this.keyEnd = this.tokenEnd;
      this.keyText = this.tokenEscaped ? this.decode(this.tokenStart, this.tokenEnd) : undefined;
      this.space();
      if (this.buf[this.pos] !== COLON) this.fail('":" was expected');
      this.pos++;
      this.space();
      if (!member()) this.value(depth + 1);
      this.space();
      const b = this.buf[this.pos++];
      if (b === CLOSE_OBJECT) return;
      if (b !== COMMA) this.fail('"," or "}" was expected');
      this.space();
    }
  }

  /** Whether the key of the member being read is `name` (an ASCII name). */
  private keyIs(name: Buffer): boolean {
    if (this.keyText !== undefined) return this.keyText === name.toString('latin1');
    return this.named(this.keyStart, this.keyEnd, name);
  }

  /** `[ elements ]` at this.pos, each read by `element`; whitespace around elements is skipped here. */
  private array(element: () => void): void {
    this.pos++; // [
    this.space();
    if (this.buf[this.pos] === CLOSE_ARRAY) {
      this.pos++;
      return;
    }
    for (;;) {
      this.space();
      element();
      this.space();
      const b = this.buf[this.pos++];
      if (b === CLOSE_ARRAY) return;
      if (b !== COMMA) this.fail('"," or "]" was expected');
    }
  }

  /** The text of the string token whose content is start..end. */
  private decode(start: number, end: number): string {
    return JSON.parse(this.buf.toString('utf8', start - 1, end + 1)) as string;
  }

  /** A string token at this.pos, checked; inside an entry, a non-canonical escape makes it not canonical. */
  private string(): void {
    const end = this.plainString(this.pos);
    if (end >= 0) {
      this.tokenStart = this.pos + 1;
      this.tokenEnd = end - 1;
      this.pos = end;
      return;
    }
    // Valid JSON that is not canonical, or not JSON: JSON.parse decides, on the token's extent.
    const buf = this.buf;
    let i = this.pos + 1;
    while (buf[i] !== QUOTE) {
      if (buf[i] === undefined) this.fail('unterminated string');
      i += buf[i] === BACKSLASH ? 2 : 1;
    }
    try {
      JSON.parse(buf.toString('utf8', this.pos, i + 1));
    } catch {
      this.fail('a bad string');
    }
    this.canonical = false;
    this.tokenStart = this.pos + 1;
    this.tokenEnd = i;
    this.tokenEscaped = true;
    this.pos = i + 1;
  }

  /** A number token (JSON grammar); inside an entry, canonical only as ECMAScript writes its value. */
  private number(): void {
    const buf = this.buf;
    const start = this.pos;
    let i = start;
    const digits = () => {
      const from = i;
      while (buf[i]! >= 0x30 && buf[i]! <= 0x39) i++;
      if (i === from) this.fail('a digit was expected');
    };
    if (buf[i] === MINUS) i++;
    if (buf[i] === 0x30) i++;
    else digits();
    if (buf[i] === 0x2e) {
      i++;
      digits();
    }
    if (buf[i] === 0x65 || buf[i] === 0x45) {
      i++;
      if (buf[i] === 0x2b || buf[i] === MINUS) i++;
      digits();
    }
    this.pos = i;
    const text = buf.toString('latin1', start, i);
    if (String(Number(text)) !== text) this.canonical = false;
  }

  /** Skips JSON whitespace; inside an entry, whitespace makes it not canonical. */
  private space(): void {
    const start = this.pos;
    for (;;) {
      const b = this.buf[this.pos];
      if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) break;
      this.pos++;
    }
    if (this.inEntry && this.pos !== start) this.canonical = false;
  }

  private fail(what: string): never {
    throw new PageError(`the page is not JSON: ${what} at byte ${this.pos}`);
  }
}

const TRUE = ascii('true');
const FALSE = ascii('false');
const NULL = ascii('null');

function newItem(index: unknown): PageItem {
  return {
    index,
    leafHashAt: -1,
    leafHash: undefined,
    leaf: LEAF_PREFIX,
    canonical: false,
    scanned: false,
    kind: EntryKind.Other,
    tenderStart: -1,
    tenderEnd: -1,
    commitmentAt: -1,
    occurredStart: -1,
    occurredEnd: -1,
  };
}

const LEAF_PREFIX = Buffer.alloc(1);
