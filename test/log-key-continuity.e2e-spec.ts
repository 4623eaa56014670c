import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { generateLogKey, LogSequencerService, LogService, SEQUENCER_LOCK_KEY } from '@app/domain';
import { Client } from 'pg';
import { ActorFactory } from './factories/actors';
import { TenderFlows, tenderBody } from './factories/tenders';
import { createTestApp, createTestWorker, TestApp } from './setup/app-factory';
import { eventually } from './setup/eventually';
import { resetState } from './setup/reset';

describe('The log signing key stays the one that signed the log', () => {
  let t: TestApp;
  let db: DataSource;
  const otherKey = generateLogKey().privatePem;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.app.close();
  });

  const count = async (table: string) => Number((await db.query(`SELECT count(*) AS n FROM ${table}`))[0].n);
  const sth = async () => (await request(t.http).get('/api/v1/log/sth').expect(200)).body;
  const publishTender = async (factory: ActorFactory, flows: TenderFlows) =>
    flows.publish(await factory.actor('buyer'), tenderBody((await factory.city('moscow')).id));

  it('a worker with another key signs nothing and sequences nothing; the right key carries on', async () => {
    const factory = new ActorFactory(t.app);
    const flows = new TenderFlows(t.app);

    let worker: INestApplicationContext = await createTestWorker();
    try {
      await publishTender(factory, flows);
      await eventually(
        async () => ((await sth()).treeSize === (await count('deal_events')) ? true : undefined),
        10_000,
      );
    } finally {
      await worker.close();
    }
    const before = await sth();
    const heads = await count('log_tree_heads');

    // The key file lost and made anew: the same database, another key.
    worker = await createTestWorker({ LOG_SIGNING_KEY: otherKey });
    try {
      await publishTender(factory, flows);
      await eventually(async () => (worker.get(LogSequencerService).keyRefused ? true : undefined), 10_000);
      expect(worker.get(LogSequencerService).isLeader).toBe(false);
      expect(await sth()).toEqual(before);
      expect(await count('log_tree_heads')).toBe(heads);
      expect(await count('log_entries')).toBe(before.treeSize);
      expect(await count('deal_events')).toBeGreaterThan(before.treeSize);
    } finally {
      await worker.close();
    }

    worker = await createTestWorker();
    try {
      const total = await count('deal_events');
      const head = await eventually(async () => {
        const h = await sth();
        return h.treeSize === total ? h : undefined;
      }, 10_000);
      expect(head.treeSize).toBeGreaterThan(before.treeSize);
      expect(worker.get(LogSequencerService).keyRefused).toBe(false);
    } finally {
      await worker.close();
    }
  });

  it('gives the leader lock back when the key check fails, so another worker can lead', async () => {
    const sequencer = t.app.get(LogSequencerService);
    const check = jest
      .spyOn(t.app.get(LogService), 'checkKey')
      .mockRejectedValueOnce(new Error('connection reset'));
    await expect(sequencer.tryLead()).rejects.toThrow('connection reset');
    check.mockRestore();
    expect(sequencer.isLeader).toBe(false);
    // Another session (not one of this app's pooled connections, which could hold it) can take the lock.
    const other = new Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      const [row] = (await other.query('SELECT pg_try_advisory_lock($1) AS locked', [SEQUENCER_LOCK_KEY]))
        .rows;
      expect(row.locked).toBe(true);
    } finally {
      await other.end();
    }
  });

  it("the API's readiness says whether the key it publishes verifies the latest head", async () => {
    const ready = (await request(t.http).get('/health/ready').expect(200)).body;
    expect(ready.checks.logKey).toEqual({ status: 'ok', treeSize: (await sth()).treeSize });

    const other = await createTestApp({ LOG_SIGNING_KEY: otherKey });
    try {
      const mismatched = (await request(other.http).get('/health/ready').expect(200)).body;
      expect(mismatched.checks.logKey).toEqual({ status: 'mismatch', treeSize: (await sth()).treeSize });
    } finally {
      await other.app.close();
    }
  });
});
