import fc from 'fast-check';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ActorFactory } from './factories/actors';
import { auth, tenderBody } from './factories/tenders';
import { createTestApp, TestApp } from './setup/app-factory';
import { junkWith } from './setup/junk';
import { resetState } from './setup/reset';

const SQLISH = [
  "' OR 1=1 --",
  "'; DROP TABLE users; --",
  '" OR ""="',
  '1; SELECT pg_sleep(5)',
  '\\x00\u0000',
];

/** Arbitrary JSON values, including the shapes registration and login expect, filled with junk. */
const junk = junkWith(SQLISH);

const registrationLike = fc.record(
  {
    organization: fc.record(
      {
        legalName: fc.oneof(fc.string(), fc.constantFrom(...SQLISH), junk),
        taxId: fc.oneof(
          fc.record({ scheme: fc.oneof(fc.string(), junk), id: fc.oneof(fc.string(), junk) }),
          junk,
        ),
        country: fc.oneof(fc.string({ maxLength: 3 }), junk),
        cityId: fc.oneof(fc.uuid(), fc.string(), junk),
        sme: junk,
      },
      { requiredKeys: [] },
    ),
    user: fc.record(
      {
        email: fc.oneof(fc.emailAddress(), fc.string(), junk),
        fullName: fc.oneof(fc.string(), junk),
        password: fc.oneof(fc.string(), junk),
      },
      { requiredKeys: [] },
    ),
    extra: junk,
  },
  { requiredKeys: [] },
);

describe('Bad input', () => {
  let t: TestApp;
  const count = async (table: string) =>
    Number((await t.app.get(DataSource).query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    await resetState();
    t = await createTestApp({ LOGIN_MAX_FAILURES: '1000' });
  });
  afterAll(() => t.app.close());

  it('never answers 5xx to random registration bodies, and writes nothing for refused ones', async () => {
    const before = await count('organizations');
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(registrationLike, junk), async (body) => {
        const res = await request(t.http)
          .post('/api/v1/organizations/register')
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));
        expect(res.status).toBeLessThan(500);
        if (res.status === 201) accepted++;
        else {
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.body).toEqual(
            expect.objectContaining({
              statusCode: res.status,
              code: expect.any(String),
              message: expect.any(String),
            }),
          );
        }
      }),
      { numRuns: 150 },
    );
    expect(await count('organizations')).toBe(before + accepted);
  });

  it('never answers 5xx to random login bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.record({ email: junk, password: junk }, { requiredKeys: [] }), junk),
        async (body) => {
          const res = await request(t.http)
            .post('/api/v1/auth/login')
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(body));
          expect([400, 401]).toContain(res.status);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses very long strings with a message naming the field', async () => {
    const factory = new ActorFactory(t.app);
    const body = { organization: await factory.organizationInput(), user: factory.userInput() };
    body.organization.legalName = 'Я'.repeat(100_000);
    const res = await request(t.http).post('/api/v1/organizations/register').send(body).expect(400);
    expect(res.body.message).toBe(
      'organization.legalName: legalName must be shorter than or equal to 300 characters',
    );
  });

  it('treats SQL-looking strings as plain data', async () => {
    for (const attempt of SQLISH) {
      const res = await request(t.http)
        .post('/api/v1/auth/login')
        .send({ email: 'a@b.test', password: attempt });
      // U+0000 is refused before anything else (PostgreSQL cannot store it).
      expect(res.status).toBe(attempt.includes('\u0000') ? 400 : 401);
      const id = await request(t.http).get(`/api/v1/organizations/${encodeURIComponent(attempt)}`);
      expect(id.status).toBe(400);
    }
    const tables = await t.app.get(DataSource).query(`SELECT 1 FROM pg_tables WHERE tablename = 'users'`);
    expect(tables).toHaveLength(1);
  });

  it('refuses wrong types with the field named', async () => {
    const res = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ email: ['a@b.test'], password: 42 })
      .expect(400);
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['email', 'password']);
  });

  it('refuses a body that is JSON but not an object', async () => {
    const res = await request(t.http)
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('"just a string"');
    expect(res.status).toBe(400);
  });

  it('refuses a body on a route that takes none, so nobody believes it counted, and does nothing', async () => {
    const factory = new ActorFactory(t.app);
    const buyer = await factory.actor('buyer');
    const cityId = (await factory.city('moscow')).id;
    const draft = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(buyer))
      .send(tenderBody(cityId))
      .expect(201);
    const res = await request(t.http)
      .post(`/api/v1/tenders/${draft.body.id}/publish`)
      .set(auth(buyer))
      .send({ tenderPeriod: { endDate: '2030-01-01T00:00:00Z' } })
      .expect(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'body: this request takes no body',
    });
    const [row] = await t.app
      .get(DataSource)
      .query<{ status: string }[]>('SELECT status FROM tenders WHERE id = $1', [draft.body.id]);
    expect(row?.status).toBe('draft');
    // No body, or an empty one, is no body.
    await request(t.http)
      .post(`/api/v1/tenders/${draft.body.id}/publish`)
      .set(auth(buyer))
      .send({})
      .expect(200);
    await request(t.http).post('/api/v1/auth/logout').set(auth(buyer)).send([]).expect(204);
  });

  it('validates a missing body as an empty object, naming the missing fields; a non-JSON one is a 415', async () => {
    const none = await request(t.http).post('/api/v1/organizations/register').expect(400);
    // A missing field is named as missing, not by the first rule it breaks.
    expect(none.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'organization: organization is required',
    });
    const part = await request(t.http)
      .post('/api/v1/organizations/register')
      .send({ organization: { legalName: 'ООО «Ромашка»' }, user: null })
      .expect(400);
    const fields = Object.fromEntries(
      part.body.details.fields.map((f: { field: string; messages: string[] }) => [f.field, f.messages]),
    );
    expect(fields['organization.taxId']).toEqual(['taxId is required']);
    expect(fields['user']).not.toContain('user is required');
    const text = await request(t.http)
      .post('/api/v1/organizations/register')
      .set('Content-Type', 'text/plain')
      .send('hello')
      .expect(415);
    expect(text.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('checks a CPV filter as every CPV code: check digit and existence, not only the shape', async () => {
    const factory = new ActorFactory(t.app);
    const auditor = await factory.actor('auditor');
    const buyer = await factory.actor('buyer');
    const lists: [string, Record<string, string>, { Authorization?: string }][] = [
      ['/api/v1/tenders', {}, {}],
      ['/api/v1/audit/deals', {}, { Authorization: `Bearer ${auditor.accessToken}` }],
      [
        '/api/v1/analytics/reference-price',
        { unitCode: 'XPK', cityId: (await factory.city('moscow')).id, quantity: '1', currency: 'RUB' },
        { Authorization: `Bearer ${buyer.accessToken}` },
      ],
    ];
    for (const [path, rest, headers] of lists) {
      for (const [cpv, code] of [
        ['00000000-0', 'CPV_CODE_UNKNOWN'],
        ['30197630-9', 'CPV_CHECK_DIGIT_INVALID'],
      ]) {
        const res = await request(t.http)
          .get(path)
          .query({ ...rest, cpv })
          .set(headers);
        expect([path, cpv, res.status, res.body.code, res.body.details]).toEqual([
          path,
          cpv,
          400,
          code,
          { field: 'cpv' },
        ]);
      }
    }
    // A known code still filters.
    await request(t.http).get('/api/v1/tenders').query({ cpv: '30197630-1' }).expect(200);
  });

  it('refuses a malformed percent-encoding in the path without a 500', async () => {
    const res = await request(t.http).get('/api/v1/organizations/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body.code).toEqual(expect.any(String));
  });

  it('refuses null where a field is not nullable, and a list where one object is expected', async () => {
    const factory = new ActorFactory(t.app);
    const supplier = await factory.actor('supplier');
    const buyer = await factory.actor('buyer');
    const item = {
      titleRu: 'Бумага офисная A4',
      descriptionRu: 'Белая бумага',
      cpvCode: '30197630-1',
      unitCode: 'XPK',
    };
    const fieldOf = (res: request.Response) => res.body.details.fields[0].field as string;
    const items = async () =>
      Number((await t.app.get(DataSource).query('SELECT count(*) AS n FROM catalog_items'))[0].n);
    const before = await items();
    for (const field of ['characteristics', 'imageUrls', 'documents']) {
      const res = await request(t.http)
        .post('/api/v1/catalogue/items')
        .set(auth(supplier))
        .send({ ...item, [field]: null })
        .expect(400);
      expect([res.body.code, fieldOf(res)]).toEqual(['VALIDATION_FAILED', field]);
    }
    expect(await items()).toBe(before);
    // null stays a documented value where it is one: no English title.
    const created = await request(t.http)
      .post('/api/v1/catalogue/items')
      .set(auth(supplier))
      .send({ ...item, titleEn: null })
      .expect(201);
    const patch = await request(t.http)
      .patch(`/api/v1/catalogue/items/${created.body.id}`)
      .set(auth(supplier))
      .send({ titleRu: null })
      .expect(400);
    expect(fieldOf(patch)).toBe('titleRu');

    const cityId = (await factory.city('moscow')).id;
    const body = tenderBody(cityId);
    const nested = { ...body, lots: [{ ...body.lots[0], items: [body.lots[0]!.items] }] };
    const res = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(nested).expect(400);
    expect([res.body.code, fieldOf(res)]).toEqual(['VALIDATION_FAILED', 'lots.0.items']);
    const period = await request(t.http)
      .post('/api/v1/tenders')
      .set(auth(buyer))
      .send({ ...body, tenderPeriod: [body.tenderPeriod] })
      .expect(400);
    expect(fieldOf(period)).toBe('tenderPeriod');
  });

  it('refuses free text made of spaces or invisible characters alone, naming the field, and writes nothing', async () => {
    const factory = new ActorFactory(t.app);
    const supplier = await factory.actor('supplier');
    const buyer = await factory.actor('buyer');
    const cityId = (await factory.city('moscow')).id;
    const blank = async (req: request.Test, field: string) => {
      const res = await req.expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields[0]).toEqual({
        field,
        messages: [
          expect.stringMatching(/must have at least \d+ characters? besides spaces and invisible characters/),
        ],
      });
    };
    const tenders = await count('tenders');
    const body = tenderBody(cityId);
    await blank(
      request(t.http)
        .post('/api/v1/tenders')
        .set(auth(buyer))
        .send({ ...body, title: '      ' }),
      'title',
    );
    await blank(
      request(t.http)
        .post('/api/v1/tenders')
        .set(auth(buyer))
        .send({ ...body, lots: [{ ...body.lots[0], title: ' \t\n ' }] }),
      'lots.0.title',
    );
    // Zero-width spaces, a direction mark, the Braille blank and a Hangul filler show nothing either.
    await blank(
      request(t.http)
        .post('/api/v1/tenders')
        .set(auth(buyer))
        .send({ ...body, title: '\u200b\u200b\u200f\u2800\u3164\u200b' }),
      'title',
    );
    expect(await count('tenders')).toBe(tenders);
    const items = await count('catalog_items');
    await blank(
      request(t.http)
        .post('/api/v1/catalogue/items')
        .set(auth(supplier))
        .send({ titleRu: '     ', descriptionRu: 'Белая бумага', cpvCode: '30197630-1', unitCode: 'XPK' }),
      'titleRu',
    );
    expect(await count('catalog_items')).toBe(items);

    // A published tender: its amendments and questions.
    const draft = await request(t.http).post('/api/v1/tenders').set(auth(buyer)).send(body).expect(201);
    await request(t.http).post(`/api/v1/tenders/${draft.body.id}/publish`).set(auth(buyer)).expect(200);
    const amendments = await count('tender_amendments');
    await blank(
      request(t.http)
        .post(`/api/v1/tenders/${draft.body.id}/amendments`)
        .set(auth(buyer))
        .send({ rationale: '          ', title: 'Office paper, revised' }),
      'rationale',
    );
    await blank(
      request(t.http)
        .post(`/api/v1/tenders/${draft.body.id}/amendments`)
        .set(auth(buyer))
        .send({ rationale: 'Title corrected', title: '       ' }),
      'title',
    );
    expect(await count('tender_amendments')).toBe(amendments);
    const questions = await count('tender_questions');
    await blank(
      request(t.http)
        .post(`/api/v1/tenders/${draft.body.id}/questions`)
        .set(auth(supplier))
        .send({ text: '     ' }),
      'text',
    );
    expect(await count('tender_questions')).toBe(questions);
    await blank(
      request(t.http)
        .post(`/api/v1/tenders/${draft.body.id}/cancel`)
        .set(auth(buyer))
        .send({ reason: '    ' }),
      'reason',
    );
    const view = await request(t.http).get(`/api/v1/tenders/${draft.body.id}`).expect(200);
    expect([view.body.status, view.body.title]).toEqual([expect.stringMatching(/^active\./), body.title]);
  });
});
