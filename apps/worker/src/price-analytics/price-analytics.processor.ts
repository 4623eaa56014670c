import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { type JobPayloads, JOBS, QUEUES } from '@app/domain';
import { type PriceStatsPart, PriceStatsService } from '@app/domain/analytics';
import { BurstBatcher } from '../common/burst-batcher';
import { JobMetrics } from '../common/job-metrics';
import { ObservedProcessor } from '../common/observed-processor';

/**
 * Refresh jobs taken at once. Jobs that run at the same moment (a debounce window's parts) share one
 * PriceStatsService.refreshChanges, which recomputes the groups their new contracts touch in one statement;
 * parts arriving while it runs form the next one.
 */
const REFRESH_CONCURRENCY = 32;

/**
 * Rebuilds price statistics from the signed contracts, per (CPV division, month) or whole. Safe to run twice: a
 * rebuild replaces its rows in one transaction under advisory locks, so a repeat gives the same rows; a full
 * rebuild and part refreshes never interleave.
 */
@Processor(QUEUES.priceAnalytics, { concurrency: REFRESH_CONCURRENCY })
export class PriceAnalyticsProcessor extends ObservedProcessor {
  private readonly batcher: BurstBatcher<PriceStatsPart, number>;

  constructor(
    metrics: JobMetrics,
    private readonly stats: PriceStatsService,
    private readonly logger: PinoLogger,
  ) {
    super(metrics);
    // A failure fails every job of the batch; each is retried by BullMQ (with backoff) and may join another.
    this.batcher = new BurstBatcher(
      async (batch) => {
        const { rows } = await stats.refreshChanges(batch.map((w) => w.item));
        for (const waiter of batch) waiter.done(rows);
      },
      1,
      REFRESH_CONCURRENCY,
    );
  }

  protected async handle(job: Job): Promise<unknown> {
    switch (job.name) {
      case JOBS.refreshPriceStats: {
        const { division, month } = job.data as Partial<JobPayloads[typeof JOBS.refreshPriceStats]>;
        // A job enqueued by an older version names a division only: rebuild everything rather than guess.
        if (!division || !month) return this.stats.rebuild();
        return { rows: await this.batcher.submit({ division, month }) };
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
