import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { type JobPayloads, JOBS, QUEUES } from '@app/domain';
import { OcdsExportService, previousUtcDay } from '@app/domain/ocds';
import { JobMetrics } from '../common/job-metrics';
import { ObservedProcessor } from '../common/observed-processor';

/**
 * Writes the OCDS bulk file of a UTC day. Safe to run twice: the file is rewritten whole under a temporary
 * name and renamed. The day defaults to the one before the job's scheduled time, so a retry exports the same day.
 */
@Processor(QUEUES.ocdsExport)
export class OcdsExportProcessor extends ObservedProcessor {
  constructor(
    metrics: JobMetrics,
    private readonly exports: OcdsExportService,
    private readonly logger: PinoLogger,
  ) {
    super(metrics);
  }

  protected async handle(job: Job): Promise<unknown> {
    switch (job.name) {
      case JOBS.exportOcdsReleases: {
        const { day } = job.data as JobPayloads[typeof JOBS.exportOcdsReleases];
        // A scheduled job knows its slot (prevMillis); its creation time is the previous run's.
        const scheduledAt = job.opts.prevMillis ?? job.timestamp;
        const result = await this.exports.exportDay(day ?? previousUtcDay(new Date(scheduledAt)));
        this.logger.info(result, 'wrote the OCDS bulk export');
        return result;
      }
      default:
        throw new Error(`unknown job ${job.name} on ${QUEUES.ocdsExport}`);
    }
  }
}
