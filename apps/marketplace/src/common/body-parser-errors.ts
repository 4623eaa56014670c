import type { NextFunction, Request, Response } from 'express';
import { defineError, DomainError, ValidationFailedError } from '@app/domain';

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

/** The JSON escape of U+0000, the only way a JSON text can carry it. */
const NUL_ESCAPE = Buffer.from('\\u0000');
const JSON_MAY_HOLD_NUL = Symbol('jsonMayHoldNul');

/**
 * `verify` hook of the JSON parser: a cheap byte search that tells refuseNulCharacters whether the parsed body
 * needs walking at all (an escaped backslash before "u0000" is a false alarm that the walk clears).
 */
export function markNulEscapes(req: Request, _res: Response, body: Buffer): void {
  if (body.includes(NUL_ESCAPE)) (req as NulMarked)[JSON_MAY_HOLD_NUL] = true;
}

/**
 * PostgreSQL stores no U+0000 in text or jsonb, so a string holding it would fail deep in a query. It is
 * refused up front, for every route, in the query string and in any key or value of the body, as a
 * VALIDATION_FAILED naming the field.
 */
export function refuseNulCharacters(req: Request, _res: Response, next: NextFunction): void {
  let field: string | undefined;
  if (req.originalUrl.includes('%00')) field = nulPath(req.query, '') ?? 'query';
  else if ((req as NulMarked)[JSON_MAY_HOLD_NUL] === true || !req.is('application/json')) {
    field = nulPath(req.body, '');
  }
  if (field === undefined) {
    next();
    return;
  }
  const message = 'must not contain the NUL character (U+0000)';
  next(new ValidationFailedError(`${field}: ${message}`, { fields: [{ field, messages: [message] }] }));
}

type NulMarked = Request & { [JSON_MAY_HOLD_NUL]?: boolean };

/** The path of the first string or key holding U+0000, as the validation pipe names fields. */
function nulPath(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : undefined;
  if (value === null || typeof value !== 'object' || depth > 64) return undefined;
  for (const [key, v] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return path || 'body';
    const found = nulPath(v, at, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
