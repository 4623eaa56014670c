import { Writable } from 'node:stream';
import pino from 'pino';
import { QueryFailedError } from 'typeorm';
import { REDACTED_PATHS } from './logger.module';

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
