import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { jobId, JOBS, QUEUES } from '@app/domain';

/** Changes to one division within this window share one rebuild, run when the window ends. */
export const PRICE_STATS_DEBOUNCE_MS = 2000;

/**
 * Schedules the nightly full rebuild (upserting is idempotent across workers) and debounces division rebuilds.
 * A change enqueues the rebuild of its window's end, with the window in the job id: changes in one window share
 * one job, and a change committed after that job started falls in the next window, so none is missed.
 */
@Injectable()
export class PriceAnalyticsScheduler implements OnApplicationBootstrap {
  constructor(@InjectQueue(QUEUES.priceAnalytics) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      JOBS.rebuildPriceStats,
      { pattern: '40 1 * * *', tz: 'UTC' },
      { name: JOBS.rebuildPriceStats, data: {} },
    );
  }

  /** Call after the change has committed. */
  async refreshDivisions(divisions: string[], now = Date.now()): Promise<void> {
    const window = Math.floor(now / PRICE_STATS_DEBOUNCE_MS);
    const delay = (window + 1) * PRICE_STATS_DEBOUNCE_MS - now;
    await this.queue.addBulk(
      divisions.map((division) => ({
        name: JOBS.refreshPriceStats,
        data: { division },
        opts: { jobId: jobId(JOBS.refreshPriceStats, division, window), delay },
      })),
    );
  }
}
