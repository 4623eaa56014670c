import type { INestApplicationContext } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { verifyLog } from '../tools/verify-log/verify';
import { entryLeafHash } from '../tools/verify-log/verifier-core';
import { ActorFactory } from './factories/actors';
import { TenderFlows, tenderBody } from './factories/tenders';
import { createTestApp, createTestWorker, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';
import { untilSequenced } from './setup/sequenced';

/** Runs SQL as a superuser with the append-only triggers lifted for this session only, as an attacker would. */
async function tamper(sql: string, params: unknown[] = []): Promise<void> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query('SET session_replication_role = replica');
  await client.query(sql, params);
  await client.end();
}

describe('verify-log', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let url: string;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    worker = await createTestWorker();
    const factory = new ActorFactory(t.app);
    const flows = new TenderFlows(t.app);
    const tender = await flows.publish(
      await factory.actor('buyer'),
      tenderBody((await factory.city('moscow')).id, {}, 2),
    );
    await flows.bid(await factory.actor('supplier'), tender, ['1000.00']);
    await flows.bid(await factory.actor('supplier'), tender, ['900.00']);
    await flows.closeAfterDeadline(tender);
    await untilSequenced(t.app.get(DataSource));
    await worker.close();
  });
  afterAll(() => t.app.close());

  it('verifies an untouched log, and a later one against the saved tree head', async () => {
    const first = await verifyLog({ url, samples: 8 });
    expect(first.problems).toEqual([]);
    expect(first.ok).toBe(true);
    expect(first.treeHead.treeSize).toBeGreaterThan(5);
    const again = await verifyLog({ url, since: first.treeHead });
    expect(again.ok).toBe(true);
  });

  it('follows redirects, and stops with the status of a page the server refuses', async () => {
    // A front that redirects every request to the app, and refuses one page of entries while `refusing`.
    let refusing = false;
    const front = createServer((req, res) => {
      if (refusing && req.url?.startsWith('/api/v1/log/entries?start=4&')) res.writeHead(503).end('busy');
      else res.writeHead(307, { location: `${url}${req.url ?? '/'}` }).end();
    });
    await new Promise<void>((listening) => front.listen(0, '127.0.0.1', listening));
    const frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    try {
      const redirected = await verifyLog({ url: frontUrl, pageSize: 2 });
      expect(redirected.problems).toEqual([]);
      // Pages are requested ahead: the refused one fails the run when its turn comes, and nothing else leaks.
      refusing = true;
      await expect(verifyLog({ url: frontUrl, pageSize: 2 })).rejects.toThrow(
        `GET ${frontUrl}/api/v1/log/entries?start=4&end=6: 503 busy`,
      );
    } finally {
      await new Promise((closed) => front.close(closed));
    }
  });

  it('names the index of an entry changed in the database', async () => {
    const [row] = await t.app
      .get(DataSource)
      .query(`SELECT idx::int AS idx, entry FROM log_entries WHERE entry LIKE '%bid.opened%' LIMIT 1`);
    const forged = JSON.parse(row.entry);
    forged.payload.content.lots[0].price = '1.00';
    await tamper('UPDATE log_entries SET entry = $2 WHERE idx = $1', [row.idx, JSON.stringify(forged)]);
    const result = await verifyLog({ url });
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.index)).toContain(row.idx);
    await tamper('UPDATE log_entries SET entry = $2 WHERE idx = $1', [row.idx, row.entry]);
    expect((await verifyLog({ url })).ok).toBe(true);
  });

  it('runs as a command whose worker threads check the pages: verifies the log, and names a changed entry', async () => {
    // The compiled command (npm test builds it first): only compiled code can run on worker threads.
    const cli = join(__dirname, '..', 'dist', 'tools', 'verify-log', 'cli.js');
    expect(existsSync(cli)).toBe(true);
    const run = (threads: number) =>
      new Promise<{ code: number; output: string }>((resolve) => {
        execFile(process.execPath, [cli, '--url', url, '--threads', String(threads)], (error, stdout) =>
          resolve({ code: error ? Number(error.code) : 0, output: stdout }),
        );
      });
    const clean = await run(2);
    expect(clean.output).toMatch(/^OK: the log of \d+ entries verifies$/m);
    expect(clean.code).toBe(0);
    const [row] = await t.app
      .get(DataSource)
      .query(`SELECT idx::int AS idx, entry FROM log_entries WHERE idx = 2`);
    await tamper('UPDATE log_entries SET entry = $2 WHERE idx = $1', [
      row.idx,
      JSON.stringify({ ...JSON.parse(row.entry), type: 'forged.event' }),
    ]);
    try {
      for (const threads of [0, 2]) {
        const forged = await run(threads);
        expect(forged.code).toBe(1);
        expect(forged.output).toContain('PROBLEM at index 2: entry 2 does not hash to its leaf hash');
      }
    } finally {
      await tamper('UPDATE log_entries SET entry = $2 WHERE idx = $1', [row.idx, row.entry]);
    }
  });

  it('names the index even when the forger also rewrites the stored leaf hash', async () => {
    const [row] = await t.app
      .get(DataSource)
      .query(`SELECT idx::int AS idx, entry FROM log_entries WHERE idx = 1`);
    const forged = { ...JSON.parse(row.entry), type: 'forged.event' };
    await tamper(`UPDATE log_entries SET entry = $2, leaf_hash = decode($3, 'hex') WHERE idx = $1`, [
      row.idx,
      JSON.stringify(forged),
      entryLeafHash(forged).toString('hex'),
    ]);
    // No sampled proofs: the bisection alone must find it.
    const result = await verifyLog({ url, samples: 0 });
    expect(result.problems.map((p) => p.index)).toContain(1);
  });

  it('reports the break where an entry was deleted', async () => {
    await tamper('DELETE FROM log_entries WHERE idx = 3');
    const result = await verifyLog({ url });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ index: 3, message: expect.stringMatching(/break/) }),
      ]),
    );
  });
});
