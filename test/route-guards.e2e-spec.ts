import request from 'supertest';
import { ROLES, type Role } from '@app/domain';
import { ActorFactory } from './factories/actors';
import { createTestApp, TestApp } from './setup/app-factory';
import { operations } from './setup/openapi-operations';
import { resetState } from './setup/reset';

describe('Route guards', () => {
  let t: TestApp;
  let tokens: Record<Role, string>;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    tokens = await new ActorFactory(t.app).tokenPerRole();
  });
  afterAll(() => t.app.close());

  it('documents a public marker or a role list on every operation, never both', () => {
    const ops = operations(t);
    expect(ops.length).toBeGreaterThan(10);
    for (const op of ops) {
      expect({ op: `${op.method} ${op.path}`, declared: op.isPublic !== !!op.roles?.length }).toEqual({
        op: `${op.method} ${op.path}`,
        declared: true,
      });
    }
  });

  it('answers 401 without a token on every non-public operation', async () => {
    for (const op of operations(t).filter((o) => !o.isPublic)) {
      const res = await request(t.http)[op.method as 'get'](op.path).send({});
      expect({ op: `${op.method} ${op.path}`, status: res.status, code: res.body.code }).toEqual({
        op: `${op.method} ${op.path}`,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    }
  });

  it('answers 403 to every role an operation does not allow', async () => {
    let checked = 0;
    for (const op of operations(t).filter((o) => !o.isPublic)) {
      for (const role of ROLES.filter((r) => !op.roles?.includes(r))) {
        const res = await request(t.http)
          [op.method as 'get'](op.path)
          .set('Authorization', `Bearer ${tokens[role]}`)
          .send({});
        expect({ op: `${op.method} ${op.path}`, role, status: res.status, code: res.body.code }).toEqual({
          op: `${op.method} ${op.path}`,
          role,
          status: 403,
          code: 'FORBIDDEN_ROLE',
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('lets every allowed role through the guard', async () => {
    // Logging out revokes the token, so it goes last.
    const ops = operations(t)
      .filter((o) => !o.isPublic)
      .sort((a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')));
    for (const op of ops) {
      for (const role of op.roles ?? []) {
        const res = await request(t.http)
          [op.method as 'get'](op.path)
          .set('Authorization', `Bearer ${tokens[role]}`)
          .send({});
        expect({ op: `${op.method} ${op.path}`, role, denied: [401, 403].includes(res.status) }).toEqual({
          op: `${op.method} ${op.path}`,
          role,
          denied: false,
        });
      }
    }
  });
});
