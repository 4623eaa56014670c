import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

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
  const text = serialize(value, new Set());
  if (text === undefined) throw new TypeError(`cannot canonicalize ${typeof value} as JSON`);
  return text;
}

/** 32 random bytes, base64: one fresh salt per sealed bid. */
export function newSalt(): string {
  return randomBytes(SALT_BYTES).toString('base64');
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
      return `[${container.map((item: unknown) => serialize(item, ancestors) ?? 'null').join(',')}]`;
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
