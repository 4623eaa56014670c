import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import fc from 'fast-check';
import {
  canonicalJson as verifierCanonicalJson,
  checkCommitments,
  entryLeafHash,
  entryLeafHashHex,
  findFirstDivergence,
  HashTree,
  type LogItem,
  LogScanner,
  merkleRoot,
  type SignedTreeHead,
  verifyConsistency as verifierConsistency,
  verifyEntries,
  verifyInclusion as verifierInclusion,
  verifyTreeHeadSignature,
} from '../../../../tools/verify-log/verifier-core';
import { bidCommitment, canonicalJson, newSalt } from '../procurement/rules/commitment';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from './merkle';
import { generateLogKey, rawPublicKey, signTreeHead } from './tree-head';

// The server's side, from the domain code: leaves, tree and signed head of a list of entries.
const { privatePem, publicPem } = generateLogKey();
const privateKey = createPrivateKey(privatePem);
const publicKeyB64 = rawPublicKey(createPublicKey(publicPem)).toString('base64');

const serverLeaf = (entry: unknown): Buffer => leafHash(Buffer.from(canonicalJson(entry), 'utf8'));

function serve(entries: unknown[], timestamp = '2025-03-01T12:00:00.000Z') {
  const hashes = entries.map(serverLeaf);
  const items: LogItem[] = entries.map((entry, index) => ({
    index,
    entry,
    leafHash: hashes[index]!.toString('hex'),
  }));
  const head = { rootHash: rootFromLeafHashes(hashes).toString('hex'), timestamp, treeSize: entries.length };
  const sth: SignedTreeHead = { ...head, signature: signTreeHead(head, privateKey) };
  return { hashes, items, sth };
}

// Entries as the verifier receives them: parsed JSON of the deal log's public shape (or anything JSON).
const entryArb = fc.oneof(
  fc.record({
    type: fc.constantFrom('tender.published', 'bid.submitted', 'question.asked', 'award.made'),
    tenderId: fc.uuid(),
    occurredAt: fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    payload: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })),
  }),
  fc.jsonValue({ maxDepth: 3 }),
);
const logArb = (min: number, max: number) =>
  fc
    .array(entryArb, { minLength: min, maxLength: max })
    .map((entries) => JSON.parse(JSON.stringify(entries)) as unknown[]);

/**
 * The verifier's canonical JSON as it was before its fast path (JSON.stringify of values already in canonical
 * order), kept as written then: the definition the fast path must match on every input, errors included.
 */
function referenceCanonicalJson(value: unknown): string {
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
    return `[${value.map((item) => (item === undefined ? 'null' : referenceCanonicalJson(item))).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${referenceCanonicalJson(key)}:${referenceCanonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`${typeof value} is not JSON`);
}

/** What a canonicalisation gives: its text, or the error it throws. */
const outcome = (canonical: (value: unknown) => string, value: unknown): string | { error: string } => {
  try {
    return canonical(value);
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
};

// Keys that sort differently by code unit and in property order (integer-like), lone surrogates, and the names
// JSON.stringify treats specially.
const keyArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.nat(20).map(String),
  fc.constantFrom('__proto__', 'toJSON', 'a', 'b', 'B', '\u00e9', '\ud83d\ude00', '\ud800'),
);
// Strings that JSON.stringify escapes: controls, quotes, a backslash before "ud", lone and paired surrogates.
const trickyString = fc.constantFrom(
  '\\ud800',
  '\\',
  '"',
  '\u0000\u001f\u007f',
  '\ud83d\ude00',
  '\udfff',
  '\u2028',
);

const indexed = (problems: { index?: number }[]): number[] =>
  problems.flatMap((p) => (p.index === undefined ? [] : [p.index]));
const hex = (list: Buffer[]): string[] => list.map((h) => h.toString('hex'));

describe('verifier core: agrees with the server code', () => {
  it('writes the same canonical JSON, and refuses the same strings', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary', maxDepth: 3 }), (value) => {
        let expected: string | Error;
        try {
          expected = canonicalJson(value);
        } catch (error) {
          expected = error as Error;
        }
        if (expected instanceof Error) expect(() => verifierCanonicalJson(value)).toThrow(TypeError);
        else expect(verifierCanonicalJson(value)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('recomputes the same leaves, roots and every prefix root, and accepts the signed head', () => {
    fc.assert(
      fc.property(logArb(0, 120), (entries) => {
        const { hashes, items, sth } = serve(entries);
        expect(hex(entries.map(entryLeafHash))).toEqual(hex(hashes));
        expect(entries.map(entryLeafHashHex)).toEqual(hex(hashes));
        expect(merkleRoot(hashes).toString('hex')).toBe(sth.rootHash);
        const tree = new HashTree(Buffer.concat(hashes));
        for (let m = 0; m <= hashes.length; m++) {
          expect(tree.root(m)).toEqual(rootFromLeafHashes(hashes.slice(0, m)));
        }
        expect(verifyEntries(items, sth, publicKeyB64)).toEqual({
          ok: true,
          problems: [],
          rootHash: sth.rootHash,
        });
      }),
      { numRuns: 60 },
    );
  });

  it('verifies the server proofs, and judges tampered ones as the server code does', () => {
    fc.assert(
      fc.property(logArb(1, 150), fc.nat(), fc.nat(), fc.nat(), (entries, a, b, byte) => {
        const { hashes } = serve(entries);
        const n = hashes.length;
        const root = rootFromLeafHashes(hashes);
        const index = a % n;
        const path = inclusionProof(index, hashes);
        const leafHex = hashes[index]!.toString('hex');
        expect(verifierInclusion(index, n, leafHex, hex(path), root.toString('hex'))).toBe(true);
        const m = 1 + (b % n);
        const firstRoot = rootFromLeafHashes(hashes.slice(0, m));
        const proof = consistencyProof(m, hashes);
        expect(verifierConsistency(m, n, firstRoot.toString('hex'), root.toString('hex'), hex(proof))).toBe(
          true,
        );

        // Tampered: one byte of one proof element, or the leaf; both implementations say the same.
        const bad = (list: Buffer[]) =>
          list.map((h, i) =>
            i === byte % list.length ? Buffer.from(h.map((x, j) => (j === 0 ? x ^ 1 : x))) : h,
          );
        const badPath = path.length > 0 ? bad(path) : path;
        expect(verifierInclusion(index, n, leafHex, hex(badPath), root.toString('hex'))).toBe(
          verifyInclusion(index, n, hashes[index]!, badPath, root),
        );
        const otherLeaf = hashes[(index + 1) % n]!;
        expect(verifierInclusion(index, n, otherLeaf.toString('hex'), hex(path), root.toString('hex'))).toBe(
          verifyInclusion(index, n, otherLeaf, path, root),
        );
        const badProof = proof.length > 0 ? bad(proof) : proof;
        expect(
          verifierConsistency(m, n, firstRoot.toString('hex'), root.toString('hex'), hex(badProof)),
        ).toBe(verifyConsistency(m, n, firstRoot, root, badProof));
        if (m < n) {
          expect(
            verifierConsistency(m, n, firstRoot.toString('hex'), root.toString('hex'), hex(badProof)),
          ).toBe(false);
        }
        expect(
          verifierInclusion(
            index,
            n,
            leafHex,
            hex(path).map((h) => h.toUpperCase()),
            root.toString('hex'),
          ),
        ).toBe(path.length === 0 || !/[a-f]/.test(hex(path).join('')));
      }),
      { numRuns: 100 },
    );
  });

  it('checks tree head signatures made by the server code', () => {
    const { sth } = serve([{ a: 1 }]);
    expect(verifyTreeHeadSignature(sth, publicKeyB64)).toBe(true);
    expect(verifyTreeHeadSignature({ ...sth, treeSize: 2 }, publicKeyB64)).toBe(false);
    expect(verifyTreeHeadSignature({ ...sth, timestamp: '2025-03-01T12:00:00.001Z' }, publicKeyB64)).toBe(
      false,
    );
    expect(
      verifyTreeHeadSignature(
        sth,
        rawPublicKey(createPublicKey(generateLogKey().publicPem)).toString('base64'),
      ),
    ).toBe(false);
    expect(verifyTreeHeadSignature(sth, 'AAAA')).toBe(false);
    expect(verifyTreeHeadSignature({ ...sth, signature: 'not base64!' }, publicKeyB64)).toBe(false);
  });
});

describe('verifier core: canonical JSON and the tree, against their definitions', () => {
  it('writes what the reference writes for any value, and refuses what it refuses', () => {
    const anything = fc.anything({
      key: keyArb,
      values: [
        fc.string({ unit: 'binary' }),
        trickyString,
        fc.double(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
      ],
      maxDepth: 3,
      withBoxedValues: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withBigInt: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
    });
    fc.assert(
      fc.property(anything, (value) => {
        expect(outcome(verifierCanonicalJson, value)).toEqual(outcome(referenceCanonicalJson, value));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives parsed canonical JSON back as it was, as the reference does (the fast path)', () => {
    const json = fc
      .jsonValue({ maxDepth: 4 })
      .chain((base) =>
        fc.oneof(
          fc.constant(base),
          fc.dictionary(keyArb, fc.oneof(trickyString, fc.jsonValue({ maxDepth: 2 }))),
        ),
      );
    fc.assert(
      fc.property(json, (value) => {
        const expected = outcome(referenceCanonicalJson, value);
        if (typeof expected !== 'string') {
          expect(outcome(verifierCanonicalJson, value)).toEqual(expected);
          return;
        }
        const parsed: unknown = JSON.parse(expected);
        expect(verifierCanonicalJson(parsed)).toBe(referenceCanonicalJson(parsed));
        // Integer-like keys come back in property order, so only other texts are their own canonical form.
        if (!/"\d+":/.test(expected)) expect(verifierCanonicalJson(parsed)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('takes what JSON.stringify would write differently to the general path', () => {
    const hidden = Object.defineProperty({ a: 1 }, 'toJSON', { value: () => 'other', enumerable: false });
    const cases: unknown[] = [
      { 10: 'x', 9: 'y' },
      { b: 1, a: [2, { d: 3, c: 4 }] },
      { s: '\\ud800 is text' },
      { s: '\ud800' },
      { '\udc00': 1 },
      [1, , 3], // eslint-disable-line no-sparse-arrays
      [undefined, () => 1],
      { a: undefined, b: 1 },
      { a: () => 1 },
      Object.assign(Object.create(null) as object, { b: 1, a: 2 }),
      new Date(0),
      { at: new Date(0) },
      hidden,
      Object.assign([1, 2], { toJSON: () => 'other' }),
      JSON.parse('{"__proto__":{"a":1},"z":[-0,1e21,5e-324,1.5]}'),
      new Number(1),
      [new String('s')],
      { n: NaN },
      10n,
      undefined,
      Symbol('s'),
    ];
    for (const value of cases) {
      expect(outcome(verifierCanonicalJson, value)).toEqual(outcome(referenceCanonicalJson, value));
    }
    expect(verifierCanonicalJson({ 10: 'x', 9: 'y', b: [{ d: 3, c: 4 }] })).toBe(
      '{"10":"x","9":"y","b":[{"c":4,"d":3}]}',
    );
    expect(() => verifierCanonicalJson({ s: '\ud800' })).toThrow(TypeError);
  });

  it('grows leaf by leaf to the prefix roots of the server code, from bytes or from hex', () => {
    // Sizes drawn outright (arrays would stay short), up to several levels above 2^8.
    const leavesArb = fc
      .tuple(fc.oneof(fc.nat(300), fc.constantFrom(1, 2, 3, 255, 256, 257)), fc.string())
      .map(([n, seed]) =>
        Array.from({ length: n }, (_, i) => createHash('sha256').update(`${seed}/${i}`).digest()),
      );
    fc.assert(
      fc.property(leavesArb, (hashes) => {
        const tree = new HashTree();
        expect(tree.root()).toEqual(rootFromLeafHashes([]));
        hashes.forEach((hash, i) => {
          if (i % 2 === 0) tree.append(hash);
          else tree.appendHex(hash.toString('hex'));
          expect(tree.size).toBe(i + 1);
        });
        for (let m = 0; m <= hashes.length; m++) {
          expect(tree.root(m)).toEqual(rootFromLeafHashes(hashes.slice(0, m)));
        }
        expect(hashes.map((_, i) => tree.leafHex(i))).toEqual(hex(hashes));
        expect(tree.leafHex(hashes.length)).toBe('');
      }),
      { numRuns: 20 },
    );
    const tree = new HashTree();
    expect(() => tree.append(Buffer.alloc(31))).toThrow(RangeError);
    expect(() => tree.appendHex('zz')).toThrow(RangeError);
    expect(() => tree.root(1)).toThrow(RangeError);
    expect(() => tree.appendLeaves(Buffer.alloc(64), 3)).toThrow(RangeError);
    expect(tree.size).toBe(0);
  });

  it('grows by whole pages of leaves to the same prefix roots as leaf by leaf', () => {
    // A list of leaves cut into pages of random sizes, some of them empty or of one leaf.
    const pagesArb = fc
      .tuple(fc.array(fc.oneof(fc.nat(70), fc.constantFrom(0, 1, 64, 128)), { maxLength: 8 }), fc.string())
      .map(([sizes, seed]) =>
        sizes.map((n, p) =>
          Array.from({ length: n }, (_, i) => createHash('sha256').update(`${seed}/${p}/${i}`).digest()),
        ),
      );
    fc.assert(
      fc.property(pagesArb, fc.boolean(), (pages, spare) => {
        const tree = new HashTree();
        for (const page of pages) {
          // The page's buffer may hold more than its leaves (a checked page's never does; any caller's may).
          const bytes = Buffer.concat([...page, ...(spare ? [Buffer.alloc(32, 7)] : [])]);
          tree.appendLeaves(bytes, page.length);
        }
        const hashes = pages.flat();
        expect(tree.size).toBe(hashes.length);
        for (let m = 0; m <= hashes.length; m++) {
          expect(tree.root(m)).toEqual(rootFromLeafHashes(hashes.slice(0, m)));
        }
        expect(hashes.map((_, i) => tree.leafHex(i))).toEqual(hex(hashes));
      }),
      { numRuns: 40 },
    );
  });
});

describe('verifier core: names what was tampered with', () => {
  it('names the exact index of a changed entry', () => {
    fc.assert(
      fc.property(logArb(1, 100), fc.nat(), (entries, pick) => {
        const { items, sth } = serve(entries);
        const k = pick % items.length;
        const changed = items.map((item, i) =>
          i === k ? { ...item, entry: { altered: item.entry } } : item,
        );
        const report = verifyEntries(changed, sth, publicKeyB64);
        expect(report.ok).toBe(false);
        expect(indexed(report.problems)).toEqual([k]);
        expect(report.rootHash).not.toBe(sth.rootHash);
      }),
      { numRuns: 60 },
    );
  });

  it('reports the break at the index of a deleted entry', () => {
    fc.assert(
      fc.property(logArb(2, 100), fc.nat(), (entries, pick) => {
        const { items, sth } = serve(entries);
        const k = pick % items.length;
        const report = verifyEntries(
          items.filter((_, i) => i !== k),
          sth,
          publicKeyB64,
        );
        expect(report.ok).toBe(false);
        expect(indexed(report.problems)).toEqual([k]);
        expect(report.problems[0]!.message).toMatch(new RegExp(`\\b${k}\\b`));
      }),
      { numRuns: 60 },
    );
  });

  it('reports duplicated entries, a bad signature, a wrong key and a head the entries do not match', () => {
    const entries = Array.from({ length: 10 }, (_, i) => ({ type: 'x', n: i }));
    const { items, sth } = serve(entries);
    const dup = verifyEntries([...items.slice(0, 5), items[3]!, ...items.slice(5)], sth, publicKeyB64);
    expect(indexed(dup.problems)).toEqual([3]);
    expect(dup.rootHash).toBe(sth.rootHash);

    const signature = Buffer.from(sth.signature, 'base64');
    signature[10] = signature[10]! ^ 0x40;
    const badSig = verifyEntries(items, { ...sth, signature: signature.toString('base64') }, publicKeyB64);
    expect(badSig.ok).toBe(false);
    expect(badSig.problems).toEqual([{ message: expect.stringMatching(/signature/) }]);

    const otherKey = rawPublicKey(createPublicKey(generateLogKey().publicPem)).toString('base64');
    expect(verifyEntries(items, sth, otherKey).problems).toEqual([
      { message: expect.stringMatching(/signature/) },
    ]);

    // A correctly signed head over other contents: only the root differs.
    const { sth: otherHead } = serve([...entries.slice(0, 9), { type: 'x', n: 99 }]);
    expect(verifyEntries(items, otherHead, publicKeyB64).problems).toEqual([
      { message: expect.stringMatching(/root/) },
    ]);

    // Fewer entries than the head covers: the log ends early, at that index.
    expect(indexed(verifyEntries(items.slice(0, 7), sth, publicKeyB64).problems)).toEqual([7]);
    // More than it covers (the log grew while downloading): the head's prefix is checked.
    const grown = serve([...entries, { type: 'x', n: 10 }]).items;
    expect(verifyEntries(grown, sth, publicKeyB64)).toEqual({
      ok: true,
      problems: [],
      rootHash: sth.rootHash,
    });
    // Served leaf hash wrong but entry intact, and entries that are not I-JSON.
    const wrongHash = items.map((item, i) => (i === 4 ? { ...item, leafHash: '00'.repeat(32) } : item));
    expect(indexed(verifyEntries(wrongHash, sth, publicKeyB64).problems)).toEqual([4]);
    const lone = items.map((item, i) => (i === 6 ? { ...item, entry: { s: '\ud800' } } : item));
    expect(indexed(verifyEntries(lone, sth, publicKeyB64).problems)).toEqual([6]);
  });

  it('finds a changed entry by consistency proofs when the server rehashes altered rows', async () => {
    await fc.assert(
      fc.asyncProperty(logArb(1, 100), fc.nat(), async (entries, pick) => {
        const { hashes: signedHashes, sth } = serve(entries);
        const k = pick % entries.length;
        // The row changed; the server serves it with a leaf hash of the altered content, but its stored tree
        // (and every proof from it) is the original.
        const altered = entries.map((entry, i) => (i === k ? { altered: entry } : entry));
        const scanner = new LogScanner();
        altered.forEach((entry, index) =>
          scanner.add({ index, entry, leafHash: serverLeaf(entry).toString('hex') }),
        );
        const report = scanner.finish(sth, publicKeyB64);
        expect(indexed(report.problems)).toEqual([]);
        expect(report.problems).toEqual([{ message: expect.stringMatching(/root/) }]);
        const n = sth.treeSize;
        const found = await findFirstDivergence(n, (m) =>
          verifierConsistency(m, n, scanner.root(m), sth.rootHash, hex(consistencyProof(m, signedHashes))),
        );
        expect(found).toBe(k);
      }),
      { numRuns: 60 },
    );
    expect(await findFirstDivergence(0, () => false)).toBeUndefined();
    expect(await findFirstDivergence(5, () => true)).toBeUndefined();
  });
});

describe('verifier core: sealed bids', () => {
  const tender = '6f1c8a52-3f0e-4a5b-9a57-1f6d2c3b4a5e';
  const otherTender = '0b7d2a41-8c3e-4f19-b2d6-5e4f3a2c1b0d';
  const at = '2025-03-01T12:00:00.000Z';
  const content = {
    bidId: 'b1',
    supplierId: 's1',
    tenderId: tender,
    lots: [{ lotId: 'l1', price: { amount: '1200.00', currency: 'UAH' } }],
  };
  const salt = newSalt();
  const commitment = bidCommitment(content, salt);
  const ev = (type: string, tenderId: string, payload: Record<string, unknown>) => ({
    type,
    tenderId,
    occurredAt: at,
    payload,
  });
  const opened = (extra: Record<string, unknown> = {}) =>
    ev('bid.opened', tender, {
      bidId: 'b1',
      supplierId: 's1',
      content,
      salt,
      commitment,
      status: 'opened',
      ...extra,
    });
  const log = (...entries: unknown[]) => entries.map((entry, index) => ({ index, entry }));

  it('accepts opened bids committed to earlier, by submission, change or confirmation', () => {
    for (const type of ['bid.submitted', 'bid.changed', 'bid.confirmed']) {
      expect(
        checkCommitments(log(ev('tender.published', tender, {}), ev(type, tender, { commitment }), opened())),
      ).toEqual({ ok: true, problems: [] });
    }
    const other = newSalt();
    const randomized = fc.sample(fc.jsonValue(), 20).map((value) => {
      const c = bidCommitment(value, other);
      return log(
        ev('bid.submitted', tender, { commitment: c }),
        ev('bid.opened', tender, { content: value, salt: other, commitment: c }),
      );
    });
    for (const entries of randomized) expect(checkCommitments(entries).ok).toBe(true);
  });

  it('names the opened bid whose content, salt or commitment does not match', () => {
    const base = [ev('bid.submitted', tender, { commitment }), ev('x', tender, {})];
    const cases = [
      opened({ content: { ...content, lots: [] } }),
      opened({ salt: newSalt() }),
      opened({ commitment: bidCommitment(content, newSalt()) }),
      opened({ commitment: undefined }),
      ev('bid.opened', tender, { content, commitment }),
    ];
    for (const entry of cases) {
      const result = checkCommitments(log(...base, entry));
      expect(result.ok).toBe(false);
      expect(new Set(indexed(result.problems))).toEqual(new Set([2]));
    }
  });

  it('names a commitment opened twice, and an opening that credits the bid to another supplier or bid', () => {
    const submitted = ev('bid.submitted', tender, { commitment });
    expect(indexed(checkCommitments(log(submitted, opened(), opened())).problems)).toEqual([2]);
    for (const entry of [
      opened({ supplierId: 's2' }),
      opened({ bidId: 'b2' }),
      opened({ supplierId: undefined }),
    ]) {
      const result = checkCommitments(log(submitted, entry));
      expect(result.problems.map((p) => [p.index, /names (bidId|supplierId)/.test(p.message)])).toEqual([
        [1, true],
      ]);
    }
    // The content names its tender: an opening logged under another tender is refused for that too.
    const moved = ev('bid.opened', otherTender, { bidId: 'b1', supplierId: 's1', content, salt, commitment });
    const result = checkCommitments(log(ev('bid.submitted', otherTender, { commitment }), moved));
    expect(result.problems.map((p) => p.message)).toEqual([expect.stringMatching(/names tenderId/)]);
  });

  it('names the opening of a commitment withdrawn or replaced before it, and only before it', () => {
    const submitted = ev('bid.submitted', tender, { commitment });
    const withdrawn = ev('bid.withdrawn', tender, { commitment });
    const newer = bidCommitment(content, newSalt());
    const changed = ev('bid.changed', tender, { commitment: newer, replaces: commitment });
    for (const retired of [withdrawn, changed]) {
      const result = checkCommitments(log(submitted, retired, opened()));
      expect(result.problems.map((p) => [p.index, p.message])).toEqual([
        [2, expect.stringMatching(/withdrawn or replaced at 1/)],
      ]);
      // A retirement logged after the opening, or for another tender, says nothing of the opening (a change
      // after it is a commitment after the bids were opened: a problem of its own, at its own index).
      expect(
        checkCommitments(log(submitted, opened(), retired)).problems.filter((p) => p.index !== 2),
      ).toEqual([]);
      expect(
        checkCommitments(log(submitted, { ...retired, tenderId: otherTender }, opened())).problems,
      ).toEqual([]);
    }
    // The version that replaced it opens cleanly.
    const salt2 = newSalt();
    const c2 = bidCommitment(content, salt2);
    expect(
      checkCommitments(
        log(
          submitted,
          ev('bid.changed', tender, { commitment: c2, replaces: commitment }),
          opened({ salt: salt2, commitment: c2 }),
        ),
      ),
    ).toEqual({ ok: true, problems: [] });
  });

  it('judges late entries by their place after the opening, and a late cancellation by what it opened', () => {
    const published = (endDate: string) =>
      ev('tender.published', tender, { tender: { tenderPeriod: { endDate } } });
    const atTime = (entry: ReturnType<typeof ev>, occurredAt: string) => ({ ...entry, occurredAt });
    const submitted = ev('bid.submitted', tender, { commitment });
    const closed = ev('tender.closed', tender, {});
    // A commitment after the closing, claiming a time before the deadline.
    const backdated = checkCommitments(
      log(published('2025-03-01T13:00:00.000Z'), submitted, opened(), closed, submitted),
    );
    expect(backdated.problems.map((p) => [p.index, p.message])).toEqual([
      [4, expect.stringMatching(/logged after tender .* bids were opened at 2/)],
    ]);
    // An opening after the closing, and a deadline set after the opening.
    const after = checkCommitments(
      log(
        published('2025-03-01T13:00:00.000Z'),
        submitted,
        closed,
        opened(),
        published('2025-03-09T13:00:00.000Z'),
      ),
    );
    expect(after.problems.map((p) => p.index)).toEqual([2, 3, 4]);
    // An amendment after the deadline in force moves nothing.
    const amended = ev('tender.amended', tender, {
      changes: { 'tenderPeriod.endDate': { after: '2025-03-09T13:00:00.000Z' } },
    });
    const late = checkCommitments(log(published('2025-03-01T11:00:00.000Z'), amended, submitted));
    expect(late.problems.map((p) => [p.index, p.message])).toEqual([
      [1, expect.stringMatching(/^amendment at 1 logged at 2025-03-01T12:00:00.000Z, after tender/)],
      [2, expect.stringMatching(/after tender .* deadline 2025-03-01T11:00:00.000Z/)],
    ]);
    // A cancellation: before the deadline (or within its margin) it keeps the bids sealed; later, it must have
    // opened every live one, as a closing does.
    const cancelled = (occurredAt: string) => atTime(ev('tender.cancelled', tender, {}), occurredAt);
    const deadline = published('2025-03-01T12:30:00.000Z');
    const early = atTime(submitted, '2025-03-01T12:00:00.000Z');
    expect(checkCommitments(log(deadline, early, cancelled('2025-03-01T12:20:00.000Z'))).ok).toBe(true);
    expect(checkCommitments(log(deadline, early, cancelled('2025-03-01T12:30:04.000Z'))).ok).toBe(true);
    expect(
      checkCommitments(log(deadline, early, cancelled('2025-03-01T12:31:00.000Z'))).problems.map(
        (p) => p.index,
      ),
    ).toEqual([2]);
    expect(checkCommitments(log(deadline, early, opened(), cancelled('2025-03-01T12:31:00.000Z'))).ok).toBe(
      true,
    );
  });

  it("takes an auction's prices up to its end in force, and none after its bids are opened", () => {
    const atTime = (entry: ReturnType<typeof ev>, occurredAt: string) => ({ ...entry, occurredAt });
    const started = ev('auction.started', tender, { auctionPeriod: { endDate: '2025-03-01T12:10:00.000Z' } });
    const price = (occurredAt: string, auctionEnd?: string) =>
      atTime(ev('auction.bid', tender, { participant: 1, price: '900.00', auctionEnd }), occurredAt);
    const submitted = ev('bid.submitted', tender, { commitment });
    const closed = ev('tender.closed', tender, {});
    // A lead at 12:09 moves the end to 12:19, so a price at 12:15 is in time; the end is inclusive to the ms.
    const fine = log(
      submitted,
      started,
      price('2025-03-01T12:09:00.000Z', '2025-03-01T12:19:00.000Z'),
      price('2025-03-01T12:15:00.000Z', '2025-03-01T12:19:00.000Z'),
      price('2025-03-01T12:19:00.000Z'),
      opened(),
      closed,
    );
    expect(checkCommitments(fine)).toEqual({ ok: true, problems: [] });
    const late = checkCommitments(
      log(submitted, started, price('2025-03-01T12:10:00.001Z'), price('2025-03-01T12:11:00.000Z')),
    );
    expect(late.problems.map((p) => [p.index, p.message])).toEqual([
      [
        2,
        expect.stringMatching(
          /^auction price at 2 logged at 2025-03-01T12:10:00.001Z, after the auction's end/,
        ),
      ],
      [3, expect.stringMatching(/after the auction's end 2025-03-01T12:10:00.000Z/)],
    ]);
    // No price without a start, nor after the opening; no start after it either.
    const stray = checkCommitments(
      log(price('2025-03-01T12:00:00.000Z'), submitted, opened(), started, price('2025-03-01T12:01:00.000Z')),
    );
    expect(stray.problems.map((p) => [p.index, p.message])).toEqual([
      [0, expect.stringMatching(/whose auction never started/)],
      [3, expect.stringMatching(/^auction.started at 3 .* whose bids were opened at 2/)],
      [4, expect.stringMatching(/^auction.bid at 4 .* whose bids were opened at 2/)],
    ]);
  });

  it('names an opened bid whose commitment was not logged before it for that tender', () => {
    const late = checkCommitments(
      log(ev('x', tender, {}), opened(), ev('bid.submitted', tender, { commitment })),
    );
    // The opening (1), and the commitment logged after the bids were opened (2).
    expect(indexed(late.problems)).toEqual([1, 2]);
    const elsewhere = checkCommitments(log(ev('bid.submitted', otherTender, { commitment }), opened()));
    expect(indexed(elsewhere.problems)).toEqual([1]);
    // Order is by index, whatever the order of the list.
    const shuffled = [
      { index: 5, entry: opened() },
      { index: 2, entry: ev('bid.submitted', tender, { commitment }) },
    ];
    expect(checkCommitments(shuffled)).toEqual({ ok: true, problems: [] });
    expect(indexed(checkCommitments([{ index: 9, entry: opened() }]).problems)).toEqual([9]);
  });

  it('keeps finding commitments as the table of them grows, and keeps tenders apart', () => {
    // Far more commitments than the table starts with, so that it grows (and rehashes) several times.
    const many = 300_000;
    const digest = (i: number) => createHash('sha256').update(`commitment ${i}`).digest('hex');
    const tenders = [tender, otherTender];
    const entries: { index: number; entry: unknown }[] = [];
    for (let i = 0; i < many; i++)
      entries.push({ index: i, entry: ev('bid.submitted', tenders[i % 2]!, { commitment: digest(i) }) });
    // Opened bids, each for the tender its commitment was logged for: one of every 997 commitments, logged before
    // and after the table grew; then two that must not be found: logged for the other tender, and never logged.
    const sample = Array.from({ length: Math.ceil(many / 997) }, (_, k) => k * 997);
    const opens = [
      ...sample.map((i) => [tenders[i % 2]!, i] as const),
      [tender, 1] as const,
      [tender, many] as const,
    ];
    const checked = opens.map(([tenderId, i], k) => ({
      index: many + k,
      entry: ev('bid.opened', tenderId, { content, salt, commitment: digest(i) }),
    }));
    const result = checkCommitments([...entries, ...checked]);
    // Each also fails its content hash (its content is not what was committed); only the last two lack a logging.
    const notLogged = result.problems.filter((p) => /was not logged/.test(p.message)).map((p) => p.index);
    expect(notLogged).toEqual([many + sample.length, many + sample.length + 1]);
  });
});
