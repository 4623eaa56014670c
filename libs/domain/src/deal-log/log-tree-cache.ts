/**
 * The perfect nodes of the log's tree kept in memory, level by level, for proofs that need no query. A node,
 * once stored, never changes, and the nodes of a level are stored from index 0 up without gaps, so each level is
 * one array of 32-byte hashes that only grows. It covers the tree of a signed size: every perfect node inside it.
 *
 * About 64 bytes an entry. Under a budget, the lowest levels are left out first (they are half of what is held):
 * their nodes then come from the database, and the levels above still save most of each proof's lookups.
 */
export class LogTreeCache {
  /** Level L: `counts[L]` nodes, 32 bytes each, from index 0; the rest of the buffer is room to grow. */
  private readonly levels: Buffer[] = [];
  private readonly counts: number[] = [];
  /** The tree size covered, and the lowest level held. */
  private covered = 0;
  private lowest = 0;
  private growing: Promise<void> | undefined;
  private target = 0;

  /** `maxBytes`: the budget (0 keeps nothing). */
  constructor(private readonly maxBytes: number) {}

  /** The size of the tree whose perfect nodes at the levels held are all here. */
  get size(): number {
    return this.covered;
  }

  /** Node (level, index) when it is held: a view of 32 bytes. */
  node(level: number, index: number): Buffer | undefined {
    if (level < this.lowest || index >= (this.counts[level] ?? 0)) return undefined;
    return this.levels[level]!.subarray(index * 32, index * 32 + 32);
  }

  /**
   * Brings the cache to a signed tree size, loading each level's new nodes with `load(level, from, to)` (their
   * hashes in index order, concatenated). One load at a time; a larger size asked for meanwhile is taken next.
   */
  extend(size: number, load: (level: number, from: number, to: number) => Promise<Buffer>): Promise<void> {
    this.target = Math.max(this.target, size);
    if (!this.growing) {
      this.growing = (async () => {
        try {
          while (this.covered < this.target) await this.growTo(this.target, load);
        } finally {
          this.growing = undefined;
        }
      })();
    }
    return this.growing;
  }

  private async growTo(size: number, load: (level: number, from: number, to: number) => Promise<Buffer>) {
    const top = size > 0 ? Math.floor(Math.log2(size)) : -1;
    // The lowest level whose nodes, with every level above, fit the budget (a level holds half the one below).
    let bytes = 0;
    let lowest = top + 1;
    for (let level = top; level >= 0; level--) {
      bytes += Math.floor(size / 2 ** level) * 32;
      if (bytes > this.maxBytes) break;
      lowest = level;
    }
    if (lowest > this.lowest) {
      for (let level = this.lowest; level < lowest; level++) {
        this.levels[level] = Buffer.alloc(0);
        this.counts[level] = 0;
      }
      this.lowest = lowest;
    }
    for (let level = top; level >= this.lowest; level--) {
      const have = this.counts[level] ?? 0;
      const want = Math.floor(size / 2 ** level);
      // A level loads in slices, so that no single answer is large.
      for (let from = have; from < want; from += SLICE) {
        const to = Math.min(want, from + SLICE);
        const hashes = await load(level, from, to);
        if (hashes.length !== (to - from) * 32) {
          throw new Error(`log nodes ${level}/${from}..${to} are not all stored (${hashes.length} bytes)`);
        }
        this.append(level, hashes);
      }
    }
    this.covered = Math.max(this.covered, size);
  }

  private append(level: number, hashes: Buffer): void {
    const count = this.counts[level] ?? 0;
    let nodes = this.levels[level] ?? Buffer.alloc(0);
    const needed = count * 32 + hashes.length;
    if (nodes.length < needed) {
      const grown = Buffer.allocUnsafe(Math.max(needed, 2 * nodes.length, 32 * 1024));
      nodes.copy(grown, 0, 0, count * 32);
      nodes = grown;
    }
    hashes.copy(nodes, count * 32);
    this.levels[level] = nodes;
    this.counts[level] = count + hashes.length / 32;
  }
}

/** Nodes per load. */
const SLICE = 65_536;
