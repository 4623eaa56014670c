import { InjectQueue, Processor } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { jobId, type JobPayloads, JOBS, QUEUES } from '@app/domain';
import { PriceStatsScheduler, PriceStatsService, RedFlagsService } from '@app/domain/analytics';
import { JobMetrics } from '../common/job-metrics';
import { ObservedProcessor } from '../common/observed-processor';

/** Deal log entries read per sweep, and lagging tenders enqueued per sweep; the next sweep takes the rest. */
export const RED_FLAGS_SWEEP_SCAN = 5000;
export const RED_FLAGS_SWEEP_BATCH = 500;

/**
 * Computes red flags. Safe to run twice: a recomputation replaces the tender's flags (unique per code and
 * subject) under a lock on its run row. The sweep follows the sequenced deal log from a watermark and finds
 * closed tenders with entries (closing, award, contract) their flags do not reflect, so neither the closing nor
 * the awards code has to enqueue anything, and losing Redis loses no recomputation. The same change refreshes
 * the tender's parts of the price statistics (a backstop: confirming a contract already asks for it).
 */
@Processor(QUEUES.redFlags, { concurrency: 4 })
export class RedFlagsProcessor extends ObservedProcessor {
  constructor(
    metrics: JobMetrics,
    private readonly redFlags: RedFlagsService,
    private readonly priceStats: PriceStatsService,
    private readonly priceAnalytics: PriceStatsScheduler,
    @InjectQueue(QUEUES.redFlags) private readonly queue: Queue,
    private readonly logger: PinoLogger,
  ) {
    super(metrics);
  }

  protected async handle(job: Job): Promise<unknown> {
    switch (job.name) {
      case JOBS.computeRedFlags: {
        const { tenderId } = job.data as JobPayloads[typeof JOBS.computeRedFlags];
        const flags = await this.redFlags.recompute(tenderId);
        // The tender changed (closing, award, contract): its signed contracts may move the price statistics.
        await this.priceAnalytics.refresh(await this.priceStats.partsOfTender(tenderId));
        return { flags };
      }
      case JOBS.sweepRedFlags: {
        const stale = await this.redFlags.sweep(RED_FLAGS_SWEEP_SCAN, RED_FLAGS_SWEEP_BATCH);
        // The job id names the log index the flags will reflect: a later award gets a new job, a repeat does not.
        const jobs = stale.map(({ tenderId, wantedIdx }) => ({
          name: JOBS.computeRedFlags,
          data: { tenderId } satisfies JobPayloads[typeof JOBS.computeRedFlags],
          opts: { jobId: jobId(JOBS.computeRedFlags, tenderId, wantedIdx) },
        }));
        // A job that used up its attempts (the database down for a while) stays, failed, under its id, and
        // BullMQ adds nothing under an id it holds: without this, its tender (and, were there a batch of them,
        // every tender after them in the sweep's order) would never be recomputed.
        const states = await Promise.all(jobs.map((j) => this.queue.getJobState(j.opts.jobId)));
        await Promise.all(
          jobs.filter((_, i) => states[i] === 'failed').map((j) => this.queue.remove(j.opts.jobId)),
        );
        await this.queue.addBulk(jobs);
        if (stale.length > 0) this.logger.info({ tenders: stale.length }, 'enqueued red flag recomputations');
        return { enqueued: stale.length };
      }
      default:
        throw new Error(`unknown job ${job.name} on ${QUEUES.redFlags}`);
    }
  }
}
