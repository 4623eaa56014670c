import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { jobId } from '../jobs/job-id';
import { JOBS, type JobPayloads, QUEUES } from '../jobs/queues';
import type { PriceStatsPart } from './price-stats.service';

/** Changes to one (division, month) within this window share one refresh, run when the window ends. */
export const PRICE_STATS_DEBOUNCE_MS = 250;

/**
 * Debounces refreshes of price statistics. A change enqueues the refresh of its part at its window's end, with
 * the window in the job id: changes in one window share one job, and a change committed after that job started
 * falls in the next window, so none is missed. Best effort after the commit: if Redis loses the job, the red
 * flag sweep (which follows the deal log in the database) refreshes the same parts.
 */
@Injectable()
export class PriceStatsScheduler {
  private readonly logger = new Logger(PriceStatsScheduler.name);

  constructor(@InjectQueue(QUEUES.priceAnalytics) private readonly queue: Queue) {}

  /** Call after the change has committed. Never throws. */
  async refresh(parts: readonly PriceStatsPart[], now = Date.now()): Promise<void> {
    if (parts.length === 0) return;
    const window = Math.floor(now / PRICE_STATS_DEBOUNCE_MS);
    const delay = (window + 1) * PRICE_STATS_DEBOUNCE_MS - now;
    try {
      await this.queue.addBulk(
        parts.map((part) => ({
          name: JOBS.refreshPriceStats,
          data: part satisfies JobPayloads[typeof JOBS.refreshPriceStats],
          opts: { jobId: jobId(JOBS.refreshPriceStats, part.division, part.month, window), delay },
        })),
      );
    } catch (error) {
      this.logger.warn({ err: error, parts }, 'could not enqueue a price statistics refresh');
    }
  }
}
