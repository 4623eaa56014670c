import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { type JobPayloads, JOBS, QUEUES, TenderClosingService } from '@app/domain';
import { type BatchWaiter, BurstBatcher } from '../common/burst-batcher';
import { JobMetrics } from '../common/job-metrics';
import { Lanes } from '../common/lanes';
import { ObservedProcessor } from '../common/observed-processor';

/** Tenders closed per transaction by the sweep, and at most per shared transaction of close-tender jobs. */
export const SWEEP_BATCH = 200;
/**
 * Closing transactions in flight at once, whoever runs them (a batch of jobs, a drain, the sweep). Measured on two
 * cores (closing-storm): with two, each tender cost the database 0.38-0.47 ms of CPU; with three, 0.45-0.52 ms;
 * with the up to five that batches and drains used to reach together, 0.53-0.56 ms. The transactions contend,
 * and the storm closes later.
 */
const PARALLEL_BATCHES = 2;
/**
 * Jobs run at once. A storm is closed by lanes that drain the overdue tenders from the database, not job by job,
 * so fetching more jobs would only spend the CPU the closing needs on jobs that then find their tenders closed.
 */
const JOB_CONCURRENCY = 50;

/**
 * A close-tender job whose tender is still due after its claim skipped it (a bid or a question racing the deadline
 * held the row for a moment) tries again this often, this many times, before leaving it to the sweep.
 */
const HELD_RETRY_MS = 25;
const HELD_RETRIES = 40;

/** After a shared closing transaction fails, close-tender batches stop filling up for this long. */
const FILL_PAUSE_MS = 10_000;

/**
 * Closes tenders at their deadline. Safe to run twice: the closing claims tender rows with
 * FOR UPDATE SKIP LOCKED and a status condition, so a tender is closed by exactly one transaction.
 */
@Processor(QUEUES.tenderClosing, { concurrency: JOB_CONCURRENCY })
export class TenderClosingProcessor extends ObservedProcessor {
  private readonly batcher: BurstBatcher<string, boolean>;
  private readonly lanes = new Lanes(PARALLEL_BATCHES);
  private fillPausedUntil = 0;
  private draining = 0;

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
      const result = await this.closeDue(SWEEP_BATCH, ids, { fill });
      const closed = new Set(result.closed.map((c) => c.tenderId));
      for (const waiter of batch) waiter.done(closed.has(waiter.item));
      // A full batch means more tenders are overdue: close them now, in this lane and in every idle one, rather
      // than as their jobs are fetched one by one (the jobs then find their tenders closed).
      if (fill && result.closed.length === SWEEP_BATCH) {
        this.startDraining();
        await this.drainOverdue();
      }
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
        await this.closeDue(1, [waiter.item]).then(
          (result) => waiter.done(result.closed.length > 0),
          (alone: unknown) => waiter.fail(alone),
        );
      }
    }
  }

  /** One closing transaction, in a lane: every closing of this worker shares the PARALLEL_BATCHES lanes. */
  private closeDue(
    ...args: Parameters<TenderClosingService['closeDue']>
  ): ReturnType<TenderClosingService['closeDue']> {
    return this.lanes.run(() => this.closing.closeDue(...args));
  }

  /** Runs drainOverdue in every lane that no batch of jobs holds. */
  private startDraining(): void {
    while (this.draining + this.batcher.running < PARALLEL_BATCHES) {
      this.draining++;
      void this.drainOverdue().finally(() => this.draining--);
    }
  }

  /**
   * Closes overdue tenders SWEEP_BATCH at a time until a batch is not full. A failure ends the drain and pauses
   * filling (a tender that cannot be closed would fail every batch that takes it); the jobs and the sweep remain.
   */
  private async drainOverdue(): Promise<void> {
    try {
      while (Date.now() >= this.fillPausedUntil) {
        if ((await this.closeDue(SWEEP_BATCH)).closed.length < SWEEP_BATCH) return;
      }
    } catch (error) {
      this.fillPausedUntil = Date.now() + FILL_PAUSE_MS;
      this.logger.warn(
        { err: error },
        'closing overdue tenders in bulk failed; jobs close their tenders alone',
      );
    }
  }

  /** Closes up to SWEEP_BATCH due tenders each in its own transaction; one that fails is logged and left. */
  private async closeOneByOne(): Promise<number> {
    let closed = 0;
    for (const tenderId of await this.closing.dueIds(SWEEP_BATCH)) {
      try {
        closed += (await this.closeDue(1, [tenderId])).closed.length;
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

  /**
   * Finishes every auction whose end has passed, SWEEP_BATCH a transaction; should a batch fail, each on its own,
   * so that one that cannot be finished holds back no other.
   */
  private async finishAuctionsDue(): Promise<number> {
    let finished = 0;
    try {
      for (;;) {
        const count = (await this.lanes.run(() => this.closing.finishAuctions(SWEEP_BATCH))).closed.length;
        finished += count;
        if (count < SWEEP_BATCH) return finished;
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'finishing auctions failed; finishing them one by one');
    }
    for (const tenderId of await this.closing.auctionDueIds(SWEEP_BATCH)) {
      try {
        finished += (await this.lanes.run(() => this.closing.finishAuctions(1, [tenderId]))).closed.length;
      } catch (error) {
        this.logger.error(
          { err: error, tenderId },
          'the auction could not be finished; the next sweep tries again',
        );
      }
    }
    return finished;
  }

  protected async handle(job: Job): Promise<unknown> {
    switch (job.name) {
      case JOBS.closeTender: {
        const { tenderId } = job.data as JobPayloads[typeof JOBS.closeTender];
        for (let attempt = 1; ; attempt++) {
          if (await this.batcher.submit(tenderId)) return { closed: 1, attempts: attempt };
          // Nothing closed: already closed, not due yet (deadline moved), or held by a question - the sweep covers
          // those - or still due, its row share-locked by a bid or question that raced the deadline and is about to
          // end (the claim skips locked rows). That one is tried again at once, not left to the sweep seconds later.
          if (attempt >= HELD_RETRIES || !(await this.closing.isDue(tenderId)))
            return { closed: 0, attempts: attempt };
          await new Promise((resolve) => setTimeout(resolve, HELD_RETRY_MS));
        }
      }
      case JOBS.startTendering: {
        const { tenderId } = job.data as JobPayloads[typeof JOBS.startTendering];
        // Nothing moved: moved already (by the sweep), cancelled, or not due yet.
        return { started: (await this.closing.startTendering([tenderId])).length };
      }
      case JOBS.finishAuction: {
        const { tenderId } = job.data as JobPayloads[typeof JOBS.finishAuction];
        for (let attempt = 1; ; attempt++) {
          const finished = await this.lanes.run(() =>
            this.closing.finishAuctions(SWEEP_BATCH, [tenderId], { fill: attempt === 1 }),
          );
          if (finished.closed.some((c) => c.tenderId === tenderId))
            return { finished: finished.closed.length, attempts: attempt };
          // Nothing finished: already finished, cancelled, or its end moved by a price (whose own job follows) - or
          // still due, its row held by a price refused at the end: tried again at once, then left to the sweep.
          if (attempt >= HELD_RETRIES || !(await this.closing.isAuctionDue(tenderId)))
            return { finished: 0, attempts: attempt };
          await new Promise((resolve) => setTimeout(resolve, HELD_RETRY_MS));
        }
      }
      case JOBS.sweepClosings: {
        // Enquiry periods that ended first: a tender the worker was away for moves on, then closes if overdue.
        const started = await this.startTenderingDue();
        if (started > 0) this.logger.info({ started }, 'sweep moved tenders into tendering');
        let closed = 0;
        for (;;) {
          let count: number;
          try {
            count = (await this.closeDue(SWEEP_BATCH)).closed.length;
          } catch (error) {
            // A tender that cannot be closed must not hold back those due after it: one by one, this time.
            this.logger.warn({ err: error }, 'a sweep batch failed; closing its tenders one by one');
            closed += await this.closeOneByOne();
            break;
          }
          closed += count;
          if (count < SWEEP_BATCH) break;
          // A storm found by the sweep (its jobs lost with Redis) is drained in the idle lanes too.
          this.startDraining();
        }
        if (closed > 0) this.logger.info({ closed }, 'sweep closed overdue tenders');
        const finished = await this.finishAuctionsDue();
        if (finished > 0) this.logger.info({ finished }, 'sweep finished ended auctions');
        return { started, closed, finished };
      }
      default:
        throw new Error(`unknown job ${job.name} on ${QUEUES.tenderClosing}`);
    }
  }
}
