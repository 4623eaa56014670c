import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { type JobPayloads, JOBS, QUEUES } from '@app/domain';
import { PriceStatsService } from '@app/domain/analytics';
import { JobMetrics } from '../common/job-metrics';
import { ObservedProcessor } from '../common/observed-processor';

/**
 * Rebuilds price statistics from the signed contracts, per (CPV division, month) or whole. Safe to run twice: a
 * rebuild replaces its rows in one transaction under advisory locks, so a repeat gives the same rows. Two parts
 * may refresh at once; a full rebuild waits for them and they for it.
 */
@Processor(QUEUES.priceAnalytics, { concurrency: 2 })
export class PriceAnalyticsProcessor extends ObservedProcessor {
  constructor(
    metrics: JobMetrics,
    private readonly stats: PriceStatsService,
    private readonly logger: PinoLogger,
  ) {
    super(metrics);
  }

  protected async handle(job: Job): Promise<unknown> {
    switch (job.name) {
      case JOBS.refreshPriceStats: {
        const { division, month } = job.data as Partial<JobPayloads[typeof JOBS.refreshPriceStats]>;
        // A job enqueued by an older version names a division only: rebuild everything rather than guess.
        return this.stats.rebuild(division && month ? { division, month } : undefined);
      }
      case JOBS.rebuildPriceStats: {
        const result = await this.stats.rebuild();
        this.logger.info(result, 'rebuilt every price statistic');
        return result;
      }
      default:
        throw new Error(`unknown job ${job.name} on ${QUEUES.priceAnalytics}`);
    }
  }
}
