import { createHash } from 'node:crypto';
import { LogTreeCache } from './log-tree-cache';
import { rootFromLeafHashes } from './merkle';

const leaves = Array.from({ length: 300 }, (_, i) => createHash('sha256').update(`leaf ${i}`).digest());
/** Perfect node (level, index) by its definition: the tree hash of the leaves it covers. */
const perfect = (level: number, index: number) =>
  rootFromLeafHashes(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level));

describe('LogTreeCache', () => {
  const loads: [number, number, number][] = [];
  const load = async (level: number, from: number, to: number) => {
    loads.push([level, from, to]);
    await new Promise((r) => setImmediate(r));
    return Buffer.concat(Array.from({ length: to - from }, (_, k) => perfect(level, from + k)));
  };
  beforeEach(() => (loads.length = 0));

  it('holds every perfect node of the sizes it is brought to, loading only what is new', async () => {
    const cache = new LogTreeCache(1 << 20);
    await cache.extend(37, load);
    expect(cache.size).toBe(37);
    for (let level = 0; level <= 5; level++) {
      for (let index = 0; index < Math.floor(37 / 2 ** level); index++) {
        expect(cache.node(level, index)).toEqual(perfect(level, index));
      }
      expect(cache.node(level, Math.floor(37 / 2 ** level))).toBeUndefined();
    }
    loads.length = 0;
    await cache.extend(300, load);
    expect(cache.size).toBe(300);
    expect(cache.node(0, 299)).toEqual(perfect(0, 299));
    expect(cache.node(8, 0)).toEqual(perfect(8, 0));
    // Level 0 went on from 37, level 5 from its one node of 32 leaves.
    expect(loads).toContainEqual([0, 37, 300]);
    expect(loads).toContainEqual([5, 1, 9]);
  });

  it('loads once for requests that come together, and takes a larger size asked for meanwhile', async () => {
    const cache = new LogTreeCache(1 << 20);
    const first = cache.extend(100, load);
    const again = cache.extend(100, load);
    const larger = cache.extend(200, load);
    await Promise.all([first, again, larger]);
    expect(cache.size).toBe(200);
    expect(loads.filter(([level]) => level === 0)).toEqual([
      [0, 0, 100],
      [0, 100, 200],
    ]);
  });

  it('leaves the lowest levels out when the whole tree does not fit, and holds nothing with no budget', async () => {
    // 300 leaves: 9,600 bytes at level 0, 4,800 at level 1, 4,672 above: level 0 does not fit in 10,000.
    const cache = new LogTreeCache(10_000);
    await cache.extend(300, load);
    expect(cache.node(0, 0)).toBeUndefined();
    expect(cache.node(1, 149)).toEqual(perfect(1, 149));
    expect(cache.node(8, 0)).toEqual(perfect(8, 0));
    const none = new LogTreeCache(0);
    await none.extend(300, load);
    expect(none.node(8, 0)).toBeUndefined();
  });

  it('refuses a level whose nodes are not all stored', async () => {
    const cache = new LogTreeCache(1 << 20);
    await expect(cache.extend(10, async () => Buffer.alloc(32))).rejects.toThrow(/not all stored/);
    expect(cache.size).toBe(0);
  });
});
