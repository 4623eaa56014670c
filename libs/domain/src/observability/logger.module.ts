import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
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

/** Structured JSON logs (pino) for the API and the worker, with a correlation id on every line. */
@Module({})
export class LoggerModule {
  static forRoot(): DynamicModule {
    return {
      module: LoggerModule,
      imports: [
        PinoLoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
            pinoHttp: {
              level: config.LOG_LEVEL,
              genReqId: (req: IncomingMessage, res: ServerResponse) => {
                const id = correlationIdFor(req);
                res.setHeader('X-Request-Id', id);
                return id;
              },
              // Every line of a request carries its id as correlationId: the one child logger pino-http makes
              // per request binds it under that name (customProps would make a second child for it).
              customAttributeKeys: { reqId: 'correlationId' },
              redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
              serializers: {
                req: (req: { id: string; method: string; url: string }) => ({
                  id: req.id,
                  method: req.method,
                  url: req.url,
                }),
              },
              autoLogging: {
                ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/metrics',
              },
              quietReqLogger: true,
            },
          }),
        }),
      ],
      exports: [PinoLoggerModule],
    };
  }
}
