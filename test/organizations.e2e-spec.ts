import request from 'supertest';
import { DataSource } from 'typeorm';
import type Redis from 'ioredis';
import { AppConfig, makeValidTaxId, REDIS, UsersService } from '@app/domain';
import { AuthService } from '../apps/marketplace/src/auth/auth.service';
import { Actor, ActorFactory } from './factories/actors';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';

describe('OrganizationsController', () => {
  let t: TestApp;
  let factory: ActorFactory;
  let operator: Actor;
  const countOrgs = async () =>
    Number((await t.app.get(DataSource).query('SELECT count(*) AS n FROM organizations'))[0].n);

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    factory = new ActorFactory(t.app);
    operator = await factory.actor('operator');
  });
  afterAll(() => t.app.close());

  const registration = async (cityCode = 'moscow') => ({
    organization: await factory.organizationInput(cityCode),
    user: factory.userInput(),
  });

  it('lets a supplier register itself; it starts pending and can sign in', async () => {
    const body = await registration('almaty');
    const res = await request(t.http).post('/api/v1/organizations/register').send(body).expect(201);
    expect(res.body.organization).toMatchObject({
      kind: 'supplier',
      status: 'pending',
      legalName: body.organization.legalName,
      taxId: body.organization.taxId,
      country: 'KZ',
      city: { code: 'almaty', timeZone: 'Asia/Almaty' },
    });
    expect(res.body.user).toEqual({ id: expect.any(String), role: 'supplier' });
    await factory.login(body.user.email, body.user.password);
  });

  it('refuses a legal name or a user name of spaces only, and writes nothing', async () => {
    const body = await registration();
    const before = await countOrgs();
    for (const [field, changed] of [
      ['organization.legalName', { ...body, organization: { ...body.organization, legalName: '    ' } }],
      ['user.fullName', { ...body, user: { ...body.user, fullName: ' \t ' } }],
    ] as const) {
      const res = await request(t.http).post('/api/v1/organizations/register').send(changed).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field }] } });
    }
    expect(await countOrgs()).toBe(before);
  });

  it('refuses a tax id with a wrong check digit, and writes nothing', async () => {
    const body = await registration();
    const before = await countOrgs();
    const res = await request(t.http)
      .post('/api/v1/organizations/register')
      .send({
        ...body,
        organization: { ...body.organization, taxId: { scheme: 'RU-INN', id: '7707083894' } },
      })
      .expect(400);
    expect(res.body).toMatchObject({ code: 'TAX_ID_INVALID', details: { field: 'organization.taxId' } });
    expect(await countOrgs()).toBe(before);
  });

  it('refuses a second organisation with the same tax id, and a second user with the same email', async () => {
    const body = await registration();
    await request(t.http).post('/api/v1/organizations/register').send(body).expect(201);
    const sameTax = await request(t.http)
      .post('/api/v1/organizations/register')
      .send({ ...body, user: factory.userInput() })
      .expect(409);
    expect(sameTax.body.code).toBe('TAX_ID_TAKEN');
    const other = await registration();
    const before = await countOrgs();
    const sameEmail = await request(t.http)
      .post('/api/v1/organizations/register')
      .send({ ...other, user: { ...other.user, email: body.user.email.toUpperCase() } })
      .expect(409);
    expect(sameEmail.body.code).toBe('EMAIL_TAKEN');
    expect(await countOrgs()).toBe(before);
  });

  it('refuses a country that does not match the city or the tax scheme', async () => {
    const body = await registration('minsk');
    const wrongCountry = await request(t.http)
      .post('/api/v1/organizations/register')
      .send({ ...body, organization: { ...body.organization, country: 'RU' } })
      .expect(400);
    expect(wrongCountry.body).toMatchObject({
      code: 'COUNTRY_MISMATCH',
      details: { field: 'organization.country' },
    });
    const wrongScheme = await request(t.http)
      .post('/api/v1/organizations/register')
      .send({
        ...body,
        organization: { ...body.organization, taxId: { scheme: 'RU-INN', id: '7707083893' } },
      })
      .expect(400);
    expect(wrongScheme.body.code).toBe('COUNTRY_MISMATCH');
  });

  it('refuses an unknown city', async () => {
    const body = await registration();
    const res = await request(t.http)
      .post('/api/v1/organizations/register')
      .send({
        ...body,
        organization: { ...body.organization, cityId: '00000000-0000-4000-8000-000000000000' },
      })
      .expect(400);
    expect(res.body.code).toBe('UNKNOWN_CITY');
  });

  it('lets an operator create buyer and auditor organisations, active at once', async () => {
    for (const kind of ['buyer', 'auditor'] as const) {
      const res = await request(t.http)
        .post('/api/v1/admin/organizations')
        .set('Authorization', `Bearer ${operator.accessToken}`)
        .send({ kind, ...(await registration('kazan')) })
        .expect(201);
      expect(res.body.organization).toMatchObject({ kind, status: 'active' });
    }
  });

  it('does not let a buyer create organisations', async () => {
    const buyer = await factory.actor('buyer');
    const res = await request(t.http)
      .post('/api/v1/admin/organizations')
      .set('Authorization', `Bearer ${buyer.accessToken}`)
      .send({ kind: 'buyer', ...(await registration()) })
      .expect(403);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN_ROLE', details: { allowedRoles: ['operator'] } });
  });

  it('lets an operator activate and suspend a supplier, with a reason to suspend', async () => {
    const supplier = await factory.actor('supplier', { status: 'pending' });
    const url = `/api/v1/admin/organizations/${supplier.organization.id}/status`;
    const auth = { Authorization: `Bearer ${operator.accessToken}` };
    const activated = await request(t.http).patch(url).set(auth).send({ status: 'active' }).expect(200);
    expect(activated.body.status).toBe('active');
    const again = await request(t.http).patch(url).set(auth).send({ status: 'active' }).expect(409);
    expect(again.body.code).toBe('ORGANIZATION_STATUS_CONFLICT');
    const noReason = await request(t.http).patch(url).set(auth).send({ status: 'suspended' }).expect(400);
    expect(noReason.body.message).toMatch(/^reason:/);
    const suspended = await request(t.http)
      .patch(url)
      .set(auth)
      .send({ status: 'suspended', reason: 'Documents expired' })
      .expect(200);
    expect(suspended.body).toMatchObject({ status: 'suspended', statusReason: 'Documents expired' });
  });

  it('signs a suspended organisation’s users out and keeps them out until it is active again', async () => {
    const buyer = await factory.actor('buyer');
    const colleague = await factory.login(buyer.email, buyer.password);
    const url = `/api/v1/admin/organizations/${buyer.organization.id}/status`;
    const auth = { Authorization: `Bearer ${operator.accessToken}` };
    const me = (token: string) =>
      request(t.http).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
    await me(buyer.accessToken).expect(200);
    await request(t.http).patch(url).set(auth).send({ status: 'suspended', reason: 'Fraud' }).expect(200);

    // Both sessions end at once: access tokens, and refresh tokens.
    for (const session of [buyer, colleague]) {
      expect((await me(session.accessToken).expect(401)).body.code).toBe('SESSION_REVOKED');
      const refreshed = await request(t.http)
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: session.refreshToken })
        .expect(401);
      expect(refreshed.body.code).toBe('INVALID_REFRESH_TOKEN');
    }
    const login = () =>
      request(t.http).post('/api/v1/auth/login').send({ email: buyer.email, password: buyer.password });
    expect((await login().expect(403)).body.code).toBe('ORGANIZATION_SUSPENDED');
    // A wrong password is still just wrong: the suspension is told only to the account's holder.
    const wrong = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ email: buyer.email, password: 'not-it-1234' });
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');

    await request(t.http).patch(url).set(auth).send({ status: 'active' }).expect(200);
    await me((await login().expect(200)).body.accessToken).expect(200);
  });

  it('ends a sign-in that passed its check as the organisation was suspended, and finishes a suspension asked again', async () => {
    const db = t.app.get(DataSource);
    const auditor = await factory.actor('auditor');
    const me = (token: string) =>
      request(t.http).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
    // Suspended in the database alone (as if its signing out had failed): the session signed in before lives on.
    await db.query(`UPDATE organizations SET status = 'suspended' WHERE id = $1`, [auditor.organization.id]);
    await me(auditor.accessToken).expect(200);
    // A sign-in whose password was checked before the suspension committed: no session comes out of it.
    const user = await t.app.get(UsersService).findById(auditor.userId);
    await expect(t.app.get(AuthService).login({ ...user!, organization: undefined })).rejects.toMatchObject({
      code: 'ORGANIZATION_SUSPENDED',
    });
    const live = await db.query(
      `SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL AND used_at IS NULL`,
      [auditor.userId],
    );
    expect(live[0].n).toBe(1);
    // The operator asks again: told it is suspended already, and the session left over is ended.
    const url = `/api/v1/admin/organizations/${auditor.organization.id}/status`;
    const again = await request(t.http)
      .patch(url)
      .set({ Authorization: `Bearer ${operator.accessToken}` })
      .send({ status: 'suspended', reason: 'Conflict of interest' })
      .expect(409);
    expect(again.body.code).toBe('ORGANIZATION_STATUS_CONFLICT');
    expect((await me(auditor.accessToken).expect(401)).body.code).toBe('SESSION_REVOKED');
  });

  it('finishes a suspension asked again after Redis failed to mark a session, and its access token stops', async () => {
    const buyer = await factory.actor('buyer');
    const me = (token: string) =>
      request(t.http).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
    const url = `/api/v1/admin/organizations/${buyer.organization.id}/status`;
    const suspend = () =>
      request(t.http)
        .patch(url)
        .set({ Authorization: `Bearer ${operator.accessToken}` })
        .send({ status: 'suspended', reason: 'Fraud' });
    // Redis refuses the session's mark once, as if it were down at that moment.
    const redis = t.app.get<Redis>(REDIS);
    const set = redis.set.bind(redis);
    let failed = 0;
    redis.set = ((...args: Parameters<Redis['set']>) => {
      if (failed === 0 && String(args[0]).includes('revoked-session')) {
        failed++;
        return Promise.reject(new Error('Redis is down'));
      }
      return set(...args);
    }) as Redis['set'];
    try {
      expect((await suspend()).status).toBeGreaterThanOrEqual(500);
    } finally {
      redis.set = set;
    }
    expect(failed).toBe(1);
    // Asked again: already suspended, and the session the failure left is ended with its access token.
    expect((await suspend().expect(409)).body.code).toBe('ORGANIZATION_STATUS_CONFLICT');
    expect((await me(buyer.accessToken).expect(401)).body.code).toBe('SESSION_REVOKED');
    const refreshed = await request(t.http)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: buyer.refreshToken });
    expect(refreshed.status).toBe(401);
  });

  it('takes at most REGISTRATIONS_PER_HOUR self-registrations from one address, then answers 429', async () => {
    const config = t.app.get(AppConfig);
    const limit = config.REGISTRATIONS_PER_HOUR;
    // This address's earlier registrations in the suite (under the suite's high limit) are forgotten first.
    const redis = t.app.get<Redis>(REDIS);
    const counters = await redis.keys('*registrations*');
    if (counters.length > 0) await redis.del(...counters);
    config.REGISTRATIONS_PER_HOUR = 2;
    try {
      const [first, second, third] = [await registration(), await registration(), await registration()];
      const register = (body: object) => request(t.http).post('/api/v1/organizations/register').send(body);
      await register(first).expect(201);
      await register(second).expect(201);
      const before = await countOrgs();
      const res = await register(third).expect(429);
      expect(res.body).toMatchObject({
        code: 'REGISTRATION_THROTTLED',
        details: { retryAfterSeconds: expect.any(Number) },
      });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(3000);
      expect(await countOrgs()).toBe(before);
    } finally {
      config.REGISTRATIONS_PER_HOUR = limit;
    }
  });

  it('lets exactly one of eight simultaneous activations succeed; the others are told the status changed', async () => {
    const supplier = await factory.actor('supplier', { status: 'pending' });
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        request(t.http)
          .patch(`/api/v1/admin/organizations/${supplier.organization.id}/status`)
          .set({ Authorization: `Bearer ${operator.accessToken}` })
          .send({ status: 'active' }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    expect(new Set(answers.filter((a) => a.status === 409).map((a) => a.body.code))).toEqual(
      new Set(['ORGANIZATION_STATUS_CONFLICT']),
    );
  });

  it('does not let a supplier activate itself', async () => {
    const supplier = await factory.actor('supplier', { status: 'pending' });
    await request(t.http)
      .patch(`/api/v1/admin/organizations/${supplier.organization.id}/status`)
      .set('Authorization', `Bearer ${supplier.accessToken}`)
      .send({ status: 'active' })
      .expect(403);
  });

  it('shows public profiles without personal data', async () => {
    const supplier = await factory.actor('supplier');
    const res = await request(t.http).get(`/api/v1/organizations/${supplier.organization.id}`).expect(200);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(supplier.email);
    expect(text).not.toMatch(/fullName|email|password|statusReason/);
    expect(res.body).toMatchObject({ id: supplier.organization.id, kind: 'supplier', status: 'active' });
  });

  it('lists only active organisations publicly, newest first, with a stable cursor', async () => {
    const pending = await factory.actor('supplier', { status: 'pending' });
    for (let i = 0; i < 3; i++) await factory.actor('buyer', { cityCode: 'omsk' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await request(t.http)
        .get('/api/v1/organizations')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...(res.body.items as { id: string; status: string }[]).map((o) => o.id));
      expect((res.body.items as { status: string }[]).every((o) => o.status === 'active')).toBe(true);
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).not.toContain(pending.organization.id);
    const omskCity = await factory.city('omsk');
    const omsk = await request(t.http)
      .get('/api/v1/organizations')
      .query({ kind: 'buyer', cityId: omskCity.id, limit: 200 })
      .expect(200);
    expect(omsk.body.items).toHaveLength(3);
    // Newest first: in the list as in the order they were created.
    const created = (omsk.body.items as { id: string; createdAt: string }[]).map((o) => o.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
  });

  it('lets an operator list pending suppliers for review', async () => {
    const pending = await factory.actor('supplier', { status: 'pending' });
    const res = await request(t.http)
      .get('/api/v1/admin/organizations')
      .query({ status: 'pending', limit: 200 })
      .set('Authorization', `Bearer ${operator.accessToken}`)
      .expect(200);
    const items = res.body.items as { id: string; status: string }[];
    expect(items.map((o) => o.id)).toContain(pending.organization.id);
    // Only pending ones: the operator's own organisation, active, is not among them.
    expect(items.every((o) => o.status === 'pending')).toBe(true);
    expect(items.map((o) => o.id)).not.toContain(operator.organization.id);
  });

  it('lets an operator add a user to a buyer organisation with the buyer role', async () => {
    const buyer = await factory.actor('buyer');
    const user = factory.userInput();
    const res = await request(t.http)
      .post(`/api/v1/admin/organizations/${buyer.organization.id}/users`)
      .set('Authorization', `Bearer ${operator.accessToken}`)
      .send(user)
      .expect(201);
    expect(res.body.role).toBe('buyer');
    await factory.login(user.email, user.password);
  });

  it('accepts every seeded country scheme it claims to check', async () => {
    const body = await registration('bishkek');
    expect(body.organization.taxId.scheme).toBe('KG-INN');
    await request(t.http).post('/api/v1/organizations/register').send(body).expect(201);
    expect(makeValidTaxId('KG-INN', 1)).toMatch(/^\d{14}$/);
  });
});
