import type { NextFunction, Request, Response } from 'express';
import { defineError, DomainError, ValidationFailedError } from '@app/domain';

export class InvalidJsonError extends defineError('INVALID_JSON', 'invalid') {}
export class PayloadTooLargeError extends defineError('PAYLOAD_TOO_LARGE', 'too_large') {}
export class UnsupportedBodyError extends defineError('UNSUPPORTED_BODY', 'invalid') {}
export class UnsupportedMediaTypeError extends defineError('UNSUPPORTED_MEDIA_TYPE', 'unsupported_media') {}

/**
 * Express error middleware placed right after the body parsers: turns their errors into domain errors
 * with stable codes before Nest's router sees them (Nest would otherwise echo the parser's message).
 */
export function bodyParserErrors(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  const type = (error as { type?: unknown } | null)?.type;
  let mapped: DomainError | undefined;
  if (type === 'entity.parse.failed') {
    mapped = new InvalidJsonError(
      isJson((error as { body?: unknown }).body)
        ? 'The request body must be a JSON object'
        : 'The request body is not valid JSON',
    );
  } else if (type === 'entity.too.large')
    mapped = new PayloadTooLargeError('The request body is larger than 1 MB');
  else if (typeof type === 'string') {
    mapped = new UnsupportedBodyError(
      'The request body could not be read (unsupported encoding or charset)',
      {
        reason: type,
      },
    );
  } else if (isClientError(error)) {
    // A body that its Content-Encoding (gzip, deflate, br) does not decode: zlib's own error, marked 400.
    mapped = new UnsupportedBodyError('The request body could not be decoded as its Content-Encoding says', {
      reason: 'encoding.invalid',
    });
  }
  next(mapped ?? error);
}

/** Whether a body the JSON parser refused is JSON all the same: a value other than an object or array. */
function isJson(body: unknown): boolean {
  if (typeof body !== 'string') return false;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

/** An error the body parser marked as the client's (a 4xx status), without a type of its own. */
function isClientError(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * A request without a body gets an empty object, so the validation pipe still runs and names the missing fields
 * instead of the handler seeing undefined. A body the JSON parser did not read (another Content-Type: text, a
 * form) is refused with 415: taken as empty, a PATCH "succeeded" and changed nothing, and a form is what a
 * browser sends to another site without asking it first.
 */
export function defaultEmptyBody(req: Request, _res: Response, next: NextFunction): void {
  if (req.body === undefined) {
    if (hasBody(req)) {
      next(
        new UnsupportedMediaTypeError(
          'The request body must be JSON, sent as Content-Type: application/json',
          {
            contentType: req.headers['content-type'] ?? null,
          },
        ),
      );
      return;
    }
    req.body = {};
  }
  next();
}

/** Whether the request carries a body (RFC 9112: a Transfer-Encoding, or a Content-Length above 0). */
function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

/** The JSON escapes that can carry text PostgreSQL refuses: U+0000, and UTF-16 surrogates (\uD800-\uDFFF). */
const SUSPECT_ESCAPES = [Buffer.from('\\u0000'), Buffer.from('\\ud'), Buffer.from('\\uD')];
const JSON_MAY_HOLD_UNSTORABLE = Symbol('jsonMayHoldUnstorable');
const JSON_TOO_DEEP = Symbol('jsonTooDeep');

/** How deep a request's JSON may nest: far more than any request shape, far less than the validators' recursion. */
export const MAX_JSON_DEPTH = 32;

/** The deepest nesting of arrays and objects in a JSON text, or MAX_JSON_DEPTH + 1 as soon as it goes past it. */
function jsonDepth(text: Buffer): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (inString) {
      if (byte === 0x5c)
        i++; // a backslash escapes the next character
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > MAX_JSON_DEPTH) return deepest;
      }
    } else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return deepest;
}

/**
 * `verify` hook of the JSON parser: a cheap byte search that tells refuseUnstorableText whether the parsed body
 * needs walking at all (an escaped backslash before "u0000", or a surrogate pair, is a false alarm that the
 * walk clears).
 */
export function markSuspectEscapes(req: Request, _res: Response, body: Buffer): void {
  if (SUSPECT_ESCAPES.some((escape) => body.includes(escape))) {
    (req as SuspectMarked)[JSON_MAY_HOLD_UNSTORABLE] = true;
  }
  // JSON.parse takes any depth, but the validation pipe and class-transformer recurse once per level: a body
  // nested a hundred thousand deep would overflow the stack there (a 500).
  if (body.length > MAX_JSON_DEPTH && jsonDepth(body) > MAX_JSON_DEPTH)
    (req as SuspectMarked)[JSON_TOO_DEEP] = true;
}

const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';
const SURROGATE_MESSAGE = 'must not contain a lone UTF-16 surrogate (U+D800-U+DFFF without its pair)';

/**
 * PostgreSQL stores no U+0000 in text or jsonb, and its jsonb refuses a surrogate without its pair (which JSON
 * can carry as an escape, and JSON.stringify writes back as one), so such a string would fail deep in a query.
 * It is refused up front, for every route, in the query string and in any key or value of the body, as a
 * VALIDATION_FAILED naming the field.
 */
export function refuseUnstorableText(req: Request, _res: Response, next: NextFunction): void {
  if ((req as SuspectMarked)[JSON_TOO_DEEP] === true) {
    const message = `must not nest arrays and objects more than ${MAX_JSON_DEPTH} deep`;
    next(new ValidationFailedError(`body: ${message}`, { fields: [{ field: 'body', messages: [message] }] }));
    return;
  }
  let found: Unstorable | undefined;
  if (req.originalUrl.includes('%00'))
    found = unstorablePath(req.query, '') ?? { field: 'query', message: NUL_MESSAGE };
  else if ((req as SuspectMarked)[JSON_MAY_HOLD_UNSTORABLE] === true || !req.is('application/json')) {
    found = unstorablePath(req.body, '');
  }
  if (found === undefined) {
    next();
    return;
  }
  const { field, message } = found;
  next(new ValidationFailedError(`${field}: ${message}`, { fields: [{ field, messages: [message] }] }));
}

type SuspectMarked = Request & { [JSON_MAY_HOLD_UNSTORABLE]?: boolean; [JSON_TOO_DEEP]?: boolean };
export interface Unstorable {
  field: string;
  message: string;
}

/** In a `u` expression a surrogate pair is one code point, so this matches only a surrogate without its pair. */
const LONE_SURROGATE = /\p{Cs}/u;

function problemOf(text: string): string | undefined {
  if (text.includes('\u0000')) return NUL_MESSAGE;
  return LONE_SURROGATE.test(text) ? SURROGATE_MESSAGE : undefined;
}

/** The first string or key holding unstorable text, with its path as the validation pipe names fields. */
export function unstorablePath(value: unknown, path: string, depth = 0): Unstorable | undefined {
  if (typeof value === 'string') {
    const message = problemOf(value);
    return message ? { field: path || 'body', message } : undefined;
  }
  if (value === null || typeof value !== 'object' || depth > 64) return undefined;
  for (const [key, v] of Object.entries(value)) {
    const keyProblem = problemOf(key);
    if (keyProblem) return { field: path || 'body', message: keyProblem };
    const found = unstorablePath(v, path ? `${path}.${key}` : key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
