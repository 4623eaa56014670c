import type { Queue } from 'bullmq';
import { PRICE_STATS_DEBOUNCE_MS, PriceStatsScheduler } from './price-stats.scheduler';

type Added = { name: string; data: unknown; opts: { jobId: string; delay: number } };

/** A queue that records what is added, as BullMQ would keep one job per id. */
function fakeQueue(fail = false) {
  const jobs = new Map<string, Added>();
  const queue = {
    addBulk: (added: Added[]) => {
      if (fail) return Promise.reject(new Error('redis down'));
      for (const job of added) if (!jobs.has(job.opts.jobId)) jobs.set(job.opts.jobId, job);
      return Promise.resolve([]);
    },
  } as unknown as Queue;
  return { jobs, queue };
}

describe('PriceStatsScheduler', () => {
  const window = 7_000_000;
  const start = window * PRICE_STATS_DEBOUNCE_MS;

  it('gives changes to one part within a window one job, run at the end of the window', async () => {
    const { jobs, queue } = fakeQueue();
    const scheduler = new PriceStatsScheduler(queue);
    await scheduler.refresh([{ division: '30', month: '2026-11' }], start + 10);
    await scheduler.refresh(
      [
        { division: '30', month: '2026-11' },
        { division: '44', month: '2026-11' },
      ],
      start + PRICE_STATS_DEBOUNCE_MS - 1,
    );
    expect([...jobs.keys()].sort()).toEqual([
      `refresh-price-stats.30.2026-11.${window}`,
      `refresh-price-stats.44.2026-11.${window}`,
    ]);
    const first = jobs.get(`refresh-price-stats.30.2026-11.${window}`)!;
    expect(first.data).toEqual({ division: '30', month: '2026-11' });
    expect(first.opts.delay).toBe(PRICE_STATS_DEBOUNCE_MS - 10);
  });

  it('gives a change in the next window a job of its own, so none waits on a job already running', async () => {
    const { jobs, queue } = fakeQueue();
    const scheduler = new PriceStatsScheduler(queue);
    await scheduler.refresh([{ division: '30', month: '2026-11' }], start);
    await scheduler.refresh([{ division: '30', month: '2026-11' }], start + PRICE_STATS_DEBOUNCE_MS);
    expect([...jobs.keys()].sort()).toEqual([
      `refresh-price-stats.30.2026-11.${window}`,
      `refresh-price-stats.30.2026-11.${window + 1}`,
    ]);
  });

  it('never throws after the commit when Redis refuses the job (the red flag sweep refreshes instead)', async () => {
    const { queue } = fakeQueue(true);
    await expect(
      new PriceStatsScheduler(queue).refresh([{ division: '30', month: '2026-11' }]),
    ).resolves.toBeUndefined();
  });
});
