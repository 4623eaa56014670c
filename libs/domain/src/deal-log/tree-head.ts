import { createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from '../procurement/rules/commitment';

/**
 * Signed tree heads. The log signs, with Ed25519, the UTF-8 bytes of the RFC 8785 canonical JSON of exactly
 * `{ "rootHash": <lowercase hex>, "timestamp": <ISO 8601>, "treeSize": <n> }`, so anyone holding the log's public
 * key can check a head offline with nothing but the published format.
 */

export interface TreeHead {
  /** MTH of the first treeSize entries, 64 lowercase hex digits. */
  rootHash: string;
  /** When the head was signed, ISO 8601 with a zone (the log writes Date.toISOString()). */
  timestamp: string;
  treeSize: number;
}

const ROOT_HASH = /^[0-9a-f]{64}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const SIGNATURE_BYTES = 64;
const RAW_KEY_BYTES = 32;
// DER of SubjectPublicKeyInfo { AlgorithmIdentifier { id-Ed25519 (1.3.101.112) }, BIT STRING (33 bytes) }, up
// to the key itself (RFC 8410): an Ed25519 SPKI is these 12 bytes and then the raw 32-byte key.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The bytes a tree head's signature covers. Throws on a malformed head rather than sign one. */
export function treeHeadMessage(th: TreeHead): Buffer {
  if (typeof th.rootHash !== 'string' || !ROOT_HASH.test(th.rootHash)) {
    throw new TypeError('rootHash must be 64 lowercase hex digits');
  }
  if (
    typeof th.timestamp !== 'string' ||
    !ISO_8601.test(th.timestamp) ||
    Number.isNaN(Date.parse(th.timestamp))
  ) {
    throw new TypeError('timestamp must be an ISO 8601 date and time with a zone');
  }
  if (!Number.isSafeInteger(th.treeSize) || th.treeSize < 0) {
    throw new TypeError('treeSize must be a non-negative integer');
  }
  // Exactly these three members, whatever else the caller's object carries (e.g. its signature).
  return Buffer.from(
    canonicalJson({ rootHash: th.rootHash, timestamp: th.timestamp, treeSize: th.treeSize }),
    'utf8',
  );
}

/** Ed25519 signature of the tree head, base64. */
export function signTreeHead(th: TreeHead, privateKey: KeyObject): string {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('the log signs with an Ed25519 private key');
  }
  return sign(null, treeHeadMessage(th), privateKey).toString('base64');
}

/** Whether `signatureB64` is the log's signature of this tree head; false for anything malformed. */
export function verifyTreeHead(th: TreeHead, signatureB64: string, publicKey: KeyObject): boolean {
  if (publicKey.asymmetricKeyType !== 'ed25519' || typeof signatureB64 !== 'string') return false;
  const signature = Buffer.from(signatureB64, 'base64');
  // Only the canonical spelling of 64 bytes: the decoder would otherwise accept other texts for one signature.
  if (signature.length !== SIGNATURE_BYTES || signature.toString('base64') !== signatureB64) return false;
  try {
    return verify(null, treeHeadMessage(th), publicKey, signature);
  } catch {
    return false;
  }
}

/** A fresh Ed25519 key pair for a log: PKCS #8 and SPKI PEM. */
export function generateLogKey(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The raw 32-byte Ed25519 public key (as published), from a public key or from a private key's public half. */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  const key = publicKey.type === 'private' ? createPublicKey(publicKey) : publicKey;
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError('not an Ed25519 key');
  const der = key.export({ type: 'spki', format: 'der' });
  if (
    der.length !== ED25519_SPKI_PREFIX.length + RAW_KEY_BYTES ||
    !der.subarray(0, ED25519_SPKI_PREFIX.length).equals(ED25519_SPKI_PREFIX)
  ) {
    throw new Error('unexpected Ed25519 SubjectPublicKeyInfo encoding');
  }
  return Buffer.from(der.subarray(der.length - RAW_KEY_BYTES));
}

/** The public key object of a raw 32-byte Ed25519 key. */
export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== RAW_KEY_BYTES) throw new RangeError('an Ed25519 public key is 32 bytes');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}
