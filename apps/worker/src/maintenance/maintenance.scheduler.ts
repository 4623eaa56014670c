import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JOBS, QUEUES } from '@app/domain';

/** Registers the repeating housekeeping jobs; upserting a scheduler is idempotent across workers. */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap {
  constructor(@InjectQueue(QUEUES.maintenance) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      JOBS.purgeExpiredRefreshTokens,
      { pattern: '17 3 * * *', tz: 'UTC' },
      { name: JOBS.purgeExpiredRefreshTokens, data: { olderThanDays: 7 } },
    );
  }
}
