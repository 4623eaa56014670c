import { createHash } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { SessionsService } from '@app/domain';
import { ActorFactory } from './factories/actors';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';
import { untilWaitingOnLock } from './setup/tender-held';

describe('AuthController', () => {
  let t: TestApp;
  let factory: ActorFactory;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    factory = new ActorFactory(t.app);
  });
  afterAll(() => t.app.close());

  it('logs in with email and password, case-insensitively, and returns a bearer token pair', async () => {
    const buyer = await factory.actor('buyer');
    const res = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ email: buyer.email.toUpperCase(), password: buyer.password })
      .expect(200);
    expect(res.body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: expect.any(String),
      refreshExpiresAt: expect.any(String),
    });
  });

  it('tells who is signed in, with the organisation, and never the password hash', async () => {
    const supplier = await factory.actor('supplier', { status: 'pending' });
    const res = await request(t.http)
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${supplier.accessToken}`)
      .expect(200);
    expect(res.body).toEqual({
      id: supplier.userId,
      email: supplier.email,
      fullName: expect.any(String),
      role: 'supplier',
      organization: {
        id: supplier.organization.id,
        kind: 'supplier',
        legalName: supplier.organization.legalName,
        status: 'pending',
      },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|passwordHash/);
  });

  it('refuses a wrong password and an unknown email with the same answer', async () => {
    const buyer = await factory.actor('buyer');
    const wrong = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ email: buyer.email, password: 'not the password' })
      .expect(401);
    const unknown = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@example.test', password: 'not the password' })
      .expect(401);
    const strip = (body: Record<string, unknown>) => ({ ...body, correlationId: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
    expect(wrong.body).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      message: 'The email or password is wrong',
    });
  });

  it('throttles repeated failed logins, even with the right password afterwards', async () => {
    const buyer = await factory.actor('buyer');
    for (let i = 0; i < 5; i++) {
      await request(t.http)
        .post('/api/v1/auth/login')
        .send({ email: buyer.email, password: 'wrong' })
        .expect(401);
    }
    const res = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ email: buyer.email, password: buyer.password })
      .expect(429);
    expect(res.body).toMatchObject({
      code: 'LOGIN_THROTTLED',
      details: { retryAfterSeconds: expect.any(Number) },
    });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('throttles an account however its email is spelt: upper case, leading Unicode spaces', async () => {
    const buyer = await factory.actor('buyer');
    const spellings = ['\u3000', '\u205f', '\u2002', '\ufeff'].map(
      (space) => space + buyer.email.toUpperCase(),
    );
    for (const email of spellings) {
      const res = await request(t.http).post('/api/v1/auth/login').send({ email, password: 'wrong' });
      // The spelling reaches the account (the lookup trims and lower-cases): a wrong password, not a bad body.
      expect(res.status).toBe(401);
    }
    await request(t.http)
      .post('/api/v1/auth/login')
      .send({ email: buyer.email, password: 'wrong' })
      .expect(401);
    // Five failures spent, by whatever spelling: the right password is refused, however spelt.
    for (const email of [buyer.email, `\u3000${buyer.email}`, buyer.email.toUpperCase()]) {
      const res = await request(t.http).post('/api/v1/auth/login').send({ email, password: buyer.password });
      expect(res.body.code).toBe('LOGIN_THROTTLED');
    }
  });

  it('checks no more guesses of a concurrent burst than of a sequence, and forgets failures after a success', async () => {
    const buyer = await factory.actor('buyer');
    const burst = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(t.http).post('/api/v1/auth/login').send({ email: buyer.email, password: 'wrong' }),
      ),
    );
    const codes = burst.map((r) => r.body.code as string);
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(5);
    expect(codes.filter((c) => c === 'LOGIN_THROTTLED')).toHaveLength(15);

    // Four failures, then the right password: the account starts afresh.
    const other = await factory.actor('buyer');
    const login = (password: string) =>
      request(t.http).post('/api/v1/auth/login').send({ email: other.email, password });
    for (let i = 0; i < 4; i++) await login('wrong').expect(401);
    await login(other.password).expect(200);
    for (let i = 0; i < 5; i++) await login('wrong').expect(401);
    await login(other.password).expect(429);
  });

  it('refuses a malformed login body with 400 naming the field, not 401', async () => {
    const res = await request(t.http).post('/api/v1/auth/login').send({ email: 'not-an-email' }).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.message).toMatch(/^(email|password):/);
    const extra = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ email: 'a@b.test', password: 'x', admin: true })
      .expect(400);
    expect(extra.body.message).toBe('admin: property admin should not exist');
  });

  it('rotates the refresh token on use and refuses the old one', async () => {
    const buyer = await factory.actor('buyer');
    const first = await request(t.http)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: buyer.refreshToken })
      .expect(200);
    expect(first.body.refreshToken).not.toBe(buyer.refreshToken);
    await request(t.http)
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${first.body.accessToken}`)
      .expect(200);
    const again = await request(t.http)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: buyer.refreshToken })
      .expect(401);
    expect(again.body.code).toBe('INVALID_REFRESH_TOKEN');
  });

  it('revokes the whole session when a used refresh token is presented again', async () => {
    const buyer = await factory.actor('buyer');
    const rotated = await request(t.http)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: buyer.refreshToken })
      .expect(200);
    await request(t.http).post('/api/v1/auth/refresh').send({ refreshToken: buyer.refreshToken }).expect(401);
    // The newest token of the stolen family is dead too, and so are its access tokens.
    await request(t.http)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: rotated.body.refreshToken })
      .expect(401);
    const me = await request(t.http)
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${rotated.body.accessToken}`)
      .expect(401);
    expect(me.body.code).toBe('SESSION_REVOKED');
  });

  it('logs out a session whose refresh token is being rotated at that moment, the new token included', async () => {
    const buyer = await factory.actor('buyer');
    const sessions = t.app.get(SessionsService);
    // The rotation pauses after it has taken the old token, before it commits the new one.
    let resume!: () => void;
    const paused = new Promise<void>((r) => (resume = r));
    let reached!: () => void;
    const inside = new Promise<void>((r) => (reached = r));
    const issue = (sessions as any).issue.bind(sessions);
    const spy = jest.spyOn(sessions as any, 'issue').mockImplementationOnce(async (...args: unknown[]) => {
      reached();
      await paused;
      return issue(...args);
    });
    try {
      const rotating = request(t.http)
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: buyer.refreshToken });
      const rotated = rotating.then((res) => res);
      await inside;
      const logout = request(t.http)
        .post('/api/v1/auth/logout')
        .set('Authorization', `Bearer ${buyer.accessToken}`)
        .then((res) => res);
      // The logout waits for the session's lock, which the paused rotation holds.
      await untilWaitingOnLock(t.app.get(DataSource), 'pg_advisory_xact_lock');
      resume();
      const [refreshed, loggedOut] = await Promise.all([rotated, logout]);
      expect(loggedOut.status).toBe(204);
      expect(refreshed.status).toBe(200);
      // The token the rotation issued died with the session.
      const after = await request(t.http)
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: refreshed.body.refreshToken })
        .expect(401);
      expect(after.body.code).toBe('INVALID_REFRESH_TOKEN');
      const [live] = await t.app.get(DataSource).query(
        `SELECT count(*)::int AS n FROM refresh_tokens r JOIN users u ON u.id = r.user_id
            WHERE u.email = $1 AND r.revoked_at IS NULL`,
        [buyer.email],
      );
      expect(live.n).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });

  it('logs out: the access token and the refresh token stop working at once', async () => {
    const auditor = await factory.actor('auditor');
    const auth = { Authorization: `Bearer ${auditor.accessToken}` };
    await request(t.http).post('/api/v1/auth/logout').set(auth).expect(204);
    const me = await request(t.http).get('/api/v1/auth/me').set(auth).expect(401);
    expect(me.body.code).toBe('SESSION_REVOKED');
    await request(t.http)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: auditor.refreshToken })
      .expect(401);
  });

  it('refuses a missing, malformed or forged bearer token with UNAUTHENTICATED', async () => {
    for (const header of [undefined, 'Bearer nonsense', 'Basic dXNlcjpwYXNz', `Bearer ${forge()}`]) {
      const req = request(t.http).get('/api/v1/auth/me');
      if (header) req.set('Authorization', header);
      const res = await req.expect(401);
      expect(res.body).toMatchObject({
        code: 'UNAUTHENTICATED',
        message: 'A valid bearer access token is required',
      });
    }
  });

  it('stores only a hash of refresh tokens', async () => {
    const buyer = await factory.actor('buyer');
    const { DataSource } = await import('typeorm');
    const rows: { token_hash: string }[] = await t.app
      .get(DataSource)
      .query('SELECT token_hash FROM refresh_tokens');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.token_hash)).not.toContain(buyer.refreshToken);
    // Each is the SHA-256 of a token: the buyer's is there as its hash, and nothing else is kept.
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
    const hashed = createHash('sha256').update(buyer.refreshToken).digest('hex');
    expect(rows.map((r) => r.token_hash)).toContain(hashed);
  });
});

/** A token signed with another secret. */
function forge(): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(
    JSON.stringify({ sub: 'x', org: 'y', role: 'operator', sid: 'z', exp: 4102444800 }),
  ).toString('base64url');
  return `${header}.${payload}.c2lnbmF0dXJl`;
}
