import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  AuditDealsService,
  AuditDossierService,
  AuditLogExportService,
  DOSSIER_LOG_PAGE,
  publicKeyFromRaw,
  verifyInclusion,
  verifyTreeHead,
} from '@app/domain';
import { Actor, ActorFactory } from './factories/actors';
import { auth, deliveryDay, tenderBody, TenderFlows } from './factories/tenders';
import { createTestApp, createTestWorker, TestApp } from './setup/app-factory';
import { eventually } from './setup/eventually';
import { allPages } from './setup/pages';
import { whileTransactionRuns } from './setup/running-transaction';
import { resetState } from './setup/reset';

/** Reads a body of any content type as text (supertest buffers only the types it knows). */
function asText(res: any, done: (err: Error | null, body: string) => void) {
  const stream = res as NodeJS.ReadableStream;
  let body = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (body += chunk));
  stream.on('end', () => done(null, body));
}

/** A strict RFC 4180 reader: quoted fields may hold commas, CRLF, LF and doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      fields.push(field);
      records.push(fields);
      [fields, field] = [[], ''];
      i++;
    } else field += c;
  }
  if (quoted || field !== '' || fields.length > 0) throw new Error('the CSV does not end with a record');
  return records;
}

const TRICKY_TITLE = 'Paper, "premium" grade\nfor city schools';
const CAR_CPV = '34110000-1';

describe('Audit', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let factory: ActorFactory;
  let flows: TenderFlows;
  let auditor: Actor;
  let operator: Actor;
  let moscowBuyer: Actor;
  let kazanBuyer: Actor;
  let supplierA: Actor;
  let supplierB: Actor;
  let supplierC: Actor;
  let opened: any;
  let sealed: any;
  let kazan: any;
  let draftId: string;

  const as = (actor: Actor) => auth(actor);
  const db = () => t.app.get(DataSource);
  const eventCount = async () => Number((await db().query('SELECT count(*) AS n FROM deal_events'))[0].n);
  const sth = async () => (await request(t.http).get('/api/v1/log/sth')).body;
  const everythingSigned = () =>
    eventually(async () => {
      const [head, total] = [await sth(), await eventCount()];
      return head.treeSize === total ? head : undefined;
    }, 15_000);
  const history = async (tenderId: string, query: Record<string, unknown> = { limit: 200 }) =>
    (
      await request(t.http)
        .get(`/api/v1/audit/tenders/${tenderId}/history`)
        .query(query)
        .set(as(auditor))
        .expect(200)
    ).body;
  const deals = async (query: Record<string, unknown>) =>
    (await request(t.http).get('/api/v1/audit/deals').query(query).set(as(auditor)).expect(200)).body;
  const dealIds = async (query: Record<string, unknown>) =>
    (await deals({ limit: 200, ...query })).items.map((d: any) => d.id).sort();
  const personalData = () =>
    [auditor, operator, moscowBuyer, kazanBuyer, supplierA, supplierB, supplierC].flatMap((a) => [
      a.email,
      a.userId,
    ]);

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    worker = await createTestWorker();
    factory = new ActorFactory(t.app);
    flows = new TenderFlows(t.app);
    auditor = await factory.actor('auditor');
    operator = await factory.actor('operator');
    moscowBuyer = await factory.actor('buyer', { cityCode: 'moscow' });
    kazanBuyer = await factory.actor('buyer', { cityCode: 'kazan' });
    supplierA = await factory.actor('supplier', { cityCode: 'almaty' });
    supplierB = await factory.actor('supplier', { cityCode: 'minsk' });
    supplierC = await factory.actor('supplier');
  });
  afterAll(async () => {
    await worker.close();
    await t.app.close();
  });

  it('hides sealed facts from the auditor before opening and shows them, with the bidders, after', async () => {
    const moscowId = (await factory.city('moscow')).id;
    opened = await flows.publish(moscowBuyer, tenderBody(moscowId, { title: TRICKY_TITLE }, 8));
    const question = await request(t.http)
      .post(`/api/v1/tenders/${opened.id}/questions`)
      .set(as(supplierA))
      .send({ text: 'Is recycled paper acceptable?' })
      .expect(201);
    await request(t.http)
      .post(`/api/v1/tenders/${opened.id}/questions/${question.body.id}/answer`)
      .set(as(moscowBuyer))
      .send({ answer: 'Yes, if it is 80 g/m2' })
      .expect(200);
    await flows.bid(supplierA, opened, ['90000.00']);
    await flows.bid(supplierB, opened, ['95000.00']);

    const before = await history(opened.id);
    expect(before).toMatchObject({ tenderId: opened.id, status: 'active.tendering', sealed: true });
    const sealedBids = before.items.filter((e: any) => e.type === 'bid.submitted');
    expect(sealedBids).toHaveLength(2);
    for (const e of sealedBids) {
      expect(e).toMatchObject({ actor: null, sealedPayload: null, withheld: true });
      expect(Object.keys(e.payload)).toEqual(['commitment']);
    }
    const text = JSON.stringify(before);
    for (const secret of [supplierA, supplierB].flatMap((s) => [
      s.organization.id,
      s.organization.legalName,
    ])) {
      expect(text).not.toContain(secret);
    }

    await flows.closeAfterDeadline(opened);
    const after = await history(opened.id);
    expect(after).toMatchObject({ status: 'active.qualification', sealed: false, nextCursor: null });
    const revealed = after.items.filter((e: any) => e.type === 'bid.submitted');
    expect(revealed.map((e: any) => e.sealedPayload.supplierId).sort()).toEqual(
      [supplierA.organization.id, supplierB.organization.id].sort(),
    );
    for (const e of revealed) {
      expect(e.withheld).toBe(false);
      expect(e.actor).toEqual({
        id: e.sealedPayload.supplierId,
        legalName:
          e.sealedPayload.supplierId === supplierA.organization.id
            ? supplierA.organization.legalName
            : supplierB.organization.legalName,
        kind: 'supplier',
      });
    }
    // The asker of a question stays anonymous even after opening.
    const asked = after.items.find((e: any) => e.type === 'question.asked');
    expect(asked).toMatchObject({ actor: null, sealedPayload: null, withheld: false });
  });

  it('names actor organisations in the history, never users or their personal data', async () => {
    const { items } = await history(opened.id);
    const buyerOrg = {
      id: moscowBuyer.organization.id,
      legalName: moscowBuyer.organization.legalName,
      kind: 'buyer',
    };
    expect(items.find((e: any) => e.type === 'tender.published').actor).toEqual(buyerOrg);
    expect(items.find((e: any) => e.type === 'question.answered').actor).toEqual(buyerOrg);
    expect(items.map((e: any) => e.type)).toEqual(expect.arrayContaining(['bid.opened', 'tender.closed']));
    const ids = items.map((e: any) => Number(e.eventId));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const text = JSON.stringify(items);
    for (const personal of personalData()) expect(text).not.toContain(personal);
    expect(text).not.toMatch(/Test User|@example\.test/);
  });

  it('pages the history with a cursor over its transaction order', async () => {
    await everythingSigned();
    const all = (await history(opened.id)).items;
    const seen: any[] = [];
    let cursor: string | undefined;
    do {
      const page = await history(opened.id, { limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all);
    const bad = await request(t.http)
      .get(`/api/v1/audit/tenders/${opened.id}/history`)
      .query({ cursor: Buffer.from('["x"]').toString('base64url') })
      .set(as(auditor))
      .expect(400);
    expect(bad.body.code).toBe('INVALID_CURSOR');
  });

  it('exports a dossier whose log entries prove inclusion in the signed tree head it carries', async () => {
    const moscowId = (await factory.city('moscow')).id;
    sealed = await flows.publish(moscowBuyer, tenderBody(moscowId, {}, 3600));
    await flows.bid(supplierA, sealed, ['80000.00']);
    await flows.bid(supplierC, sealed, ['85000.00']);
    kazan = await flows.publish(
      kazanBuyer,
      tenderBody((await factory.city('kazan')).id, {
        title: 'Electric cars for the city fleet',
        lots: [
          {
            title: 'Cars',
            estimate: '500000.00',
            items: [
              {
                description: 'Electric passenger car',
                classification: { scheme: 'CPV', id: CAR_CPV },
                unitCode: 'H87',
                quantity: '2',
                deliveryCityId: (await factory.city('kazan')).id,
                deliveryDate: deliveryDay(),
              },
            ],
          },
        ],
      }),
    );
    const draft = await request(t.http)
      .post('/api/v1/tenders')
      .set(as(moscowBuyer))
      .send(tenderBody(moscowId))
      .expect(201);
    draftId = draft.body.id;
    await everythingSigned();

    // The log comes in pages of two entries here, so that the dossier is streamed in several.
    const dossiers = t.app.get(AuditDossierService);
    dossiers.logPageSize = 2;
    const res = await request(t.http)
      .get(`/api/v1/audit/tenders/${opened.id}/dossier`)
      .set(as(auditor))
      .then((r) => r)
      .finally(() => (dossiers.logPageSize = DOSSIER_LOG_PAGE));
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="dossier-${opened.number}.json"`);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const dossier = res.body;
    expect(dossier.tender).toMatchObject({
      id: opened.id,
      title: TRICKY_TITLE,
      status: 'active.qualification',
    });
    expect(dossier.questions).toHaveLength(1);
    expect(Object.keys(dossier.questions[0]).sort()).toEqual(
      ['answer', 'answeredAt', 'askedAt', 'id', 'lotId', 'text'].sort(),
    );
    expect(dossier.bids.sealed).toBe(false);
    expect(dossier.bids.items).toHaveLength(2);
    expect(dossier.ranking).toEqual([
      {
        lotId: opened.lots[0].id,
        bids: [
          expect.objectContaining({ rank: 1, supplierId: supplierA.organization.id, price: '90000.00' }),
          expect.objectContaining({ rank: 2, supplierId: supplierB.organization.id, price: '95000.00' }),
        ],
      },
    ]);
    expect(dossier.awards).toEqual([
      expect.objectContaining({ supplierId: supplierA.organization.id, status: 'pending' }),
    ]);
    expect(dossier.contracts).toEqual([]);
    expect(dossier.amendments).toEqual([]);

    const { treeHead, entries, unsequencedEvents } = dossier.log;
    expect(unsequencedEvents).toBe(0);
    const key = (await request(t.http).get('/api/v1/log/public-key').expect(200)).body;
    const { signature, ...signed } = treeHead;
    expect(verifyTreeHead(signed, signature, publicKeyFromRaw(Buffer.from(key.publicKey, 'base64')))).toBe(
      true,
    );
    const events = (await history(opened.id)).items;
    expect(entries.length).toBeGreaterThan(4);
    expect(entries.map((e: any) => e.index)).toEqual(events.map((e: any) => e.logIndex));
    for (const e of entries) {
      expect(e.entry.tenderId).toBe(opened.id);
      const ok = verifyInclusion(
        e.index,
        treeHead.treeSize,
        Buffer.from(e.leafHash, 'hex'),
        e.auditPath.map((h: string) => Buffer.from(h, 'hex')),
        Buffer.from(treeHead.rootHash, 'hex'),
      );
      expect({ index: e.index, ok }).toEqual({ index: e.index, ok: true });
    }
    const text = JSON.stringify(dossier);
    for (const personal of personalData()) expect(text).not.toContain(personal);
  });

  it('keeps the bids of a sealed tender out of its dossier, and has no dossier for a draft', async () => {
    const dossier = (
      await request(t.http).get(`/api/v1/audit/tenders/${sealed.id}/dossier`).set(as(operator)).expect(200)
    ).body;
    expect(dossier.bids).toEqual({ sealed: true, items: [] });
    expect(dossier.ranking).toEqual([]);
    const text = JSON.stringify(dossier);
    for (const s of [supplierA, supplierC]) expect(text).not.toContain(s.organization.id);

    for (const id of [draftId, '3fa85f64-5717-4562-b3fc-2c963f66afa6']) {
      for (const format of ['json', 'csv']) {
        const res = await request(t.http)
          .get(`/api/v1/audit/tenders/${id}/dossier`)
          .query({ format })
          .set(as(auditor))
          .expect(404);
        expect(res.body.code).toBe('TENDER_NOT_FOUND');
      }
    }
    const history = await request(t.http)
      .get(`/api/v1/audit/tenders/${draftId}/history`)
      .set(as(auditor))
      .expect(404);
    expect(history.body.code).toBe('TENDER_NOT_FOUND');
  });

  it('exports the dossier as CSV, one escaped record per log entry', async () => {
    const dossier = (
      await request(t.http).get(`/api/v1/audit/tenders/${opened.id}/dossier`).set(as(auditor)).expect(200)
    ).body;
    const res = await request(t.http)
      .get(`/api/v1/audit/tenders/${opened.id}/dossier`)
      .query({ format: 'csv' })
      .set(as(auditor))
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="dossier-${opened.number}.csv"`);
    expect(res.text).toContain('"Published ');
    expect(res.text).toContain('""premium""');
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual([
      'index',
      'leafHash',
      'eventType',
      'occurredAt',
      'actorOrganizationId',
      'actorOrganization',
      'summary',
    ]);
    expect(rows).toHaveLength(dossier.log.entries.length);
    expect(rows.map((r) => [Number(r[0]), r[1], r[2]])).toEqual(
      dossier.log.entries.map((e: any) => [e.index, e.leafHash, e.entry.type]),
    );
    const published = rows.find((r) => r[2] === 'tender.published')!;
    expect(published[4]).toBe(moscowBuyer.organization.id);
    expect(published[5]).toBe(moscowBuyer.organization.legalName);
    expect(published[6]).toContain(TRICKY_TITLE);
    expect(rows.every((r) => r.length === 7)).toBe(true);
  });

  it('streams the whole log as JSON lines, in order, equal to /api/v1/log/entries', async () => {
    const head = await everythingSigned();
    const res = await request(t.http)
      .get('/api/v1/audit/log.jsonl')
      .set(as(auditor))
      .buffer(true)
      .parse(asText)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const size = Number(res.headers['x-log-tree-size']);
    expect(size).toBeGreaterThanOrEqual(head.treeSize);
    const lines = (res.body as string).split('\n');
    expect(lines.pop()).toBe('');
    const streamed = lines.map((l) => JSON.parse(l));
    expect(streamed.map((e) => e.index)).toEqual([...Array(size).keys()]);
    const served: unknown[] = [];
    for (let start = 0; start < size; start += 1000) {
      const page = await request(t.http)
        .get('/api/v1/log/entries')
        .query({ start, end: Math.min(start + 1000, size) })
        .expect(200);
      served.push(...page.body.entries);
    }
    // LogService.entries sorts by its idx::text output column (10 before 2): compare in index order until fixed.
    const byIndex = (served as { index: number }[]).sort((a, b) => a.index - b.index);
    expect(streamed).toEqual(byIndex);

    // Chunk by chunk (here 7 rows a query) the stream is the same.
    const { lines: chunks } = await t.app.get(AuditLogExportService).export(7);
    let text = '';
    for await (const chunk of chunks) text += chunk;
    expect(
      text
        .split('\n')
        .slice(0, size)
        .map((l) => JSON.parse(l)),
    ).toEqual(streamed);
  });

  it('searches deals by buyer, supplier, city, CPV, value, date and status', async () => {
    const sorted = (...ts: any[]) => ts.map((x) => x.id).sort();
    expect(await dealIds({})).toEqual(sorted(opened, sealed, kazan));
    expect(await dealIds({ buyerId: moscowBuyer.organization.id })).toEqual(sorted(opened, sealed));
    expect(await dealIds({ buyerId: kazanBuyer.organization.id })).toEqual(sorted(kazan));
    // A bidder is found only once its bid is opened: never through a sealed bid.
    expect(await dealIds({ supplierId: supplierA.organization.id })).toEqual(sorted(opened));
    expect(await dealIds({ supplierId: supplierB.organization.id })).toEqual(sorted(opened));
    expect(await dealIds({ supplierId: supplierC.organization.id })).toEqual([]);
    expect(await dealIds({ cityId: (await factory.city('kazan')).id })).toEqual(sorted(kazan));
    expect(await dealIds({ cityId: (await factory.city('moscow')).id })).toEqual(sorted(opened, sealed));
    expect(await dealIds({ cpv: '30190000-7' })).toEqual(sorted(opened, sealed));
    expect(await dealIds({ cpv: '34100000-8' })).toEqual(sorted(kazan));
    expect(await dealIds({ valueMin: '200000' })).toEqual(sorted(kazan));
    expect(await dealIds({ valueMax: '150000.00' })).toEqual(sorted(opened, sealed));
    expect(await dealIds({ valueMin: '100000', valueMax: '100000', currency: 'RUB' })).toEqual(
      sorted(opened, sealed),
    );
    expect(await dealIds({ currency: 'KZT' })).toEqual([]);
    expect(await dealIds({ publishedFrom: kazan.publishedAt })).toEqual(sorted(kazan));
    expect(await dealIds({ publishedTo: kazan.publishedAt })).toEqual(sorted(opened, sealed));
    expect(await dealIds({ publishedFrom: sealed.publishedAt, publishedTo: kazan.publishedAt })).toEqual(
      sorted(sealed),
    );
    expect(await dealIds({ status: 'active.qualification' })).toEqual(sorted(opened));
    expect(await dealIds({ status: 'active.tendering' })).toEqual(sorted(sealed, kazan));
    expect(await dealIds({ status: 'active.tendering', buyerId: moscowBuyer.organization.id })).toEqual(
      sorted(sealed),
    );
    // A filter admitting more deals than are collected first is checked deal by deal instead: the same pages.
    const search = t.app.get(AuditDealsService);
    for (const filter of [
      { buyerId: moscowBuyer.organization.id },
      { supplierId: supplierA.organization.id },
      { supplierId: supplierC.organization.id },
      { cityId: (await factory.city('kazan')).id },
      { cpv: '30190000-7' },
      { cpv: '30190000-7', cityId: (await factory.city('moscow')).id, status: 'active.tendering' },
    ]) {
      const walked = await allPages((cursor) => search.search({ ...filter, limit: 1, cursor, matchCap: 0 }));
      expect(walked.map((x) => x.id).sort()).toEqual(await dealIds(filter));
    }
  });

  it('returns deal summaries newest first, paged by cursor', async () => {
    const seen: any[] = [];
    let cursor: string | undefined;
    do {
      const page = await deals({ limit: 1, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.map((d) => d.id)).toEqual([kazan.id, sealed.id, opened.id]);
    expect(seen[2]).toEqual({
      id: opened.id,
      number: opened.number,
      ocid: opened.ocid,
      title: TRICKY_TITLE,
      status: 'active.qualification',
      buyers: [
        {
          id: moscowBuyer.organization.id,
          legalName: moscowBuyer.organization.legalName,
          cityId: moscowBuyer.organization.cityId,
        },
      ],
      value: { amount: '100000.00', currency: 'RUB' },
      publishedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      awards: [
        {
          lotId: opened.lots[0].id,
          status: 'pending',
          amount: '90000.00',
          supplier: { id: supplierA.organization.id, legalName: supplierA.organization.legalName },
        },
      ],
    });
    expect(seen[1].awards).toEqual([]);
  });

  it('refuses bad search input with exact error bodies', async () => {
    const bad = await request(t.http)
      .get('/api/v1/audit/deals')
      .query({ cpv: 'paper' })
      .set(as(auditor))
      .expect(400);
    expect(bad.body).toMatchObject({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'cpv: cpv must be a CPV code like 30197630-1',
    });
    const unknown = await request(t.http)
      .get('/api/v1/audit/deals')
      .query({ colour: 'red' })
      .set(as(auditor))
      .expect(400);
    expect(unknown.body.message).toBe('colour: property colour should not exist');
    const cursor = await request(t.http)
      .get('/api/v1/audit/deals')
      .query({ cursor: Buffer.from('["yesterday","x"]').toString('base64url') })
      .set(as(auditor))
      .expect(400);
    expect(cursor.body.code).toBe('INVALID_CURSOR');
    const format = await request(t.http)
      .get(`/api/v1/audit/tenders/${opened.id}/dossier`)
      .query({ format: 'xml' })
      .set(as(auditor))
      .expect(400);
    expect(format.body.code).toBe('VALIDATION_FAILED');
  });

  it('is open to auditors and operators only: 401 without a token, 403 for buyers and suppliers', async () => {
    const paths = [
      `/api/v1/audit/tenders/${opened.id}/history`,
      `/api/v1/audit/tenders/${opened.id}/dossier`,
      `/api/v1/audit/tenders/${opened.id}/dossier?format=csv`,
      '/api/v1/audit/log.jsonl',
      '/api/v1/audit/deals',
    ];
    for (const path of paths) {
      const anonymous = await request(t.http).get(path);
      expect({ path, status: anonymous.status, code: anonymous.body.code }).toEqual({
        path,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
      for (const actor of [supplierA, moscowBuyer]) {
        const res = await request(t.http).get(path).set(as(actor));
        expect({ path, status: res.status, code: res.body.code }).toEqual({
          path,
          status: 403,
          code: 'FORBIDDEN_ROLE',
        });
      }
      for (const actor of [auditor, operator]) {
        const res = await request(t.http).get(path).set(as(actor)).buffer(true).parse(asText);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
      }
    }
  });

  it('holds back the history a transaction still running may precede: it may commit events that come first', async () => {
    await whileTransactionRuns(t.app.get(DataSource), async (end) => {
      await request(t.http)
        .post(`/api/v1/tenders/${kazan.id}/questions`)
        .set(as(supplierC))
        .send({ text: 'May the paper be delivered in two lots?' })
        .expect(201);
      const types = async () => (await history(kazan.id)).items.map((e: any) => e.type);
      expect(await types()).not.toContain('question.asked');
      await end();
      expect((await types()).at(-1)).toBe('question.asked');
    });
  });
});
