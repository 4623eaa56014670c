import { type BatchWaiter, BurstBatcher } from './burst-batcher';

/** A batch runner that records each batch and waits for the test to let it finish. */
function recorder() {
  const batches: number[][] = [];
  const releases: (() => void)[] = [];
  const run = (batch: BatchWaiter<number, number>[]) => {
    batches.push(batch.map((w) => w.item));
    return new Promise<void>((resolve) => {
      releases.push(() => {
        for (const waiter of batch) waiter.done(waiter.item * 10);
        resolve();
      });
    });
  };
  return { batches, releases, run };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('BurstBatcher', () => {
  it('hands calls of one burst to one batch, and calls made while it runs to the next', async () => {
    const { batches, releases, run } = recorder();
    const batcher = new BurstBatcher(run, 1, 100);
    const first = [1, 2, 3].map((n) => batcher.submit(n));
    await tick();
    const later = [4, 5].map((n) => batcher.submit(n));
    await tick();
    expect(batches).toEqual([[1, 2, 3]]);
    releases[0]!();
    expect(await Promise.all(first)).toEqual([10, 20, 30]);
    await tick();
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    releases[1]!();
    expect(await Promise.all(later)).toEqual([40, 50]);
  });

  it('splits a burst by the batch size and runs as many batches at once as allowed', async () => {
    const { batches, releases, run } = recorder();
    const batcher = new BurstBatcher(run, 2, 2);
    const all = [1, 2, 3, 4, 5].map((n) => batcher.submit(n));
    await tick();
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    releases[0]!();
    await tick();
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    releases[1]!();
    releases[2]!();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50]);
  });

  it('fails every call of a batch whose runner throws, and goes on with the next batch', async () => {
    let calls = 0;
    const batcher = new BurstBatcher<number, number>(
      async (batch) => {
        calls++;
        if (calls === 1) throw new Error('database down');
        for (const waiter of batch) waiter.done(waiter.item);
      },
      1,
      10,
    );
    const failed = [1, 2].map((n) => batcher.submit(n));
    await expect(Promise.allSettled(failed)).resolves.toEqual([
      { status: 'rejected', reason: new Error('database down') },
      { status: 'rejected', reason: new Error('database down') },
    ]);
    expect(await batcher.submit(3)).toBe(3);
  });
});
