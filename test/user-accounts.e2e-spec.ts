import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Actor, ActorFactory } from './factories/actors';
import { auth } from './factories/tenders';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';

describe('User accounts managed by operators', () => {
  let t: TestApp;
  let factory: ActorFactory;
  let operator: Actor;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    factory = new ActorFactory(t.app);
    operator = await factory.actor('operator');
  });
  afterAll(() => t.app.close());

  const setActive = (by: Actor, userId: string, active: unknown) =>
    request(t.http).patch(`/api/v1/admin/users/${userId}/status`).set(auth(by)).send({ active });
  const login = (actor: Actor, password = actor.password) =>
    request(t.http).post('/api/v1/auth/login').send({ email: actor.email, password });
  const me = (token: string) =>
    request(t.http).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);

  it('lists an organisation’s users to operators alone, a page at a time, without secrets', async () => {
    const supplier = await factory.actor('supplier');
    const second = await request(t.http)
      .post(`/api/v1/admin/organizations/${supplier.organization.id}/users`)
      .set(auth(operator))
      .send({
        email: `second-${randomUUID()}@example.test`,
        fullName: 'Second User',
        password: 'a-long-password-123',
      })
      .expect(201);
    const first = await request(t.http)
      .get(`/api/v1/admin/organizations/${supplier.organization.id}/users?limit=1`)
      .set(auth(operator))
      .expect(200);
    expect(first.body.items).toHaveLength(1);
    const rest = await request(t.http)
      .get(
        `/api/v1/admin/organizations/${supplier.organization.id}/users?limit=1&cursor=${first.body.nextCursor}`,
      )
      .set(auth(operator))
      .expect(200);
    const ids = [...first.body.items, ...rest.body.items].map((u: any) => u.id).sort();
    expect(ids).toEqual([supplier.userId, second.body.id].sort());
    const items = [...first.body.items, ...rest.body.items];
    expect(items.find((u: any) => u.id === supplier.userId)).toEqual({
      id: supplier.userId,
      organizationId: supplier.organization.id,
      email: supplier.email,
      fullName: expect.any(String),
      role: 'supplier',
      active: true,
      lastLoginAt: expect.any(String),
      createdAt: expect.any(String),
    });
    // The user added by the operator has never signed in.
    expect(items.find((u: any) => u.id === second.body.id).lastLoginAt).toBeNull();
    expect(JSON.stringify(items)).not.toMatch(/password|hash|token/i);

    await request(t.http)
      .get(`/api/v1/admin/organizations/${supplier.organization.id}/users`)
      .set(auth(supplier))
      .expect(403);
    await request(t.http).get(`/api/v1/admin/organizations/${supplier.organization.id}/users`).expect(401);
    const unknown = await request(t.http)
      .get(`/api/v1/admin/organizations/${randomUUID()}/users`)
      .set(auth(operator));
    expect([unknown.status, unknown.body.code]).toEqual([404, 'ORGANIZATION_NOT_FOUND']);
  });

  it('turns an account off: its sessions end at once, it cannot sign in or use a reset; turned on, it signs in again', async () => {
    const buyer = await factory.actor('buyer');
    const reset = await request(t.http)
      .post('/api/v1/admin/password-resets')
      .set(auth(operator))
      .send({ email: buyer.email })
      .expect(201);
    await me(buyer.accessToken).expect(200);

    const off = await setActive(operator, buyer.userId, false);
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: buyer.userId, active: false });
    const refused = await me(buyer.accessToken);
    expect([refused.status, refused.body.code]).toEqual([401, 'SESSION_REVOKED']);
    const refreshed = await request(t.http)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: buyer.refreshToken });
    expect(refreshed.status).toBe(401);
    expect((await login(buyer)).status).toBe(401);
    const used = await request(t.http)
      .post('/api/v1/auth/password/reset')
      .send({ resetToken: reset.body.resetToken, newPassword: 'another-long-password-1' });
    expect(used.status).toBe(401);
    // The organisation is untouched: its other users carry on.
    const [org] = await t.app
      .get(DataSource)
      .query('SELECT status FROM organizations WHERE id = $1', [buyer.organization.id]);
    expect(org.status).toBe('active');

    // Turning it off again changes nothing; turning it on lets it sign in with its password, not the spent reset.
    expect((await setActive(operator, buyer.userId, false)).body.active).toBe(false);
    expect((await setActive(operator, buyer.userId, true)).body.active).toBe(true);
    const back = await login(buyer);
    expect(back.status).toBe(200);
    await me(back.body.accessToken).expect(200);
    const stale = await request(t.http)
      .post('/api/v1/auth/password/reset')
      .send({ resetToken: reset.body.resetToken, newPassword: 'another-long-password-1' });
    expect(stale.status).toBe(401);
  });

  it('turns an account off while a refresh of its session is half done, without a deadlock', async () => {
    const user = await factory.actor('supplier');
    const db = t.app.get(DataSource);
    const [held] = await db.query<{ family_id: string }[]>(
      `SELECT family_id FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL LIMIT 1`,
      [user.userId],
    );
    const session = held!.family_id;
    // A rotation as SessionsService does it: the session's lock first, then its new token, whose foreign key
    // share-locks the user's row. The deactivation, in between, holds that row and waits for the session's lock.
    const rotation = db.createQueryRunner();
    await rotation.connect();
    await rotation.startTransaction();
    try {
      await rotation.query(`SELECT pg_advisory_xact_lock(hashtextextended('refresh-session:' || $1, 0))`, [
        session,
      ]);
      const off = setActive(operator, user.userId, false).then((res) => res.status);
      await new Promise((r) => setTimeout(r, 300));
      await rotation.query(
        `INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at)
         VALUES (md5(random()::text), $1, $2, now() + interval '1 day')`,
        [session, user.userId],
      );
      await rotation.commitTransaction();
      expect(await off).toBe(200);
    } finally {
      if (rotation.isTransactionActive) await rotation.rollbackTransaction();
      await rotation.release();
    }
    // The session, the token the rotation added included, is over.
    const live = await db.query(`SELECT 1 FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL`, [
      user.userId,
    ]);
    expect(live).toEqual([]);
  });

  it('stops another operator’s account, never one’s own, and only operators may', async () => {
    const other = await factory.actor('operator');
    const self = await setActive(operator, operator.userId, false);
    expect([self.status, self.body.code]).toEqual([409, 'CANNOT_DEACTIVATE_SELF']);
    await me(operator.accessToken).expect(200);

    const supplier = await factory.actor('supplier');
    await setActive(supplier, other.userId, false).expect(403);
    expect((await setActive(operator, other.userId, false)).body.active).toBe(false);
    expect((await login(other)).status).toBe(401);
    // Its token no longer acts, so it cannot turn the first operator off in return.
    expect((await setActive(other, operator.userId, false)).status).toBe(401);

    const unknown = await setActive(operator, randomUUID(), false);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'USER_NOT_FOUND']);
    expect((await setActive(operator, supplier.userId, 'no')).status).toBe(400);
    expect((await setActive(operator, supplier.userId, undefined)).status).toBe(400);
  });
});
