import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, jobId, JOBS, QUEUES } from '@app/domain';

/**
 * Enqueues the red flag sweep every ANALYTICS_SWEEP_SECONDS. The timer lives in the worker, not in Redis, so an
 * emptied Redis gets the next sweep at the next tick; the job id is the time slot, so several workers add one.
 */
@Injectable()
export class RedFlagsSweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RedFlagsSweepScheduler.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectQueue(QUEUES.redFlags) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const intervalMs = this.config.ANALYTICS_SWEEP_SECONDS * 1000;
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
        JOBS.sweepRedFlags,
        {},
        { jobId: jobId(JOBS.sweepRedFlags, slot), attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
      );
    } catch (error) {
      this.logger.warn({ err: error }, 'could not enqueue the red flag sweep; retrying at the next tick');
    }
  }
}
