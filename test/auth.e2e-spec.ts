import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig, REDIS, SessionsService } from '@app/domain';
import { ActorFactory } from './factories/actors';
import { auth } from './factories/tenders';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';
import { pauseNextCall } from './setup/paused-call';
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

  const refresh = (refreshToken: string) =>
    request(t.http).post('/api/v1/auth/refresh').send({ refreshToken });

  it('rotates the refresh token on use, and refuses the old one once the new one is used', async () => {
    const buyer = await factory.actor('buyer');
    const first = await refresh(buyer.refreshToken).expect(200);
    expect(first.body.refreshToken).not.toBe(buyer.refreshToken);
    await request(t.http)
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${first.body.accessToken}`)
      .expect(200);
    const second = await refresh(first.body.refreshToken).expect(200);
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
    const again = await refresh(buyer.refreshToken).expect(401);
    expect(again.body.code).toBe('INVALID_REFRESH_TOKEN');
  });

  it('gives two tabs refreshing with the same token at once the same new token, and keeps the session', async () => {
    const buyer = await factory.actor('buyer');
    const [a, b] = await Promise.all([refresh(buyer.refreshToken), refresh(buyer.refreshToken)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.refreshToken).toBe(b.body.refreshToken);
    // Later, one more time from a slow tab: still the same token, while it is unused.
    const late = await refresh(buyer.refreshToken).expect(200);
    expect(late.body.refreshToken).toBe(a.body.refreshToken);
    await request(t.http)
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${late.body.accessToken}`)
      .expect(200);
    // The new token rotates as any other; the successor is stored encrypted, never as it is.
    const [row] = await t.app
      .get(DataSource)
      .query<{ sealed: Buffer }[]>(
        `SELECT successor_sealed AS sealed FROM refresh_tokens WHERE token_hash = $1`,
        [createHash('sha256').update(buyer.refreshToken).digest('hex')],
      );
    expect(row?.sealed.length).toBeGreaterThan(28);
    expect(row?.sealed.toString('latin1')).not.toContain(a.body.refreshToken);
    await refresh(a.body.refreshToken).expect(200);
  });

  it('ends the session when a used token comes back after the grace, however fresh its successor', async () => {
    const buyer = await factory.actor('buyer');
    const config = t.app.get(AppConfig);
    const grace = config.REFRESH_REUSE_GRACE_SECONDS;
    config.REFRESH_REUSE_GRACE_SECONDS = 0;
    try {
      const rotated = await refresh(buyer.refreshToken).expect(200);
      expect((await refresh(buyer.refreshToken).expect(401)).body.code).toBe('INVALID_REFRESH_TOKEN');
      await refresh(rotated.body.refreshToken).expect(401);
    } finally {
      config.REFRESH_REUSE_GRACE_SECONDS = grace;
    }
  });

  it('revokes the whole session when a used refresh token is presented again after its successor was used', async () => {
    const buyer = await factory.actor('buyer');
    const rotated = await refresh(buyer.refreshToken).expect(200);
    const newest = await refresh(rotated.body.refreshToken).expect(200);
    // The first token again, within the grace: its successor is used, so this is a stolen copy.
    await refresh(buyer.refreshToken).expect(401);
    // The newest token of the stolen family is dead too, and so are its access tokens.
    await refresh(newest.body.refreshToken).expect(401);
    const me = await request(t.http)
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${newest.body.accessToken}`)
      .expect(401);
    expect(me.body.code).toBe('SESSION_REVOKED');
  });

  it('logs out a session whose refresh token is being rotated at that moment, the new token included', async () => {
    const buyer = await factory.actor('buyer');
    // The rotation pauses after it has taken the old token, before it commits the new one.
    const { reached: inside, resume, restore } = pauseNextCall(t.app.get(SessionsService), 'issue');
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
      restore();
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

  describe('password change', () => {
    const login = (email: string, password: string) =>
      request(t.http).post('/api/v1/auth/login').send({ email, password });
    const change = (accessToken: string, body: object) =>
      request(t.http).post('/api/v1/auth/password').set('Authorization', `Bearer ${accessToken}`).send(body);

    it('changes the password, keeps this session and ends every other one at once', async () => {
      const buyer = await factory.actor('buyer');
      const other = (await login(buyer.email, buyer.password).expect(200)).body;
      const newPassword = '  a new passphrase, spaces included ';
      const res = await change(buyer.accessToken, { currentPassword: buyer.password, newPassword }).expect(
        200,
      );
      expect(res.body).toEqual({ otherSessionsEnded: 1 });
      // The other session: its access token and its refresh token stop working now.
      const me = await request(t.http)
        .get('/api/v1/auth/me')
        .set('Authorization', `Bearer ${other.accessToken}`)
        .expect(401);
      expect(me.body.code).toBe('SESSION_REVOKED');
      await request(t.http)
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: other.refreshToken })
        .expect(401);
      // This session goes on.
      await request(t.http)
        .get('/api/v1/auth/me')
        .set('Authorization', `Bearer ${buyer.accessToken}`)
        .expect(200);
      await request(t.http)
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: buyer.refreshToken })
        .expect(200);
      // The old password no longer signs in; the new one, exactly as typed, does.
      expect((await login(buyer.email, buyer.password).expect(401)).body.code).toBe('INVALID_CREDENTIALS');
      await login(buyer.email, newPassword.trim()).expect(401);
      await login(buyer.email, newPassword).expect(200);
    });

    it('refuses a wrong current password with 403, changes nothing, and counts it as a failed login', async () => {
      const supplier = await factory.actor('supplier');
      const other = (await login(supplier.email, supplier.password).expect(200)).body;
      const wrong = await change(supplier.accessToken, {
        currentPassword: 'not the password',
        newPassword: 'another long password',
      }).expect(403);
      expect(wrong.body).toMatchObject({
        code: 'CURRENT_PASSWORD_WRONG',
        message: 'The current password is wrong',
      });
      await request(t.http)
        .get('/api/v1/auth/me')
        .set('Authorization', `Bearer ${other.accessToken}`)
        .expect(200);
      await login(supplier.email, 'another long password').expect(401);
      // With the failed login above, three more wrong guesses through the form spend the account's five
      // attempts: the form and the login are throttled.
      for (let i = 0; i < 3; i++) {
        await change(supplier.accessToken, {
          currentPassword: `guess ${i}`,
          newPassword: 'x'.repeat(12),
        }).expect(403);
      }
      const throttled = await change(supplier.accessToken, {
        currentPassword: supplier.password,
        newPassword: 'another long password',
      }).expect(429);
      expect(throttled.body.code).toBe('LOGIN_THROTTLED');
      expect((await login(supplier.email, supplier.password).expect(429)).body.code).toBe('LOGIN_THROTTLED');
    });

    it('refuses a malformed change with 400 and an anonymous one with 401', async () => {
      const auditor = await factory.actor('auditor');
      const same = await change(auditor.accessToken, {
        currentPassword: auditor.password,
        newPassword: auditor.password,
      }).expect(400);
      expect(same.body).toMatchObject({ code: 'PASSWORD_UNCHANGED', details: { field: 'newPassword' } });
      const short = await change(auditor.accessToken, {
        currentPassword: auditor.password,
        newPassword: 'short',
      }).expect(400);
      expect(short.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(short.body.message).toMatch(/^newPassword: /);
      await change(auditor.accessToken, { newPassword: 'a long enough password' }).expect(400);
      await request(t.http)
        .post('/api/v1/auth/password')
        .send({ currentPassword: auditor.password, newPassword: 'a long enough password' })
        .expect(401);
      await login(auditor.email, auditor.password).expect(200);
    });

    it('refuses the second of two changes from the same password with 409, keeping the first', async () => {
      const buyer = await factory.actor('buyer');
      // The first change pauses inside its transaction, the user's row held, before it ends the other sessions.
      const { reached, resume, restore } = pauseNextCall(t.app.get(SessionsService), 'revokeOthersOfUser');
      try {
        const first = change(buyer.accessToken, {
          currentPassword: buyer.password,
          newPassword: 'the first new password',
        }).then((res) => res);
        await reached;
        const second = change(buyer.accessToken, {
          currentPassword: buyer.password,
          newPassword: 'the second new password',
        }).then((res) => res);
        await untilWaitingOnLock(t.app.get(DataSource), 'UPDATE users SET password_hash');
        resume();
        const [a, b] = await Promise.all([first, second]);
        expect([a.status, b.status]).toEqual([200, 409]);
        expect(b.body.code).toBe('PASSWORD_CHANGED_MEANWHILE');
        await login(buyer.email, 'the first new password').expect(200);
        await login(buyer.email, 'the second new password').expect(401);
      } finally {
        restore();
      }
    });

    it('refuses a login that checked the old password while the change committed', async () => {
      const buyer = await factory.actor('buyer');
      // The login pauses after its password check, before its session exists.
      const { reached: inside, resume, restore } = pauseNextCall(t.app.get(SessionsService), 'start');
      try {
        const late = login(buyer.email, buyer.password).then((res) => res);
        await inside;
        await change(buyer.accessToken, {
          currentPassword: buyer.password,
          newPassword: 'changed while a login was in flight',
        }).expect(200);
        resume();
        const res = await late;
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('INVALID_CREDENTIALS');
        // Only the session the change was made from is live.
        const [live] = await t.app.get(DataSource).query(
          `SELECT count(DISTINCT r.family_id)::int AS n FROM refresh_tokens r
            WHERE r.user_id = $1 AND r.revoked_at IS NULL`,
          [buyer.userId],
        );
        expect(live.n).toBe(1);
      } finally {
        restore();
      }
    });
  });

  describe('password reset by an operator', () => {
    const issue = (operator: { accessToken: string }, email: string) =>
      request(t.http)
        .post('/api/v1/admin/password-resets')
        .set('Authorization', `Bearer ${operator.accessToken}`)
        .send({ email });
    const reset = (resetToken: string, newPassword: string) =>
      request(t.http).post('/api/v1/auth/password/reset').send({ resetToken, newPassword });
    const login = (email: string, password: string) =>
      request(t.http).post('/api/v1/auth/login').send({ email, password });

    it('lets a user locked out set a new password once, ending every session and the lockout', async () => {
      const operator = await factory.actor('operator');
      const supplier = await factory.actor('supplier');
      for (let i = 0; i < 5; i++) await login(supplier.email, 'forgotten').expect(401);
      await login(supplier.email, supplier.password).expect(429);
      const issued = await issue(operator, supplier.email.toUpperCase()).expect(201);
      expect(issued.headers['cache-control']).toBe('no-store');
      expect(issued.body).toEqual({
        userId: supplier.userId,
        email: supplier.email,
        resetToken: expect.stringMatching(/^[\w-]{43}$/),
        expiresAt: expect.any(String),
      });
      const hours = (Date.parse(issued.body.expiresAt) - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(23.9);
      expect(hours).toBeLessThanOrEqual(24);
      // Nothing changes until the token is used: the session goes on.
      await request(t.http).get('/api/v1/auth/me').set(auth(supplier)).expect(200);
      await reset(issued.body.resetToken, 'a password set with a reset').expect(204);
      expect((await request(t.http).get('/api/v1/auth/me').set(auth(supplier)).expect(401)).body.code).toBe(
        'SESSION_REVOKED',
      );
      await login(supplier.email, supplier.password).expect(401);
      await login(supplier.email, 'a password set with a reset').expect(200);
      // Once only.
      const again = await reset(issued.body.resetToken, 'another password entirely').expect(401);
      expect(again.body.code).toBe('PASSWORD_RESET_INVALID');
      // The token is kept only as its hash.
      const rows = await t.app
        .get(DataSource)
        .query<{ token_hash: string }[]>(`SELECT token_hash FROM password_resets WHERE user_id = $1`, [
          supplier.userId,
        ]);
      expect(rows.map((r) => r.token_hash)).toEqual([
        createHash('sha256').update(issued.body.resetToken).digest('hex'),
      ]);
    });

    it('spends an earlier reset when a new one is issued, and refuses an expired one', async () => {
      const operator = await factory.actor('operator');
      const buyer = await factory.actor('buyer');
      const first = (await issue(operator, buyer.email).expect(201)).body.resetToken;
      const second = (await issue(operator, buyer.email).expect(201)).body.resetToken;
      expect((await reset(first, 'first reset password').expect(401)).body.code).toBe(
        'PASSWORD_RESET_INVALID',
      );
      await t.app
        .get(DataSource)
        .query(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
          buyer.userId,
        ]);
      await reset(second, 'second reset password').expect(401);
      await login(buyer.email, buyer.password).expect(200);
    });

    it('spends a pending reset when the user changes the password themselves', async () => {
      const operator = await factory.actor('operator');
      const buyer = await factory.actor('buyer');
      const token = (await issue(operator, buyer.email).expect(201)).body.resetToken;
      await request(t.http)
        .post('/api/v1/auth/password')
        .set(auth(buyer))
        .send({ currentPassword: buyer.password, newPassword: 'changed by the user after all' })
        .expect(200);
      expect((await reset(token, 'set by whoever held the token').expect(401)).body.code).toBe(
        'PASSWORD_RESET_INVALID',
      );
      await login(buyer.email, 'changed by the user after all').expect(200);
    });

    it('takes at most PASSWORD_RESETS_PER_HOUR attempts from one address, failed ones included, then answers 429', async () => {
      const operator = await factory.actor('operator');
      const supplier = await factory.actor('supplier');
      const token = (await issue(operator, supplier.email).expect(201)).body.resetToken;
      const config = t.app.get(AppConfig);
      const limit = config.PASSWORD_RESETS_PER_HOUR;
      // This address's earlier attempts in the suite (under the suite's high limit) are forgotten first.
      const redis = t.app.get<Redis>(REDIS);
      const counters = await redis.keys('*password-resets*');
      if (counters.length > 0) await redis.del(...counters);
      config.PASSWORD_RESETS_PER_HOUR = 2;
      try {
        for (const guess of ['a'.repeat(43), 'b'.repeat(43)]) {
          expect((await reset(guess, 'a guessed reset password').expect(401)).body.code).toBe(
            'PASSWORD_RESET_INVALID',
          );
        }
        // Past the limit even the right token is refused, and nothing changes: the password, the sessions, the
        // reset (still unspent).
        const res = await reset(token, 'a password set past the limit').expect(429);
        expect(res.body).toMatchObject({
          statusCode: 429,
          code: 'PASSWORD_RESET_THROTTLED',
          details: { retryAfterSeconds: expect.any(Number) },
        });
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(3000);
        await request(t.http).get('/api/v1/auth/me').set(auth(supplier)).expect(200);
        await login(supplier.email, supplier.password).expect(200);
        const [pending] = await t.app
          .get(DataSource)
          .query<{ spent_at: Date | null }[]>(`SELECT spent_at FROM password_resets WHERE user_id = $1`, [
            supplier.userId,
          ]);
        expect(pending?.spent_at).toBeNull();
      } finally {
        config.PASSWORD_RESETS_PER_HOUR = limit;
      }
    });

    it("refuses to reset an operator's password, another's or one's own, issuing nothing and logging who tried", async () => {
      const operator = await factory.actor('operator');
      const other = await factory.actor('operator');
      const warn = jest.spyOn(Logger.prototype, 'warn');
      try {
        for (const target of [other, operator]) {
          const res = await issue(operator, target.email.toUpperCase()).expect(403);
          expect(res.body).toMatchObject({
            statusCode: 403,
            code: 'OPERATOR_RESET_NOT_ALLOWED',
            details: { field: 'email' },
          });
          expect(JSON.stringify(res.body)).not.toMatch(/resetToken/);
          expect(warn).toHaveBeenCalledWith(
            { userId: target.userId, operatorUserId: operator.userId },
            'password reset of an operator refused',
          );
        }
      } finally {
        warn.mockRestore();
      }
      const [issued] = await t.app
        .get(DataSource)
        .query<{ n: number }[]>(`SELECT count(*)::int AS n FROM password_resets WHERE user_id = ANY($1)`, [
          [operator.userId, other.userId],
        ]);
      expect(issued?.n).toBe(0);
      await login(other.email, other.password).expect(200);
    });

    it('is for operators only, and refuses an unknown email or a malformed body', async () => {
      const operator = await factory.actor('operator');
      const auditor = await factory.actor('auditor');
      expect((await issue(auditor, operator.email).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
      await request(t.http).post('/api/v1/admin/password-resets').send({ email: operator.email }).expect(401);
      expect((await issue(operator, 'nobody@example.test').expect(404)).body.code).toBe('USER_NOT_FOUND');
      expect((await issue(operator, 'not an email').expect(400)).body.code).toBe('VALIDATION_FAILED');
      const short = await reset('x'.repeat(43), 'short').expect(400);
      expect(short.body.message).toMatch(/^newPassword: /);
      expect((await reset('x'.repeat(43), 'long enough password').expect(401)).body.code).toBe(
        'PASSWORD_RESET_INVALID',
      );
    });
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
