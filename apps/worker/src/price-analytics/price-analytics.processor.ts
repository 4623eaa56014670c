import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { type JobPayloads, JOBS, QUEUES } from '@app/domain';
import { type PriceStatsPart, PriceStatsService } from '@app/domain/analytics';
import { JobMetrics } from '../common/job-metrics';
import { ObservedProcessor } from '../common/observed-processor';

/** Refresh jobs taken at once: a burst of contracts (a window's parts) joins one refresh. */
const REFRESH_CONCURRENCY = 32;

/**
 * Refresh jobs that run at the same moment share one PriceStatsService.refresh: the month's contracts are read
 * once for all their parts. While one refresh runs, newly arrived parts wait and form the next one.
 */
class RefreshBatcher {
  private queued: { part: PriceStatsPart; done: (rows: number) => void; fail: (error: unknown) => void }[] =
    [];
  private running = false;
  private scheduled = false;

  constructor(private readonly stats: PriceStatsService) {}

  refresh(part: PriceStatsPart): Promise<number> {
    return new Promise((done, fail) => {
      this.queued.push({ part, done, fail });
      // Start on the next turn of the event loop, so jobs fetched in the same burst join one refresh.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.drain();
        });
      }
    });
  }

  private drain(): void {
    if (this.running || this.queued.length === 0) return;
    const batch = this.queued.splice(0);
    this.running = true;
    // A failure fails every job of the batch; each is retried by BullMQ (with backoff) and may join another.
    void this.stats
      .refresh(batch.map((w) => w.part))
      .then(
        ({ rows }) => batch.forEach((w) => w.done(rows)),
        (error: unknown) => batch.forEach((w) => w.fail(error)),
      )
      .finally(() => {
        this.running = false;
        this.drain();
      });
  }
}

/**
 * Rebuilds price statistics from the signed contracts, per (CPV division, month) or whole. Safe to run twice: a
 * rebuild replaces its rows in one transaction under advisory locks, so a repeat gives the same rows; a full
 * rebuild and part refreshes never interleave.
 */
@Processor(QUEUES.priceAnalytics, { concurrency: REFRESH_CONCURRENCY })
export class PriceAnalyticsProcessor extends ObservedProcessor {
  private readonly batcher: RefreshBatcher;

  constructor(
    metrics: JobMetrics,
    private readonly stats: PriceStatsService,
    private readonly logger: PinoLogger,
  ) {
    super(metrics);
    this.batcher = new RefreshBatcher(stats);
  }

  protected async handle(job: Job): Promise<unknown> {
    switch (job.name) {
      case JOBS.refreshPriceStats: {
        const { division, month } = job.data as Partial<JobPayloads[typeof JOBS.refreshPriceStats]>;
        // A job enqueued by an older version names a division only: rebuild everything rather than guess.
        if (!division || !month) return this.stats.rebuild();
        return { rows: await this.batcher.refresh({ division, month }) };
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
