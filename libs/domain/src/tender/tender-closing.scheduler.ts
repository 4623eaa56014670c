import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { jobId } from '../jobs/job-id';
import { JOBS, type JobPayloads, QUEUES } from '../jobs/queues';

/**
 * Keeps one delayed closing job per tender deadline, and one job per enquiry period's end. Enqueueing is best effort after the commit:
 * if Redis is down or loses the job, the worker's periodic sweep still closes the tender from the database.
 */
@Injectable()
export class TenderClosingScheduler {
  private readonly logger = new Logger(TenderClosingScheduler.name);

  constructor(@InjectQueue(QUEUES.tenderClosing) private readonly queue: Queue) {}

  static jobIdFor(tenderId: string, deadline: Date): string {
    return jobId(JOBS.closeTender, tenderId, deadline.getTime());
  }

  async schedule(tenderId: string, deadline: Date, previousDeadline?: Date): Promise<void> {
    try {
      if (previousDeadline && previousDeadline.getTime() !== deadline.getTime()) {
        await this.queue.remove(TenderClosingScheduler.jobIdFor(tenderId, previousDeadline));
      }
      const payload: JobPayloads[typeof JOBS.closeTender] = { tenderId };
      await this.queue.add(JOBS.closeTender, payload, {
        jobId: TenderClosingScheduler.jobIdFor(tenderId, deadline),
        delay: Math.max(0, deadline.getTime() - Date.now()),
      });
    } catch (error) {
      this.logger.warn(
        { err: error, tenderId },
        'could not enqueue the closing job; the sweep will close it',
      );
    }
  }

  /** The delayed job that moves the tender into tendering when its enquiry period ends (best effort, as above). */
  async scheduleTendering(tenderId: string, enquiryEnd: Date): Promise<void> {
    try {
      const payload: JobPayloads[typeof JOBS.startTendering] = { tenderId };
      await this.queue.add(JOBS.startTendering, payload, {
        jobId: jobId(JOBS.startTendering, tenderId, enquiryEnd.getTime()),
        delay: Math.max(0, enquiryEnd.getTime() - Date.now()),
      });
    } catch (error) {
      this.logger.warn(
        { err: error, tenderId },
        'could not enqueue the start of tendering; the sweep will start it',
      );
    }
  }

  async unschedule(tenderId: string, deadline: Date): Promise<void> {
    await this.queue.remove(TenderClosingScheduler.jobIdFor(tenderId, deadline)).catch(() => 0);
  }
}
