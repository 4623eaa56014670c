import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { Logger, PARAMS_PROVIDER_TOKEN, PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { AppConfig } from '../config/app-config';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The correlation id of a request: the caller's X-Request-Id when it is sane, a new UUID otherwise. */
export function correlationIdFor(req: IncomingMessage): string {
  const sent = req.headers['x-request-id'];
  return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
}

/** Paths that never reach the logs: credentials, tokens and personal data. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.refreshToken',
  '*.accessToken',
  '*.email',
  // A failed query's error carries its values (a sealed bid's content and salt, say) and PostgreSQL's detail,
  // which can quote them ("Key (...)=(...) already exists"); the statement and the code stay.
  'err.parameters',
  'err.detail',
  'err.driverError.detail',
];

/** The injection token of the process's root pino logger. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** The process's root pino logger: JSON lines on stdout at LOG_LEVEL, with the paths above redacted. */
export function createRootLogger(config: AppConfig): pino.Logger {
  return pino({ level: config.LOG_LEVEL, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}

/** Requests that are not logged: probes and scrapes, several a second, that say nothing about the users. */
const QUIET_URLS = new Set(['/health', '/health/ready', '/metrics']);

/** The fields of one request's log line, as every API log line of a request names them. */
export interface RequestLine {
  correlationId: string;
  req: { id: string; method: string | undefined; url: string | undefined };
  res: { statusCode: number };
  responseTime: number;
}

/**
 * Gives every request its correlation id (the `X-Request-Id` header of the answer, `req.id` for the exception
 * filter) and writes one line when it ends: `request completed`, at error level for a 5xx, or `request aborted`
 * when the client left before the answer was sent. Headers and bodies are never logged.
 *
 * Deliberately not pino-http with an AsyncLocalStorage scope per request (what nestjs-pino's middleware does):
 * on Node 20 an active AsyncLocalStorage installs promise hooks that every promise of every request pays for,
 * and with pino-http's child logger per request that was a third of the API's CPU per bid. The lines a request
 * causes carry its id because their writers are given it (the exception filter, the streamed exports).
 */
export function requestLogging(
  logger: pino.Logger,
): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const id = correlationIdFor(req);
    (req as { id?: unknown }).id = id;
    res.setHeader('X-Request-Id', id);
    if (!QUIET_URLS.has(req.url ?? '') && logger.isLevelEnabled('error')) {
      const started = performance.now();
      res.once('close', () => {
        const line: RequestLine = {
          correlationId: id,
          req: { id, method: req.method, url: req.url },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - started),
        };
        if (!res.writableFinished) logger.warn(line, 'request aborted');
        else if (res.statusCode >= 500) logger.error(line, 'request completed');
        else logger.info(line, 'request completed');
      });
    }
    next();
  };
}

/**
 * Structured JSON logs (pino) for the API and the worker. Nest's own logger and every injected PinoLogger
 * write through the root logger; inside a job, through the job's child logger (ObservedProcessor), so each
 * of its lines carries the job's correlation id. HTTP requests are logged by `requestLogging`.
 */
@Global()
@Module({})
export class LoggerModule {
  static forRoot(): DynamicModule {
    return {
      module: LoggerModule,
      providers: [
        { provide: ROOT_LOGGER, inject: [AppConfig], useFactory: createRootLogger },
        // nestjs-pino's providers without its module, whose middleware is pino-http in a storage scope.
        {
          provide: PARAMS_PROVIDER_TOKEN,
          inject: [ROOT_LOGGER],
          useFactory: (logger: pino.Logger) => ({ pinoHttp: { logger } }),
        },
        PinoLogger,
        Logger,
      ],
      exports: [ROOT_LOGGER, PARAMS_PROVIDER_TOKEN, PinoLogger, Logger],
    };
  }
}
