import type { NextFunction, Request, Response } from 'express';
import { defineError, DomainError } from '@app/domain';

export class InvalidJsonError extends defineError('INVALID_JSON', 'invalid') {}
export class PayloadTooLargeError extends defineError('PAYLOAD_TOO_LARGE', 'too_large') {}
export class UnsupportedBodyError extends defineError('UNSUPPORTED_BODY', 'invalid') {}

/**
 * Express error middleware placed right after the body parsers: turns their errors into domain errors
 * with stable codes before Nest's router sees them (Nest would otherwise echo the parser's message).
 */
export function bodyParserErrors(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  const type = (error as { type?: unknown } | null)?.type;
  let mapped: DomainError | undefined;
  if (type === 'entity.parse.failed') mapped = new InvalidJsonError('The request body is not valid JSON');
  else if (type === 'entity.too.large')
    mapped = new PayloadTooLargeError('The request body is larger than 1 MB');
  else if (typeof type === 'string') {
    mapped = new UnsupportedBodyError(
      'The request body could not be read (unsupported encoding or charset)',
      {
        reason: type,
      },
    );
  }
  next(mapped ?? error);
}

/**
 * A request without a body a parser understood (no body, or another content type) gets an empty object,
 * so the validation pipe still runs and names the missing fields instead of the handler seeing undefined.
 */
export function defaultEmptyBody(req: Request, _res: Response, next: NextFunction): void {
  if (req.body === undefined) req.body = {};
  next();
}
