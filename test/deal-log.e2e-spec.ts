import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  bidCommitment,
  canonicalJson,
  inclusionProof,
  leafHash,
  LogService,
  publicKeyFromRaw,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHead,
} from '@app/domain';
import { MetricsService } from '../apps/marketplace/src/metrics/metrics.service';
import { LogPages1764900000000 } from '../libs/domain/src/database/migrations/1764900000000-LogPages';
import { ActorFactory } from './factories/actors';
import { TenderFlows, tenderBody } from './factories/tenders';
import { createTestApp, createTestWorker, TestApp } from './setup/app-factory';
import { eventually } from './setup/eventually';
import { resetState } from './setup/reset';

describe('Deal log', () => {
  let t: TestApp;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    worker = await createTestWorker();
  });
  afterAll(async () => {
    await worker.close();
    await t.app.close();
  });

  const sth = async () => (await request(t.http).get('/api/v1/log/sth')).body;
  const eventCount = async () =>
    Number((await t.app.get(DataSource).query('SELECT count(*) AS n FROM deal_events'))[0].n);
  /** The head once every committed event is in the log. */
  const settledHead = async () => {
    const total = await eventCount();
    return eventually(async () => {
      const h = await sth();
      return h.treeSize === total ? h : undefined;
    }, 10_000);
  };

  it('sequences every committed event and signs a tree head that verifies with the published key', async () => {
    const factory = new ActorFactory(t.app);
    const flows = new TenderFlows(t.app);
    const buyer = await factory.actor('buyer');
    const tender = await flows.publish(buyer, tenderBody((await factory.city('moscow')).id, {}, 2));
    await flows.bid(await factory.actor('supplier'), tender, ['1234.56']);
    await flows.closeAfterDeadline(tender);
    const total = await eventCount();
    const head = await eventually(async () => {
      const h = await sth();
      return h.treeSize === total ? h : undefined;
    }, 10_000);
    const key = (await request(t.http).get('/api/v1/log/public-key').expect(200)).body;
    expect(key.algorithm).toBe('Ed25519');
    const { signature, ...signed } = head;
    expect(verifyTreeHead(signed, signature, publicKeyFromRaw(Buffer.from(key.publicKey, 'base64')))).toBe(
      true,
    );

    const { entries } = (
      await request(t.http).get('/api/v1/log/entries').query({ start: 0, end: head.treeSize }).expect(200)
    ).body;
    expect(entries.map((e: any) => e.index)).toEqual([...Array(head.treeSize).keys()]);
    // Every served leaf hash is the RFC 9162 leaf hash of the entry's canonical JSON.
    for (const e of entries) {
      expect(leafHash(Buffer.from(canonicalJson(e.entry), 'utf8')).toString('hex')).toBe(e.leafHash);
    }
    for (const index of [0, Math.floor(head.treeSize / 2), head.treeSize - 1]) {
      const proof = (
        await request(t.http)
          .get('/api/v1/log/proof/inclusion')
          .query({ index, treeSize: head.treeSize })
          .expect(200)
      ).body;
      const ok = verifyInclusion(
        index,
        head.treeSize,
        Buffer.from(entries[index].leafHash, 'hex'),
        proof.auditPath.map((h: string) => Buffer.from(h, 'hex')),
        Buffer.from(head.rootHash, 'hex'),
      );
      expect(ok).toBe(true);
    }
    const opened = entries.find((e: any) => e.entry.type === 'bid.opened').entry.payload;
    expect(bidCommitment(opened.content, opened.salt)).toBe(opened.commitment);
  });

  it('signs the head again about every second while the log does not grow, and keeps the first of its size', async () => {
    const first = await settledHead();
    const later = async (than: { timestamp: string }) =>
      eventually(async () => {
        const h = await sth();
        return h.timestamp > than.timestamp ? h : undefined;
      }, 5_000);
    const second = await later(first);
    const third = await later(second);
    const key = (await request(t.http).get('/api/v1/log/public-key').expect(200)).body;
    const publicKey = publicKeyFromRaw(Buffer.from(key.publicKey, 'base64'));
    for (const head of [second, third]) {
      expect(head.treeSize).toBe(first.treeSize);
      expect(head.rootHash).toBe(first.rootHash);
      const { signature, ...signed } = head;
      expect(verifyTreeHead(signed, signature, publicKey)).toBe(true);
    }
    expect(Date.parse(third.timestamp) - Date.parse(second.timestamp)).toBeLessThan(3_000);
    // The append-only history keeps one head a size: the first signed, which any verifier may have saved.
    const stored = await request(t.http).get('/api/v1/log/proof/consistency').query({
      first: first.treeSize,
      second: first.treeSize,
    });
    expect(stored.status).toBe(200);
    const [row] = await t.app
      .get(DataSource)
      .query('SELECT count(*)::int AS n, min(timestamp) AS ts FROM log_tree_heads WHERE tree_size = $1', [
        first.treeSize,
      ]);
    expect(row.n).toBe(1);
    expect(row.ts <= first.timestamp).toBe(true);
  });

  it('proves consistency between an earlier and a later tree head', async () => {
    const first = await sth();
    const factory = new ActorFactory(t.app);
    const buyer = await factory.actor('buyer');
    const kazan = (await factory.city('kazan')).id;
    for (let i = 0; i < 6; i++) await new TenderFlows(t.app).publish(buyer, tenderBody(kazan));
    const total = await eventCount();
    const second = await eventually(async () => {
      const h = await sth();
      return h.treeSize === total ? h : undefined;
    }, 10_000);
    expect(second.treeSize).toBeGreaterThan(first.treeSize);
    // Entries come in index order past 10 too (a text sort would put 10 before 2).
    expect(second.treeSize).toBeGreaterThan(10);
    const all = (await request(t.http).get('/api/v1/log/entries').query({ start: 0, end: second.treeSize }))
      .body;
    expect(all.entries.map((e: any) => e.index)).toEqual([...Array(second.treeSize).keys()]);
    const proof = (
      await request(t.http)
        .get('/api/v1/log/proof/consistency')
        .query({ first: first.treeSize, second: second.treeSize })
        .expect(200)
    ).body;
    expect(
      verifyConsistency(
        first.treeSize,
        second.treeSize,
        Buffer.from(first.rootHash, 'hex'),
        Buffer.from(second.rootHash, 'hex'),
        proof.consistencyPath.map((h: string) => Buffer.from(h, 'hex')),
      ),
    ).toBe(true);
  });

  it('answers inclusion proofs from the tree held in memory, as the stored nodes give them', async () => {
    const head = await settledHead();
    const log = t.app.get(LogService);
    await log.warmTree();
    // The controller's way calls LogService.inclusionProof; the lane only takes a proof at hand.
    const viaController = jest.spyOn(log, 'inclusionProof');
    try {
      const { entries } = (
        await request(t.http).get('/api/v1/log/entries').query({ start: 0, end: head.treeSize }).expect(200)
      ).body;
      const leaves = entries.map((e: any) => Buffer.from(e.leafHash, 'hex'));
      const [earlier] = await t.app
        .get(DataSource)
        .query(
          `SELECT tree_size::int AS n FROM log_tree_heads WHERE tree_size BETWEEN 2 AND $1 - 1 ORDER BY tree_size LIMIT 1`,
          [head.treeSize],
        );
      for (const size of [head.treeSize, earlier.n]) {
        for (let index = 0; index < size; index++) {
          const expected = inclusionProof(index, leaves.slice(0, size)).map((h) => h.toString('hex'));
          const res = await request(t.http)
            .get(`/api/v1/log/proof/inclusion?index=${index}&treeSize=${size}`)
            .expect(200);
          expect(res.body).toEqual({ index, treeSize: size, auditPath: expected });
          expect(res.headers['x-request-id']).toBeTruthy();
        }
      }
      // All of them from memory, none through the controller, and each one counted.
      expect(viaController).not.toHaveBeenCalled();
      const metrics = await t.app
        .get(MetricsService)
        .registry.getSingleMetricAsString('http_request_duration_seconds');
      expect(metrics).toMatch(
        /_count\{method="GET",route="\/api\/v1\/log\/proof\/inclusion",status_code="200"\} [1-9]/,
      );
      // What is not for the lane goes the usual way: another query form, and a size never signed (refused).
      // (index=%31 is index=1 percent-encoded: the lane reads the query as sent, the controller decodes it.)
      const other = await request(t.http)
        .get(`/api/v1/log/proof/inclusion?treeSize=${head.treeSize}&index=%31`)
        .expect(200);
      expect(other.body.auditPath).toEqual(inclusionProof(1, leaves).map((h) => h.toString('hex')));
      const refused = await request(t.http)
        .get(`/api/v1/log/proof/inclusion?index=0&treeSize=${head.treeSize + 1000}`)
        .expect(400);
      expect(refused.body.code).toBe('LOG_RANGE_INVALID');
      expect(viaController).toHaveBeenCalledTimes(2);
    } finally {
      viaController.mockRestore();
    }
  });

  it('serves a deal’s own entries with their indexes', async () => {
    const [row] = await t.app
      .get(DataSource)
      .query(`SELECT id FROM tenders WHERE status = 'active.qualification' LIMIT 1`);
    const res = await request(t.http).get(`/api/v1/tenders/${row.id}/log`).query({ limit: 200 }).expect(200);
    expect(res.body.items.length).toBeGreaterThan(3);
    expect(res.body.items.every((e: any) => e.entry.tenderId === row.id)).toBe(true);
    const indexes = res.body.items.map((e: any) => e.index);
    expect([...indexes].sort((a: number, b: number) => a - b)).toEqual(indexes);
  });

  it('sequences the events of one transaction in id order when their ids gain a digit', async () => {
    const db = t.app.get(DataSource);
    const factory = new ActorFactory(t.app);
    const flows = new TenderFlows(t.app);
    const tender = await flows.publish(
      await factory.actor('buyer'),
      tenderBody((await factory.city('moscow')).id, {}, 2),
    );
    await flows.bid(await factory.actor('supplier'), tender, ['777.00']);
    // Closing writes bid.opened, tender.closed and award.pending in one transaction: make them 9999, 10000
    // and 10001, which a text ordering would sequence as 10000, 10001, 9999 (and then stall on a duplicate).
    await eventually(
      async () => ((await sth()).treeSize === (await eventCount()) ? true : undefined),
      10_000,
    );
    await db.query(`SELECT setval('deal_events_id_seq', 9998)`);
    await flows.closeAfterDeadline(tender);
    const rows = await eventually(async () => {
      const r = await db.query<{ idx: number; eventId: number }[]>(
        `SELECT l.idx::int AS idx, l.event_id::int AS "eventId" FROM log_entries l
          WHERE l.event_id >= 9999 ORDER BY l.idx`,
      );
      return r.length >= 3 ? r : undefined;
    }, 10_000);
    expect(rows.map((r) => r.eventId).slice(0, 3)).toEqual([9999, 10000, 10001]);
    // And the sequencer goes on: a later event is sequenced too.
    await flows.publish(await factory.actor('buyer'), tenderBody((await factory.city('moscow')).id, {}, 2));
    const total = await eventCount();
    await eventually(async () => ((await sth()).treeSize === total ? true : undefined), 10_000);
  });

  it('keeps the watermark sane when a transaction takes its id after the reader’s snapshot', async () => {
    const { Client } = await import('pg');
    const reader = new Client({ connectionString: process.env.DATABASE_URL });
    const writer = new Client({ connectionString: process.env.DATABASE_URL });
    await Promise.all([reader.connect(), writer.connect()]);
    try {
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const snap = await reader.query(`SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax`);
      await writer.query('BEGIN');
      await writer.query('SELECT pg_current_xact_id()');
      const mark = await reader.query('SELECT deal_log_watermark()::text AS w');
      // Regression: this read 2^32 too low (negative) and stalled the sequencer and the feed.
      expect(BigInt(mark.rows[0].w)).toBe(BigInt(snap.rows[0].xmax));
    } finally {
      await writer.query('ROLLBACK');
      await reader.query('ROLLBACK');
      await Promise.all([reader.end(), writer.end()]);
    }
  });

  it('keeps the watermark at a transaction running in the reader’s snapshot, even once it has committed', async () => {
    const { Client } = await import('pg');
    const reader = new Client({ connectionString: process.env.DATABASE_URL });
    const writer = new Client({ connectionString: process.env.DATABASE_URL });
    const later = new Client({ connectionString: process.env.DATABASE_URL });
    await Promise.all([reader.connect(), writer.connect(), later.connect()]);
    try {
      await writer.query('BEGIN');
      const { rows } = await writer.query('SELECT pg_current_xact_id()::text AS xid');
      // A later transaction commits first, so the reader's snapshot lists the writer as running below its xmax;
      // then the writer commits, before the watermark is read.
      await later.query('BEGIN');
      await later.query('SELECT pg_current_xact_id()');
      await later.query('COMMIT');
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await reader.query('SELECT 1');
      await writer.query('COMMIT');
      const mark = await reader.query('SELECT deal_log_watermark()::text AS w');
      // Its events are invisible to this snapshot: a watermark past its xid would let a reader skip them for good.
      expect(BigInt(mark.rows[0].w)).toBeLessThanOrEqual(BigInt(rows[0].xid));
      await reader.query('ROLLBACK');
      const next = await reader.query('SELECT deal_log_watermark()::text AS w');
      expect(BigInt(next.rows[0].w)).toBeGreaterThan(BigInt(rows[0].xid));
    } finally {
      await reader.query('ROLLBACK').catch(() => undefined);
      await Promise.all([reader.end(), writer.end(), later.end()]);
    }
  });

  it('stores each full page of entries as it is sequenced, and serves it as the entries are served', async () => {
    const db = t.app.get(DataSource);
    const [tender] = await db.query(`SELECT id FROM tenders WHERE status <> 'draft' LIMIT 1`);
    // Enough events, written at once, for the log to pass two page boundaries in one batch.
    await db.query(
      `INSERT INTO deal_events (type, tender_id, actor_id, payload, sealed_payload, txid)
       SELECT 'question.asked', $1, NULL, jsonb_build_object('questionId', gen_random_uuid(), 'lotId', NULL,
              'text', 'Page question ' || n), NULL, pg_current_xact_id()::text::bigint
         FROM generate_series(1, 2100) AS n`,
      [tender.id],
    );
    const total = await eventCount();
    await eventually(async () => ((await sth()).treeSize === total ? true : undefined), 20_000);
    const pages = await db.query<{ start: string }[]>('SELECT start::text FROM log_pages ORDER BY start');
    const full = Math.floor(total / 1000);
    expect(pages.map((p) => Number(p.start))).toEqual([...Array(full).keys()].map((k) => k * 1000));
    // A full page comes from its stored text; the same entries asked for as two ranges come from their rows.
    const entries = async (start: number, end: number) =>
      (await request(t.http).get('/api/v1/log/entries').query({ start, end }).expect(200)).text;
    const whole = JSON.parse(await entries(1000, 2000)).entries;
    const parts = [
      ...JSON.parse(await entries(1000, 1500)).entries,
      ...JSON.parse(await entries(1500, 2000)).entries,
    ];
    expect(whole).toHaveLength(1000);
    expect(whole).toEqual(parts);
    expect(whole.map((e: any) => e.index)).toEqual([...Array(1000).keys()].map((k) => 1000 + k));
    // Logged entries never change: the entity tag names the range, and a full page may be kept for good.
    const res = await request(t.http)
      .get('/api/v1/log/entries')
      .query({ start: 1000, end: 2000 })
      .expect(200);
    expect(res.headers.etag).toBe('W/"log-entries-1000-2000"');
    expect(res.headers['cache-control']).toContain('immutable');
    await request(t.http)
      .get('/api/v1/log/entries')
      .query({ start: 1000, end: 2000 })
      .set('If-None-Match', 'W/"log-entries-1000-2000"')
      .expect(304);
    // Once served, a full page is held in memory and served again byte for byte.
    const ready = await request(t.http).get('/health/ready').expect(200);
    expect(ready.body.checks.logPages.bytesInMemory).toBeGreaterThanOrEqual(Buffer.byteLength(res.text));
    const again = await request(t.http)
      .get('/api/v1/log/entries')
      .query({ start: 1000, end: 2000 })
      .expect(200);
    expect(again.text).toBe(res.text);
    // The migration writes the same pages for a log that had entries before it.
    const stored = await db.query(`SELECT start::text, items FROM log_pages ORDER BY start`);
    const runner = db.createQueryRunner();
    try {
      await new LogPages1764900000000().down(runner);
      await new LogPages1764900000000().up(runner);
    } finally {
      await runner.release();
    }
    expect(await db.query(`SELECT start::text, items FROM log_pages ORDER BY start`)).toEqual(stored);
    const tail = await request(t.http)
      .get('/api/v1/log/entries')
      .query({ start: full * 1000, end: full * 1000 + 1000 });
    expect(tail.headers.etag).toBe(`W/"log-entries-${full * 1000}-${total}"`);
    expect(tail.headers['cache-control']).toBe('no-cache');
  });

  it('refuses to rewrite history: UPDATE, DELETE and TRUNCATE fail on events and the log', async () => {
    const db = t.app.get(DataSource);
    for (const sql of [
      `UPDATE deal_events SET type = 'forged'`,
      'DELETE FROM deal_events',
      'TRUNCATE deal_events',
      `UPDATE log_entries SET entry = '{}'`,
      'DELETE FROM log_tree_heads',
      'TRUNCATE log_nodes',
      `UPDATE log_pages SET items = ''`,
      'DELETE FROM log_pages',
    ]) {
      await expect(db.query(sql)).rejects.toThrow(/append-only/);
    }
  });

  it('refuses bad ranges and proofs for sizes never signed', async () => {
    const head = await sth();
    const tooMany = await request(t.http)
      .get('/api/v1/log/entries')
      .query({ start: 0, end: 5000 })
      .expect(400);
    expect(tooMany.body.code).toBe('LOG_RANGE_INVALID');
    const future = await request(t.http)
      .get('/api/v1/log/proof/inclusion')
      .query({ index: 0, treeSize: head.treeSize + 10 })
      .expect(400);
    expect(future.body.code).toBe('LOG_RANGE_INVALID');
    const bad = await request(t.http)
      .get('/api/v1/log/proof/inclusion')
      .query({ index: -1, treeSize: 'x' })
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });
});
