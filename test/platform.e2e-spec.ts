import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ConfigModule, DatabaseModule, loadConfig } from '@app/domain';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';

const UUID = /^[0-9a-f-]{36}$/;

describe('Platform plumbing', () => {
  let t: TestApp;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
  });
  afterAll(() => t.app.close());

  it('opens at most DATABASE_POOL_SIZE connections, however many queries wait', async () => {
    // The database module alone (a second whole app would take over the process-wide passport strategies).
    const config = loadConfig({ ...process.env, DATABASE_POOL_SIZE: '3', MIGRATIONS_RUN: 'false' });
    const small = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), DatabaseModule],
    }).compile();
    try {
      const probe = `pool_probe_${randomUUID().replace(/-/g, '')}`;
      const dataSource = small.get(DataSource);
      const running = Array.from({ length: 6 }, () => dataSource.query(`SELECT pg_sleep(1) AS ${probe}`));
      // Counted from another pool, the small one being full: the most queries running at once, watched until
      // 300 ms after three run (an unbounded pool would have started the other three by then), 2 s at most.
      const observer = t.app.get(DataSource);
      let seen = 0;
      let threeAt = Infinity;
      for (const start = Date.now(); Date.now() - start < 2000 && Date.now() - threeAt < 300;) {
        await new Promise((r) => setTimeout(r, 25));
        const [row] = await observer.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active'`,
          [`%${probe}%`],
        );
        seen = Math.max(seen, row.n);
        if (seen >= 3 && threeAt === Infinity) threeAt = Date.now();
      }
      expect(seen).toBe(3);
      await Promise.all(running);
    } finally {
      await small.close();
    }
  });

  it('answers liveness without a token', async () => {
    const res = await request(t.http).get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('reports database and Redis readiness and that no worker beats yet', async () => {
    const res = await request(t.http).get('/health/ready').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.checks.database.status).toBe('up');
    expect(res.body.checks.redis.status).toBe('up');
    expect(res.body.checks.worker).toEqual({ status: 'down', alive: [] });
    expect(res.body.checks.logTree).toEqual({ treeSize: expect.any(Number) });
  });

  it('exposes Prometheus metrics with an HTTP latency histogram by route and queue depths', async () => {
    await request(t.http).get('/api/v1/cities').expect(200);
    const res = await request(t.http).get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/cities"/);
    expect(res.text).toMatch(/queue_jobs\{queue="maintenance",state="waiting"\} \d+/);
  });

  it('serves the OpenAPI 3 document with the bearer scheme and Swagger UI', async () => {
    const doc = await request(t.http).get('/openapi.json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.body.components.schemas.ErrorResponseDto).toBeDefined();
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/auth/login');
    // Each list documents the page size it uses when none is asked for: 20 in the catalogue, 50 elsewhere.
    const defaultLimit = (path: string) =>
      doc.body.paths[path].get.parameters.find((p: { name: string }) => p.name === 'limit').schema.default;
    expect(defaultLimit('/api/v1/catalogue/items/{id}/versions')).toBe(20);
    expect(defaultLimit('/api/v1/catalogue/items/{id}/offers')).toBe(20);
    expect(defaultLimit('/api/v1/catalogue/items')).toBe(20);
    expect(defaultLimit('/api/v1/tenders/{id}/bids')).toBe(50);
    expect(defaultLimit('/api/v1/cities')).toBe(50);
    const ui = await request(t.http).get('/docs/').expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('answers an unknown route with the common error body', async () => {
    const res = await request(t.http).get('/api/v1/no-such-thing').expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      code: 'ROUTE_NOT_FOUND',
      message: 'Cannot GET /api/v1/no-such-thing',
      correlationId: expect.stringMatching(UUID),
    });
  });

  it('takes the correlation id from X-Request-Id and echoes it', async () => {
    const res = await request(t.http).get('/api/v1/nope').set('X-Request-Id', 'req-abc.123').expect(404);
    expect(res.headers['x-request-id']).toBe('req-abc.123');
    expect(res.body.correlationId).toBe('req-abc.123');
  });

  it('replaces an unsafe X-Request-Id with a fresh one', async () => {
    const res = await request(t.http)
      .get('/api/v1/nope')
      .set('X-Request-Id', 'bad id\twith spaces')
      .expect(404);
    expect(res.body.correlationId).toMatch(UUID);
  });

  it('refuses invalid JSON with INVALID_JSON', async () => {
    const res = await request(t.http)
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": "a@b.c", ')
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      code: 'INVALID_JSON',
      message: 'The request body is not valid JSON',
      correlationId: expect.any(String),
    });
  });

  it('tells JSON that is not an object from JSON that is not valid, and a path that does not decode', async () => {
    for (const text of ['42', 'null', '"x"']) {
      const res = await request(t.http)
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send(text)
        .expect(400);
      expect(res.body).toMatchObject({
        code: 'INVALID_JSON',
        message: 'The request body must be a JSON object',
      });
    }
    const broken = await request(t.http)
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email":')
      .expect(400);
    expect(broken.body.message).toBe('The request body is not valid JSON');
    const path = await request(t.http).get('/api/v1/tenders/%').expect(400);
    expect(path.body).toMatchObject({
      code: 'INVALID_PATH',
      message: 'A path segment is not valid percent-encoded UTF-8',
    });
  });

  it('refuses a body that is not JSON with 415, even one a browser would post across sites', async () => {
    for (const call of [
      request(t.http).post('/api/v1/auth/login').type('form').send('email=a@b.test&password=x'),
      request(t.http)
        .post('/api/v1/auth/login')
        .set('Content-Type', 'text/plain')
        .send('{"email":"a@b.test","password":"x"}'),
      request(t.http).post('/api/v1/auth/login').send(Buffer.from('{"email":"a@b.test","password":"x"}')),
    ]) {
      const res = await call;
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      });
      expect(res.body.message).toBe('The request body must be JSON, sent as Content-Type: application/json');
    }
    // No body at all is still an empty object, and its missing fields are named.
    const empty = await request(t.http).post('/api/v1/auth/login').expect(400);
    expect(empty.body.code).toBe('VALIDATION_FAILED');
  });

  it('refuses the NUL character anywhere in a body or a query string, naming the field', async () => {
    const refused: [request.Test, string][] = [
      [
        request(t.http).post('/api/v1/auth/login').send({ email: 'a@b.c', password: 'pass\u0000word' }),
        'password',
      ],
      [
        request(t.http)
          .post('/api/v1/organizations/register')
          .send({ organization: { legalName: 'A', nested: [{ 'k\u0000': 1 }] } }),
        'organization.nested.0',
      ],
      [request(t.http).get('/api/v1/tenders?q=a%00b'), 'q'],
      [request(t.http).get('/api/v1/classifications/cpv?q=%00'), 'q'],
    ];
    for (const [call, field] of refused) {
      const res = await call;
      const message = 'must not contain the NUL character (U+0000)';
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: `${field}: ${message}`,
        details: { fields: [{ field, messages: [message] }] },
      });
    }
    // An escaped backslash before "u0000" is six ordinary characters, not NUL.
    const text = await request(t.http)
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": "nobody@example.com", "password": "pass\\\\u0000word"}');
    expect({ status: text.status, code: text.body.code }).toEqual({
      status: 401,
      code: 'INVALID_CREDENTIALS',
    });
    const encoded = await request(t.http).get('/api/v1/classifications/cpv?q=a%2500b').expect(200);
    expect(encoded.body.items).toEqual([]);
  });

  it('refuses a lone UTF-16 surrogate in a body, naming the field, and lets surrogate pairs through', async () => {
    const message = 'must not contain a lone UTF-16 surrogate (U+D800-U+DFFF without its pair)';
    const refused: [string, string][] = [
      ['{"email": "a@b.c", "password": "pass\\ud800word"}', 'password'],
      ['{"email": "a@b.c", "password": "x\\uDC00"}', 'password'],
      ['{"organization": {"legalName": "A", "nested": [{"k\\udbff": 1}]}}', 'organization.nested.0'],
      ['{"organization": {"legalName": "\\ude00\\ud83d"}}', 'organization.legalName'],
    ];
    for (const [body, field] of refused) {
      const res = await request(t.http)
        .post(field === 'password' ? '/api/v1/auth/login' : '/api/v1/organizations/register')
        .set('Content-Type', 'application/json')
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: `${field}: ${message}`,
        details: { fields: [{ field, messages: [message] }] },
      });
    }
    // A pair is one character (here U+1F600), whether escaped or sent as UTF-8.
    for (const password of ['"pass\\ud83d\\ude00"', '"pass\u{1F600}"']) {
      const res = await request(t.http)
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send(`{"email": "nobody@example.com", "password": ${password}}`);
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 401,
        code: 'INVALID_CREDENTIALS',
      });
    }
  });

  it('refuses a body nested deeper than any request shape, before the validators recurse into it', async () => {
    const deep = `{"email": ${'['.repeat(100_000)}${']'.repeat(100_000)}, "password": "x"}`;
    const res = await request(t.http)
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send(deep)
      .expect(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: {
        fields: [{ field: 'body', messages: ['must not nest arrays and objects more than 32 deep'] }],
      },
    });
    // Brackets inside strings are text, not nesting.
    const text = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@example.com', password: '['.repeat(100) + '\\"{' })
      .expect(401);
    expect(text.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses a body its Content-Encoding does not decode with UNSUPPORTED_BODY, and reads one it does', async () => {
    const body = JSON.stringify({ email: 'nobody@example.com', password: 'not-the-password' });
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await request(t.http)
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        .send(body)
        .expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        code: 'UNSUPPORTED_BODY',
        message: 'The request body could not be decoded as its Content-Encoding says',
        details: { reason: 'encoding.invalid' },
        correlationId: expect.any(String),
      });
    }
    const zipped = await request(t.http)
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      // Sent as the bytes given (superagent would serialise a Buffer under a JSON type as JSON).
      .serialize((bytes: Buffer) => bytes as unknown as string)
      .send(gzipSync(body))
      .expect(401);
    expect(zipped.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses a body over 1 MB with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await request(t.http)
      .post('/api/v1/organizations/register')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(1_100_000) }))
      .expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses a malformed id in a path with INVALID_ID naming the parameter', async () => {
    const res = await request(t.http).get('/api/v1/cities/not-a-uuid').expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'INVALID_ID', message: 'id must be a UUID' });
  });

  it('refuses unknown query parameters', async () => {
    const res = await request(t.http).get('/api/v1/cities?sort=name').expect(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'sort: property sort should not exist',
    });
  });
});
