import request from 'supertest';
import { DataSource } from 'typeorm';
import { Actor, ActorFactory } from './factories/actors';
import { auth, TenderFlows, tenderBody } from './factories/tenders';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';

describe('Complaints during the stand-still', () => {
  let t: TestApp;
  let factory: ActorFactory;
  let flows: TenderFlows;
  let buyer: Actor;
  let operator: Actor;
  let cityId: string;

  beforeAll(async () => {
    await resetState();
    // A stand-still long enough to complain in; the tests end it themselves.
    t = await createTestApp({ STANDSTILL_SECONDS: '3600' });
    factory = new ActorFactory(t.app);
    flows = new TenderFlows(t.app);
    buyer = await factory.actor('buyer', { cityCode: 'moscow' });
    operator = await factory.actor('operator');
    cityId = (await factory.city('moscow')).id;
  });
  afterAll(() => t.app.close());

  /** A closed tender whose award went to the first supplier and was accepted: its contracts. */
  const awarded = async (suppliers: Actor[], prices: string[]) => {
    const tender = await flows.publish(buyer, tenderBody(cityId, {}, 2));
    for (let i = 0; i < suppliers.length; i++) await flows.bid(suppliers[i]!, tender, [prices[i]!]);
    await flows.closeAfterDeadline(tender);
    const contracts = await flows.acceptAward(buyer, tender);
    return { tender, awardId: contracts[0].awardId as string, contracts };
  };
  const complain = (
    actor: Actor,
    tender: any,
    awardId: string,
    text = 'The winner has no licence for this',
  ) =>
    request(t.http)
      .post(`/api/v1/tenders/${tender.id}/awards/${awardId}/complaints`)
      .set(auth(actor))
      .send({ text });
  const decide = (actor: Actor, id: string, decision: string) =>
    request(t.http)
      .post(`/api/v1/complaints/${id}/decide`)
      .set(auth(actor))
      .send({ decision, reason: 'Checked against the registry' });
  const endStandstill = (awardId: string) =>
    t.app
      .get(DataSource)
      .query(`UPDATE awards SET standstill_end = now() - interval '1 second' WHERE id = $1`, [awardId]);
  const sign = (contractId: string) =>
    request(t.http).post(`/api/v1/contracts/${contractId}/sign`).set(auth(buyer));
  const events = async (tenderId: string) =>
    (
      await t.app
        .get(DataSource)
        .query(`SELECT type FROM deal_events WHERE tender_id = $1 ORDER BY id`, [tenderId])
    ).map((e: { type: string }) => e.type);

  it('takes a complaint from a losing bidder only, holds the contracts while it waits, and lets them be signed once dismissed', async () => {
    const [winner, loser, late, outsider] = [
      await factory.actor('supplier'),
      await factory.actor('supplier'),
      await factory.actor('supplier'),
      await factory.actor('supplier'),
    ];
    const { tender, awardId, contracts } = await awarded(
      [winner, loser, late],
      ['90000.00', '95000.00', '99000.00'],
    );

    for (const who of [winner, outsider]) {
      expect((await complain(who, tender, awardId).expect(403)).body.code).toBe('NOT_A_BIDDER_ON_LOT');
    }
    expect((await complain(buyer, tender, awardId).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
    expect((await complain(loser, tender, awardId, 'short').expect(400)).body.code).toBe('VALIDATION_FAILED');
    const filed = (await complain(loser, tender, awardId).expect(201)).body;
    expect(filed).toMatchObject({
      tenderId: tender.id,
      awardId,
      complainant: { id: loser.organization.id, legalName: expect.any(String) },
      status: 'pending',
      decisionReason: null,
    });
    expect((await complain(loser, tender, awardId).expect(409)).body.code).toBe('COMPLAINT_EXISTS');
    // Public, with the complainant named.
    const listed = (await request(t.http).get(`/api/v1/tenders/${tender.id}/complaints`).expect(200)).body;
    expect(listed.items.map((c: any) => [c.id, c.complainant.id])).toEqual([
      [filed.id, loser.organization.id],
    ]);

    // Past the stand-still: no new complaint, and no signature while one waits.
    await endStandstill(awardId);
    expect((await complain(late, tender, awardId).expect(409)).body.code).toBe('COMPLAINT_PERIOD_OVER');
    expect((await sign(contracts[0].id).expect(409)).body.code).toBe('COMPLAINT_PENDING');

    const queue = (
      await request(t.http).get('/api/v1/complaints').query({ status: 'pending' }).set(auth(operator))
    ).body;
    expect(queue.items.map((c: any) => c.id)).toContain(filed.id);
    await request(t.http).get('/api/v1/complaints').set(auth(loser)).expect(403);
    expect((await decide(loser, filed.id, 'dismissed').expect(403)).body.code).toBe('FORBIDDEN_ROLE');
    const dismissed = (await decide(operator, filed.id, 'dismissed').expect(200)).body;
    expect(dismissed).toMatchObject({ status: 'dismissed', decisionReason: 'Checked against the registry' });
    expect((await decide(operator, filed.id, 'upheld').expect(409)).body.code).toBe(
      'COMPLAINT_STATE_CONFLICT',
    );
    await sign(contracts[0].id).expect(204);
    expect((await events(tender.id)).filter((e: string) => e.startsWith('complaint.'))).toEqual([
      'complaint.filed',
      'complaint.decided',
    ]);
  });

  it('cancels the lot, its award and contracts when a complaint is upheld, closing the others about it', async () => {
    const [winner, loser, third] = [
      await factory.actor('supplier'),
      await factory.actor('supplier'),
      await factory.actor('supplier'),
    ];
    const { tender, awardId, contracts } = await awarded(
      [winner, loser, third],
      ['90000.00', '95000.00', '97000.00'],
    );
    const filed = (await complain(loser, tender, awardId).expect(201)).body;
    const other = (await complain(third, tender, awardId).expect(201)).body;
    await decide(operator, filed.id, 'upheld').expect(200);
    const listed = (await request(t.http).get(`/api/v1/tenders/${tender.id}/complaints`).expect(200)).body;
    expect(listed.items.map((c: any) => [c.id, c.status])).toEqual([
      [filed.id, 'upheld'],
      [other.id, 'closed'],
    ]);
    expect((await decide(operator, other.id, 'dismissed').expect(409)).body.code).toBe(
      'COMPLAINT_STATE_CONFLICT',
    );
    const view = (await request(t.http).get(`/api/v1/tenders/${tender.id}`).expect(200)).body;
    expect(view.status).toBe('cancelled');
    expect(view.lots[0].status).toBe('cancelled');
    const awards = (await request(t.http).get(`/api/v1/tenders/${tender.id}/awards`).expect(200)).body.items;
    expect(awards.find((a: any) => a.id === awardId).status).toBe('cancelled');
    await endStandstill(awardId);
    expect((await sign(contracts[0].id).expect(409)).body.code).toBe('CONTRACT_STATE_CONFLICT');
    expect((await events(tender.id)).slice(-6)).toEqual([
      'complaint.filed',
      'complaint.filed',
      'complaint.decided',
      'complaint.closed',
      'lot.cancelled',
      'tender.cancelled',
    ]);
  });

  it('closes a pending complaint when the buyer cancels the tender first', async () => {
    const [winner, loser] = [await factory.actor('supplier'), await factory.actor('supplier')];
    const { tender, awardId } = await awarded([winner, loser], ['90000.00', '95000.00']);
    const filed = (await complain(loser, tender, awardId).expect(201)).body;
    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/cancel`)
      .set(auth(buyer))
      .send({ reason: 'The budget was withdrawn' })
      .expect(200);
    const [complaint] = (await request(t.http).get(`/api/v1/tenders/${tender.id}/complaints`).expect(200))
      .body.items;
    expect(complaint).toMatchObject({
      id: filed.id,
      status: 'closed',
      decisionReason: 'the tender was cancelled: The budget was withdrawn',
    });
    expect((await decide(operator, filed.id, 'upheld').expect(409)).body.code).toBe(
      'COMPLAINT_STATE_CONFLICT',
    );
    const queue = (
      await request(t.http).get('/api/v1/complaints').query({ status: 'pending' }).set(auth(operator))
    ).body;
    expect(queue.items.map((c: any) => c.id)).not.toContain(filed.id);
    expect((await events(tender.id)).slice(-2)).toEqual(['complaint.closed', 'tender.cancelled']);
  });
});
