import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { jobId, type JobName } from '@app/domain';

/**
 * Enqueues a sweep job every interval. The timer lives in the worker, not in Redis, so a Redis that lost
 * everything (FLUSHALL, failover) gets the next sweep at the next tick; the job id is the time slot, so several
 * workers enqueue one sweep per slot.
 */
export abstract class PeriodicSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;

  protected constructor(
    private readonly queue: Queue,
    private readonly job: JobName,
    private readonly intervalMs: () => number,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.intervalMs();
    void this.enqueue(every);
    this.timer = setInterval(() => void this.enqueue(every), every);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async enqueue(every: number): Promise<void> {
    const slot = Math.floor(Date.now() / every);
    try {
      await this.queue.add(
        this.job,
        {},
        { jobId: jobId(this.job, slot), attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
      );
    } catch (error) {
      this.logger.warn({ err: error }, `could not enqueue ${this.job}; retrying at the next tick`);
    }
  }
}
