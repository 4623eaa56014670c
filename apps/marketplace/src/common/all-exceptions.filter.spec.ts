import { type ArgumentsHost, Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AllExceptionsFilter } from './all-exceptions.filter';

/** The filter's answer to an exception, as the client would get it. */
function answer(exception: unknown): { status: number; body: Record<string, unknown> } {
  const sent = { status: 0, body: {} as Record<string, unknown> };
  const res = {
    headersSent: false,
    setHeader: () => undefined,
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: Record<string, unknown>) {
      sent.body = body;
    },
  };
  const host = {
    switchToHttp: () => ({ getRequest: () => ({ id: 'correlation-1' }), getResponse: () => res }),
  } as unknown as ArgumentsHost;
  new AllExceptionsFilter().catch(exception, host);
  return sent;
}

const databaseError = (code: string) =>
  new QueryFailedError('UPDATE contracts SET status = $1', [], Object.assign(new Error('pg'), { code }));

describe('AllExceptionsFilter', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  it.each([
    ['a deadlock', '40P01'],
    ['a serialization failure', '40001'],
  ])('answers %s with 409 CONCURRENT_CHANGE, without the database text', (_, code) => {
    const { status, body } = answer(databaseError(code));
    expect(status).toBe(409);
    expect(body).toMatchObject({
      statusCode: 409,
      code: 'CONCURRENT_CHANGE',
      correlationId: 'correlation-1',
    });
    expect(JSON.stringify(body)).not.toContain('contracts');
  });

  it('answers any other database failure with 500 and an error id only', () => {
    const { status, body } = answer(databaseError('23502'));
    expect(status).toBe(500);
    expect(body).toMatchObject({ code: 'INTERNAL_ERROR', details: { errorId: expect.any(String) } });
    expect(JSON.stringify(body)).not.toContain('contracts');
  });
});
