import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { QueryFailedError } from 'typeorm';
import { REDACTED_PATHS, requestLogging } from './logger.module';

/** What a logger with the services' redaction writes for one error, as the exception filter logs it. */
function logged(err: unknown): string {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString();
      done();
    },
  });
  pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink).error({ err }, 'failed');
  return out;
}

describe('log redaction', () => {
  it("keeps a failed query's values and PostgreSQL's detail out of the log, and its statement and code in", () => {
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "uq_bids"'), {
      code: '23505',
      detail: 'Key (tender_id, supplier_id)=(t-1, supplier-secret) already exists.',
    });
    const err = new QueryFailedError(
      'INSERT INTO bids (content, salt) VALUES ($1, $2)',
      ['{"price":"123456.78"}', 'c2FsdC1zZWNyZXQ='],
      driverError,
    );
    const line = logged(err);
    for (const secret of ['123456.78', 'c2FsdC1zZWNyZXQ=', 'supplier-secret'])
      expect(line).not.toContain(secret);
    const entry = JSON.parse(line) as { err: Record<string, unknown> };
    expect(entry.err).toMatchObject({
      query: 'INSERT INTO bids (content, salt) VALUES ($1, $2)',
      code: '23505',
      parameters: '[redacted]',
    });
  });
});

describe('requestLogging', () => {
  /** A real HTTP server behind requestLogging, answering each path as `handlers` says, and the lines it logged. */
  async function serve(
    handlers: Record<string, (res: ServerResponse) => void>,
  ): Promise<{ url: string; lines: () => Record<string, unknown>[]; close: () => Promise<void> }> {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out += chunk.toString();
        done();
      },
    });
    const middleware = requestLogging(pino({ level: 'info' }, sink));
    const server = createServer((req, res) =>
      middleware(req, res, () => (handlers[req.url ?? ''] ?? ((r) => r.writeHead(404).end()))(res)),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      lines: () =>
        out
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      close: () =>
        new Promise((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  }

  /** Lines are written when the response closes, a moment after the client has read it. */
  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it('writes one line per request with its correlation id, method, url, status and time, and no headers', async () => {
    const s = await serve({ '/ok?q=1': (res) => res.writeHead(201).end('{}') });
    try {
      const res = await fetch(`${s.url}/ok?q=1`, {
        headers: { 'X-Request-Id': 'req-42', Authorization: 'Bearer secret-token-value' },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('x-request-id')).toBe('req-42');
      await settle();
      const lines = s.lines();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 30,
        msg: 'request completed',
        correlationId: 'req-42',
        req: { id: 'req-42', method: 'GET', url: '/ok?q=1' },
        res: { statusCode: 201 },
      });
      expect(lines[0]).toHaveProperty('responseTime', expect.any(Number));
      expect(JSON.stringify(lines)).not.toContain('secret-token-value');
    } finally {
      await s.close();
    }
  });

  it('gives a request without a usable X-Request-Id a fresh id, logs a 5xx as an error and health probes not at all', async () => {
    const s = await serve({
      '/boom': (res) => res.writeHead(503).end(),
      '/health': (res) => res.writeHead(200).end(),
    });
    try {
      const res = await fetch(`${s.url}/boom`, { headers: { 'X-Request-Id': 'bad id' } });
      await fetch(`${s.url}/health`);
      await settle();
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(s.lines()).toEqual([
        expect.objectContaining({ level: 50, correlationId: id, res: { statusCode: 503 } }),
      ]);
    } finally {
      await s.close();
    }
  });

  it('says a request was aborted when the client left before the answer', async () => {
    const s = await serve({ '/slow': () => undefined });
    try {
      const controller = new AbortController();
      const pending = fetch(`${s.url}/slow`, { signal: controller.signal }).catch(() => undefined);
      await settle();
      controller.abort();
      await pending;
      await settle();
      expect(s.lines()).toEqual([
        expect.objectContaining({
          level: 40,
          msg: 'request aborted',
          req: expect.objectContaining({ url: '/slow' }),
        }),
      ]);
    } finally {
      await s.close();
    }
  });
});
