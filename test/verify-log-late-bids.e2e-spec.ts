import type { INestApplicationContext } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { canonicalJson } from '@app/domain/procurement/rules/commitment';
import { verifyLog } from '../tools/verify-log/verify';
import { ActorFactory } from './factories/actors';
import { TenderFlows, tenderBody } from './factories/tenders';
import { createTestApp, createTestWorker, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';
import { untilSequenced } from './setup/sequenced';

/**
 * Someone with plain INSERT rights on deal_events (the append-only triggers refuse only UPDATE, DELETE and
 * TRUNCATE) adds events the server would never write: the sequencer logs and signs them like any other. The
 * offline verifier must refuse a log where a bid got in after its tender's bids were opened, whatever time the
 * forged entries claim, or where a cancellation after the deadline left bids sealed.
 */
describe('verify-log: bids that got in late, and bids left sealed', () => {
  let t: TestApp;
  let url: string;
  let db: DataSource;
  let factory: ActorFactory;
  let flows: TenderFlows;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    db = t.app.get(DataSource);
    factory = new ActorFactory(t.app);
    flows = new TenderFlows(t.app);
  });
  afterAll(() => t.app.close());

  const insert = (type: string, tenderId: string, payload: object, occurredAt?: string) =>
    db.query(
      `INSERT INTO deal_events (type, tender_id, actor_id, payload, txid, occurred_at)
       VALUES ($1, $2, NULL, $3::jsonb, pg_current_xact_id()::text::bigint, coalesce($4::timestamptz, clock_timestamp()))`,
      [type, tenderId, JSON.stringify(payload), occurredAt ?? null],
    );

  const tenderWithBid = async (deadlineSeconds: number) => {
    const tender = await flows.publish(
      await factory.actor('buyer'),
      tenderBody((await factory.city('moscow')).id, {}, deadlineSeconds),
    );
    await flows.bid(await factory.actor('supplier'), tender, ['90000.00']);
    return tender;
  };

  /** A crony's bid just under the honest price, committed to as the server would. */
  const cronyBid = async (tender: any) => {
    const supplierId = (await factory.actor('supplier')).organization.id;
    const content = {
      bidId: randomUUID(),
      currency: 'RUB',
      lots: [{ lotId: tender.lots[0].id, price: '89999.00' }],
      supplierId,
      tenderId: tender.id,
    };
    const salt = randomBytes(32).toString('base64');
    const commitment = createHash('sha256').update(canonicalJson({ content, salt }), 'utf8').digest('hex');
    const opened = { bidId: content.bidId, supplierId, content, salt, commitment, status: 'opened' };
    return { commitment, opened };
  };

  const sequenceAndVerify = async () => {
    const worker: INestApplicationContext = await createTestWorker();
    let total = 0;
    try {
      total = await untilSequenced(db);
    } finally {
      await worker.close();
    }
    const result = await verifyLog({ url, samples: 4 });
    // The forged entries are in the signed tree the verifier checked.
    expect(result.treeHead.treeSize).toBe(total);
    return result;
  };

  it('verifies the honest log these tests start from', async () => {
    const tender = await tenderWithBid(2);
    await flows.closeAfterDeadline(tender);
    const result = await sequenceAndVerify();
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('refuses an amendment logged after the deadline and the closing, and the bid it would let in', async () => {
    const tender = await tenderWithBid(2);
    await flows.closeAfterDeadline(tender);
    const bid = await cronyBid(tender);
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const [{ n: before }] = await db.query('SELECT count(*)::int AS n FROM deal_events');
    await insert('tender.amended', tender.id, {
      number: 1,
      rationale: 'reopened',
      changes: { 'tenderPeriod.endDate': { before: tender.tenderPeriod.endDate, after: later } },
    });
    await insert('bid.submitted', tender.id, { commitment: bid.commitment });
    await insert('bid.opened', tender.id, bid.opened);
    const result = await sequenceAndVerify();
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          index: before,
          message: expect.stringMatching(/whose bids were opened at/),
        }),
        expect.objectContaining({
          index: before + 1,
          message: expect.stringMatching(/after tender .* bids were opened/),
        }),
        expect.objectContaining({
          index: before + 2,
          message: expect.stringMatching(/after tender .* closed at/),
        }),
      ]),
    );
  });

  it('refuses a commitment logged after its tender closed, even with a time a second before the deadline', async () => {
    const tender = await tenderWithBid(2);
    await flows.closeAfterDeadline(tender);
    const bid = await cronyBid(tender);
    const backdated = new Date(Date.parse(tender.tenderPeriod.endDate) - 1000).toISOString();
    const [{ n: before }] = await db.query('SELECT count(*)::int AS n FROM deal_events');
    await insert('bid.submitted', tender.id, { commitment: bid.commitment }, backdated);
    const result = await sequenceAndVerify();
    expect(result.ok).toBe(false);
    // The entries forged by the tests before are still there, and still refused: this test's own come after them.
    expect(result.problems.filter((p) => (p.index ?? -1) >= before)).toEqual([
      expect.objectContaining({
        index: before,
        message: expect.stringMatching(/after tender .* bids were opened/),
      }),
    ]);
  });

  it('refuses an amendment logged after the deadline in force, before any closing', async () => {
    const tender = await tenderWithBid(86_400);
    const [{ n: before }] = await db.query('SELECT count(*)::int AS n FROM deal_events');
    const afterDeadline = new Date(Date.parse(tender.tenderPeriod.endDate) + 60_000).toISOString();
    await insert(
      'tender.amended',
      tender.id,
      {
        number: 1,
        rationale: 'moved after it passed',
        changes: { 'tenderPeriod.endDate': { before: tender.tenderPeriod.endDate, after: afterDeadline } },
      },
      afterDeadline,
    );
    const result = await sequenceAndVerify();
    expect(result.problems.filter((p) => (p.index ?? -1) >= before)).toEqual([
      expect.objectContaining({
        index: before,
        message: expect.stringMatching(/^amendment at .* after tender/),
      }),
    ]);
  });

  it('refuses a cancellation long after the deadline that left a bid sealed', async () => {
    const tender = await tenderWithBid(86_400);
    const [{ n: before }] = await db.query('SELECT count(*)::int AS n FROM deal_events');
    const late = new Date(Date.parse(tender.tenderPeriod.endDate) + 3_600_000).toISOString();
    await insert('tender.cancelled', tender.id, { reason: 'quietly' }, late);
    const result = await sequenceAndVerify();
    expect(result.problems.filter((p) => (p.index ?? -1) >= before)).toEqual([
      expect.objectContaining({
        index: before,
        message: expect.stringMatching(/with 0 of its 1 sealed bids opened/),
      }),
    ]);
  });
});
