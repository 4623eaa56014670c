import { WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { storage, Store } from 'nestjs-pino/storage';
import type { JobMetrics } from './job-metrics';

/**
 * Base of every processor: each job runs with its own correlation id in the logs
 * (`<queue>/<job id>`) and its duration is recorded. Errors are rethrown so BullMQ retries with backoff.
 */
export abstract class ObservedProcessor extends WorkerHost {
  // Outside any job's scope this is the root logger; each job logs through a child of it, in a storage scope.
  @Inject(PinoLogger) private readonly rootLogger: PinoLogger;

  protected constructor(private readonly jobMetrics: JobMetrics) {
    super();
  }

  protected abstract handle(job: Job): Promise<unknown>;

  async process(job: Job): Promise<unknown> {
    const correlationId = `${job.queueName}/${job.id ?? 'unknown'}`;
    const logger = this.rootLogger.logger.child({
      correlationId,
      queue: job.queueName,
      job: job.name,
      attempt: job.attemptsMade + 1,
    });
    const end = this.jobMetrics.duration.startTimer({ queue: job.queueName, job: job.name });
    return storage.run(new Store(logger), async () => {
      try {
        const result = await this.handle(job);
        end({ outcome: 'completed' });
        return result;
      } catch (error) {
        end({ outcome: 'failed' });
        logger.warn({ err: error }, 'job failed; BullMQ retries it with backoff');
        throw error;
      }
    });
  }
}
