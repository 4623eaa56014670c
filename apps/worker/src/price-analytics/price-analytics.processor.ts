import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { type JobPayloads, JOBS, QUEUES } from '@app/domain';
import { PriceStatsService } from '@app/domain/analytics';
import { JobMetrics } from '../common/job-metrics';
import { ObservedProcessor } from '../common/observed-processor';

/**
 * Rebuilds price statistics from the signed contracts, per CPV division or whole. Safe to run twice: a rebuild
 * replaces its rows in one transaction under an advisory lock, so a repeat gives the same rows.
 */
@Processor(QUEUES.priceAnalytics)
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
        const { division } = job.data as JobPayloads[typeof JOBS.refreshPriceStats];
        return this.stats.rebuild(division);
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
