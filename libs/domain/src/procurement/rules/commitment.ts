import { createHash, randomFillSync, timingSafeEqual } from 'node:crypto';

/**
 * Sealed bid commitments. While tendering, the public log carries only commitment = SHA-256 of the canonical
 * JSON of { content, salt }; at opening the content and the salt are logged, and anyone can recompute it.
 * The salt is what keeps a sealed price secret: prices are guessable, so without 32 random bytes mixed in,
 * anyone could find the price by hashing candidates. That is why short or malformed salts are refused.
 */

const SALT_BYTES = 32;
const COMMITMENT = /^[0-9a-f]{64}$/;

/**
 * RFC 8785 (JSON Canonicalization Scheme): object keys sorted by UTF-16 code units, no whitespace, numbers
 * and strings as ECMAScript's JSON serializes them. Values are taken the way JSON.stringify takes them
 * (toJSON, undefined members dropped), so canonicalJson(x) equals canonicalJson(JSON.parse(JSON.stringify(x))).
 *
 * Written here rather than imported: the `canonicalize` package is ESM-only, with an `exports` map that has
 * no `require` condition, so this CommonJS build (and jest) cannot load it synchronously. The spec checks
 * this implementation against that package, run in a child Node process.
 */
export function canonicalJson(value: unknown): string {
  // Most values are plain JSON data (the log's entries, bid contents): a copy with every object's keys in order,
  // written by JSON.stringify, is their canonical form, natively and about twice as fast as assembling the text
  // here. JSON.stringify escapes a lone surrogate as \udxxx, which I-JSON refuses: such a text (or one with a
  // literal backslash before "ud") goes to the general path, which decides; so does anything not plain.
  const sorted = sortedPlainCopy(value, 0);
  if (sorted !== NOT_PLAIN) {
    const text = JSON.stringify(sorted);
    if (!text.includes('\\ud')) return text;
  }
  const text = serialize(value, new Set());
  if (text === undefined) throw new TypeError(`cannot canonicalize ${typeof value} as JSON`);
  return text;
}

const NOT_PLAIN = Symbol('not plain JSON data');
/** Nesting beyond this goes to the general path (which also finds cycles). */
const MAX_PLAIN_DEPTH = 64;

/**
 * A copy of plain JSON data with each object's keys in UTF-16 code-unit order, or NOT_PLAIN: for anything
 * JSON.stringify would treat specially (undefined, functions, toJSON, boxed values, class instances, non-finite
 * numbers, bigints) and for keys an object cannot hold in that order (integer-like keys come first in property
 * order; __proto__ is not an ordinary key).
 */
function sortedPlainCopy(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : NOT_PLAIN;
    case 'object':
      break;
    default:
      return NOT_PLAIN;
  }
  if (value === null) return null;
  if (depth >= MAX_PLAIN_DEPTH) return NOT_PLAIN;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return NOT_PLAIN;
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return NOT_PLAIN;
      const item = sortedPlainCopy(value[i], depth + 1);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      copy[i] = item;
    }
    return copy;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
  const record = value as Record<string, unknown>;
  if (typeof record.toJSON === 'function') return NOT_PLAIN;
  const keys = Object.keys(record).sort();
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    if (key === '__proto__' || INTEGER_LIKE.test(key)) return NOT_PLAIN;
    const member = sortedPlainCopy(record[key], depth + 1);
    if (member === NOT_PLAIN) return NOT_PLAIN;
    copy[key] = member;
  }
  return copy;
}

const INTEGER_LIKE = /^(?:0|[1-9][0-9]*)$/;

/** Salts drawn from the system's CSPRNG at once: one call (a system call) per 128 salts, not one per salt. */
const SALTS_PER_DRAW = 128;
const saltPool = Buffer.alloc(SALT_BYTES * SALTS_PER_DRAW);
let saltsLeft = 0;

/**
 * 32 random bytes, base64: one fresh salt per sealed bid. The bytes come from the CSPRNG in batches (as Node's
 * randomUUID takes its own); each salt is a distinct slice of a draw and is handed out once.
 */
export function newSalt(): string {
  if (saltsLeft === 0) {
    randomFillSync(saltPool);
    saltsLeft = SALTS_PER_DRAW;
  }
  saltsLeft--;
  const start = saltsLeft * SALT_BYTES;
  const salt = saltPool.toString('base64', start, start + SALT_BYTES);
  // Handed out bytes are wiped, so the pool never holds a salt that was already given.
  saltPool.fill(0, start, start + SALT_BYTES);
  return salt;
}

/** Lowercase hex SHA-256 of the UTF-8 bytes of canonicalJson({ content, salt }). */
export function bidCommitment(content: unknown, salt: string): string {
  if (!isSalt(salt)) {
    throw new RangeError(`a salt is ${SALT_BYTES} random bytes in base64, as newSalt() makes`);
  }
  return createHash('sha256').update(canonicalJson({ content, salt }), 'utf8').digest('hex');
}

/** Whether the opened content and salt are the ones committed to; false for a malformed salt or commitment. */
export function verifyCommitment(content: unknown, salt: string, commitment: string): boolean {
  if (typeof commitment !== 'string' || !COMMITMENT.test(commitment) || !isSalt(salt)) return false;
  const expected = Buffer.from(bidCommitment(content, salt), 'hex');
  return timingSafeEqual(expected, Buffer.from(commitment, 'hex'));
}

// Canonical base64 of exactly SALT_BYTES bytes: the decoder would otherwise accept other spellings of a salt.
function isSalt(salt: unknown): salt is string {
  if (typeof salt !== 'string' || salt.length !== 44) return false;
  const bytes = Buffer.from(salt, 'base64');
  return bytes.length === SALT_BYTES && bytes.toString('base64') === salt;
}

// Returns undefined where JSON.stringify would omit the value (undefined, functions, symbols).
function serialize(value: unknown, ancestors: Set<object>): string | undefined {
  const plain = toJsonValue(value);
  switch (typeof plain) {
    case 'string':
      return serializeString(plain);
    case 'number':
      if (!Number.isFinite(plain)) throw new TypeError('NaN and Infinity have no JSON form');
      return JSON.stringify(plain);
    case 'boolean':
      return plain ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('a bigint has no JSON form; send it as a string');
    case 'object':
      return plain === null ? 'null' : serializeContainer(plain, ancestors);
    default: // undefined, function, symbol
      return undefined;
  }
}

function serializeContainer(container: object, ancestors: Set<object>): string {
  if (ancestors.has(container)) throw new TypeError('cannot canonicalize a circular structure');
  ancestors.add(container);
  try {
    if (Array.isArray(container)) {
      // Every index, holes included (map would skip them): JSON.stringify writes null for a hole.
      const items: string[] = [];
      for (let i = 0; i < container.length; i++) items.push(serialize(container[i], ancestors) ?? 'null');
      return `[${items.join(',')}]`;
    }
    const record = container as Record<string, unknown>;
    const members: string[] = [];
    // Default sort compares UTF-16 code units, which is the order RFC 8785 asks for.
    for (const key of Object.keys(record).sort()) {
      const member = serialize(record[key], ancestors);
      if (member !== undefined) members.push(`${serializeString(key)}:${member}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(container);
  }
}

// The steps of JSON.stringify: toJSON first (a Date becomes its ISO string), then unbox boxed primitives.
function toJsonValue(value: unknown): unknown {
  let plain = value;
  if (
    plain !== null &&
    typeof plain === 'object' &&
    typeof (plain as { toJSON?: unknown }).toJSON === 'function'
  ) {
    plain = (plain as { toJSON: () => unknown }).toJSON();
  }
  if (plain instanceof Number || plain instanceof String || plain instanceof Boolean) return plain.valueOf();
  return plain;
}

// JSON.stringify escapes exactly as RFC 8785 section 3.2.2.2 asks, except that it writes lone surrogates
// as escapes, where I-JSON (which RFC 8785 requires) forbids them altogether.
function serializeString(text: string): string {
  if (/\p{Surrogate}/u.test(text)) throw new TypeError('a string with a lone surrogate is not I-JSON');
  return JSON.stringify(text);
}
