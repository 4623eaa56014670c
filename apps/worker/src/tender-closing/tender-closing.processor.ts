import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { type JobPayloads, JOBS, QUEUES, TenderClosingService } from '@app/domain';
import { type BatchWaiter, BurstBatcher } from '../common/burst-batcher';
import { JobMetrics } from '../common/job-metrics';
import { ObservedProcessor } from '../common/observed-processor';

/** Tenders closed per transaction by the sweep, and at most per shared transaction of close-tender jobs. */
export const SWEEP_BATCH = 200;
/** Shared closing transactions in flight at once: enough to keep the database and this process both busy. */
const PARALLEL_BATCHES = 4;

/** After a shared closing transaction fails, close-tender batches stop filling up for this long. */
const FILL_PAUSE_MS = 10_000;

/**
 * Closes tenders at their deadline. Safe to run twice: the closing claims tender rows with
 * FOR UPDATE SKIP LOCKED and a status condition, so a tender is closed by exactly one transaction.
 */
@Processor(QUEUES.tenderClosing, { concurrency: SWEEP_BATCH * PARALLEL_BATCHES })
export class TenderClosingProcessor extends ObservedProcessor {
  private readonly batcher: BurstBatcher<string, boolean>;
  private fillPausedUntil = 0;

  constructor(
    metrics: JobMetrics,
    private readonly closing: TenderClosingService,
    private readonly logger: PinoLogger,
  ) {
    super(metrics);
    this.batcher = new BurstBatcher((batch) => this.closeBatch(batch), PARALLEL_BATCHES, SWEEP_BATCH);
  }

  /**
   * Close-tender jobs that run at the same moment (many tenders with one deadline) share one closing
   * transaction. Each job learns whether its own tender was closed. The transaction takes the jobs' tenders
   * first and fills up to SWEEP_BATCH with other overdue ones, so a storm of N deadlines costs about
   * N / SWEEP_BATCH transactions and is closed as fast as the database can, not as fast as the jobs are fetched
   * from Redis; the later jobs of the storm then find their tenders closed.
   */
  private async closeBatch(batch: BatchWaiter<string, boolean>[]): Promise<void> {
    const ids = batch.map((w) => w.item);
    const fill = Date.now() >= this.fillPausedUntil;
    try {
      const result = await this.closing.closeDue(SWEEP_BATCH, ids, { fill });
      const closed = new Set(result.closed.map((c) => c.tenderId));
      for (const waiter of batch) waiter.done(closed.has(waiter.item));
    } catch (error) {
      // One tender that cannot be closed must not fail the others. It may be one taken to fill up: batches
      // stop filling for a while (or every batch would take it again), and each job closes its own tender alone.
      this.fillPausedUntil = Date.now() + FILL_PAUSE_MS;
      this.logger.warn(
        { err: error, jobs: batch.length, filled: fill },
        'a shared closing transaction failed; its jobs close their tenders alone',
      );
      if (batch.length === 1 && !fill) {
        batch[0]?.fail(error);
        return;
      }
      for (const waiter of batch) {
        await this.closing.closeDue(1, [waiter.item]).then(
          (result) => waiter.done(result.closed.length > 0),
          (alone: unknown) => waiter.fail(alone),
        );
      }
    }
  }

  /** Closes up to SWEEP_BATCH due tenders each in its own transaction; one that fails is logged and left. */
  private async closeOneByOne(): Promise<number> {
    let closed = 0;
    for (const tenderId of await this.closing.dueIds(SWEEP_BATCH)) {
      try {
        closed += (await this.closing.closeDue(1, [tenderId])).closed.length;
      } catch (error) {
        this.logger.error(
          { err: error, tenderId },
          'the tender could not be closed; the next sweep tries again',
        );
      }
    }
    return closed;
  }

  /**
   * Moves every tender whose enquiry period has ended into tendering; should that fail, each on its own, so that
   * one that cannot move holds back neither the others nor the closings after it.
   */
  private async startTenderingDue(): Promise<number> {
    try {
      return (await this.closing.startTendering()).length;
    } catch (error) {
      this.logger.warn({ err: error }, 'moving tenders into tendering failed; moving them one by one');
    }
    let started = 0;
    for (const tenderId of await this.closing.tenderingDueIds(SWEEP_BATCH)) {
      try {
        started += (await this.closing.startTendering([tenderId])).length;
      } catch (error) {
        this.logger.error(
          { err: error, tenderId },
          'the tender could not move into tendering; the next sweep tries again',
        );
      }
    }
    return started;
  }

  protected async handle(job: Job): Promise<unknown> {
    switch (job.name) {
      case JOBS.closeTender: {
        const { tenderId } = job.data as JobPayloads[typeof JOBS.closeTender];
        const closed = await this.batcher.submit(tenderId);
        // Nothing closed: already closed, not due yet (deadline moved), or held by a question; the sweep covers the rest.
        return { closed: closed ? 1 : 0 };
      }
      case JOBS.startTendering: {
        const { tenderId } = job.data as JobPayloads[typeof JOBS.startTendering];
        // Nothing moved: moved already (by the sweep), cancelled, or not due yet.
        return { started: (await this.closing.startTendering([tenderId])).length };
      }
      case JOBS.sweepClosings: {
        // Enquiry periods that ended first: a tender the worker was away for moves on, then closes if overdue.
        const started = await this.startTenderingDue();
        if (started > 0) this.logger.info({ started }, 'sweep moved tenders into tendering');
        let closed = 0;
        for (;;) {
          let count: number;
          try {
            count = (await this.closing.closeDue(SWEEP_BATCH)).closed.length;
          } catch (error) {
            // A tender that cannot be closed must not hold back those due after it: one by one, this time.
            this.logger.warn({ err: error }, 'a sweep batch failed; closing its tenders one by one');
            closed += await this.closeOneByOne();
            break;
          }
          closed += count;
          if (count < SWEEP_BATCH) break;
        }
        if (closed > 0) this.logger.info({ closed }, 'sweep closed overdue tenders');
        return { started, closed };
      }
      default:
        throw new Error(`unknown job ${job.name} on ${QUEUES.tenderClosing}`);
    }
  }
}
