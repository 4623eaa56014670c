import request from 'supertest';
import { Actor, ActorFactory } from './factories/actors';
import { auth, tenderBody } from './factories/tenders';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';

describe('Publication rules (production minimum periods)', () => {
  let t: TestApp;
  let factory: ActorFactory;
  let buyer: Actor;
  let cityId: string;

  beforeAll(async () => {
    await resetState();
    // No test override: an open tender needs 7 working days of the buyer's country.
    t = await createTestApp({ TENDER_MIN_PERIOD_SECONDS: '' });
    factory = new ActorFactory(t.app);
    buyer = await factory.actor('buyer', { cityCode: 'moscow' });
    cityId = (await factory.city('moscow')).id;
  });
  afterAll(() => t.app.close());

  const publishWithDeadline = async (days: number) => {
    const draft = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(buyer))
      .send(tenderBody(cityId, {}, days * 86_400))
      .expect(201);
    return request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(buyer));
  };

  it('refuses a submission period shorter than 7 working days of the buyer’s country, saying how many it has', async () => {
    const res = await publishWithDeadline(3);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'TENDER_PERIOD_TOO_SHORT',
      details: { field: 'tenderPeriod.endDate', minimumWorkingDays: 7, workingDays: expect.any(Number) },
    });
    expect(res.body.details.workingDays).toBeLessThan(7);
  });

  it('publishes with a long enough period', async () => {
    const res = await publishWithDeadline(20);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('active.tendering');
  });

  it('refuses a deadline in the past and an enquiry period ending after the deadline', async () => {
    const past = await publishWithDeadline(-1);
    expect(past.body.code).toBe('TENDER_PERIOD_TOO_SHORT');
    const body = tenderBody(
      cityId,
      { enquiryPeriod: { endDate: new Date(Date.now() + 40 * 86_400_000).toISOString() } },
      20 * 86_400,
    );
    const draft = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(body).expect(201);
    const res = await request(t.http)
      .post(`/api/v1/tenders/${draft.body.id}/publish`)
      .set(auth(buyer))
      .expect(400);
    expect(res.body).toMatchObject({ code: 'TENDER_INVALID', details: { field: 'enquiryPeriod.endDate' } });
  });

  it('hides drafts from other buyers and lets the organiser replace and delete them', async () => {
    const draft = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(buyer))
      .send(tenderBody(cityId))
      .expect(201);
    const other = await factory.actor('buyer');
    await request(t.http).get(`/api/v1/tenders/${draft.body.id}/draft`).set(auth(other)).expect(404);
    const replaced = await request(t.http)
      .put(`/api/v1/tenders/${draft.body.id}`)
      .set(auth(buyer))
      .send(tenderBody(cityId, { title: 'Paper, replaced draft' }))
      .expect(200);
    expect(replaced.body.title).toBe('Paper, replaced draft');
    await request(t.http).delete(`/api/v1/tenders/${draft.body.id}`).set(auth(other)).expect(404);
    await request(t.http).delete(`/api/v1/tenders/${draft.body.id}`).set(auth(buyer)).expect(204);
    await request(t.http).get(`/api/v1/tenders/${draft.body.id}/draft`).set(auth(buyer)).expect(404);
  });

  it('refuses unknown CPV codes, units and cities in items', async () => {
    const body = tenderBody(cityId) as any;
    body.lots[0].items[0].classification.id = '99999998-0';
    const cpv = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(body).expect(400);
    expect(cpv.body).toMatchObject({
      code: 'TENDER_INVALID',
      details: { field: 'lots.0.items.0.classification' },
    });
    const unit = tenderBody(cityId) as any;
    unit.lots[0].items[0].unitCode = 'ZZZ';
    const res = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(unit).expect(400);
    expect(res.body.details.field).toBe('lots.0.items.0.unitCode');
  });
});
