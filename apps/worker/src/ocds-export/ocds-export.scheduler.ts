import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JOBS, QUEUES } from '@app/domain';

/** Schedules the daily OCDS bulk export (of the day just ended); upserting is idempotent across workers. */
@Injectable()
export class OcdsExportScheduler implements OnApplicationBootstrap {
  constructor(@InjectQueue(QUEUES.ocdsExport) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      JOBS.exportOcdsReleases,
      { pattern: '20 0 * * *', tz: 'UTC' },
      { name: JOBS.exportOcdsReleases, data: {} },
    );
  }
}
