import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { AppConfig } from '@app/domain';
import { BootstrapOperator } from '../apps/marketplace/src/bootstrap-operator';
import { ActorFactory } from './factories/actors';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';
import { testEnv } from './setup/test-env';

/** `npm run cli -- create-operator`, the compiled command (npm test builds it first), on the test database. */
describe('Operator CLI: create-operator', () => {
  const compiled = join(__dirname, '..', 'dist', 'scripts', 'cli.js');
  let t: TestApp;

  beforeAll(async () => {
    expect(existsSync(compiled)).toBe(true);
    await resetState();
    t = await createTestApp();
  });
  afterAll(() => t.app.close());

  const cli = (args: string[], password: string) =>
    new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(
        process.execPath,
        [compiled, 'create-operator', ...args],
        { env: { ...process.env, ...testEnv(), OPERATOR_PASSWORD: password } },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr }),
      );
    });
  const login = (email: string, password: string) =>
    request(t.http).post('/api/v1/auth/login').send({ email, password });

  it('creates an operator with the password exactly as given, spaces included', async () => {
    const password = '  spaced pass phrase  ';
    const made = await cli(['--email', 'Ops.Lead@Example.test'], password);
    expect(made).toMatchObject({
      code: 0,
      out: expect.stringContaining('operator ops.lead@example.test created'),
    });
    const res = await login('ops.lead@example.test', password).expect(200);
    expect(res.body.accessToken).toEqual(expect.any(String));
    await login('ops.lead@example.test', password.trim()).expect(401);
    // Run again: the operator is there, nothing changes.
    const again = await cli(['--email', 'ops.lead@example.test'], 'another-password-123');
    expect(again).toMatchObject({ code: 0, out: expect.stringContaining('already exists; nothing changed') });
    await login('ops.lead@example.test', password).expect(200);
  });

  it('refuses what is not an email, and an email of a user who is not an operator', async () => {
    const notEmail = await cli(['--email', 'ops-lead'], 'long-enough-password');
    expect(notEmail).toMatchObject({ code: 1, err: expect.stringContaining('not an email address') });
    const supplier = await new ActorFactory(t.app).actor('supplier');
    const taken = await cli(['--email', supplier.email], 'long-enough-password');
    expect(taken).toMatchObject({
      code: 1,
      err: expect.stringContaining("is a supplier's account, not an operator's"),
    });
  });

  it('says at start that BOOTSTRAP_OPERATOR_EMAIL names a user who is not an operator, and changes nothing', async () => {
    const buyer = await new ActorFactory(t.app).actor('buyer');
    const config = t.app.get(AppConfig);
    Object.assign(config, {
      BOOTSTRAP_OPERATOR_EMAIL: buyer.email,
      BOOTSTRAP_OPERATOR_PASSWORD: 'bootstrap-password-1',
    });
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      await t.app.get(BootstrapOperator).onApplicationBootstrap();
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining("BOOTSTRAP_OPERATOR_EMAIL belongs to a buyer's account"),
      );
    } finally {
      warn.mockRestore();
      Object.assign(config, { BOOTSTRAP_OPERATOR_EMAIL: undefined, BOOTSTRAP_OPERATOR_PASSWORD: undefined });
    }
    const me = await request(t.http)
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${buyer.accessToken}`);
    expect(me.body.role).toBe('buyer');
  });
});
