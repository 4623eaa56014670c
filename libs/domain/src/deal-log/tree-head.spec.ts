import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import {
  generateLogKey,
  publicKeyFromRaw,
  rawPublicKey,
  signTreeHead,
  type TreeHead,
  treeHeadMessage,
  verifyTreeHead,
} from './tree-head';

const head: TreeHead = {
  rootHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  timestamp: '2025-03-01T12:00:00.123Z',
  treeSize: 42,
};

describe('tree heads', () => {
  const { privatePem, publicPem } = generateLogKey();
  const privateKey = createPrivateKey(privatePem);
  const publicKey = createPublicKey(publicPem);

  it('signs the canonical JSON of exactly rootHash, timestamp and treeSize', () => {
    expect(treeHeadMessage(head).toString('utf8')).toBe(
      '{"rootHash":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",' +
        '"timestamp":"2025-03-01T12:00:00.123Z","treeSize":42}',
    );
    const withExtras = { treeSize: 42, signature: 'x', timestamp: head.timestamp, rootHash: head.rootHash };
    expect(treeHeadMessage(withExtras)).toEqual(treeHeadMessage(head));
  });

  it('refuses to build the message of a malformed head', () => {
    expect(() => treeHeadMessage({ ...head, rootHash: head.rootHash.toUpperCase() })).toThrow(TypeError);
    expect(() => treeHeadMessage({ ...head, rootHash: 'ab' })).toThrow(TypeError);
    expect(() => treeHeadMessage({ ...head, timestamp: '1 March 2025' })).toThrow(TypeError);
    expect(() => treeHeadMessage({ ...head, timestamp: '2025-13-01T12:00:00Z' })).toThrow(TypeError);
    expect(() => treeHeadMessage({ ...head, treeSize: -1 })).toThrow(TypeError);
    expect(() => treeHeadMessage({ ...head, treeSize: 1.5 })).toThrow(TypeError);
    expect(() => treeHeadMessage({ ...head, treeSize: '42' as unknown as number })).toThrow(TypeError);
  });

  it('verifies its own signatures and refuses any changed field, signature or key', () => {
    const other = createPublicKey(generateLogKey().publicPem);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.nat(),
        (root, date, treeSize) => {
          const th = { rootHash: Buffer.from(root).toString('hex'), timestamp: date.toISOString(), treeSize };
          const signature = signTreeHead(th, privateKey);
          expect(Buffer.from(signature, 'base64')).toHaveLength(64);
          expect(verifyTreeHead(th, signature, publicKey)).toBe(true);
          expect(verifyTreeHead({ ...th, treeSize: treeSize + 1 }, signature, publicKey)).toBe(false);
          expect(
            verifyTreeHead(
              { ...th, timestamp: new Date(date.getTime() + 1).toISOString() },
              signature,
              publicKey,
            ),
          ).toBe(false);
          const flipped = Buffer.from(root);
          flipped[treeSize % 32] = flipped[treeSize % 32]! ^ 0x10;
          expect(verifyTreeHead({ ...th, rootHash: flipped.toString('hex') }, signature, publicKey)).toBe(
            false,
          );
          const badSignature = Buffer.from(signature, 'base64');
          badSignature[treeSize % 64] = badSignature[treeSize % 64]! ^ 0x01;
          expect(verifyTreeHead(th, badSignature.toString('base64'), publicKey)).toBe(false);
          expect(verifyTreeHead(th, signature, other)).toBe(false);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('returns false, not an exception, for malformed signatures, heads and keys', () => {
    const signature = signTreeHead(head, privateKey);
    expect(verifyTreeHead(head, '', publicKey)).toBe(false);
    expect(verifyTreeHead(head, signature.slice(0, -4), publicKey)).toBe(false);
    expect(verifyTreeHead(head, `${signature}\n`, publicKey)).toBe(false);
    expect(verifyTreeHead({ ...head, rootHash: 'zz' }, signature, publicKey)).toBe(false);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(verifyTreeHead(head, signature, rsa.publicKey)).toBe(false);
    expect(() => signTreeHead(head, rsa.privateKey)).toThrow(TypeError);
    expect(() => signTreeHead(head, publicKey)).toThrow(TypeError);
  });

  it('publishes the raw 32-byte public key and rebuilds the key from it', () => {
    const raw = rawPublicKey(publicKey);
    expect(raw).toHaveLength(32);
    // The same bytes as the JWK's x member, which is the raw key by definition (RFC 8037).
    expect(raw.toString('base64url')).toBe(publicKey.export({ format: 'jwk' }).x);
    expect(rawPublicKey(privateKey)).toEqual(raw);
    const rebuilt = publicKeyFromRaw(raw);
    expect(rebuilt.export({ type: 'spki', format: 'pem' })).toBe(publicPem);
    expect(verifyTreeHead(head, signTreeHead(head, privateKey), rebuilt)).toBe(true);
    expect(() => publicKeyFromRaw(raw.subarray(1))).toThrow(RangeError);
    expect(() => rawPublicKey(generateKeyPairSync('x25519').publicKey)).toThrow(TypeError);
  });

  it('generates distinct PEM key pairs', () => {
    const a = generateLogKey();
    const b = generateLogKey();
    expect(a.privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(a.publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(a.publicPem).not.toBe(b.publicPem);
  });
});
