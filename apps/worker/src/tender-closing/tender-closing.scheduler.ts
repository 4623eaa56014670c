import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, JOBS, QUEUES } from '@app/domain';
import { PeriodicSweep } from '../common/periodic-sweep';

/** Enqueues the sweep that closes overdue tenders straight from the database, every CLOSING_SWEEP_SECONDS. */
@Injectable()
export class ClosingSweepScheduler extends PeriodicSweep {
  constructor(@InjectQueue(QUEUES.tenderClosing) queue: Queue, config: AppConfig) {
    super(queue, JOBS.sweepClosings, () => config.CLOSING_SWEEP_SECONDS * 1000);
  }
}
