import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, JOBS, QUEUES } from '@app/domain';
import { PeriodicSweep } from '../common/periodic-sweep';

/** Enqueues the red flag sweep every ANALYTICS_SWEEP_SECONDS. */
@Injectable()
export class RedFlagsSweepScheduler extends PeriodicSweep {
  constructor(@InjectQueue(QUEUES.redFlags) queue: Queue, config: AppConfig) {
    super(queue, JOBS.sweepRedFlags, () => config.ANALYTICS_SWEEP_SECONDS * 1000);
  }
}
