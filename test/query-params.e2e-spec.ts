import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Role } from '@app/domain';
import { ActorFactory } from './factories/actors';
import { createTestApp, TestApp } from './setup/app-factory';
import { ANY_ID, operations } from './setup/openapi-operations';
import { resetState } from './setup/reset';

interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  minimum?: number;
  items?: Schema;
  $ref?: string;
}

interface QueryOperation {
  path: string;
  role: Role | undefined;
  params: { name: string; schema: Schema }[];
}

/** A value of the parameter's documented type; `text` for free strings. */
function valueOf(schema: Schema, text: string): string {
  if (schema.enum?.length) return String(schema.enum[0]);
  if (schema.type === 'array' && schema.items) return valueOf(schema.items, text);
  if (schema.format === 'uuid') return randomUUID();
  if (schema.format === 'date-time') return '2026-01-01T00:00:00.000Z';
  if (schema.format === 'date') return '2026-01-01';
  if (schema.type === 'integer' || schema.type === 'number') return String(schema.minimum ?? 1);
  if (schema.type === 'boolean') return 'true';
  return text;
}

/** Every GET operation with query parameters, and a role it lets in (none when public). */
function queryOperations(t: TestApp): QueryOperation[] {
  return operations(t)
    .filter((op) => op.method === 'get')
    .map((op) => ({
      path: op.path,
      role: op.isPublic ? undefined : op.roles?.[0],
      params: ((op.spec.parameters ?? []) as { name: string; in: string; schema?: Schema }[])
        .filter((p) => p.in === 'query')
        .map((p) => ({ name: p.name, schema: p.schema ?? {} })),
    }))
    .filter((op) => op.params.length > 0);
}

/**
 * Filters are combined into SQL one by one, so each one alone, with a plausible value or with text full of
 * SQL and LIKE metacharacters, must be answered without a 5xx.
 */
describe('Query parameters', () => {
  let t: TestApp;
  let tokens: Record<Role, string>;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    tokens = await new ActorFactory(t.app).tokenPerRole();
  });
  afterAll(() => t.app.close());

  it('answers every documented query parameter alone without a 5xx', async () => {
    const ops = queryOperations(t);
    expect(ops.length).toBeGreaterThan(10);
    const failures: string[] = [];
    let sent = 0;
    for (const op of ops) {
      for (const param of op.params) {
        for (const text of ['paper', `a%_'\\"[]()*:|&!<>`]) {
          const call = request(t.http)
            .get(op.path)
            .query({ [param.name]: valueOf(param.schema, text) });
          if (op.role) call.set('Authorization', `Bearer ${tokens[op.role]}`);
          const res = await call;
          sent++;
          if (res.status >= 500) failures.push(`GET ${op.path}?${param.name} (${text}): ${res.status}`);
        }
      }
    }
    expect(sent).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });

  it('takes whole numbers in a query string only as plainly written', async () => {
    for (const limit of ['0x5', '0b11', '1e1', '5.0', ' 5', '05', '+5']) {
      const res = await request(t.http).get('/api/v1/cities').query({ limit }).expect(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: [{ field: 'limit' }] },
      });
    }
    await request(t.http).get('/api/v1/cities?limit=5').expect(200);
    await request(t.http).get('/api/v1/log/entries?start=0x1&end=2').expect(400);
    await request(t.http)
      .get('/api/v1/log/entries?start=0&end=1')
      .expect((res) => {
        if (res.status >= 500 || res.status === 400) throw new Error(`start=0&end=1: ${res.status}`);
      });
  });

  it('refuses dates that ISO 8601 allows but no calendar reading gives, with VALIDATION_FAILED', async () => {
    // Week, ordinal and basic forms: valid ISO 8601, unreadable by JavaScript's Date; and days that do not exist.
    const odd = [
      '2027-W01-1',
      '2027-W01',
      '2027-100',
      '20270101',
      '2027-02-30',
      '2027-01-01T25:00:00Z',
      '0000-01-01',
      // A time without its offset: JavaScript would read it in the server's zone.
      '2027-01-01T12:00',
      '2027-01-01 12:00:00.5',
    ];
    const dated = queryOperations(t).flatMap((op) =>
      op.params
        .filter((p) => p.schema.format === 'date-time' || p.schema.format === 'date')
        .map((p) => ({ op, name: p.name })),
    );
    expect(dated.length).toBeGreaterThan(3);
    const failures: string[] = [];
    for (const { op, name } of dated) {
      for (const value of odd) {
        const call = request(t.http)
          .get(op.path)
          .query({ [name]: value });
        if (op.role) call.set('Authorization', `Bearer ${tokens[op.role]}`);
        const res = await call;
        if (res.status !== 400 || res.body.code !== 'VALIDATION_FAILED') {
          failures.push(`GET ${op.path}?${name}=${value}: ${res.status} ${res.body.code}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses a forged cursor on every list with INVALID_CURSOR, never a database error', async () => {
    // Well-formed cursors (base64url JSON arrays) holding values no column of a key can take.
    const keys: unknown[][] = [
      ['x', 'y'],
      ['2026-02-30T00:00:00.000000Z', ANY_ID],
      ['2026-01-01T00:00:00.000Z', 'not-a-uuid'],
      ['9223372036854775808', '1'],
      ['1', 'x'],
      [2147483648],
      [-1],
      ['2026-13', 'RU', 'x', 'x', 'x', 'x'],
      ['2026-02-30', 'RUB', 'KZT'],
      // Text parts PostgreSQL cannot store, in the shapes of the price statistics, exchange rates and cities.
      ['2026-01', 'RU', '\u0000', 'H87', 'RUB', '30'],
      ['2026-01-01', '\u0000', 'KZT'],
      ['2026-01-01', 'RUB', '\uD800'],
      ['\u0000'],
    ];
    // Lists that answer only with one more parameter.
    const needs: Record<string, Record<string, string>> = {
      '/api/v1/classifications/cpv': { q: 'paper' },
      '/api/v1/analytics/prices': { cpv: '30197630-1' },
    };
    const lists = queryOperations(t).filter(
      (op) => !op.path.includes(ANY_ID) && op.params.some((p) => p.name === 'cursor'),
    );
    expect(lists.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const op of lists) {
      for (const key of keys) {
        const cursor = Buffer.from(JSON.stringify(key)).toString('base64url');
        const call = request(t.http)
          .get(op.path)
          .query({ ...needs[op.path], cursor });
        if (op.role) call.set('Authorization', `Bearer ${tokens[op.role]}`);
        const res = await call;
        if (res.status !== 400 || res.body.code !== 'INVALID_CURSOR') {
          failures.push(`GET ${op.path} ${JSON.stringify(key)}: ${res.status} ${res.body.code}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
