import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue, QueueEvents } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { jobId, JOBS, QUEUES, redisConnectionOptions } from '@app/domain';
import { JobMetrics } from '../apps/worker/src/common/job-metrics';
import { ActorFactory } from './factories/actors';
import { createTestApp, createTestWorker, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';

describe('Worker', () => {
  let t: TestApp;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    worker = await createTestWorker();
  });
  afterAll(async () => {
    await worker?.close();
    await t.app.close();
  });

  it('publishes a heartbeat that the API readiness reports', async () => {
    const res = await request(t.http).get('/health/ready').expect(200);
    expect(res.body.checks.worker.status).toBe('up');
    expect(res.body.checks.worker.alive).toHaveLength(1);
  });

  it('runs a real BullMQ job: purging long-expired refresh tokens, once even if enqueued twice', async () => {
    const factory = new ActorFactory(t.app);
    const buyer = await factory.actor('buyer');
    const db = t.app.get(DataSource);
    await db.query(`UPDATE refresh_tokens SET expires_at = now() - interval '30 days' WHERE user_id = $1`, [
      buyer.userId,
    ]);
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.maintenance), { strict: false });
    const events = new QueueEvents(QUEUES.maintenance, {
      connection: redisConnectionOptions(process.env.REDIS_URL as string),
      prefix: process.env.QUEUE_PREFIX,
    });
    await events.waitUntilReady();
    try {
      const id = jobId(JOBS.purgeExpiredRefreshTokens, 'test', Date.now());
      const job = await queue.add(JOBS.purgeExpiredRefreshTokens, { olderThanDays: 7 }, { jobId: id });
      const duplicate = await queue.add(JOBS.purgeExpiredRefreshTokens, { olderThanDays: 7 }, { jobId: id });
      expect(duplicate.id).toBe(job.id);
      const result = await job.waitUntilFinished(events, 15_000);
      expect(result).toEqual({ purged: 1 });
      const left = await db.query('SELECT count(*) AS n FROM refresh_tokens WHERE user_id = $1', [
        buyer.userId,
      ]);
      expect(Number(left[0].n)).toBe(0);
      const metrics = await worker.get(JobMetrics).registry.metrics();
      expect(metrics).toMatch(
        /job_duration_seconds_count\{queue="maintenance",job="purge-expired-refresh-tokens",outcome="completed"\} 1/,
      );
    } finally {
      await events.close();
    }
  });

  it('schedules the nightly purge once, whatever the number of workers', async () => {
    const second = await createTestWorker();
    try {
      const queue = t.app.get<Queue>(getQueueToken(QUEUES.maintenance), { strict: false });
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key)).toEqual([JOBS.purgeExpiredRefreshTokens]);
    } finally {
      await second.close();
    }
  });

  it('withdraws its heartbeat when it stops', async () => {
    await worker.close();
    const res = await request(t.http).get('/health/ready').expect(200);
    expect(res.body.checks.worker).toEqual({ status: 'down', alive: [] });
  });
});
