import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, jobId, JOBS, QUEUES } from '@app/domain';

/**
 * Enqueues the sweep that closes overdue tenders straight from the database, every CLOSING_SWEEP_SECONDS.
 * The timer lives in the worker, not in Redis, so a Redis that lost everything (FLUSHALL, failover) gets the
 * next sweep at the next tick. The job id is the time slot, so several workers enqueue one sweep per slot.
 */
@Injectable()
export class ClosingSweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ClosingSweepScheduler.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectQueue(QUEUES.tenderClosing) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const intervalMs = this.config.CLOSING_SWEEP_SECONDS * 1000;
    void this.enqueue(intervalMs);
    this.timer = setInterval(() => void this.enqueue(intervalMs), intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async enqueue(intervalMs: number): Promise<void> {
    const slot = Math.floor(Date.now() / intervalMs);
    try {
      await this.queue.add(
        JOBS.sweepClosings,
        {},
        { jobId: jobId(JOBS.sweepClosings, slot), attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
      );
    } catch (error) {
      this.logger.warn({ err: error }, 'could not enqueue the closing sweep; retrying at the next tick');
    }
  }
}
