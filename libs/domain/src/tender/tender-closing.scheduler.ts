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
    await this.delayed(JOBS.closeTender, tenderId, deadline, previousDeadline, 'close it');
  }

  /** The delayed job that moves the tender into tendering when its enquiry period ends (best effort, as above). */
  async scheduleTendering(tenderId: string, enquiryEnd: Date): Promise<void> {
    await this.delayed(JOBS.startTendering, tenderId, enquiryEnd, undefined, 'start its tendering');
  }

  /**
   * The delayed job that finishes an electronic auction at its end (best effort, as above); a price that moved
   * the end replaces the job of the end before it.
   */
  async scheduleAuctionEnd(tenderId: string, auctionEnd: Date, previousEnd?: Date): Promise<void> {
    await this.delayed(JOBS.finishAuction, tenderId, auctionEnd, previousEnd, 'finish its auction');
  }

  /**
   * One delayed job per tender and moment (its id names both), replacing the one of the `previous` moment; a
   * failure is logged and left to the sweep, which finds the same work in the database.
   */
  private async delayed(
    name: typeof JOBS.closeTender | typeof JOBS.startTendering | typeof JOBS.finishAuction,
    tenderId: string,
    at: Date,
    previous: Date | undefined,
    sweepWill: string,
  ): Promise<void> {
    try {
      if (previous && previous.getTime() !== at.getTime()) {
        await this.queue.remove(jobId(name, tenderId, previous.getTime()));
      }
      const payload: JobPayloads[typeof name] = { tenderId };
      await this.queue.add(name, payload, {
        jobId: jobId(name, tenderId, at.getTime()),
        delay: Math.max(0, at.getTime() - Date.now()),
      });
    } catch (error) {
      this.logger.warn(
        { err: error, tenderId, job: name },
        `could not enqueue ${name}; the sweep will ${sweepWill}`,
      );
    }
  }

  async unschedule(tenderId: string, deadline: Date): Promise<void> {
    await this.queue.remove(TenderClosingScheduler.jobIdFor(tenderId, deadline)).catch(() => 0);
  }
}
