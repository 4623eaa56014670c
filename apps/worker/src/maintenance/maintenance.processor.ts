import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { type JobPayloads, JOBS, QUEUES, SessionsService } from '@app/domain';
import { JobMetrics } from '../common/job-metrics';
import { ObservedProcessor } from '../common/observed-processor';

/** Housekeeping jobs. Each is safe to run twice: purging what is already gone purges nothing. */
@Processor(QUEUES.maintenance)
export class MaintenanceProcessor extends ObservedProcessor {
  constructor(
    metrics: JobMetrics,
    private readonly sessions: SessionsService,
    private readonly logger: PinoLogger,
  ) {
    super(metrics);
  }

  protected async handle(job: Job): Promise<unknown> {
    switch (job.name) {
      case JOBS.purgeExpiredRefreshTokens: {
        const { olderThanDays } = job.data as JobPayloads[typeof JOBS.purgeExpiredRefreshTokens];
        const purged = await this.sessions.purgeExpired(olderThanDays);
        this.logger.info({ purged }, 'purged expired refresh tokens');
        return { purged };
      }
      default:
        throw new Error(`unknown job ${job.name} on ${QUEUES.maintenance}`);
    }
  }
}
