import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one worker process: job durations by queue, job and outcome. */
@Injectable()
export class JobMetrics {
  readonly registry = new Registry();
  readonly duration = new Histogram({
    name: 'job_duration_seconds',
    help: 'BullMQ job processing time by queue, job name and outcome',
    labelNames: ['queue', 'job', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
