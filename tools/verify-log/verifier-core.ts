import { createHash, createPublicKey, hash, verify } from 'node:crypto';

/**
 * The offline verifier of the deal log: everything it checks, written only from the published format
 * (docs/transparency.md). Deliberately imports nothing from the server's code, so that a bug there cannot hide
 * itself here; the unit spec cross-checks the two.
 *
 * Format: leaf = UTF-8 of the RFC 8785 canonical JSON of the entry; leaf hash = SHA-256(0x00 || leaf); node
 * hash = SHA-256(0x01 || left || right); the tree hash is RFC 9162 2.1.1's MTH; a tree head is signed with
 * Ed25519 over the UTF-8 of the canonical JSON of { rootHash, timestamp, treeSize }. Hashes are lowercase hex,
 * the signature and the raw 32-byte public key base64.
 */

export interface LogItem {
  index: number;
  entry: unknown;
  leafHash: string;
}

export interface SignedTreeHead {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  signature: string;
}

export interface Problem {
  index?: number;
  message: string;
}

export interface Report {
  ok: boolean;
  problems: Problem[];
  /** The recomputed root: over the head's treeSize entries, or over all served entries if fewer. */
  rootHash: string;
}

const HEX_HASH = /^[0-9a-f]{64}$/;
const MAX_PROBLEMS = 1000;
/** The leaf kept for an entry that has no canonical JSON. */
const NO_LEAF = Buffer.alloc(32);

// ---------------------------------------------------------------------------------------------------------
// Canonical JSON (RFC 8785) of parsed JSON: sorted keys (UTF-16 order), ECMAScript number and string forms.

export function canonicalJson(value: unknown): string {
  // Parsed canonical JSON (every entry the verifier downloads) already holds its keys in sorted order, and then
  // JSON.stringify writes exactly its RFC 8785 form (the number and string forms are the ones RFC 8785 takes
  // from ECMAScript), natively and about three times faster than the general path assembles the text.
  if (stringifiesCanonically(value)) {
    const text = JSON.stringify(value);
    // JSON.stringify escapes a lone surrogate (never a pair) as \udxxx, and I-JSON refuses those: a match, or a
    // literal backslash before "ud", goes to the general path, which decides.
    if (!text.includes('\\ud')) return text;
  }
  return generalCanonicalJson(value);
}

/**
 * Whether JSON.stringify(value) is its canonical JSON (lone surrogates aside): only JSON values, in arrays and
 * plain objects whose own keys (in the order JSON.stringify writes them) are sorted; no toJSON anywhere.
 */
function stringifiesCanonically(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false; // undefined (also an array hole), bigint, symbol, function
  }
  if (value === null) return true;
  if ('toJSON' in value) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!stringifiesCanonically(value[i])) return false;
    return true;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false; // boxed values, Map, class instances
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    // Integer-like keys come first in ascending numeric order ("2" before "10"), which this refuses.
    if ((i > 0 && keys[i - 1]! >= key) || !stringifiesCanonically(record[key])) return false;
  }
  return true;
}

/** Any value, any key order: the definition, also what the fast path is tested against. */
function generalCanonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('NaN and Infinity are not JSON');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    if (/\p{Surrogate}/u.test(value)) throw new TypeError('a lone surrogate is not I-JSON');
    return JSON.stringify(value);
  }
  if (Array.isArray(value))
    return `[${value.map((item) => (item === undefined ? 'null' : generalCanonicalJson(item))).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${generalCanonicalJson(key)}:${generalCanonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`${typeof value} is not JSON`);
}

// ---------------------------------------------------------------------------------------------------------
// The tree.

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);
const EMPTY_ROOT = sha256();

export const leafHash = (leaf: Uint8Array): Buffer => sha256(LEAF, leaf);
export const nodeHash = (left: Uint8Array, right: Uint8Array): Buffer => sha256(NODE, left, right);

/**
 * The leaf hash of a log entry, hex: of the UTF-8 of its canonical JSON. One-shot hashing of a string: U+0000 is
 * the byte 0x00 in UTF-8, and canonicalJson refuses lone surrogates, the only strings UTF-8 cannot carry. A Hash
 * object and a Buffer per entry cost more than hashing its few hundred bytes.
 */
export const entryLeafHashHex = (entry: unknown): string =>
  hash('sha256', `\u0000${canonicalJson(entry)}`, 'hex');
export const entryLeafHash = (entry: unknown): Buffer => Buffer.from(entryLeafHashHex(entry), 'hex');

/**
 * All perfect subtree hashes of a list of leaf hashes, level by level (level L, node i covers leaves
 * [i * 2^L, (i + 1) * 2^L)); the root of any prefix is then a fold of at most log2(n) of them. Built as leaves
 * are appended (each completed pair hashed into its parent at once, about one node hash a leaf), so a verifier
 * hashes the tree while it waits for the next page rather than all at the end.
 */
export class HashTree {
  /** Level L holds floor(size / 2^L) nodes of 32 bytes at its start; the rest is room to grow. */
  private readonly levels: Buffer[] = [];
  private count = 0;
  /** 0x01 || left || right, reused for every node. */
  private readonly pair = Buffer.alloc(65, 1);

  /** `leaves`: the leaf hashes, 32 bytes each, concatenated. */
  constructor(leaves: Buffer = Buffer.alloc(0)) {
    for (let at = 0; at + 32 <= leaves.length; at += 32) this.append(leaves.subarray(at, at + 32));
  }

  get size(): number {
    return this.count;
  }

  append(leaf: Uint8Array): void {
    if (leaf.length !== 32) throw new RangeError('a leaf hash has 32 bytes');
    this.levels[0] = this.room(0);
    this.levels[0].set(leaf, this.count * 32);
    this.grow();
  }

  /** Appends the leaf hash at `bytes[at..at + 32]`. */
  appendFrom(bytes: Uint8Array, at: number): void {
    if (at < 0 || at + 32 > bytes.length) throw new RangeError('a leaf hash has 32 bytes');
    const nodes = (this.levels[0] = this.room(0));
    const to = this.count * 32;
    for (let i = 0; i < 32; i++) nodes[to + i] = bytes[at + i]!;
    this.grow();
  }

  /** Appends the `count` leaf hashes at the start of `bytes` (32 bytes each): one copy, then the pairs they complete. */
  appendLeaves(bytes: Uint8Array, count: number): void {
    if (!Number.isSafeInteger(count) || count < 0 || count * 32 > bytes.length)
      throw new RangeError(`${count} leaf hashes are not in ${bytes.length} bytes`);
    const needed = (this.count + count + 1) * 32;
    let nodes = this.levels[0] ?? Buffer.alloc(0);
    if (nodes.length < needed) {
      const grown = Buffer.allocUnsafe(Math.max(32 * 64, 2 * nodes.length, needed));
      nodes.copy(grown);
      nodes = grown;
    }
    this.levels[0] = nodes;
    nodes.set(count * 32 === bytes.length ? bytes : bytes.subarray(0, count * 32), this.count * 32);
    for (let i = 0; i < count; i++) this.grow();
  }

  /** Appends a leaf hash given as 64 hex digits (as the verifier computes them). */
  appendHex(leaf: string): void {
    this.levels[0] = this.room(0);
    if (this.levels[0].write(leaf, this.count * 32, 'hex') !== 32)
      throw new RangeError('a leaf hash has 32 bytes');
    this.grow();
  }

  /** Leaf hash `index`, hex ('' past the end). */
  leafHex(index: number): string {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.count) return '';
    return this.levels[0]!.toString('hex', index * 32, index * 32 + 32);
  }

  /**
   * MTH of the first `size` leaves. RFC 9162 splits off the largest power of two on the left, so a prefix is the
   * perfect subtrees of its size's binary digits, left to right, hashed together from the right.
   */
  root(size = this.size): Buffer {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size)
      throw new RangeError(`no prefix of ${size}`);
    const parts: Buffer[] = [];
    let offset = 0;
    for (let level = this.levels.length - 1; level >= 0; level--) {
      const width = 2 ** level;
      if (offset + width > size) continue;
      const at = (offset / width) * 32;
      parts.push(this.levels[level]!.subarray(at, at + 32));
      offset += width;
    }
    if (parts.length === 0) return Buffer.from(EMPTY_ROOT);
    return Buffer.from(parts.reduceRight((right, left) => nodeHash(left, right)));
  }

  /** Counts the leaf just written, and hashes every pair it completes into the level above. */
  private grow(): void {
    this.count += 1;
    const pair = this.pair;
    for (let level = 0, n = this.count; n % 2 === 0; level++, n /= 2) {
      // Byte loops: for 64 and 32 bytes, Buffer's copy and write cost more in their checks than in copying.
      const nodes = this.levels[level]!;
      for (let i = 0, from = (n - 2) * 32; i < 64; i++) pair[i + 1] = nodes[from + i]!;
      const above = (this.levels[level + 1] = this.room(level + 1));
      // 'binary' (latin1): the cheapest output of a one-shot hash.
      const node = hash('sha256', pair, 'binary');
      for (let i = 0, at = (n / 2 - 1) * 32; i < 32; i++) above[at + i] = node.charCodeAt(i);
    }
  }

  /** The buffer of `level`, with room for one more node than it holds (grown by doubling). */
  private room(level: number): Buffer {
    const nodes = this.levels[level] ?? Buffer.alloc(0);
    const needed = (Math.floor(this.count / 2 ** level) + 1) * 32;
    if (nodes.length >= needed) return nodes;
    const grown = Buffer.allocUnsafe(Math.max(32 * 64, 2 * nodes.length, needed));
    nodes.copy(grown);
    return grown;
  }
}

/** MTH of a list of leaf hashes. */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Buffer {
  return new HashTree(Buffer.concat(leafHashes)).root();
}

const half = (n: number): number => Math.floor(n / 2);
const odd = (n: number): boolean => n % 2 === 1;
const hashes = (list: unknown): Buffer[] | undefined =>
  Array.isArray(list) && list.every((h) => typeof h === 'string' && HEX_HASH.test(h))
    ? list.map((h: string) => Buffer.from(h, 'hex'))
    : undefined;
const isSize = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** RFC 9162 2.1.3.2, on hex: whether the audit path proves leaf `index` of the tree of `rootHash`. */
export function verifyInclusion(
  index: number,
  treeSize: number,
  leafHashHex: string,
  auditPath: readonly string[],
  rootHash: string,
): boolean {
  const [leaf, root] = hashes([leafHashHex, rootHash]) ?? [];
  const path = hashes(auditPath);
  if (!leaf || !root || !path || !isSize(index) || !isSize(treeSize) || index >= treeSize) return false;
  let [fn, sn, r] = [index, treeSize - 1, leaf];
  for (const p of path) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!odd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && r.equals(root);
}

/**
 * RFC 9162 2.1.4.2, on hex: whether the proof shows the tree of `secondRoot` extends the tree of `firstRoot`.
 * Equal sizes take an empty proof and equal roots; size 0 an empty proof and the empty tree's hash.
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: string,
  secondRoot: string,
  proof: readonly string[],
): boolean {
  const [fRoot, sRoot] = hashes([firstRoot, secondRoot]) ?? [];
  const path = hashes(proof);
  if (!fRoot || !sRoot || !path || !isSize(first) || !isSize(second) || first > second) return false;
  if (first === 0) return path.length === 0 && fRoot.equals(EMPTY_ROOT);
  if (first === second) return path.length === 0 && fRoot.equals(sRoot);
  if (path.length === 0) return false;
  // A perfect first tree is a node of the second one, and the proof leaves it out.
  if (2 ** Math.round(Math.log2(first)) === first) path.unshift(fRoot);
  let [fn, sn] = [first - 1, second - 1];
  while (odd(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr = path[0]!;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return fr.equals(fRoot) && sr.equals(sRoot) && sn === 0;
}

/** Whether the head's signature is valid under the log's raw Ed25519 public key (base64). */
export function verifyTreeHeadSignature(sth: SignedTreeHead, publicKeyRawB64: string): boolean {
  try {
    const raw = Buffer.from(publicKeyRawB64, 'base64');
    const signature = Buffer.from(sth.signature, 'base64');
    if (raw.length !== 32 || signature.length !== 64 || signature.toString('base64') !== sth.signature)
      return false;
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
      format: 'jwk',
    });
    const message = canonicalJson({
      rootHash: sth.rootHash,
      timestamp: sth.timestamp,
      treeSize: sth.treeSize,
    });
    return verify(null, Buffer.from(message, 'utf8'), key, signature);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Entries.

/**
 * An item's outcome other than a served leaf hash matching the recomputed one (0): it differs, or the entry has
 * no canonical JSON.
 */
export const DIFFERS = 1;
export const NO_JSON = 2;

/**
 * A page, checked on its own: what the ordered part of the verification (indexes, the tree, the commitments)
 * needs of it, in typed arrays and plain lists, so that it can be checked on a worker thread and handed back
 * cheaply. Positions are the items' places in the page.
 */
export interface CheckedPage {
  count: number;
  /** Each item's index as served when it is a number, NaN otherwise (`indexTexts` then holds its String()). */
  indexes: Float64Array;
  indexTexts: Record<number, string>;
  /** Each item's recomputed leaf hash, 32 bytes (zeros when its entry has no canonical JSON). */
  leaves: Uint8Array;
  /** Each item's outcome: 0 (its leaf hash matches), DIFFERS or NO_JSON. */
  outcomes: Uint8Array;
  /** By position: the served leaf hash as text (DIFFERS), or why the entry has no canonical JSON (NO_JSON). */
  notes: Record<number, string>;
  /** Commitments logged, in item order: position, tender, time (occurredAt) and the commitment's 32 bytes. */
  commitPositions: number[];
  commitTenders: string[];
  commitTimes: string[];
  commitBytes: Uint8Array;
  /** Entries the commitment check reads parsed (opened bids, and whatever the fast scan did not read). */
  parsedPositions: number[];
  parsedEntries: unknown[];
}

/**
 * Checks entries as they are downloaded, page by page, without keeping them: each leaf hash recomputed from the
 * entry and compared with the served one, indexes contiguous from 0. Keeps the tree of the recomputed leaf
 * hashes (about 64 bytes an entry), hashed as the entries come.
 */
export class LogScanner {
  readonly problems: Problem[] = [];
  private readonly tree = new HashTree();
  private next = 0; // the index expected next
  private dropped = 0;

  /** Leaves kept. */
  get size(): number {
    return this.tree.size;
  }

  add(item: LogItem): void {
    const index = this.claim(item.index);
    if (index === undefined) return;
    let recomputed: string;
    try {
      recomputed = entryLeafHashHex(item.entry);
    } catch (error) {
      return this.noCanonicalJson(index, error);
    }
    this.record(index, recomputed, item.leafHash);
  }

  /** Adds the items of a page checked by checkPage (page-check.ts), in their order. */
  addChecked(page: CheckedPage): void {
    if (this.clean(page)) {
      // The usual page: the indexes expected next, every entry hashing to its leaf hash.
      this.next += page.count;
      this.tree.appendLeaves(page.leaves, page.count);
      return;
    }
    for (let i = 0; i < page.count; i++) {
      const served = page.indexes[i]!;
      const index = this.claim(Number.isNaN(served) ? page.indexTexts[i] : served);
      if (index === undefined) continue;
      const outcome = page.outcomes[i];
      if (outcome === NO_JSON) {
        this.noCanonicalJson(index, new Error(page.notes[i]));
        continue;
      }
      if (outcome === DIFFERS)
        this.problem(index, `entry ${index} does not hash to its leaf hash ${page.notes[i]}`);
      this.tree.appendFrom(page.leaves, i * 32);
    }
  }

  /** True when the page holds exactly the indexes expected next and nothing that addChecked would report. */
  private clean(page: CheckedPage): boolean {
    const { indexes, outcomes, count } = page;
    for (let i = 0; i < count; i++) {
      if (indexes[i] !== this.next + i || outcomes[i] !== 0) return false;
    }
    return true;
  }

  /** The index of a served item when it is the one expected next (or later, after a gap); problems otherwise. */
  private claim(index: unknown): number | undefined {
    if (!isSize(index)) {
      this.problem(
        this.next,
        `the entry served for index ${this.next} has no valid index (${String(index)})`,
      );
      return undefined;
    }
    if (index < this.next) {
      this.problem(index, `entry ${index} is served again, out of order (expected ${this.next})`);
      return undefined;
    }
    if (index > this.next) {
      // A deleted entry, or a gap: the break is at the first index not served. Carry on after it, so that one
      // break is reported once (the root cannot match any more, and finish says so).
      const missing =
        index - this.next === 1 ? `entry ${this.next} is` : `entries ${this.next}..${index - 1} are`;
      this.problem(this.next, `${missing} missing: the log breaks at index ${this.next}`);
    }
    this.next = index + 1;
    return index;
  }

  private noCanonicalJson(index: number, error: unknown): void {
    this.problem(index, `entry ${index} has no canonical JSON: ${(error as Error).message}`);
    this.tree.append(NO_LEAF); // keeps later leaves at their indexes; the root cannot match
  }

  private record(index: number, recomputed: string, served: unknown): void {
    if (recomputed !== served) {
      this.problem(index, `entry ${index} does not hash to its leaf hash ${String(served)}`);
    }
    this.tree.appendHex(recomputed);
  }

  /** The recomputed leaf hash of entry `index`, hex. */
  leafHash(index: number): string {
    return this.tree.leafHex(index);
  }

  /** Root of the first `size` recomputed leaves, hex. */
  root(size = this.size): string {
    return this.tree.root(size).toString('hex');
  }

  /** Compares the entries read so far with a signed tree head. */
  finish(sth: SignedTreeHead, publicKeyRawB64: string): Report {
    if (!isSize(sth.treeSize) || typeof sth.rootHash !== 'string' || !HEX_HASH.test(sth.rootHash)) {
      this.problem(undefined, 'the tree head is malformed');
      return this.report('');
    }
    if (this.next < sth.treeSize) {
      this.problem(this.next, `entries end at index ${this.next}; the tree head covers ${sth.treeSize}`);
    } else if (this.size < sth.treeSize) {
      this.problem(undefined, `only ${this.size} entries served; the tree head covers ${sth.treeSize}`);
    }
    const rootHash = this.root(Math.min(sth.treeSize, this.size));
    if (this.size >= sth.treeSize && rootHash !== sth.rootHash) {
      this.problem(
        undefined,
        `the recomputed root ${rootHash} of ${sth.treeSize} entries is not the tree head's`,
      );
    }
    if (!verifyTreeHeadSignature(sth, publicKeyRawB64)) {
      this.problem(undefined, 'the tree head signature is not valid for the log key');
    }
    return this.report(rootHash);
  }

  private problem(index: number | undefined, message: string): void {
    if (this.problems.length < MAX_PROBLEMS)
      this.problems.push(index === undefined ? { message } : { index, message });
    else this.dropped += 1;
  }

  private report(rootHash: string): Report {
    const problems = [...this.problems];
    if (this.dropped > 0) problems.push({ message: `${this.dropped} more problems not listed` });
    return { ok: problems.length === 0, problems, rootHash };
  }
}

/** Checks a downloaded log (all entries, in index order) against its signed tree head. */
export function verifyEntries(
  items: readonly LogItem[],
  sth: SignedTreeHead,
  publicKeyRawB64: string,
): Report {
  const scanner = new LogScanner();
  for (const item of items) scanner.add(item);
  return scanner.finish(sth, publicKeyRawB64);
}

/**
 * Locates the first leaf the served tree disagrees with, when the recomputed root differs but no served leaf
 * hash does (a server that recomputes leaf hashes from altered rows). `consistentPrefix(m)` says whether the
 * recomputed tree of the first m entries is a prefix of the signed tree, i.e.
 * `verifyConsistency(m, n, scanner.root(m), sth.rootHash, <the log's proof from m to n>)`; it is true up to
 * the altered index and false after it. Returns that index, or undefined when every prefix is consistent.
 */
export async function findFirstDivergence(
  treeSize: number,
  consistentPrefix: (size: number) => Promise<boolean> | boolean,
): Promise<number | undefined> {
  if (treeSize === 0 || (await consistentPrefix(treeSize))) return undefined;
  let [good, bad] = [0, treeSize]; // prefix `good` is consistent, prefix `bad` is not
  while (bad - good > 1) {
    const mid = good + Math.floor((bad - good) / 2);
    if (await consistentPrefix(mid)) good = mid;
    else bad = mid;
  }
  return bad - 1;
}

// ---------------------------------------------------------------------------------------------------------
// Sealed bids.

/** A member of a JSON object, or undefined for anything else. */
const at = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;

const BID_COMMITTING = new Set(['bid.submitted', 'bid.changed', 'bid.confirmed']);

/** See CommitmentChecker.cancelled: far longer than the statements between the decision and the event. */
const CANCELLATION_MARGIN_MS = 5_000;

/**
 * Checks, in index order, that every opened bid hashes to its commitment (SHA-256 of the canonical JSON of
 * { content, salt }), that the same tender logged that commitment earlier, in a bid.submitted, bid.changed
 * or bid.confirmed entry, that it was not withdrawn or replaced since (bid.withdrawn names the commitment it
 * withdraws, bid.changed the one it `replaces`), that no commitment is opened twice, and that the bid, supplier
 * and tender the opening names are those of the committed content (the only ones the commitment binds). At a
 * tender's closing, every commitment logged for it and neither withdrawn nor replaced must have been opened (or
 * dropped, which is an opening too): a closing that leaves a bid out is seen. And every commitment was logged
 * before the tender's deadline in force (the publication's, the move into tendering's, or the last amendment's),
 * to the millisecond, as the server writes a bid's time and checks it against the deadline at once. Once a
 * tender's bids were opened (a closing, or a cancellation after the deadline), nothing commits to a bid of it,
 * sets its deadline or opens a bid after its closing, whatever time the entry claims; and no amendment is logged
 * after the deadline in force. Entries are `{ type, tenderId, occurredAt, payload }`; nothing else is read.
 */
export class CommitmentChecker {
  readonly problems: Problem[] = [];
  /** Where each commitment was first logged, by tender. */
  private readonly commitments: CommitmentTable;
  /** Where each commitment was opened, by tender. */
  private readonly openings = new CommitmentTable(0);
  /** Where each commitment was withdrawn or replaced, by tender. */
  private readonly retirements = new CommitmentTable(0);
  /** By tender: commitments logged and neither withdrawn nor replaced, and commitments opened. */
  private readonly live = new Map<string, number>();
  private readonly openedCount = new Map<string, number>();
  /** By tender: the deadline in force, in milliseconds since the epoch. */
  private readonly deadlines = new Map<string, number>();
  /** By tender: the index of the first entry that opened its bids (a bid.opened or its tender.closed). */
  private readonly openedFrom = new Map<string, number>();
  /** By tender: the index of its tender.closed. */
  private readonly closedAt = new Map<string, number>();
  /** By tender: its electronic auction's end in force (its start's, or the last price's that moved it), in ms. */
  private readonly auctionEnds = new Map<string, number>();

  /** `entries`: how many entries are coming, if known (the table is sized for them at once). */
  constructor(entries = 0) {
    this.commitments = new CommitmentTable(entries);
  }

  add(index: number, entry: unknown): void {
    if (typeof entry !== 'object' || entry === null) return;
    const { type, tenderId, payload, occurredAt } = entry as {
      type?: unknown;
      tenderId?: unknown;
      payload?: unknown;
      occurredAt?: unknown;
    };
    const data = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
    if (type === 'tender.published' || type === 'tender.tendering' || type === 'tender.amended') {
      this.deadlineSet(index, String(tenderId), type, data, occurredAt);
      return;
    }
    if (type === 'auction.started' || type === 'auction.bid') {
      this.auctionEntry(index, String(tenderId), type, data, occurredAt);
      return;
    }
    if (type === 'bid.changed' && typeof data.replaces === 'string') {
      this.retired(String(tenderId), data.replaces, index);
    }
    if (typeof type === 'string' && BID_COMMITTING.has(type)) {
      this.onTime(index, String(tenderId), occurredAt);
      if (typeof data.commitment === 'string') this.logged(String(tenderId), data.commitment, index);
      return;
    }
    if (type === 'bid.withdrawn' && typeof data.commitment === 'string') {
      this.retired(String(tenderId), data.commitment, index);
    }
    if (type === 'bid.opened') this.opened(index, String(tenderId), data);
    if (type === 'tender.closed') this.closed(index, String(tenderId));
    if (type === 'tender.cancelled') this.cancelled(index, String(tenderId), occurredAt);
  }

  /** Adds what checkPage (page-check.ts) read of a page's entries for this check, in item order. */
  addChecked(page: CheckedPage): void {
    const { commitPositions, parsedPositions } = page;
    let c = 0;
    let p = 0;
    while (c < commitPositions.length || p < parsedPositions.length) {
      if (
        p >= parsedPositions.length ||
        (c < commitPositions.length && commitPositions[c]! < parsedPositions[p]!)
      ) {
        const index = page.indexes[commitPositions[c]!]!;
        const tenderId = page.commitTenders[c]!;
        this.onTime(index, tenderId, page.commitTimes[c]);
        if (this.commitments.addBinary(tenderId, page.commitBytes, c * 32, index))
          this.count(this.live, tenderId, 1);
        c++;
      } else {
        this.add(page.indexes[parsedPositions[p]!]!, page.parsedEntries[p]);
        p++;
      }
    }
  }

  /** Whether the tender's bids were opened before this entry, which then is a problem (named here). */
  private afterOpening(index: number, tenderId: string, type: string): boolean {
    const openedAt = this.openedFrom.get(tenderId);
    if (openedAt === undefined) return false;
    this.problems.push({
      index,
      message: `${type} at ${index} for tender ${tenderId}, whose bids were opened at ${openedAt}`,
    });
    return true;
  }

  /**
   * An electronic auction starts before its bids are opened, and each price comes after the start, before its bids
   * are opened and no later than the end in force (to the millisecond the entries state times in; a price may move
   * the end later, never earlier): a price the server took after the end is seen.
   */
  private auctionEntry(
    index: number,
    tenderId: string,
    type: string,
    data: Record<string, unknown>,
    occurredAt: unknown,
  ): void {
    if (this.afterOpening(index, tenderId, type)) return;
    if (type === 'auction.started') {
      const end = Date.parse(String(at(at(data, 'auctionPeriod'), 'endDate')));
      if (!Number.isNaN(end)) this.auctionEnds.set(tenderId, end);
      return;
    }
    const end = this.auctionEnds.get(tenderId);
    if (end === undefined) {
      this.problems.push({
        index,
        message: `auction price at ${index} for tender ${tenderId}, whose auction never started`,
      });
      return;
    }
    if (!(Date.parse(String(occurredAt)) <= end)) {
      this.problems.push({
        index,
        message: `auction price at ${index} logged at ${String(occurredAt)}, after the auction's end ${new Date(end).toISOString()}`,
      });
    }
    const moved = Date.parse(String(data.auctionEnd));
    if (moved > end) this.auctionEnds.set(tenderId, moved);
  }

  private logged(tenderId: string, commitment: string, index: number): void {
    // Only a commitment of 64 lowercase hex digits can match an opened bid's (which must be one).
    if (HEX_HASH.test(commitment) && this.commitments.add(tenderId, commitment, index))
      this.count(this.live, tenderId, 1);
  }

  private retired(tenderId: string, commitment: string, index: number): void {
    if (!HEX_HASH.test(commitment)) return;
    const logged = this.commitments.first(tenderId, commitment);
    if (this.retirements.add(tenderId, commitment, index) && logged !== undefined && logged < index)
      this.count(this.live, tenderId, -1);
  }

  /**
   * The deadline an entry sets: the published tender's, the one the move into tendering states, or an amendment's.
   * Nothing sets it once the tender's bids were opened, and no amendment comes after the deadline in force (the
   * server refuses both): either would let a late bid in, so the entry is a problem and the deadline stays.
   */
  private deadlineSet(
    index: number,
    tenderId: string,
    type: string,
    data: Record<string, unknown>,
    occurredAt: unknown,
  ): void {
    if (this.afterOpening(index, tenderId, type)) return;
    const deadline = this.deadlines.get(tenderId);
    if (
      type === 'tender.amended' &&
      deadline !== undefined &&
      !(Date.parse(String(occurredAt)) <= deadline)
    ) {
      this.problems.push({
        index,
        message: `amendment at ${index} logged at ${String(occurredAt)}, after tender ${tenderId}'s deadline ${new Date(deadline).toISOString()}`,
      });
      return;
    }
    let end: unknown;
    if (type === 'tender.published') end = at(at(at(data, 'tender'), 'tenderPeriod'), 'endDate');
    else if (type === 'tender.tendering') end = at(at(data, 'tenderPeriod'), 'endDate');
    else end = at(at(data.changes, 'tenderPeriod.endDate'), 'after');
    const ms = typeof end === 'string' ? Date.parse(end) : NaN;
    if (Number.isFinite(ms)) this.deadlines.set(tenderId, ms);
  }

  /**
   * A commitment logged after its tender's deadline was not accepted in time. Compared to the millisecond: the
   * deadline is published to the millisecond, and the bid's time is read from the same clock that checked it.
   */
  private onTime(index: number, tenderId: string, occurredAt: unknown): void {
    // By its place in the log, whatever time it claims: the opening ended the bidding.
    const openedAt = this.openedFrom.get(tenderId);
    if (openedAt !== undefined) {
      this.problems.push({
        index,
        message: `sealed bid at ${index} logged after tender ${tenderId}'s bids were opened at ${openedAt}`,
      });
    }
    const deadline = this.deadlines.get(tenderId);
    if (deadline === undefined) return;
    const at = typeof occurredAt === 'string' ? Date.parse(occurredAt) : NaN;
    if (at <= deadline) return;
    this.problems.push({
      index,
      message: `sealed bid at ${index} logged at ${String(occurredAt)}, after tender ${tenderId}'s deadline ${new Date(deadline).toISOString()}`,
    });
  }

  private count(counts: Map<string, number>, tenderId: string, by: number): void {
    counts.set(tenderId, (counts.get(tenderId) ?? 0) + by);
  }

  /** A closing opens every commitment still live: fewer openings mean a bid left sealed, and out of the ranking. */
  private closed(index: number, tenderId: string): void {
    if (!this.openedFrom.has(tenderId)) this.openedFrom.set(tenderId, index);
    if (!this.closedAt.has(tenderId)) this.closedAt.set(tenderId, index);
    this.allOpened(index, tenderId);
  }

  /**
   * A cancellation after the deadline opens the bids as a closing would (its openings come first); one before it
   * keeps them sealed. Its own time is read a moment after the server decided which it was, so a cancellation
   * logged within CANCELLATION_MARGIN_MS of the deadline that opened nothing is taken for an early one.
   */
  private cancelled(index: number, tenderId: string, occurredAt: unknown): void {
    const deadline = this.deadlines.get(tenderId);
    const late =
      this.openedFrom.has(tenderId) ||
      (deadline !== undefined && Date.parse(String(occurredAt)) > deadline + CANCELLATION_MARGIN_MS);
    if (!late) return;
    if (!this.openedFrom.has(tenderId)) this.openedFrom.set(tenderId, index);
    this.allOpened(index, tenderId);
  }

  private allOpened(index: number, tenderId: string): void {
    const live = this.live.get(tenderId) ?? 0;
    const opened = this.openedCount.get(tenderId) ?? 0;
    if (opened < live) {
      this.problems.push({
        index,
        message: `tender ${tenderId} closed at ${index} with ${opened} of its ${live} sealed bids opened`,
      });
    }
  }

  private opened(index: number, tenderId: string, data: Record<string, unknown>): void {
    // The closing's openings come before its tender.closed, in its transaction; none after.
    const closedAt = this.closedAt.get(tenderId);
    if (closedAt !== undefined) {
      this.problems.push({
        index,
        message: `opened bid at ${index} logged after tender ${tenderId} closed at ${closedAt}`,
      });
    }
    if (!this.openedFrom.has(tenderId)) this.openedFrom.set(tenderId, index);
    const { content, salt, commitment } = data;
    if (typeof commitment !== 'string' || !HEX_HASH.test(commitment) || typeof salt !== 'string') {
      this.problems.push({ index, message: `opened bid at ${index} lacks a commitment or a salt` });
      return;
    }
    let recomputed: string;
    try {
      recomputed = createHash('sha256').update(canonicalJson({ content, salt }), 'utf8').digest('hex');
    } catch (error) {
      recomputed = `not canonical JSON (${(error as Error).message})`;
    }
    if (recomputed !== commitment) {
      this.problems.push({
        index,
        message: `opened bid at ${index} does not hash to its commitment ${commitment}`,
      });
    }
    const at = this.commitments.first(tenderId, commitment);
    if (at === undefined || at >= index) {
      this.problems.push({
        index,
        message: `opened bid at ${index}: commitment ${commitment} was not logged for tender ${tenderId} before it`,
      });
    }
    const retiredAt = this.retirements.first(tenderId, commitment);
    if (retiredAt !== undefined && retiredAt < index) {
      this.problems.push({
        index,
        message: `opened bid at ${index}: commitment ${commitment} was withdrawn or replaced at ${retiredAt}`,
      });
    }
    const before = this.openings.first(tenderId, commitment);
    if (before !== undefined) {
      this.problems.push({
        index,
        message: `opened bid at ${index}: commitment ${commitment} was opened at ${before}`,
      });
    } else {
      this.openings.add(tenderId, commitment, index);
      this.count(this.openedCount, tenderId, 1);
    }
    const committed = (typeof content === 'object' && content !== null ? content : {}) as Record<
      string,
      unknown
    >;
    const named: [string, unknown, unknown][] = [
      ['bidId', data.bidId, committed.bidId],
      ['supplierId', data.supplierId, committed.supplierId],
      ['tenderId', tenderId, committed.tenderId ?? tenderId],
    ];
    for (const [field, said, sealed] of named) {
      if (said !== sealed) {
        this.problems.push({
          index,
          message: `opened bid at ${index} names ${field} ${String(said)}, its committed content ${String(sealed)}`,
        });
      }
    }
  }
}

/**
 * (tender, commitment) -> index of its first logging, for a log's every commitment (most of its entries carry
 * one): open addressing over typed arrays, the commitments kept as their 32 bytes. Half a million strings held in
 * Maps cost the verifier more than all of its hashing, mostly in garbage collection.
 */
class CommitmentTable {
  private readonly tenders = new Map<string, number>();
  private size = 0;
  private capacity: number;
  private keys: Uint8Array;
  private tenderOf: Int32Array;
  private indexOf: Float64Array;
  private readonly key = Buffer.alloc(32);

  /**
   * Sized for `expected` commitments at most half full, between 2^16 and 2^21 slots (88 MB), so a whole log is
   * not rehashed as it grows (a fifth of a second over a million entries); past that it grows by itself.
   */
  constructor(expected: number) {
    let capacity = 1 << 16;
    while (capacity < 2 * expected && capacity < 1 << 21) capacity *= 2;
    this.capacity = capacity;
    this.keys = new Uint8Array(capacity * 32);
    this.tenderOf = new Int32Array(capacity).fill(-1);
    this.indexOf = new Float64Array(capacity);
  }

  /**
   * Records the logging at `index` unless the pair was logged before; true when it is new. `commitment`: 64
   * lowercase hex digits.
   */
  add(tenderId: string, commitment: string, index: number): boolean {
    this.key.write(commitment, 'hex');
    return this.insert(tenderId, index);
  }

  /** `add`, with the commitment's 32 bytes at `at` in `bytes`. */
  addBinary(tenderId: string, bytes: Uint8Array, at: number, index: number): boolean {
    for (let i = 0; i < 32; i++) this.key[i] = bytes[at + i]!;
    return this.insert(tenderId, index);
  }

  private insert(tenderId: string, index: number): boolean {
    let tender = this.tenders.get(tenderId);
    if (tender === undefined) this.tenders.set(tenderId, (tender = this.tenders.size));
    const slot = this.find(tender);
    if (this.tenderOf[slot] !== -1) return false;
    this.put(slot, tender, index);
    if (++this.size * 2 > this.capacity) this.grow();
    return true;
  }

  /** The index where the pair was first logged, or undefined. */
  first(tenderId: string, commitment: string): number | undefined {
    const tender = this.tenders.get(tenderId);
    if (tender === undefined) return undefined;
    this.key.write(commitment, 'hex');
    const slot = this.find(tender);
    return this.tenderOf[slot] === -1 ? undefined : this.indexOf[slot];
  }

  /** The slot holding (tender, this.key), or the empty slot where it goes. */
  private find(tender: number): number {
    const mask = this.capacity - 1;
    // The commitment is a SHA-256 output: its first bytes are as good a hash as any.
    let slot = (this.key.readUInt32LE(0) ^ Math.imul(tender, 0x9e3779b1)) & mask;
    for (;;) {
      const held = this.tenderOf[slot]!;
      if (held === -1 || (held === tender && this.holds(slot))) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private holds(slot: number): boolean {
    const at = slot * 32;
    for (let i = 0; i < 32; i++) if (this.keys[at + i] !== this.key[i]) return false;
    return true;
  }

  /** Puts (tender, this.key) at `slot`. */
  private put(slot: number, tender: number, index: number): void {
    const at = slot * 32;
    for (let i = 0; i < 32; i++) this.keys[at + i] = this.key[i]!;
    this.tenderOf[slot] = tender;
    this.indexOf[slot] = index;
  }

  private grow(): void {
    const [keys, tenderOf, indexOf, old] = [this.keys, this.tenderOf, this.indexOf, this.capacity];
    this.capacity *= 4;
    this.keys = new Uint8Array(this.capacity * 32);
    this.tenderOf = new Int32Array(this.capacity).fill(-1);
    this.indexOf = new Float64Array(this.capacity);
    for (let slot = 0; slot < old; slot++) {
      const tender = tenderOf[slot]!;
      if (tender === -1) continue;
      this.key.set(keys.subarray(slot * 32, slot * 32 + 32));
      this.put(this.find(tender), tender, indexOf[slot]!);
    }
  }
}

/** CommitmentChecker over a list of entries (sorted by index first). */
export function checkCommitments(items: readonly { index: number; entry: unknown }[]): {
  ok: boolean;
  problems: Problem[];
} {
  const checker = new CommitmentChecker();
  for (const item of [...items].sort((a, b) => a.index - b.index)) checker.add(item.index, item.entry);
  return { ok: checker.problems.length === 0, problems: checker.problems };
}
