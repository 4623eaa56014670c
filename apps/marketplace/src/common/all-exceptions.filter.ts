import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, type DomainErrorKind, isTransientConflict } from '@app/domain';

const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported_media: 415,
  throttled: 429,
  unavailable: 503,
};

const CODE_OF_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

/**
 * Errors of libraries that do not depend on @app/domain (the catalogue) have the same shape as DomainError:
 * a string code and one of the known kinds.
 */
function isCodedRuleError(error: unknown): error is Error & {
  code: string;
  kind: DomainErrorKind;
  details?: Record<string, unknown>;
} {
  if (!(error instanceof Error)) return false;
  const { code, kind } = error as { code?: unknown; kind?: unknown };
  return typeof code === 'string' && typeof kind === 'string' && Object.hasOwn(STATUS_OF_KIND, kind);
}

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
  correlationId: string;
}

/**
 * Turns every error into `{ statusCode, code, message, details?, correlationId }`.
 * Invariant: a 5xx body never carries internals (database text, stack); the stack goes to the log with an error id.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const correlationId = typeof req.id === 'string' ? req.id : randomUUID();
    const body = { ...this.describe(exception, correlationId), correlationId };
    if (body.statusCode === 429 && typeof body.details?.retryAfterSeconds === 'number') {
      res.setHeader('Retry-After', String(body.details.retryAfterSeconds));
    }
    if (res.headersSent) return;
    res.status(body.statusCode).json(body);
  }

  private describe(exception: unknown, correlationId: string): Omit<ErrorBody, 'correlationId'> {
    if (exception instanceof DomainError || isCodedRuleError(exception)) {
      return {
        statusCode: STATUS_OF_KIND[exception.kind],
        code: exception.code,
        message: exception.message,
        ...(exception.details ? { details: exception.details } : {}),
      };
    }
    if (isTransientConflict(exception)) {
      // PostgreSQL rolled the request's transaction back to let a concurrent one through: nothing was written.
      this.logger.warn({ err: exception, correlationId }, 'a transaction gave way to a concurrent one');
      return {
        statusCode: 409,
        code: 'CONCURRENT_CHANGE',
        message: 'A concurrent change to the same records won; nothing was written: send the request again',
      };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const statusCode = exception.getStatus();
      if (statusCode === 400 && /^Failed to decode param/.test(this.messageOf(exception))) {
        // The router's own words for a path segment that is not percent-encoded UTF-8 ("/tenders/%").
        return {
          statusCode,
          code: 'INVALID_PATH',
          message: 'A path segment is not valid percent-encoded UTF-8',
        };
      }
      return {
        statusCode,
        code: CODE_OF_STATUS[statusCode] ?? 'HTTP_ERROR',
        message: this.messageOf(exception),
      };
    }
    const errorId = randomUUID();
    this.logger.error(
      { err: exception, errorId, correlationId },
      exception instanceof Error ? exception.stack : String(exception),
    );
    return {
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      message: 'An unexpected error occurred; quote the error id when reporting it',
      details: { errorId },
    };
  }

  private messageOf(exception: HttpException): string {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (Array.isArray(message)) return message.map(String).join('; ');
    return typeof message === 'string' ? message : exception.message;
  }
}
