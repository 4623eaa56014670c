import request from 'supertest';
import { DataSource } from 'typeorm';
import { workingDaysBetween } from '../libs/domain/src/procurement/rules/working-calendar';
import { Actor, ActorFactory } from './factories/actors';
import { CatalogueFactory } from './factories/catalogue';
import { auth, tenderBody } from './factories/tenders';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';
import { untilWaitingOnLock } from './setup/tender-held';

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

  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  const amend = (tender: { id: string }, endDate: string) =>
    request(t.http)
      .post(`/api/v1/tenders/${tender.id}/amendments`)
      .set(auth(buyer))
      .send({ rationale: 'The need is more urgent', tenderPeriod: { endDate } });
  const view = async (id: string) => (await request(t.http).get(`/api/v1/tenders/${id}`).expect(200)).body;

  it('refuses a submission period shorter than 7 working days of the buyer’s country, saying how many it has', async () => {
    const res = await publishWithDeadline(3);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'TENDER_PERIOD_TOO_SHORT',
      details: { field: 'tenderPeriod.endDate', minimumWorkingDays: 7, workingDays: expect.any(Number) },
    });
    expect(res.body.details.workingDays).toBeLessThan(7);
  });

  it('counts working days by the calendar an operator set for the buyer’s country', async () => {
    // Armenia has no built-in calendar: weekends only, until an operator sets its years.
    const yerevan = await factory.actor('buyer', { cityCode: 'yerevan' });
    const yerevanId = (await factory.city('yerevan')).id;
    const publish = async () => {
      const draft = await request(t.http)
        .post('/api/v1/tenders')
        .set(auth(yerevan))
        .send(tenderBody(yerevanId, {}, 5 * 86_400))
        .expect(201);
      return request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(yerevan)).expect(400);
    };
    const before = (await publish()).body.details.workingDays;
    expect(before).toBeGreaterThan(0);
    // Every weekday from today to a week ahead made a day off, in each year those days fall in.
    const byYear = new Map<string, string[]>();
    for (let i = 0; i <= 7; i++) {
      const day = new Date(Date.now() + i * 86_400_000);
      if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
      const date = day.toISOString().slice(0, 10);
      byYear.set(date.slice(0, 4), [...(byYear.get(date.slice(0, 4)) ?? []), date]);
    }
    const operator = await factory.actor('operator');
    for (const [year, daysOff] of byYear) {
      await request(t.http)
        .put(`/api/v1/calendars/AM/${year}`)
        .set(auth(operator))
        .send({ daysOff, workingWeekendDays: [] })
        .expect(200);
    }
    expect((await publish()).body.details).toMatchObject({ workingDays: 0, minimumWorkingDays: 7 });
  });

  it('publishes with a long enough period', async () => {
    const res = await publishWithDeadline(20);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('active.tendering');
  });

  it('counts a deadline at local midnight as the end of the day before, not as one more working day', async () => {
    // The first Moscow working day that completes 7 working days after today: a deadline at 23:59 of it has them;
    // one at 00:00 of it, a second later than 23:59 the day before, has 6.
    const moscowDay = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: 'Europe/Moscow' });
    const today = moscowDay(new Date());
    let seventh = '';
    for (let k = 1; !seventh; k++) {
      const day = moscowDay(new Date(Date.now() + k * 86_400_000));
      if (workingDaysBetween('RU', today, day) === 7) seventh = day;
    }
    const publishBy = async (endDate: string) => {
      const body = tenderBody(cityId, { tenderPeriod: { endDate } });
      const draft = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(body).expect(201);
      return request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(buyer));
    };
    const atMidnight = await publishBy(`${seventh}T00:00:00+03:00`);
    expect(atMidnight.status).toBe(400);
    expect(atMidnight.body).toMatchObject({ code: 'TENDER_PERIOD_TOO_SHORT', details: { workingDays: 6 } });
    expect((await publishBy(`${seventh}T23:59:00+03:00`)).status).toBe(200);
  });

  it('gives a quotation session hours, not working days: at least QUOTATION_MIN_HOURS, at most QUOTATION_MAX_HOURS', async () => {
    const operator = await factory.actor('operator');
    const itemId = await new CatalogueFactory(t.app).activeItem(buyer, operator, {
      titleRu: 'Бумага для котировочной сессии',
    });
    const publishIn = async (hours: number) => {
      const body = tenderBody(cityId, { method: 'quotation' }, hours * 3600) as any;
      body.lots[0].items[0].catalogItemId = itemId;
      const draft = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(body).expect(201);
      const res = await request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(buyer));
      const [row] = await t.app
        .get(DataSource)
        .query(`SELECT status FROM tenders WHERE id = $1`, [draft.body.id]);
      return { res, status: row.status as string };
    };
    const short = await publishIn(3.9);
    expect(short.res.status).toBe(400);
    expect(short.res.body).toMatchObject({
      code: 'TENDER_PERIOD_TOO_SHORT',
      details: { field: 'tenderPeriod.endDate', minimumSeconds: 4 * 3600 },
    });
    expect(short.status).toBe('draft');
    const long = await publishIn(72.1);
    expect(long.res.status).toBe(400);
    expect(long.res.body).toMatchObject({
      code: 'TENDER_INVALID',
      details: { field: 'tenderPeriod.endDate', maximumHours: 72 },
    });
    expect(long.status).toBe('draft');
    // Four hours and a little, on any day: a weekend or a holiday does not count against it.
    const fine = await publishIn(4.1);
    expect(fine.res.status).toBe(200);
    expect(fine.status).toBe('active.tendering');
  });

  it('refuses questions closing before the enquiry period ends, and a delivery due before the deadline', async () => {
    const publishBody = async (body: Record<string, unknown>) => {
      const draft = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(body).expect(201);
      return request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(buyer));
    };
    const questions = await publishBody(
      tenderBody(
        cityId,
        { enquiryPeriod: { endDate: inDays(2) }, clarificationsUntil: inDays(1) },
        20 * 86_400,
      ),
    );
    expect(questions.status).toBe(400);
    expect(questions.body).toMatchObject({
      code: 'TENDER_INVALID',
      details: { field: 'clarificationsUntil' },
    });
    const body = tenderBody(cityId, {}, 20 * 86_400) as any;
    const due = inDays(10).slice(0, 10);
    body.lots[0].items[0].deliveryDate = due;
    const early = await publishBody(body);
    expect(early.status).toBe(400);
    expect(early.body).toMatchObject({
      code: 'TENDER_INVALID',
      details: { field: 'deliveryDate', lot: 1, deliveryDate: due },
    });
    body.lots[0].items[0].deliveryDate = inDays(21).slice(0, 10);
    expect((await publishBody(body)).status).toBe(200);
  });

  it('refuses an amendment moving the deadline past an item’s delivery date', async () => {
    const body = tenderBody(cityId, {}, 20 * 86_400) as any;
    body.lots[0].items[0].deliveryDate = inDays(22).slice(0, 10);
    const draft = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(body).expect(201);
    const published = (
      await request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(buyer)).expect(200)
    ).body;
    const res = await amend(published, inDays(25));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'TENDER_INVALID', details: { field: 'deliveryDate', lot: 1 } });
    expect((await view(published.id)).tenderPeriod.endDate).toBe(published.tenderPeriod.endDate);
  });

  it('compares delivery dates with the deadline’s day in the organiser’s city, not in UTC', async () => {
    // 03:00 in Almaty (UTC+5) is 22:00 of the day before in UTC: an item due that day before is refused.
    const almaty = await factory.actor('buyer', { cityCode: 'almaty' });
    const day = inDays(20).slice(0, 10);
    const dayBefore = new Date(Date.parse(day) - 86_400_000).toISOString().slice(0, 10);
    const publishDue = async (deliveryDate: string) => {
      const body = tenderBody(cityId, { tenderPeriod: { endDate: `${day}T03:00:00+05:00` } }) as any;
      body.lots[0].items[0].deliveryDate = deliveryDate;
      const draft = await request(t.http).post('/api/v1/tenders').set(auth(almaty)).send(body).expect(201);
      return request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(almaty));
    };
    const early = await publishDue(dayBefore);
    expect(early.status).toBe(400);
    expect(early.body).toMatchObject({ details: { field: 'deliveryDate', deliveryDate: dayBefore } });
    expect((await publishDue(day)).status).toBe(200);
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

  it('moves a deadline earlier only within the submission period and after the enquiry period', async () => {
    const published = (await publishWithDeadline(20)).body;

    // Four days after publication is less than 7 working days: refused, and nothing changes.
    const short = await amend(published, inDays(4));
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({
      code: 'TENDER_PERIOD_TOO_SHORT',
      details: { field: 'tenderPeriod.endDate', minimumWorkingDays: 7 },
    });
    expect(await view(published.id)).toMatchObject({
      tenderPeriod: { endDate: published.tenderPeriod.endDate },
      clarificationsUntil: published.clarificationsUntil,
    });

    // Eighteen days is enough; the clarification deadline (the old deadline) follows it, so that no question
    // can be asked after the deadline and hold the closing.
    const endDate = inDays(18);
    await amend(published, endDate).expect(201);
    const amended = await view(published.id);
    expect(amended.tenderPeriod.endDate).toBe(endDate);
    expect(amended.clarificationsUntil).toBe(endDate);
    const feed = await request(t.http)
      .get('/api/v1/tenders/changes')
      .query({ tenderId: published.id, limit: 200 })
      .expect(200);
    const event = feed.body.items.find((e: any) => e.type === 'tender.amended');
    expect(event.payload.changes.clarificationsUntil).toEqual({
      before: published.clarificationsUntil,
      after: endDate,
    });

    // A deadline before the end of the enquiry period is refused.
    const body = tenderBody(cityId, { enquiryPeriod: { endDate: inDays(12) } }, 30 * 86_400);
    const draft = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(body).expect(201);
    const withEnquiries = (
      await request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(buyer)).expect(200)
    ).body;
    const beforeEnquiries = await amend(withEnquiries, inDays(11));
    expect(beforeEnquiries.status).toBe(400);
    expect(beforeEnquiries.body).toMatchObject({
      code: 'TENDER_INVALID',
      details: { field: 'tenderPeriod.endDate' },
    });
    expect((await view(withEnquiries.id)).tenderPeriod.endDate).toBe(withEnquiries.tenderPeriod.endDate);
  });

  it('counts the submission period from when bids open, and refuses periods already over or too far ahead', async () => {
    const publish = async (body: Record<string, unknown>) => {
      const draft = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(body).expect(201);
      return request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(buyer));
    };
    // 30 days to the deadline, but bids are taken only in its last one, after the enquiry period.
    const lastDay = await publish(
      tenderBody(cityId, { enquiryPeriod: { endDate: inDays(29) } }, 30 * 86_400),
    );
    expect(lastDay.status).toBe(400);
    expect(lastDay.body).toMatchObject({
      code: 'TENDER_PERIOD_TOO_SHORT',
      details: { field: 'tenderPeriod.endDate' },
    });
    expect(lastDay.body.details.workingDays).toBeLessThanOrEqual(1);
    const refused: [Record<string, unknown>, number, string][] = [
      [{ enquiryPeriod: { endDate: inDays(-1 / 24) } }, 20, 'enquiryPeriod.endDate'],
      [{ clarificationsUntil: inDays(-1 / 24) }, 20, 'clarificationsUntil'],
      [{}, 800, 'tenderPeriod.endDate'],
      [{ tenderPeriod: { endDate: '9999-12-31T23:00:00Z' } }, 20, 'tenderPeriod.endDate'],
    ];
    for (const [overrides, days, field] of refused) {
      const res = await publish(tenderBody(cityId, overrides, days * 86_400));
      expect({ field, status: res.status, body: res.body }).toMatchObject({
        field,
        status: 400,
        body: { code: 'TENDER_INVALID', details: { field } },
      });
    }

    // A deadline moved earlier keeps the period counted the same way: 13 days from publication is enough
    // working days, 1 day after the enquiry period is not.
    const withEnquiries = await publish(
      tenderBody(cityId, { enquiryPeriod: { endDate: inDays(12) } }, 30 * 86_400),
    );
    expect(withEnquiries.status).toBe(200);
    const earlier = await amend(withEnquiries.body, inDays(13));
    expect(earlier.status).toBe(400);
    expect(earlier.body).toMatchObject({
      code: 'TENDER_PERIOD_TOO_SHORT',
      details: { field: 'tenderPeriod.endDate' },
    });
    expect(earlier.body.details.workingDays).toBeLessThanOrEqual(1);
  });

  it('offers the union-wide preference only to buyers in the Eurasian Economic Union', async () => {
    const outside = await factory.actor('buyer', { cityCode: 'chisinau' });
    const chisinau = (await factory.city('chisinau')).id;
    const eaeu = { localPreference: { scope: 'eaeu', percent: '15' } };
    const refused = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(outside))
      .send(tenderBody(chisinau, eaeu, 20 * 86_400))
      .expect(400);
    expect(refused.body).toMatchObject({
      code: 'TENDER_INVALID',
      details: { field: 'localPreference.scope' },
    });
    const country = { localPreference: { scope: 'country', percent: '15' } };
    await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(outside))
      .send(tenderBody(chisinau, country, 20 * 86_400))
      .expect(201);
    await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(buyer))
      .send(tenderBody(cityId, eaeu, 20 * 86_400))
      .expect(201);
  });

  it('refuses lots whose estimates add up to more than a tender value holds, on a draft and by amendment', async () => {
    const lot = (title: string) => ({ ...tenderBody(cityId).lots[0], title, estimate: '999999999999.99' });
    const many = Array.from({ length: 11 }, (_, i) => lot(`Lot ${i + 1}`));
    const res = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(buyer))
      .send(tenderBody(cityId, { lots: many }, 20 * 86_400))
      .expect(400);
    expect(res.body).toMatchObject({ code: 'TENDER_INVALID', details: { field: 'lots' } });
    // Ten such lots fit; raising the estimate of an eleventh past the total is refused and changes nothing.
    const ten = [...many.slice(0, 10), { ...lot('Lot 11'), estimate: '0.01' }];
    const draft = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(buyer))
      .send(tenderBody(cityId, { lots: ten }, 20 * 86_400))
      .expect(201);
    const published = (
      await request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(buyer)).expect(200)
    ).body;
    const last = published.lots[10];
    const raised = await request(t.http)
      .post(`/api/v1/tenders/${published.id}/amendments`)
      .set(auth(buyer))
      .send({ rationale: 'Bigger', lots: [{ lotId: last.id, estimate: '1.00' }] })
      .expect(400);
    expect(raised.body).toMatchObject({ code: 'TENDER_INVALID', details: { field: 'lots' } });
    expect((await view(published.id)).lots[10].estimate).toBe('0.01');
  });

  it('keeps questions open until a later deadline where they were open until the deadline, and not otherwise', async () => {
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    const extend = async (body: Record<string, unknown>) => {
      const draft = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(body).expect(201);
      await request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(buyer)).expect(200);
      const endDate = inDays(25);
      await request(t.http)
        .post(`/api/v1/tenders/${draft.body.id}/amendments`)
        .set(auth(buyer))
        .send({ rationale: 'More time for suppliers', tenderPeriod: { endDate } })
        .expect(201);
      const view = (await request(t.http).get(`/api/v1/tenders/${draft.body.id}`).expect(200)).body;
      return { endDate, view };
    };
    const untilDeadline = await extend(tenderBody(cityId, {}, 20 * 86_400));
    expect(untilDeadline.view.clarificationsUntil).toBe(untilDeadline.endDate);
    const ownDeadline = inDays(10);
    const earlier = await extend(tenderBody(cityId, { clarificationsUntil: ownDeadline }, 20 * 86_400));
    expect(earlier.view.tenderPeriod.endDate).toBe(earlier.endDate);
    expect(earlier.view.clarificationsUntil).toBe(ownDeadline);
  });

  it('filters the public list by a value kept through draft replacement, amendments and lot cancellation', async () => {
    const lots = (a: string, b: string) => [
      { ...tenderBody(cityId).lots[0], title: 'Lot A', estimate: a },
      { ...tenderBody(cityId).lots[0], title: 'Lot B', estimate: b },
    ];
    const draft = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(buyer))
      .send(tenderBody(cityId, { lots: lots('11111.11', '22222.22') }, 20 * 86_400))
      .expect(201);
    await request(t.http)
      .put(`/api/v1/tenders/${draft.body.id}`)
      .set(auth(buyer))
      .send(tenderBody(cityId, { lots: lots('12345.67', '20000.00') }, 20 * 86_400))
      .expect(200);
    const tender = (
      await request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(buyer)).expect(200)
    ).body;
    /** Ids of the public tenders whose value is exactly `amount`, by the list's value filters. */
    const valued = async (amount: string, path = '/api/v1/tenders') =>
      (
        await request(t.http).get(path).query({ valueMin: amount, valueMax: amount, limit: 200 }).expect(200)
      ).body.items.map((i: any) => i.id);
    expect(await valued('33333.33')).toEqual([]);
    expect(await valued('32345.67')).toEqual([tender.id]);

    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/amendments`)
      .set(auth(buyer))
      .send({ rationale: 'More paper', lots: [{ lotId: tender.lots[0].id, estimate: '22345.67' }] })
      .expect(201);
    expect(await valued('32345.67')).toEqual([]);
    expect(await valued('42345.67')).toEqual([tender.id]);

    await request(t.http)
      .post(`/api/v1/tenders/${tender.id}/lots/${tender.lots[1].id}/cancel`)
      .set(auth(buyer))
      .send({ reason: 'Bought elsewhere' })
      .expect(200);
    expect(await valued('42345.67')).toEqual([]);
    expect(await valued('22345.67')).toEqual([tender.id]);
    // The auditors' deal search filters and shows the same value.
    const auditor = await factory.actor('auditor');
    const deals = await request(t.http)
      .get('/api/v1/audit/deals')
      .set(auth(auditor))
      .query({ valueMin: '22345.67', valueMax: '22345.67' })
      .expect(200);
    expect(deals.body.items.map((d: any) => [d.id, d.value.amount])).toEqual([[tender.id, '22345.67']]);
  });

  /** A joint tender of two buyers: each its share of the lot and its quantity of the item. */
  const jointBody = (organiser: Actor, partner: Actor) => {
    const body = tenderBody(cityId, { jointBuyerIds: [partner.organization.id] }, 20 * 86_400) as any;
    const [lot] = body.lots;
    lot.shares = [
      { buyerId: organiser.organization.id, amount: '60000.00' },
      { buyerId: partner.organization.id, amount: '40000.00' },
    ];
    lot.items[0].quantities = [
      { buyerId: organiser.organization.id, quantity: '120' },
      { buyerId: partner.organization.id, quantity: '80' },
    ];
    return body;
  };

  it('publishes only while every buyer of the tender is active', async () => {
    const organiser = await factory.actor('buyer', { cityCode: 'moscow' });
    const joint = await factory.actor('buyer', { cityCode: 'moscow' });
    const draft = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(organiser))
      .send(jointBody(organiser, joint))
      .expect(201);
    await request(t.http)
      .post(`/api/v1/tenders/${draft.body.id}/participation`)
      .set(auth(joint))
      .send({ revision: draft.body.revision })
      .expect(204);
    const db = t.app.get(DataSource);
    const publish = () =>
      request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(organiser));
    await db.query(`UPDATE organizations SET status = 'suspended' WHERE id = $1`, [joint.organization.id]);
    const refused = await publish().expect(403);
    expect(refused.body).toMatchObject({
      code: 'BUYER_NOT_ACTIVE',
      details: { buyerId: joint.organization.id, status: 'suspended' },
    });
    await db.query(`UPDATE organizations SET status = 'active' WHERE id = $1`, [joint.organization.id]);
    expect((await publish().expect(200)).body.status).toBe('active.tendering');
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

  describe('item characteristics', () => {
    const A4 = { name: 'Формат', value: 'A4' };
    const SHEETS = { name: 'Листов в пачке', value: '500', unit: 'H87' };

    /** The default body with the first item's fields replaced by `item`. */
    const withItem = (item: Record<string, unknown>, days = 20) => {
      const body = tenderBody(cityId, {}, days * 86_400);
      Object.assign(body.lots[0]!.items[0]!, item);
      return body;
    };
    const itemOf = (tender: { lots: { items: any[] }[] }) => tender.lots[0]!.items[0];
    const rowCounts = async () => {
      const [row] = await t.app
        .get(DataSource)
        .query<{ tenders: number; items: number }[]>(
          `SELECT (SELECT count(*)::int FROM tenders) AS tenders, (SELECT count(*)::int FROM tender_items) AS items`,
        );
      return row;
    };

    it('stores a free item’s characteristics and shows them to the buyer, the public and the publication event', async () => {
      const created = await request(t.http)
        .post('/api/v1/tenders')
        .set(auth(buyer))
        .send(withItem({ characteristics: [A4, SHEETS] }))
        .expect(201);
      expect(itemOf(created.body)).toMatchObject({ catalogItemId: null });
      expect(itemOf(created.body).characteristics).toEqual([A4, SHEETS]);
      const replaced = await request(t.http)
        .put(`/api/v1/tenders/${created.body.id}`)
        .set(auth(buyer))
        .send(withItem({ characteristics: [{ name: 'Формат', value: 'A3' }] }))
        .expect(200);
      expect(itemOf(replaced.body).characteristics).toEqual([{ name: 'Формат', value: 'A3' }]);
      const draft = await request(t.http)
        .get(`/api/v1/tenders/${created.body.id}/draft`)
        .set(auth(buyer))
        .expect(200);
      expect(itemOf(draft.body).characteristics).toEqual([{ name: 'Формат', value: 'A3' }]);

      await request(t.http).post(`/api/v1/tenders/${created.body.id}/publish`).set(auth(buyer)).expect(200);
      const published = await request(t.http).get(`/api/v1/tenders/${created.body.id}`).expect(200);
      expect(itemOf(published.body).characteristics).toEqual([{ name: 'Формат', value: 'A3' }]);
      const feed = await request(t.http)
        .get('/api/v1/tenders/changes')
        .query({ tenderId: created.body.id })
        .expect(200);
      const event = feed.body.items.find((e: { type: string }) => e.type === 'tender.published');
      expect(itemOf(event.payload.tender)).toEqual(itemOf(published.body));
    });

    it('gives an item without characteristics an empty list, a catalogue item included', async () => {
      const itemId = (
        await new CatalogueFactory(t.app).propose(buyer, { titleRu: 'Бумага A4 для принтеров' })
      ).id;
      const free = await request(t.http)
        .post('/api/v1/tenders')
        .set(auth(buyer))
        .send(withItem({}))
        .expect(201);
      expect(itemOf(free.body).characteristics).toEqual([]);
      const catalogued = await request(t.http)
        .post('/api/v1/tenders')
        .set(auth(buyer))
        .send(withItem({ catalogItemId: itemId, characteristics: [] }))
        .expect(201);
      expect(itemOf(catalogued.body)).toMatchObject({ catalogItemId: itemId, characteristics: [] });
    });

    it('does not name the code, unit or merge of another organisation’s unpublished proposal', async () => {
      const supplier = await factory.actor('supplier');
      const proposal = (
        await new CatalogueFactory(t.app).propose(supplier, { titleRu: 'Бумага, чужая заявка' })
      ).id;
      const refused = async (catalogItemId: string, item: Record<string, unknown>) => {
        const res = await request(t.http)
          .post('/api/v1/tenders')
          .set(auth(buyer))
          .send(withItem({ catalogItemId, ...item }))
          .expect(400);
        const { correlationId: _, ...body } = res.body;
        return body;
      };
      const missing = '00000000-0000-4000-8000-000000000000';
      for (const wrong of [
        { classification: { scheme: 'CPV', id: '03111000-2' } },
        { unitCode: 'KGM' },
        {},
      ]) {
        expect(await refused(proposal, wrong)).toEqual(await refused(missing, wrong));
      }
      expect(await refused(proposal, {})).toMatchObject({
        code: 'TENDER_INVALID',
        details: { field: 'lots.0.items.0.catalogItemId' },
      });
    });

    it('publishes only active catalogue items, and names the survivor of a merged one', async () => {
      const catalogue = new CatalogueFactory(t.app);
      const operator = await factory.actor('operator');
      const pending = (await catalogue.propose(buyer, { titleRu: 'Бумага A4, на модерации' })).id;
      const draft = await request(t.http)
        .post('/api/v1/tenders')
        .set(auth(buyer))
        .send(withItem({ catalogItemId: pending }))
        .expect(201);
      const publish = () => request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(buyer));
      // In moderation: the draft may name it, publication waits for the approval.
      const early = await publish().expect(400);
      expect(early.body).toMatchObject({
        code: 'TENDER_INVALID',
        details: { field: 'lots.0.items', catalogItemId: pending, status: 'pending' },
      });
      // Merged into a survivor after the draft named it: publication and a new draft both name the survivor.
      const survivor = await catalogue.activeItem(buyer, operator, {
        titleRu: 'Бумага A4, основная карточка',
      });
      await catalogue.approve(operator, pending);
      await request(t.http)
        .post(`/api/v1/catalogue/items/${pending}/merge`)
        .set(auth(operator))
        .send({
          survivorId: survivor,
          reason: 'Duplicate card',
          version: await catalogue.version(operator, pending),
        })
        .expect(200);
      const merged = await publish().expect(400);
      expect(merged.body).toMatchObject({
        code: 'TENDER_INVALID',
        details: { field: 'lots.0.items', mergedIntoId: survivor },
      });
      const again = await request(t.http)
        .post('/api/v1/tenders')
        .set(auth(buyer))
        .send(withItem({ catalogItemId: pending }))
        .expect(400);
      expect(again.body).toMatchObject({
        code: 'TENDER_INVALID',
        details: { field: 'lots.0.items.0.catalogItemId', mergedIntoId: survivor },
      });
      expect(
        (await request(t.http).get(`/api/v1/tenders/${draft.body.id}/draft`).set(auth(buyer))).body.status,
      ).toBe('draft');
      await request(t.http)
        .put(`/api/v1/tenders/${draft.body.id}`)
        .set(auth(buyer))
        .send(withItem({ catalogItemId: survivor }))
        .expect(200);
      expect((await publish().expect(200)).body.status).toBe('active.tendering');
    });

    it('waits for a change of the card running at publication, and refuses an item archived by it', async () => {
      const catalogue = new CatalogueFactory(t.app);
      const operator = await factory.actor('operator');
      const itemId = await catalogue.activeItem(buyer, operator, { titleRu: 'Бумага A4, снимается' });
      const draft = await request(t.http)
        .post('/api/v1/tenders')
        .set(auth(buyer))
        .send(withItem({ catalogItemId: itemId }))
        .expect(201);
      // A moderation of the card, written and not yet committed, as a merge or an archiving holds it.
      const moderation = t.app.get(DataSource).createQueryRunner();
      await moderation.connect();
      await moderation.startTransaction();
      try {
        await moderation.query(`UPDATE catalog_items SET status = 'archived' WHERE id = $1`, [itemId]);
        const publishing = request(t.http)
          .post(`/api/v1/tenders/${draft.body.id}/publish`)
          .set(auth(buyer))
          .then((r) => r);
        await untilWaitingOnLock(t.app.get(DataSource), 'catalog_items');
        await moderation.commitTransaction();
        const res = await publishing;
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'TENDER_INVALID', details: { field: 'lots.0.items' } });
        expect(res.body.message).toContain('archived');
      } finally {
        if (moderation.isTransactionActive) await moderation.rollbackTransaction();
        await moderation.release();
      }
    });

    it("buys a catalogue item with its card's CPV code and unit, at saving and again at publication", async () => {
      const catalogue = new CatalogueFactory(t.app);
      const operator = await factory.actor('operator');
      // The card: office paper, CPV 30197630-1, in packs (XPK), as the tender body's item is.
      const itemId = await catalogue.activeItem(buyer, operator, { titleRu: 'Бумага A4, пачка 500 листов' });
      const before = await rowCounts();
      const otherCode = await request(t.http)
        .post('/api/v1/tenders')
        .set(auth(buyer))
        .send(withItem({ catalogItemId: itemId, classification: { scheme: 'CPV', id: '30190000-7' } }))
        .expect(400);
      expect(otherCode.body).toMatchObject({
        code: 'TENDER_INVALID',
        details: { field: 'lots.0.items.0.classification', catalogItemId: itemId, cpvCode: '30197630-1' },
      });
      const otherUnit = await request(t.http)
        .post('/api/v1/tenders')
        .set(auth(buyer))
        .send(withItem({ catalogItemId: itemId, unitCode: 'KGM' }))
        .expect(400);
      expect(otherUnit.body).toMatchObject({
        code: 'TENDER_INVALID',
        details: { field: 'lots.0.items.0.unitCode', catalogItemId: itemId, unitCode: 'XPK' },
      });
      expect(await rowCounts()).toEqual(before);
      // A free item may have any code and unit.
      await request(t.http)
        .post('/api/v1/tenders')
        .set(auth(buyer))
        .send(withItem({ classification: { scheme: 'CPV', id: '30190000-7' }, unitCode: 'KGM' }))
        .expect(201);

      const draft = await request(t.http)
        .post('/api/v1/tenders')
        .set(auth(buyer))
        .send(withItem({ catalogItemId: itemId }))
        .expect(201);
      // The operator measures the card in boxes after the draft named it: publication names the difference.
      await request(t.http)
        .patch(`/api/v1/catalogue/items/${itemId}`)
        .set(auth(operator))
        .send({ unitCode: 'XBX' })
        .expect(200);
      const publish = () => request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(buyer));
      const refused = await publish().expect(400);
      expect(refused.body).toMatchObject({
        code: 'TENDER_INVALID',
        details: { field: 'lots.0.items.0.unitCode', catalogItemId: itemId, unitCode: 'XBX' },
      });
      await request(t.http)
        .put(`/api/v1/tenders/${draft.body.id}`)
        .set(auth(buyer))
        .send(withItem({ catalogItemId: itemId, unitCode: 'XBX' }))
        .expect(200);
      expect((await publish().expect(200)).body.status).toBe('active.tendering');
    });

    it('refuses bad characteristics with 400 naming the field, and stores nothing', async () => {
      const itemId = (
        await new CatalogueFactory(t.app).propose(buyer, { titleRu: 'Бумага A3 для принтеров' })
      ).id;
      const draft = await request(t.http)
        .post('/api/v1/tenders')
        .set(auth(buyer))
        .send(withItem({ characteristics: [A4] }))
        .expect(201);
      const before = await rowCounts();
      const field = 'lots.0.items.0.characteristics';
      const validation = (path: string, message: string) => ({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: `${path}: ${message}`,
        details: { fields: [{ field: path, messages: [message] }] },
        correlationId: expect.any(String),
      });
      const tenderInvalid = (path: string, message: string) => ({
        statusCode: 400,
        code: 'TENDER_INVALID',
        message: `${path}: ${message}`,
        details: { field: path },
        correlationId: expect.any(String),
      });
      const cases: [unknown, object][] = [
        [
          Array.from({ length: 51 }, (_, i) => ({ name: `n${i}`, value: 'v' })),
          validation(field, 'characteristics must contain no more than 50 elements'),
        ],
        [
          [{ name: '', value: 'A4' }],
          validation(`${field}.0.name`, 'name must be longer than or equal to 1 characters'),
        ],
        [
          [A4, { name: 'Плотность', value: 'x'.repeat(501) }],
          validation(`${field}.1.value`, 'value must be shorter than or equal to 500 characters'),
        ],
        [
          [{ name: 'Формат', value: 'A4\u0000' }],
          validation(`${field}.0.value`, 'must not contain the NUL character (U+0000)'),
        ],
        [
          [{ ...A4, colour: 'white' }],
          validation(`${field}.0.colour`, `property ${field}.0.colour should not exist`),
        ],
        [
          [{ ...A4, unit: 'kilogram' }],
          tenderInvalid(`${field}.0.unit`, 'not a known UN/ECE Recommendation 20 unit'),
        ],
      ];
      for (const [characteristics, error] of cases) {
        const created = await request(t.http)
          .post('/api/v1/tenders')
          .set(auth(buyer))
          .send(withItem({ characteristics }))
          .expect(400);
        expect(created.body).toEqual(error);
        const replaced = await request(t.http)
          .put(`/api/v1/tenders/${draft.body.id}`)
          .set(auth(buyer))
          .send(withItem({ characteristics }))
          .expect(400);
        expect(replaced.body).toEqual(error);
      }
      // Not an array: class-validator adds its other checks' messages to this one, in its own order.
      const notArray = await request(t.http)
        .post('/api/v1/tenders')
        .set(auth(buyer))
        .send(withItem({ characteristics: A4 }))
        .expect(400);
      expect(notArray.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field }] } });
      expect(notArray.body.details.fields[0].messages).toContain('characteristics must be an array');
      const catalogued = await request(t.http)
        .post('/api/v1/tenders')
        .set(auth(buyer))
        .send(withItem({ catalogItemId: itemId, characteristics: [A4] }))
        .expect(400);
      expect(catalogued.body).toEqual(
        tenderInvalid(field, 'a catalogue item has the characteristics of its card; give none'),
      );
      expect(await rowCounts()).toEqual(before);
      const kept = await request(t.http)
        .get(`/api/v1/tenders/${draft.body.id}/draft`)
        .set(auth(buyer))
        .expect(200);
      expect(itemOf(kept.body).characteristics).toEqual([A4]);
    });
  });
});
