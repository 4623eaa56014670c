import request from 'supertest';
import { Actor, ActorFactory } from './factories/actors';
import { auth } from './factories/tenders';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';

describe('Working-day calendars', () => {
  let t: TestApp;
  let operator: Actor;
  let supplier: Actor;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    const factory = new ActorFactory(t.app);
    operator = await factory.actor('operator');
    supplier = await factory.actor('supplier');
  });
  afterAll(() => t.app.close());

  const get = (path: string) => request(t.http).get(`/api/v1/calendars/${path}`);
  const put = (actor: Actor | null, path: string, body: unknown) => {
    const req = request(t.http).put(`/api/v1/calendars/${path}`);
    return (actor ? req.set(auth(actor)) : req).send(body as object);
  };
  const armenia2027 = { daysOff: ['2027-03-08', '2027-01-01', '2027-01-06'], workingWeekendDays: [] };

  it('shows the built-in calendars, weekends only where none is known, and only for member countries', async () => {
    const ru = (await get('RU/2026').expect(200)).body;
    expect(ru).toMatchObject({ country: 'RU', year: 2026, source: 'built-in', setAt: null });
    expect(ru.daysOff).toContain('2026-01-09');
    expect((await get('am/2027').expect(200)).body).toEqual({
      country: 'AM',
      year: 2027,
      daysOff: [],
      workingWeekendDays: [],
      source: 'none',
      setAt: null,
    });
    expect((await get('US/2027').expect(404)).body.code).toBe('CALENDAR_COUNTRY_UNKNOWN');
    for (const path of ['R1/2027', 'RUS/2027', 'RU/27', 'RU/2027x']) {
      expect((await get(path).expect(400)).body.code).toBe('VALIDATION_FAILED');
    }
    expect((await get('RU/1999').expect(400)).body).toMatchObject({
      code: 'CALENDAR_INVALID',
      details: { field: 'year' },
    });
  });

  it('lets only operators set a year, refuses impossible dates, and serves what was set', async () => {
    expect((await put(null, 'AM/2027', armenia2027)).status).toBe(401);
    expect((await put(supplier, 'AM/2027', armenia2027).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
    const bad = await put(operator, 'AM/2027', {
      daysOff: ['2027-01-02', '2026-12-31'],
      workingWeekendDays: ['2027-11-12'],
    }).expect(400);
    expect(bad.body).toMatchObject({
      code: 'CALENDAR_INVALID',
      details: {
        fields: [
          { field: 'daysOff[0]', messages: ['must be Monday to Friday'] },
          { field: 'daysOff[1]', messages: ['must be a date of 2027 (YYYY-MM-DD)'] },
          { field: 'workingWeekendDays[0]', messages: ['must be a Saturday or Sunday'] },
        ],
      },
    });
    expect((await put(operator, 'AM/2027', { daysOff: '2027-01-01' }).expect(400)).body.code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await get('AM/2027').expect(200)).body.source).toBe('none');

    const set = (await put(operator, 'am/2027', armenia2027).expect(200)).body;
    expect(set).toMatchObject({
      country: 'AM',
      year: 2027,
      daysOff: ['2027-01-01', '2027-01-06', '2027-03-08'],
      workingWeekendDays: [],
      source: 'operator',
      setAt: expect.any(String),
    });
    expect((await get('AM/2027').expect(200)).body).toEqual(set);
    // A built-in year can be corrected: the operator's replaces it.
    await put(operator, 'RU/2027', { daysOff: ['2027-12-31'], workingWeekendDays: ['2027-11-13'] }).expect(
      200,
    );
    expect((await get('RU/2027').expect(200)).body).toMatchObject({
      source: 'operator',
      daysOff: ['2027-12-31'],
      workingWeekendDays: ['2027-11-13'],
    });
  });
});
