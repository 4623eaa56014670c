import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JOBS, QUEUES } from '@app/domain';

/**
 * Schedules the nightly full rebuild (upserting is idempotent across workers). Refreshes after a change are
 * enqueued by PriceStatsScheduler in the domain library.
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
}
