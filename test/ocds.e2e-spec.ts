import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue, QueueEvents } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { jobId, JOBS, QUEUES, redisConnectionOptions } from '@app/domain';
import { OcdsService, RELEASE_EVENT_TYPES } from '@app/domain/ocds';
import { Actor, ActorFactory } from './factories/actors';
import { auth, deliveryDay, jointTenderBody, PAPER_CPV, tenderBody, TenderFlows } from './factories/tenders';
import { createTestApp, createTestWorker, TestApp } from './setup/app-factory';
import { emptyPaths, OcdsValidator } from './setup/ocds-validator';
import { resetState } from './setup/reset';
import { whileTransactionRuns } from './setup/running-transaction';

const OCID = /^ocds-[a-z0-9]{6}-/;
const PENS_CPV = '30192121-5';

const DEAR_DOCUMENT = {
  title: 'Declaration of conformity',
  // An international domain name and a Cyrillic path: OCDS publishes the URL as ASCII (format uri).
  url: 'https://закупки.рф/декларация.pdf',
  sha256: 'b'.repeat(64),
};
const DEAR_DOCUMENT_URI =
  'https://xn--80aneha3a1a.xn--p1ai/%D0%B4%D0%B5%D0%BA%D0%BB%D0%B0%D1%80%D0%B0%D1%86%D0%B8%D1%8F.pdf';

describe('OCDS open data', () => {
  let t: TestApp;
  let factory: ActorFactory;
  let flows: TenderFlows;
  let validator: OcdsValidator;
  let moscowBuyer: Actor;
  let kazanBuyer: Actor;
  let cheap: Actor;
  let dear: Actor;
  let late: Actor;
  /** Every package fetched, so each one is validated (see the last tests). */
  const releasePackages: any[] = [];
  const recordPackages: any[] = [];

  const get = async (path: string, status = 200) => {
    const res = await request(t.http).get(path);
    expect(res.status).toBe(status);
    return res.body;
  };
  const releasesOf = async (ocid: string) => {
    const pkg = await get(`/api/v1/ocds/releases/${ocid}`);
    releasePackages.push(pkg);
    return pkg.releases as any[];
  };
  const recordOf = async (ocid: string) => {
    const pkg = await get(`/api/v1/ocds/records/${ocid}`);
    recordPackages.push(pkg);
    return pkg;
  };
  /** Every page of the recent releases, following links.next. */
  const allRecentReleases = async (limit: number) => {
    const pages: any[] = [];
    let path: string | null = `/api/v1/ocds/releases?limit=${limit}`;
    while (path) {
      const page = await get(path);
      pages.push(page);
      releasePackages.push(page);
      path = page.links?.next
        ? `${new URL(page.links.next).pathname}${new URL(page.links.next).search}`
        : null;
    }
    return pages;
  };

  let joint: any;
  let cancelled: any;
  let unsuccessful: any;

  beforeAll(async () => {
    await resetState();
    // A change of terms may come close to the deadline here, so the flows run in seconds.
    t = await createTestApp({ AMENDMENT_MIN_DAYS_LEFT: '0' });
    factory = new ActorFactory(t.app);
    flows = new TenderFlows(t.app);
    validator = new OcdsValidator();
    moscowBuyer = await factory.actor('buyer', { cityCode: 'moscow' });
    kazanBuyer = await factory.actor('buyer', { cityCode: 'kazan' });
    cheap = await factory.actor('supplier', { cityCode: 'almaty' });
    dear = await factory.actor('supplier', { cityCode: 'moscow' });
    late = await factory.actor('supplier', { cityCode: 'minsk' });
  });
  afterAll(() => t.app.close());

  it('publishes a joint tender, its question, answer and amendment, and keeps the bids sealed', async () => {
    const moscowId = (await factory.city('moscow')).id;
    const kazanId = (await factory.city('kazan')).id;
    const body = jointTenderBody(
      moscowId,
      [
        { buyerId: moscowBuyer.organization.id, share: '60000.00', quantity: '120' },
        { buyerId: kazanBuyer.organization.id, share: '40000.00', quantity: '80' },
      ],
      { documents: [{ title: 'Terms', url: 'https://example.org/terms.pdf', sha256: 'a'.repeat(64) }] },
      8,
    );
    body.lots.push({
      title: 'Pens',
      estimate: '50000.00',
      shares: [
        { buyerId: moscowBuyer.organization.id, amount: '25000.00' },
        { buyerId: kazanBuyer.organization.id, amount: '25000.00' },
      ],
      items: [
        {
          description: 'Ballpoint pens, blue',
          classification: { scheme: 'CPV', id: PENS_CPV },
          unitCode: 'H87',
          quantity: '1000',
          quantities: [
            { buyerId: moscowBuyer.organization.id, quantity: '500' },
            { buyerId: kazanBuyer.organization.id, quantity: '500' },
          ],
          deliveryCityId: kazanId,
          deliveryDate: deliveryDay(),
        },
      ],
    });
    joint = await flows.publish(moscowBuyer, body);
    unsuccessful = await flows.publish(moscowBuyer, tenderBody(moscowId, { title: 'Nobody bids here' }, 3));
    cancelled = await flows.publish(moscowBuyer, tenderBody(moscowId, { title: 'Cancelled paper' }));
    expect(joint.ocid).toMatch(OCID);

    const question = await request(t.http)
      .post(`/api/v1/tenders/${joint.id}/questions`)
      .set(auth(cheap))
      .send({ text: 'Which paper weight?' })
      .expect(201);
    await request(t.http)
      .post(`/api/v1/tenders/${joint.id}/questions/${question.body.id}/answer`)
      .set(auth(moscowBuyer))
      .send({ answer: '80 g/m2' })
      .expect(200);
    // Bid before the change of terms and never confirmed: opened at the closing but not ranked.
    await flows.bid(late, joint, ['70000.00']);
    await request(t.http)
      .post(`/api/v1/tenders/${joint.id}/amendments`)
      .set(auth(moscowBuyer))
      .send({
        rationale: 'Pens budget revised',
        title: 'Office paper and pens for city schools',
        lots: [{ lotId: joint.lots[1].id, estimate: '60000.00' }],
        addDocuments: [
          { title: 'Terms v2', url: 'https://example.org/условия v2.pdf', sha256: 'b'.repeat(64) },
        ],
      })
      .expect(201);
    await flows.bid(cheap, joint, ['90000.00', '45000.00']);
    await flows.bid(dear, { ...joint, lots: [joint.lots[0]] }, ['95000.00'], [DEAR_DOCUMENT]);
    await flows.bid(cheap, cancelled, ['1000.00']);

    const releases = await releasesOf(joint.ocid);
    expect(releases.map((r) => r.tag)).toEqual([
      ['tender'],
      ['tenderUpdate'],
      ['tenderUpdate'],
      ['tenderAmendment'],
    ]);
    const sealedJson = JSON.stringify(releases);
    for (const supplier of [cheap, dear, late]) expect(sealedJson).not.toContain(supplier.organization.id);
    for (const url of [DEAR_DOCUMENT.url, DEAR_DOCUMENT_URI]) expect(sealedJson).not.toContain(url);
    for (const release of releases) {
      expect(release.bids).toBeUndefined();
      expect(release.tender.tenderers).toBeUndefined();
      expect(release.tender.status).toBe('active');
    }
    const amended = releases[3];
    expect(amended.tender).toMatchObject({
      title: 'Office paper and pens for city schools',
      value: { amount: 160000, currency: 'RUB' },
      hasEnquiries: true,
      mainProcurementCategory: 'goods',
      amendments: [
        { id: '1', rationale: 'Pens budget revised', releaseID: amended.id, amendsReleaseID: releases[2].id },
      ],
    });
    expect(amended.tender.documents.map((d: any) => [d.title, d.url])).toEqual([
      ['Terms', 'https://example.org/terms.pdf'],
      ['Terms v2', 'https://example.org/%D1%83%D1%81%D0%BB%D0%BE%D0%B2%D0%B8%D1%8F%20v2.pdf'],
    ]);
    expect(amended.tender.items.map((i: any) => i.classification)).toEqual([
      { scheme: 'CPV', id: PAPER_CPV, description: 'Printing paper' },
      { scheme: 'CPV', id: PENS_CPV, description: 'Ballpoint pens' },
    ]);
    expect(amended.parties.map((p: any) => [p.id, p.roles])).toEqual([
      [moscowBuyer.organization.id, ['buyer', 'procuringEntity']],
      [kazanBuyer.organization.id, ['buyer']],
    ]);
    expect(amended.parties[0].identifier).toEqual({
      scheme: moscowBuyer.organization.taxScheme,
      id: moscowBuyer.organization.taxId,
      legalName: moscowBuyer.organization.legalName,
    });
    await recordOf(joint.ocid);
  });

  it('cancels a tender without ever opening its sealed bid', async () => {
    await request(t.http)
      .post(`/api/v1/tenders/${cancelled.id}/cancel`)
      .set(auth(moscowBuyer))
      .send({ reason: 'The need went away' })
      .expect(200);
    const releases = await releasesOf(cancelled.ocid);
    expect(releases.map((r) => r.tag)).toEqual([['tender'], ['tenderCancellation']]);
    expect(releases[1].tender.status).toBe('cancelled');
    expect(JSON.stringify(releases)).not.toContain(cheap.organization.id);
    expect(releases.some((r) => r.bids)).toBe(false);
    const record = await recordOf(cancelled.ocid);
    expect(record.records[0].compiledRelease.tender.status).toBe('cancelled');
  });

  it('makes a tender without bids unsuccessful at its deadline', async () => {
    await flows.closeAfterDeadline(unsuccessful);
    const releases = await releasesOf(unsuccessful.ocid);
    expect(releases.at(-1)).toMatchObject({ tag: ['tenderUpdate'], tender: { status: 'unsuccessful' } });
    expect(releases.at(-1).bids).toBeUndefined();
  });

  it('opens the bids at the closing, then follows awards and contracts to completion', async () => {
    await flows.closeAfterDeadline(joint);
    let releases = await releasesOf(joint.ocid);
    const closing = releases.at(-1);
    expect(closing.tag).toEqual(['tenderUpdate', 'award']);
    const details = closing.bids.details as any[];
    expect(
      details.map((b) => [b.tenderers[0].id, b.relatedLots[0], b.value.amount, b.status, b.rank]),
    ).toEqual(
      expect.arrayContaining([
        [late.organization.id, joint.lots[0].id, 70000, 'disqualified', undefined],
        [cheap.organization.id, joint.lots[0].id, 90000, 'valid', 1],
        [cheap.organization.id, joint.lots[1].id, 45000, 'valid', 1],
        [dear.organization.id, joint.lots[0].id, 95000, 'valid', 2],
      ]),
    );
    expect(details).toHaveLength(4);
    // The documents of a bid, sealed until now, are its Bid's documents.
    const dearBid = details.find((b) => b.tenderers[0].id === dear.organization.id);
    expect(dearBid.documents).toEqual([
      { id: `${dearBid.identifiers[0].id}-doc-1`, title: DEAR_DOCUMENT.title, url: DEAR_DOCUMENT_URI },
    ]);
    expect(details.filter((b) => b.documents)).toHaveLength(1);
    expect(closing.tender.numberOfTenderers).toBe(3);
    expect(closing.awards.map((a: any) => [a.status, a.suppliers[0].id, a.value.amount])).toEqual([
      ['pending', cheap.organization.id, 90000],
      ['pending', cheap.organization.id, 45000],
    ]);

    const awards = (await get(`/api/v1/tenders/${joint.id}/awards`)).items as any[];
    const paperAward = awards.find((a) => a.lotId === joint.lots[0].id);
    const pensAward = awards.find((a) => a.lotId === joint.lots[1].id);
    await request(t.http)
      .post(`/api/v1/tenders/${joint.id}/awards/${paperAward.id}/reject`)
      .set(auth(moscowBuyer))
      .send({ reason: 'Qualification documents missing' })
      .expect(204);
    const next = ((await get(`/api/v1/tenders/${joint.id}/awards`)).items as any[]).find(
      (a) => a.lotId === joint.lots[0].id && a.status === 'pending',
    );
    for (const award of [next, pensAward]) {
      await request(t.http)
        .post(`/api/v1/tenders/${joint.id}/awards/${award.id}/accept`)
        .set(auth(moscowBuyer))
        .expect(204);
    }
    releases = await releasesOf(joint.ocid);
    const rejected = releases.find((r) => r.tag.includes('awardUpdate') && r.tag.includes('award'));
    expect(rejected.bids.details.find((b: any) => b.id === `${paperAward.bidId}-1`).status).toBe(
      'disqualified',
    );

    await new Promise((r) => setTimeout(r, 1100)); // the test stand-still is one second
    const contracts = (await get(`/api/v1/tenders/${joint.id}/contracts`)).items as any[];
    expect(contracts).toHaveLength(4);
    for (const contract of contracts) {
      const buyer = contract.buyerId === moscowBuyer.organization.id ? moscowBuyer : kazanBuyer;
      const winner = contract.supplierId === dear.organization.id ? dear : cheap;
      await request(t.http).post(`/api/v1/contracts/${contract.id}/sign`).set(auth(buyer)).expect(204);
      await request(t.http).post(`/api/v1/contracts/${contract.id}/confirm`).set(auth(winner)).expect(204);
    }
    expect((await get(`/api/v1/tenders/${joint.id}`)).status).toBe('complete');

    releases = await releasesOf(joint.ocid);
    const last = releases.at(-1);
    expect(last.tag).toEqual(['tenderUpdate', 'contractUpdate']);
    expect(last.tender.status).toBe('complete');
    expect(last.awards.map((a: any) => a.status).sort()).toEqual(['active', 'active', 'unsuccessful']);
    expect(last.contracts.map((c: any) => c.status)).toEqual(['active', 'active', 'active', 'active']);
    expect(last.contracts.every((c: any) => c.dateSigned && c.awardID && c.relatedBids.length === 1)).toBe(
      true,
    );
    expect(last.parties.find((p: any) => p.id === dear.organization.id).roles).toEqual([
      'supplier',
      'tenderer',
    ]);
    // The Kazan buyer's paper contract covers its own 80 packs.
    const kazanPaper = last.contracts.find(
      (c: any) => c.awardID === next.id && c.value.amount === 38000 && c.items[0].quantity === 80,
    );
    expect(kazanPaper).toBeDefined();

    const record = await recordOf(joint.ocid);
    const [only] = record.records;
    expect(only.ocid).toBe(joint.ocid);
    expect(only.releases.map((r: any) => r.url)).toEqual(
      releases.map((r) => `http://localhost:3000/api/v1/ocds/releases/${joint.ocid}#${r.id}`),
    );
    expect(only.compiledRelease).toMatchObject({
      tag: ['compiled'],
      date: last.date,
      tender: { status: 'complete' },
    });
    expect(only.compiledRelease.awards).toHaveLength(3);
    expect(only.compiledRelease.tender.amendments).toHaveLength(1);
  });

  it('pages the recent releases newest first with links.next, every release of every process once', async () => {
    const pages = await allRecentReleases(3);
    expect(pages.length).toBeGreaterThan(2);
    const listed = pages.flatMap((p) => p.releases as any[]);
    const dates = listed.map((r) => Date.parse(r.date));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    const perProcess = await Promise.all(
      [joint, cancelled, unsuccessful].map(async (tender) =>
        (await releasesOf(tender.ocid)).map((r) => r.id),
      ),
    );
    expect(listed.map((r) => r.id).sort()).toEqual(perProcess.flat().sort());
    expect(pages.at(-1).links).toBeUndefined();
    expect(pages[0].links.next).toMatch(/^http:\/\/localhost:3000\/api\/v1\/ocds\/releases\?limit=3&cursor=/);
    // A cursor from before the pages were in transaction order names an event alone: it resumes at the same place.
    const cursor = new URL(pages[0].links.next).searchParams.get('cursor')!;
    const [, eventId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const older = Buffer.from(JSON.stringify([eventId])).toString('base64url');
    const resumed = await get(`/api/v1/ocds/releases?limit=3&cursor=${older}`);
    expect(resumed.releases.map((r: any) => r.id)).toEqual(pages[1].releases.map((r: any) => r.id));
    const unknown = Buffer.from(JSON.stringify(['999999999'])).toString('base64url');
    expect((await get(`/api/v1/ocds/releases?cursor=${unknown}`, 400)).code).toBe('INVALID_CURSOR');
  });

  it('cuts releases at an instant by whole transactions: one running across it is left to the next cut', async () => {
    // The closing of the joint tender: its bids opened, the tender closed and its awards, each event stamped
    // with its own clock reading. A cut between the first and the last of them leaves the whole closing out.
    const [closing] = await t.app.get(DataSource).query(
      `SELECT to_char(max(occurred_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last
         FROM deal_events WHERE tender_id = $1 AND type = ANY($2::text[])
        GROUP BY txid HAVING count(DISTINCT occurred_at) > 1 AND bool_or(type = 'tender.closed')`,
      [joint.id, RELEASE_EVENT_TYPES],
    );
    const ocds = t.app.get(OcdsService);
    const [whole] = await ocds.releasesOf([joint.id]);
    const [cut] = await ocds.releasesOf([joint.id], { before: closing.last });
    const published = new Map(whole!.releases.map((r) => [r.release.id, r.release]));
    // Every release of the cut is the release of that id as published later, never a part of it.
    for (const { release } of cut!.releases) expect(release).toEqual(published.get(release.id));
    expect(cut!.releases.some((r) => r.release.tag.includes('award'))).toBe(false);
    expect(cut!.releases.length).toBeGreaterThan(0);
  });

  it('validates every package against the OCDS 1.1 schemas with the bids extension, and checks codelists', () => {
    expect(releasePackages.length).toBeGreaterThan(10);
    for (const pkg of releasePackages) {
      expect(validator.errors(validator.releasePackage, pkg)).toEqual([]);
      expect(pkg).toMatchObject({
        version: '1.1',
        publisher: { name: 'Intercity procurement marketplace' },
        license: 'https://creativecommons.org/licenses/by/4.0/',
        extensions: [
          'https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/master/extension.json',
        ],
      });
      checkReleases(pkg.releases);
    }
    for (const pkg of recordPackages) {
      expect(validator.errors(validator.recordPackage, pkg)).toEqual([]);
      const [record] = pkg.records;
      expect(record.ocid).toMatch(OCID);
      checkReleases([record.compiledRelease], { compiled: true });
      for (const linked of record.releases)
        expect(validator.codelistProblems({ tag: linked.tag })).toEqual([]);
    }
    for (const pkg of [...releasePackages, ...recordPackages]) expect(emptyPaths(pkg)).toEqual([]);
    expect([...validator.codelistsSeen].sort()).toEqual(
      expect.arrayContaining([
        'awardStatus.csv',
        'bidStatus.csv',
        'contractStatus.csv',
        'currency.csv',
        'method.csv',
        'partyRole.csv',
        'releaseTag.csv',
        'tenderStatus.csv',
      ]),
    );
  });

  it('has checks that bite: a wrong type, an unknown code and an empty object are all caught', () => {
    const pkg = structuredClone(releasePackages.at(-1));
    const release = pkg.releases[0];
    expect(validator.errors(validator.releasePackage, pkg)).toEqual([]);
    release.tender.value.amount = '160000.00';
    expect(validator.errors(validator.releasePackage, pkg).join()).toContain('/tender/value/amount');
    release.tender.value.amount = 1;
    release.tender.status = 'active.tendering';
    release.parties[0].roles = ['organiser'];
    expect(validator.errors(validator.releasePackage, pkg).join()).toContain('/tender/status');
    expect(validator.codelistProblems(release).map((p) => p.codelist)).toEqual([
      'partyRole.csv',
      'tenderStatus.csv',
    ]);
    release.tender.tenderPeriod = {};
    expect(emptyPaths(pkg)).toEqual(['$.releases[0].tender.tenderPeriod']);
  });

  function checkReleases(releases: any[], options: { compiled?: boolean } = {}) {
    const idsByOcid = new Map<string, Set<string>>();
    for (const release of releases) {
      expect(release.ocid).toMatch(OCID);
      expect(validator.codelistProblems(release)).toEqual([]);
      if (!options.compiled) expect(release.id.startsWith(`${release.ocid}-`)).toBe(true);
      const ids = idsByOcid.get(release.ocid) ?? new Set<string>();
      expect(ids.has(release.id)).toBe(false);
      ids.add(release.id);
      idsByOcid.set(release.ocid, ids);
      // Bids appear only once the tender is closed: with its awards, or as an unsuccessful tender.
      if (release.bids)
        expect(release.awards?.length > 0 || release.tender.status === 'unsuccessful').toBe(true);
    }
  }

  it('answers an unknown ocid with 404 OCID_NOT_FOUND and a malformed one with 400', async () => {
    const missing = await get('/api/v1/ocds/releases/ocds-mtp001-MTP-2026-999999', 404);
    expect(missing).toEqual({
      statusCode: 404,
      code: 'OCID_NOT_FOUND',
      message: 'No published contracting process with this ocid',
      details: { ocid: 'ocds-mtp001-MTP-2026-999999' },
      correlationId: expect.any(String),
    });
    expect((await get('/api/v1/ocds/records/ocds-mtp001-MTP-2026-999999', 404)).code).toBe('OCID_NOT_FOUND');
    for (const bad of ['not-an-ocid', 'ocds-ABCDEF-1', "ocds-mtp001-' OR 1=1"]) {
      const res = await get(`/api/v1/ocds/records/${encodeURIComponent(bad)}`, 400);
      expect(res).toMatchObject({ statusCode: 400, code: 'INVALID_ID', details: { field: 'ocid' } });
    }
    expect((await get('/api/v1/ocds/releases?limit=101', 400)).code).toBe('VALIDATION_FAILED');
    expect((await get('/api/v1/ocds/releases?cursor=nope', 400)).code).toBe('INVALID_CURSOR');
  });

  describe('daily bulk export', () => {
    let worker: INestApplicationContext;
    let dir: string;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ocds-export-'));
      worker = await createTestWorker({ OCDS_EXPORT_DIR: dir });
    });
    afterAll(async () => {
      await worker?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('writes every release of the day as JSON lines through the real queue and worker', async () => {
      const day = new Date().toISOString().slice(0, 10);
      const queue = t.app.get<Queue>(getQueueToken(QUEUES.ocdsExport), { strict: false });
      const events = new QueueEvents(QUEUES.ocdsExport, {
        connection: redisConnectionOptions(process.env.REDIS_URL as string),
        prefix: process.env.QUEUE_PREFIX,
      });
      await events.waitUntilReady();
      try {
        const job = await queue.add(
          JOBS.exportOcdsReleases,
          { day },
          { jobId: jobId(JOBS.exportOcdsReleases, day, Date.now()) },
        );
        const result = await job.waitUntilFinished(events, 30_000);
        expect(result).toMatchObject({ file: join(dir, `releases-${day}.jsonl`), processes: 3 });
        expect(await readdir(dir)).toEqual([`releases-${day}.jsonl`]);
        const lines = (await readFile(join(dir, `releases-${day}.jsonl`), 'utf8')).trim().split('\n');
        expect(lines).toHaveLength(result.releases);
        const exported = lines.map((line) => JSON.parse(line));
        const published = await Promise.all(
          [joint, cancelled, unsuccessful].map(async (tender) => releasesOf(tender.ocid)),
        );
        expect(exported.map((r) => r.id).sort()).toEqual(
          published
            .flat()
            .map((r) => r.id)
            .sort(),
        );
        for (const release of exported) {
          expect(validator.errors(validator.release, release)).toEqual([]);
          expect(emptyPaths(release)).toEqual([]);
        }
        // A day before anything was published exports an empty file.
        const empty = await queue.add(JOBS.exportOcdsReleases, { day: '2020-01-01' });
        expect(await empty.waitUntilFinished(events, 30_000)).toMatchObject({ releases: 0 });
      } finally {
        await events.close();
      }
    });
  });

  it('serves no release of a transaction younger than one still running: a late commit never lands below releases served', async () => {
    await whileTransactionRuns(t.app.get(DataSource), async (end) => {
      const tender = await flows.publish(moscowBuyer, tenderBody((await factory.city('moscow')).id));
      const newest = async () =>
        (await get('/api/v1/ocds/releases?limit=5')).releases.map((r: any) => r.ocid);
      expect(await newest()).not.toContain(tender.ocid);
      await end();
      expect((await newest())[0]).toBe(tender.ocid);
    });
  });
});
