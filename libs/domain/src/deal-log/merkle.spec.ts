import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  CompactRange,
  consistencyProof,
  consistencyProofFromNodes,
  consistencyProofNodes,
  distinctNodes,
  EMPTY_TREE_HASH,
  inclusionProof,
  inclusionProofFromNodes,
  inclusionProofNodes,
  leafHash,
  nodeHash,
  type PerfectNode,
  perfectNodesToStore,
  rangeNodes,
  rootFromLeafHashes,
  rootFromPerfectNodes,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

// Hashing written out again from the RFC, so the vectors below do not lean on the code under test.
const sha = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const L = (leaf: Uint8Array): Buffer => sha(Buffer.from([0]), leaf);
const N = (left: Buffer, right: Buffer): Buffer => sha(Buffer.from([1]), left, right);

// The naive recursion of RFC 9162 2.1.1, over the leaves themselves.
function referenceMth(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return L(leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return N(referenceMth(leaves.slice(0, k)), referenceMth(leaves.slice(k)));
}

const hex = (hashes: readonly Buffer[]): string[] => hashes.map((h) => h.toString('hex'));

// Perfect nodes persisted as an appending server would: perfectNodesToStore after each leaf.
async function storeAll(leafHashes: readonly Buffer[]): Promise<Map<string, Buffer>> {
  const store = new Map<string, Buffer>();
  const getNode = (level: number, index: number): Buffer => {
    const hash = store.get(`${level}:${index}`);
    if (!hash) throw new Error(`node ${level}:${index} not stored`);
    return hash;
  };
  for (const [index, hash] of leafHashes.entries()) {
    for (const node of await perfectNodesToStore(index, hash, getNode))
      store.set(`${node.level}:${node.index}`, node.hash);
  }
  return store;
}

function reader(store: Map<string, Buffer>) {
  return async (level: number, index: number): Promise<Buffer> => {
    const hash = store.get(`${level}:${index}`);
    if (!hash) throw new Error(`node ${level}:${index} not stored`);
    return hash;
  };
}

const flip = (hash: Uint8Array, byte = 0): Buffer => {
  const copy = Buffer.from(hash);
  copy[byte % copy.length] = copy[byte % copy.length]! ^ 0x01;
  return copy;
};

// Distinct leaves (the index is in each), of random content.
const leavesArb = (min: number, max: number) =>
  fc
    .array(fc.uint8Array({ maxLength: 24 }), { minLength: min, maxLength: max })
    .map((leaves) => leaves.map((bytes, i) => Buffer.concat([Buffer.from(`${i}:`), bytes])));

describe('merkle: hashes from the definitions', () => {
  it('hashes a leaf with a 0x00 prefix and a node with 0x01', () => {
    expect(leafHash(Buffer.from('abc'))).toEqual(sha(Buffer.from('\x00abc', 'latin1')));
    const [a, b] = [L(Buffer.from('a')), L(Buffer.from('b'))];
    expect(nodeHash(a, b)).toEqual(sha(Buffer.from([1]), a, b));
    expect(nodeHash(a, b)).not.toEqual(nodeHash(b, a));
  });

  it('gives the empty tree the SHA-256 of the empty string', () => {
    expect(rootFromLeafHashes([]).toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(EMPTY_TREE_HASH.toString('hex')).toBe(rootFromLeafHashes([]).toString('hex'));
  });

  // Leaves d0..d7 = "d0".."d7"; l_i their leaf hashes; each root spelled out as the RFC's split makes it.
  const d = Array.from({ length: 8 }, (_, i) => Buffer.from(`d${i}`));
  const l = d.map(L);
  const n01 = N(l[0]!, l[1]!);
  const n23 = N(l[2]!, l[3]!);
  const n45 = N(l[4]!, l[5]!);
  const n67 = N(l[6]!, l[7]!);
  const n0123 = N(n01, n23);
  const vectors: [number, Buffer][] = [
    [0, sha()],
    [1, l[0]!],
    [2, n01],
    [3, N(n01, l[2]!)],
    [4, n0123],
    [5, N(n0123, l[4]!)],
    [7, N(n0123, N(n45, l[6]!))],
    [8, N(n0123, N(n45, n67))],
  ];

  it.each(vectors)('computes the root of %i leaves', async (n, expected) => {
    const hashes = d.slice(0, n).map(leafHash);
    expect(rootFromLeafHashes(hashes)).toEqual(expected);
    expect(referenceMth(d.slice(0, n))).toEqual(expected);
    expect(await rootFromPerfectNodes(n, reader(await storeAll(hashes)))).toEqual(expected);
  });

  it('matches the published Certificate Transparency test vectors', () => {
    // The leaves of the CT reference tests and the roots of their first 1..8 leaves.
    const ct = [
      '',
      '00',
      '10',
      '2021',
      '3031',
      '40414243',
      '5051525354555657',
      '606162636465666768696a6b6c6d6e6f',
    ];
    const roots = [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    ];
    const hashes = ct.map((h) => leafHash(Buffer.from(h, 'hex')));
    roots.forEach((root, i) => expect(rootFromLeafHashes(hashes.slice(0, i + 1)).toString('hex')).toBe(root));
  });

  // The seven-leaf example of RFC 9162 2.1.5: a..f, j are leaves; g = (a,b), h = (c,d), i = (e,f), k = (g,h),
  // l = (i,j), root = (k,l).
  const [a, b, c, dd, e, f, j] = l as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
  const g = N(a, b);
  const h = N(c, dd);
  const i = N(e, f);
  const k = N(g, h);
  const ll = N(i, j);
  const seven = l.slice(0, 7);

  it.each([
    [1, [a, h, ll]],
    [3, [c, g, ll]],
    [4, [f, j, k]],
    [6, [i, k]],
  ] as [number, Buffer[]][])('gives the RFC example audit path of leaf %i of 7', async (index, path) => {
    expect(inclusionProof(index, seven)).toEqual(path);
    expect(await inclusionProofFromNodes(index, 7, reader(await storeAll(seven)))).toEqual(path);
    expect(verifyInclusion(index, 7, l[index]!, path, N(k, ll))).toBe(true);
  });

  it.each([
    [3, [c, dd, g, ll]],
    [4, [ll]],
    [6, [i, j, k]],
  ] as [number, Buffer[]][])('gives the RFC example consistency proof from %i to 7', async (first, proof) => {
    expect(consistencyProof(first, seven)).toEqual(proof);
    expect(await consistencyProofFromNodes(first, 7, reader(await storeAll(seven)))).toEqual(proof);
    expect(verifyConsistency(first, 7, rootFromLeafHashes(seven.slice(0, first)), N(k, ll), proof)).toBe(
      true,
    );
  });

  it('gives hand-derived proofs for small trees', () => {
    const five = l.slice(0, 5);
    expect(inclusionProof(0, l.slice(0, 1))).toEqual([]);
    expect(inclusionProof(3, five)).toEqual([l[2], n01, l[4]]);
    expect(inclusionProof(4, five)).toEqual([n0123]);
    expect(inclusionProof(2, l.slice(0, 3))).toEqual([n01]);
    expect(inclusionProof(5, l)).toEqual([l[4], n67, n0123]);
    expect(consistencyProof(2, l.slice(0, 3))).toEqual([l[2]]);
    expect(consistencyProof(1, l.slice(0, 2))).toEqual([l[1]]);
    expect(consistencyProof(5, l)).toEqual([l[4], l[5], n67, n0123]);
    expect(consistencyProof(8, l)).toEqual([]);
    expect(consistencyProof(0, l)).toEqual([]);
  });

  it('accepts trivial consistency only as the definitions allow', () => {
    const root = rootFromLeafHashes(l);
    expect(verifyConsistency(0, 8, EMPTY_TREE_HASH, root, [])).toBe(true);
    expect(verifyConsistency(0, 8, root, root, [])).toBe(false);
    expect(verifyConsistency(8, 8, root, root, [])).toBe(true);
    expect(verifyConsistency(8, 8, root, flip(root), [])).toBe(false);
    expect(verifyConsistency(8, 8, root, root, [root])).toBe(false);
    expect(verifyConsistency(4, 8, n0123, root, [])).toBe(false);
    expect(verifyConsistency(8, 4, root, n0123, [])).toBe(false);
  });

  it('refuses out-of-range requests and malformed input', () => {
    expect(() => inclusionProof(3, l.slice(0, 3))).toThrow(RangeError);
    expect(() => inclusionProof(-1, l)).toThrow(RangeError);
    expect(() => consistencyProof(9, l)).toThrow(RangeError);
    expect(() => inclusionProofNodes(0, 0)).toThrow(RangeError);
    expect(() => consistencyProofNodes(5, 4)).toThrow(RangeError);
    expect(() => rangeNodes(1, 3)).toThrow(RangeError);
    expect(verifyInclusion(0, 1, l[0]!, [], l[0]!)).toBe(true);
    expect(verifyInclusion(1, 1, l[0]!, [], l[0]!)).toBe(false);
    expect(verifyInclusion(0.5, 2, l[0]!, [l[1]!], n01)).toBe(false);
    expect(verifyInclusion(0, 2, l[0]!.subarray(1), [l[1]!], n01)).toBe(false);
    expect(verifyInclusion(0, 2, l[0]!, [l[1]!.subarray(1)], n01)).toBe(false);
  });

  it('decomposes ranges into the perfect nodes of their binary size', () => {
    expect(rangeNodes(0, 7)).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(rangeNodes(8, 13)).toEqual([
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(rangeNodes(4, 4)).toEqual([]);
    // Inclusion of leaf 6 in 7 needs leaves 4-5 and the first four: [(1,2)], [(2,0)].
    expect(inclusionProofNodes(6, 7)).toEqual([[{ level: 1, index: 2 }], [{ level: 2, index: 0 }]]);
    expect(distinctNodes([[{ level: 0, index: 1 }], [{ level: 0, index: 1 }]])).toEqual([
      { level: 0, index: 1 },
    ]);
  });

  it('stores a new perfect node for every trailing one bit of the leaf index', async () => {
    const store = await storeAll(l);
    expect([...store.keys()].sort()).toEqual(
      [
        '0:0',
        '0:1',
        '0:2',
        '0:3',
        '0:4',
        '0:5',
        '0:6',
        '0:7',
        '1:0',
        '1:1',
        '1:2',
        '1:3',
        '2:0',
        '2:1',
        '3:0',
      ].sort(),
    );
    expect(store.get('2:1')).toEqual(N(n45, n67));
    expect(store.get('3:0')).toEqual(rootFromLeafHashes(l));
    const nodes = await perfectNodesToStore(7, l[7]!, reader(store));
    expect(nodes.map((node) => [node.level, node.index])).toEqual([
      [0, 7],
      [1, 3],
      [2, 1],
      [3, 0],
    ]);
  });
});

describe('merkle: properties', () => {
  it('equals the naive RFC recursion', () => {
    fc.assert(
      fc.property(leavesArb(0, 200), (leaves) => {
        expect(rootFromLeafHashes(leaves.map(leafHash))).toEqual(referenceMth(leaves));
      }),
      { numRuns: 150 },
    );
  });

  // Not tampered with here: the tree sizes. A proof can fit more than one size (the path of leaf 0 of 3 also
  // passes as leaf 0 of 4 with the same root); it is the signed tree head that binds a size to its root.
  it('proves every leaf included, and refuses a wrong leaf, index, root or path', () => {
    fc.assert(
      fc.property(leavesArb(1, 200), fc.nat(), fc.nat(), (leaves, pick, byte) => {
        const hashes = leaves.map(leafHash);
        const n = hashes.length;
        const root = rootFromLeafHashes(hashes);
        for (let index = 0; index < n; index++) {
          const path = inclusionProof(index, hashes);
          expect(verifyInclusion(index, n, hashes[index]!, path, root)).toBe(true);
        }
        const index = pick % n;
        const leaf = hashes[index]!;
        const path = inclusionProof(index, hashes);
        expect(verifyInclusion(index, n, flip(leaf, byte), path, root)).toBe(false);
        expect(verifyInclusion(index, n, leaf, path, flip(root, byte))).toBe(false);
        if (n > 1)
          expect(verifyInclusion((index + 1 + (byte % (n - 1))) % n, n, leaf, path, root)).toBe(false);
        expect(verifyInclusion(index, n, leaf, [...path, leaf], root)).toBe(false);
        if (path.length > 0) {
          const at = byte % path.length;
          expect(verifyInclusion(index, n, leaf, path.slice(1), root)).toBe(false);
          expect(
            verifyInclusion(
              index,
              n,
              leaf,
              path.map((p, i) => (i === at ? flip(p, byte) : p)),
              root,
            ),
          ).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('proves every earlier tree consistent, and refuses tampered proofs and roots', () => {
    fc.assert(
      fc.property(leavesArb(1, 200), fc.nat(), fc.nat(), (leaves, pick, byte) => {
        const hashes = leaves.map(leafHash);
        const n = hashes.length;
        const m = 1 + (pick % n);
        const firstRoot = rootFromLeafHashes(hashes.slice(0, m));
        const secondRoot = rootFromLeafHashes(hashes);
        const proof = consistencyProof(m, hashes);
        expect(verifyConsistency(m, n, firstRoot, secondRoot, proof)).toBe(true);
        expect(verifyConsistency(m, n, flip(firstRoot, byte), secondRoot, proof)).toBe(false);
        expect(verifyConsistency(m, n, firstRoot, flip(secondRoot, byte), proof)).toBe(false);
        if (m < n) {
          const at = byte % proof.length;
          expect(
            verifyConsistency(
              m,
              n,
              firstRoot,
              secondRoot,
              proof.map((p, i) => (i === at ? flip(p, byte) : p)),
            ),
          ).toBe(false);
          expect(verifyConsistency(m, n, firstRoot, secondRoot, proof.slice(0, -1))).toBe(false);
          expect(verifyConsistency(m, n, firstRoot, secondRoot, [...proof, secondRoot])).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('verifies every consistency proof for every pair of sizes of one tree', () => {
    fc.assert(
      fc.property(leavesArb(1, 40), (leaves) => {
        const hashes = leaves.map(leafHash);
        for (let n = 1; n <= hashes.length; n++) {
          const prefix = hashes.slice(0, n);
          const root = rootFromLeafHashes(prefix);
          for (let m = 1; m <= n; m++) {
            const proof = consistencyProof(m, prefix);
            expect(verifyConsistency(m, n, rootFromLeafHashes(hashes.slice(0, m)), root, proof)).toBe(true);
          }
        }
      }),
      { numRuns: 20 },
    );
  });

  it('gives byte-identical roots and proofs from stored perfect nodes', async () => {
    await fc.assert(
      fc.asyncProperty(leavesArb(1, 200), fc.nat(), fc.nat(), async (leaves, pickA, pickB) => {
        const hashes = leaves.map(leafHash);
        const store = await storeAll(hashes);
        const getNode = reader(store);
        const n = hashes.length;
        // Every size's root, since every smaller tree is a prefix of the stored one.
        for (let size = 0; size <= n; size++) {
          expect(await rootFromPerfectNodes(size, getNode)).toEqual(
            rootFromLeafHashes(hashes.slice(0, size)),
          );
        }
        const size = 1 + (pickA % n);
        const prefix = hashes.slice(0, size);
        for (let index = 0; index < size; index++) {
          expect(hex(await inclusionProofFromNodes(index, size, getNode))).toEqual(
            hex(inclusionProof(index, prefix)),
          );
        }
        const first = pickB % (size + 1);
        expect(hex(await consistencyProofFromNodes(first, size, getNode))).toEqual(
          hex(consistencyProof(first, prefix)),
        );
        // The stored nodes are exactly the perfect subtrees of n leaves: 2n - popcount(n).
        expect(store.size).toBe(2 * n - n.toString(2).replace(/0/g, '').length);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps a compact range that persists the same nodes and gives the same roots', async () => {
    await fc.assert(
      fc.asyncProperty(leavesArb(0, 150), fc.nat(), async (leaves, pick) => {
        const hashes = leaves.map(leafHash);
        const store = new Map<string, Buffer>();
        const range = CompactRange.empty();
        expect(range.root()).toEqual(EMPTY_TREE_HASH);
        for (const [index, hash] of hashes.entries()) {
          const completed: PerfectNode[] = range.append(hash);
          expect(completed).toEqual(await perfectNodesToStore(index, hash, reader(store)));
          for (const node of completed) store.set(`${node.level}:${node.index}`, node.hash);
          expect(range.size).toBe(index + 1);
          expect(range.root()).toEqual(rootFromLeafHashes(hashes.slice(0, index + 1)));
        }
        // Reloaded at any size from the store, it carries on identically.
        const at = hashes.length === 0 ? 0 : pick % (hashes.length + 1);
        const loaded = await CompactRange.load(at, reader(store));
        expect(loaded.root()).toEqual(rootFromLeafHashes(hashes.slice(0, at)));
        for (const hash of hashes.slice(at)) loaded.append(hash);
        expect(loaded.root()).toEqual(range.root());
        expect(loaded.nodes()).toEqual(range.nodes());
      }),
      { numRuns: 60 },
    );
  });

  it('needs at most about 2 log2(n) stored nodes for any proof', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.nat(), fc.nat(), (n, a, b) => {
        const bound = 2 * Math.ceil(Math.log2(n + 1)) + 1;
        expect(distinctNodes(inclusionProofNodes(a % n, n)).length).toBeLessThanOrEqual(bound);
        expect(distinctNodes(consistencyProofNodes(1 + (b % n), n)).length).toBeLessThanOrEqual(bound);
      }),
    );
  });
});

describe('merkle: a million leaves', () => {
  it('computes the root and proofs without deep recursion, in linear time', async () => {
    const n = 1_000_000;
    const hashes = Array.from({ length: n }, (_, i) => {
      const hash = Buffer.alloc(32);
      hash.writeUInt32BE(i);
      return hash;
    });
    const range = CompactRange.empty();
    const levels: Buffer[][] = [];
    for (const hash of hashes)
      for (const node of range.append(hash)) (levels[node.level] ??= [])[node.index] = node.hash;
    const root = rootFromLeafHashes(hashes);
    expect(range.root()).toEqual(root);
    const getNode = (level: number, i: number): Buffer => levels[level]![i]!;
    expect(await rootFromPerfectNodes(n, getNode)).toEqual(root);
    const index = 765_432;
    const path = await inclusionProofFromNodes(index, n, getNode);
    expect(path).toHaveLength(20);
    expect(verifyInclusion(index, n, hashes[index]!, path, root)).toBe(true);
    const first = 654_321;
    const proof = await consistencyProofFromNodes(first, n, getNode);
    expect(verifyConsistency(first, n, await rootFromPerfectNodes(first, getNode), root, proof)).toBe(true);
  }, 60_000);
});
