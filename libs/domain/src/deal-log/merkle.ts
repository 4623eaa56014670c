import { createHash } from 'node:crypto';

/**
 * The deal log's Merkle tree, as RFC 9162 section 2.1 defines it (Certificate Transparency 2.0).
 *
 *   leaf hash   = SHA-256(0x00 || leaf)
 *   node hash   = SHA-256(0x01 || left || right)
 *   MTH({})     = SHA-256()                               (the empty string)
 *   MTH({d0})   = leaf hash of d0
 *   MTH(D[n])   = node hash of MTH(D[0:k]) and MTH(D[k:n]), k the largest power of two smaller than n
 *
 * Everything here works on leaf HASHES: the leaf bytes are hashed once, by leafHash, when an entry is appended.
 *
 * Two forms of every operation:
 * - list-based (rootFromLeafHashes, inclusionProof, consistencyProof): given the leaf hashes in memory;
 * - node-based (rootFromPerfectNodes, inclusionProofFromNodes, consistencyProofFromNodes): given an accessor of
 *   stored PERFECT subtree hashes, for a log too large to reload for every proof.
 *
 * Perfect nodes. Node (level L, index i) is MTH of the 2^L leaves [i * 2^L, (i + 1) * 2^L); level 0 holds the leaf
 * hashes. Such a node exists, and never changes, as soon as the tree has (i + 1) * 2^L leaves.
 *
 * Decomposition. Every hash an RFC proof or root needs is MTH(D[lo:hi]) for a range that the RFC's recursion
 * produces: starting from [0, n) it splits at lo + k (k the largest power of two below hi - lo), so each range is
 * either perfect (hi - lo a power of two, lo a multiple of it) or runs to the right edge of its tree, with lo a
 * multiple of a power of two at least as large as hi - lo. Writing hi - lo in binary, 2^a + 2^b + ... (a > b > ...),
 * the range is the perfect nodes
 *
 *   P1 = (a, lo / 2^a),  P2 = (b, (lo + 2^a) / 2^b),  P3 = ...   (left to right)
 *
 * and, since the RFC always splits off the largest power of two on the left, MTH(D[lo:hi]) folds them from the
 * right: node(P1, node(P2, node(P3, ...))). A range of s leaves thus needs popcount(s) stored nodes, and a whole
 * proof at most about log2(n) of them in total (see proofNodes).
 */

/** A hash of the tree: 32 bytes. */
export const HASH_BYTES = 32;

/** Coordinates of a perfect subtree: the 2^level leaves from index * 2^level. */
export interface NodeRef {
  level: number;
  index: number;
}

/** A perfect subtree's hash with its coordinates, e.g. one to persist. */
export interface PerfectNode extends NodeRef {
  hash: Buffer;
}

/** Reads the stored hash of a perfect node; may be synchronous or asynchronous. */
export type GetNode = (level: number, index: number) => Buffer | Promise<Buffer>;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** SHA-256 of the empty string: the hash of the tree with no leaves. */
export const EMPTY_TREE_HASH: Buffer = createHash('sha256').digest();

/** SHA-256(0x00 || leaf). */
export function leafHash(leaf: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(leaf).digest();
}

// One update of a reused 65-byte buffer hashes about 1.5 times faster than three updates (it is the hot path
// of appending and of recomputing a root); safe to share because hashing here is synchronous.
const NODE_INPUT = Buffer.alloc(1 + 2 * HASH_BYTES, 0x01);

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_BYTES || right.length !== HASH_BYTES) {
    return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
  }
  NODE_INPUT.set(left, 1);
  NODE_INPUT.set(right, 1 + HASH_BYTES);
  return createHash('sha256').update(NODE_INPUT).digest();
}

/**
 * MTH over the given leaf hashes, in O(n) hashing and O(log n) memory: a stack of the perfect subtrees of the
 * prefix read so far (the binary decomposition of its size), folded from the right at the end.
 */
export function rootFromLeafHashes(hashes: readonly Uint8Array[]): Buffer {
  return rangeRoot(hashes, 0, hashes.length);
}

/**
 * The audit path of leaf `index` in the tree of the given leaf hashes (RFC 9162 2.1.3.1, PATH), leaf to root:
 * the first element is the leaf's sibling.
 */
export function inclusionProof(index: number, leafHashes: readonly Uint8Array[]): Buffer[] {
  const n = leafHashes.length;
  if (!isIndex(index) || index >= n) throw new RangeError(`no leaf ${index} in a tree of ${n}`);
  // PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])  when m < k,
  //                 PATH(m - k, D[k:n]) : MTH(D[0:k])  otherwise; ':' appends, so the sibling nearest the root
  // comes last. The recursion depth is log2(n), so plain recursion is fine here.
  const path = (m: number, lo: number, hi: number): Buffer[] => {
    if (hi - lo <= 1) return [];
    const k = largestPowerOfTwoBelow(hi - lo);
    return m < k
      ? [...path(m, lo, lo + k), rangeRoot(leafHashes, lo + k, hi)]
      : [...path(m - k, lo + k, hi), rangeRoot(leafHashes, lo, lo + k)];
  };
  return path(index, 0, n);
}

/**
 * The consistency proof between the tree of the first `first` leaf hashes and the tree of all of them
 * (RFC 9162 2.1.4.1, PROOF/SUBPROOF). Empty when first equals the size, or when first is 0 (every tree extends
 * the empty one; verifyConsistency accepts that with an empty proof).
 */
export function consistencyProof(first: number, leafHashes: readonly Uint8Array[]): Buffer[] {
  const n = leafHashes.length;
  if (!isIndex(first) || first > n) throw new RangeError(`no tree of ${first} within a tree of ${n}`);
  if (first === 0) return [];
  // SUBPROOF(m, D[m], true) = {};  SUBPROOF(m, D[m], false) = {MTH(D[m])};  for m < n:
  //   m <= k: SUBPROOF(m, D[0:k], b) : MTH(D[k:n]);   m > k: SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]).
  const subproof = (m: number, lo: number, hi: number, whole: boolean): Buffer[] => {
    if (m === hi - lo) return whole ? [] : [rangeRoot(leafHashes, lo, hi)];
    const k = largestPowerOfTwoBelow(hi - lo);
    return m <= k
      ? [...subproof(m, lo, lo + k, whole), rangeRoot(leafHashes, lo + k, hi)]
      : [...subproof(m - k, lo + k, hi, false), rangeRoot(leafHashes, lo, lo + k)];
  };
  return subproof(first, 0, n, true);
}

/**
 * RFC 9162 2.1.3.2: whether `auditPath` proves that `leafHash` is leaf `index` of the tree of `rootHash`.
 * The proof binds the leaf to the root; the size must come from a signed tree head for that root (a path can
 * fit more than one size, as in the RFC's algorithm).
 */
export function verifyInclusion(
  index: number,
  treeSize: number,
  leafHash: Uint8Array,
  auditPath: readonly Uint8Array[],
  rootHash: Uint8Array,
): boolean {
  if (!isIndex(index) || !isIndex(treeSize) || index >= treeSize) return false;
  if (!isHash(leafHash) || !isHash(rootHash) || !auditPath.every(isHash)) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of auditPath) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && r.equals(rootHash);
}

/**
 * RFC 9162 2.1.4.2: whether `proof` shows that the tree of `secondRoot` (size `second`) extends the tree of
 * `firstRoot` (size `first`). Equal sizes need an empty proof and equal roots; size 0 needs an empty proof and
 * the empty tree's hash.
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isIndex(first) || !isIndex(second) || first > second) return false;
  if (!isHash(firstRoot) || !isHash(secondRoot) || !proof.every(isHash)) return false;
  if (first === 0) return proof.length === 0 && EMPTY_TREE_HASH.equals(firstRoot);
  if (first === second) return proof.length === 0 && Buffer.from(firstRoot).equals(secondRoot);
  if (proof.length === 0) return false;
  // A first tree that is perfect is itself a node of the second tree, and the proof leaves it out.
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (isOdd(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}

// ---------------------------------------------------------------------------------------------------------
// Node-based form: proofs from stored perfect subtrees.

/**
 * The perfect nodes whose right fold is MTH(D[lo:hi]), left to right (see the decomposition above). `lo` must
 * be a multiple of the largest power of two not above hi - lo, as every range of the RFC's recursion is.
 */
export function rangeNodes(lo: number, hi: number): NodeRef[] {
  if (!isIndex(lo) || !isIndex(hi) || hi < lo) throw new RangeError(`bad range [${lo}, ${hi})`);
  const nodes: NodeRef[] = [];
  let offset = lo;
  for (let size = highestPowerOfTwoAtMost(hi - lo); size >= 1; size /= 2) {
    if (offset + size > hi) continue;
    if (offset % size !== 0) throw new RangeError(`[${lo}, ${hi}) is not a range of the tree's recursion`);
    nodes.push({ level: Math.log2(size), index: offset / size });
    offset += size;
  }
  return nodes;
}

/** The perfect nodes behind the root of a tree of `treeSize` leaves (none for the empty tree). */
export function rootNodes(treeSize: number): NodeRef[] {
  return rangeNodes(0, treeSize);
}

/**
 * The inclusion proof of leaf `index` in a tree of `treeSize` as perfect nodes: one group per audit path element
 * (leaf to root), each folded from the right into that element. Lets a server fetch a whole proof in one query.
 */
export function inclusionProofNodes(index: number, treeSize: number): NodeRef[][] {
  if (!isIndex(index) || !isIndex(treeSize) || index >= treeSize) {
    throw new RangeError(`no leaf ${index} in a tree of ${treeSize}`);
  }
  // The recursion of PATH, top down, collecting the sibling ranges root-first, then reversed.
  const groups: NodeRef[][] = [];
  let [lo, hi, m] = [0, treeSize, index];
  while (hi - lo > 1) {
    const k = largestPowerOfTwoBelow(hi - lo);
    if (m < k) {
      groups.push(rangeNodes(lo + k, hi));
      hi = lo + k;
    } else {
      groups.push(rangeNodes(lo, lo + k));
      [lo, m] = [lo + k, m - k];
    }
  }
  return groups.reverse();
}

/**
 * The consistency proof from `first` to `second` as groups of perfect nodes, in proof order (as
 * inclusionProofNodes). Empty when first is 0 or equals second.
 */
export function consistencyProofNodes(first: number, second: number): NodeRef[][] {
  if (!isIndex(first) || !isIndex(second) || first > second) {
    throw new RangeError(`no tree of ${first} within a tree of ${second}`);
  }
  if (first === 0) return [];
  // The recursion of SUBPROOF, top down: appended ranges root-first, then the range where it stops.
  const appended: NodeRef[][] = [];
  let [lo, hi, m, whole] = [0, second, first, true];
  while (m !== hi - lo) {
    const k = largestPowerOfTwoBelow(hi - lo);
    if (m <= k) {
      appended.push(rangeNodes(lo + k, hi));
      hi = lo + k;
    } else {
      appended.push(rangeNodes(lo, lo + k));
      [lo, m, whole] = [lo + k, m - k, false];
    }
  }
  return [...(whole ? [] : [rangeNodes(lo, hi)]), ...appended.reverse()];
}

/** The root of a tree of `treeSize` leaves from its stored perfect nodes. */
export async function rootFromPerfectNodes(treeSize: number, getNode: GetNode): Promise<Buffer> {
  const nodes = rootNodes(treeSize);
  return nodes.length === 0 ? Buffer.from(EMPTY_TREE_HASH) : foldRight(await fetchAll(nodes, getNode));
}

/** inclusionProof, from stored perfect nodes (byte for byte the same). */
export async function inclusionProofFromNodes(
  index: number,
  treeSize: number,
  getNode: GetNode,
): Promise<Buffer[]> {
  return resolveGroups(inclusionProofNodes(index, treeSize), getNode);
}

/** consistencyProof, from stored perfect nodes (byte for byte the same). */
export async function consistencyProofFromNodes(
  first: number,
  second: number,
  getNode: GetNode,
): Promise<Buffer[]> {
  return resolveGroups(consistencyProofNodes(first, second), getNode);
}

/**
 * A proof from its groups of perfect nodes (inclusionProofNodes, consistencyProofNodes) with every node at hand:
 * the folding of inclusionProofFromNodes and consistencyProofFromNodes, without waiting for any node.
 */
export function proofFromNodesAtHand(
  groups: readonly (readonly NodeRef[])[],
  node: (level: number, index: number) => Buffer,
): Buffer[] {
  return groups.map((group) => foldRight(group.map((ref) => node(ref.level, ref.index))));
}

/** Every node a list of groups needs, once each (e.g. for one `WHERE (level, index) IN (...)` query). */
export function distinctNodes(groups: readonly (readonly NodeRef[])[]): NodeRef[] {
  const seen = new Map<string, NodeRef>();
  for (const node of groups.flat()) seen.set(`${node.level}:${node.index}`, node);
  return [...seen.values()];
}

/**
 * The perfect nodes that become complete when leaf `index` is appended, bottom up: the leaf itself at level 0,
 * then, while the node's index is odd, its parent (combined with the left sibling read through getNode).
 * Persisting these on every append keeps every perfect node of the tree stored.
 */
export async function perfectNodesToStore(
  index: number,
  leafHash: Uint8Array,
  getNode: GetNode,
): Promise<PerfectNode[]> {
  if (!isIndex(index)) throw new RangeError(`bad leaf index ${index}`);
  if (!isHash(leafHash)) throw new RangeError('a leaf hash is 32 bytes');
  const nodes: PerfectNode[] = [{ level: 0, index, hash: Buffer.from(leafHash) }];
  let node = nodes[0]!;
  while (isOdd(node.index)) {
    const left = await getNode(node.level, node.index - 1);
    node = { level: node.level + 1, index: (node.index - 1) / 2, hash: nodeHash(left, node.hash) };
    nodes.push(node);
  }
  return nodes;
}

/**
 * The right edge of a growing tree held in memory: the perfect subtrees covering its leaves (one per set bit of
 * the size, largest first). Appending is O(1) amortised hashing and tells which perfect nodes to persist; the
 * root is a fold of at most log2(n) hashes. A sequencer loads it once, from stored nodes, and then appends.
 */
export class CompactRange {
  private constructor(
    private treeSize: number,
    private readonly frontier: PerfectNode[],
  ) {}

  /** An empty tree. */
  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  /** The tree of `treeSize` leaves, from its stored perfect nodes (popcount(treeSize) reads). */
  static async load(treeSize: number, getNode: GetNode): Promise<CompactRange> {
    const refs = rootNodes(treeSize);
    const hashes = await fetchAll(refs, getNode);
    return new CompactRange(
      treeSize,
      refs.map((ref, i) => ({ ...ref, hash: hashes[i]! })),
    );
  }

  get size(): number {
    return this.treeSize;
  }

  /** Appends one leaf hash; returns the perfect nodes completed by it (as perfectNodesToStore). */
  append(leafHash: Uint8Array): PerfectNode[] {
    if (!isHash(leafHash)) throw new RangeError('a leaf hash is 32 bytes');
    let node: PerfectNode = { level: 0, index: this.treeSize, hash: Buffer.from(leafHash) };
    const completed = [node];
    while (isOdd(node.index)) {
      const left = this.frontier.pop()!;
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
      completed.push(node);
    }
    this.frontier.push(node);
    this.treeSize += 1;
    return completed;
  }

  /** MTH of the leaves appended so far. */
  root(): Buffer {
    return this.frontier.length === 0
      ? Buffer.from(EMPTY_TREE_HASH)
      : foldRight(this.frontier.map((node) => node.hash));
  }

  /** The frontier's nodes, largest first. */
  nodes(): PerfectNode[] {
    return this.frontier.map((node) => ({ ...node }));
  }
}

// ---------------------------------------------------------------------------------------------------------

async function resolveGroups(groups: NodeRef[][], getNode: GetNode): Promise<Buffer[]> {
  const hashes = await fetchAll(groups.flat(), getNode);
  let next = 0;
  return groups.map((group) => {
    const start = next;
    next += group.length;
    return foldRight(hashes.slice(start, next));
  });
}

async function fetchAll(refs: readonly NodeRef[], getNode: GetNode): Promise<Buffer[]> {
  const hashes = await Promise.all(refs.map(async (ref) => getNode(ref.level, ref.index)));
  hashes.forEach((hash, i) => {
    if (!isHash(hash))
      throw new Error(`stored node ${refs[i]!.level}/${refs[i]!.index} is not a 32-byte hash`);
  });
  return hashes;
}

// node(h0, node(h1, ... node(h[n-2], h[n-1]))): the hash of consecutive perfect subtrees, largest first.
function foldRight(hashes: readonly Uint8Array[]): Buffer {
  let acc: Buffer = Buffer.from(hashes[hashes.length - 1]!);
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i]!, acc);
  return acc;
}

// MTH(D[lo:hi]) without copying: the stack holds the perfect subtrees of the prefix read so far. After leaf j
// (counted from lo) the subtrees that end at it merge once for every trailing one bit of j.
function rangeRoot(hashes: readonly Uint8Array[], lo: number, hi: number): Buffer {
  if (hi <= lo) return Buffer.from(EMPTY_TREE_HASH);
  const stack: Uint8Array[] = [];
  for (let i = lo; i < hi; i++) {
    let node = hashes[i]!;
    for (let j = i - lo; isOdd(j); j = half(j)) node = nodeHash(stack.pop()!, node);
    stack.push(node);
  }
  return foldRight(stack);
}

function largestPowerOfTwoBelow(n: number): number {
  return highestPowerOfTwoAtMost(n - 1);
}

function highestPowerOfTwoAtMost(n: number): number {
  if (n < 1) return 0;
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

// Arithmetic rather than bitwise operators, so sizes beyond 2^31 stay correct.
function isOdd(n: number): boolean {
  return n % 2 === 1;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

function isPowerOfTwo(n: number): boolean {
  return n >= 1 && highestPowerOfTwoAtMost(n) === n;
}

function isIndex(n: unknown): boolean {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

function isHash(h: unknown): h is Uint8Array {
  return h instanceof Uint8Array && h.length === HASH_BYTES;
}
