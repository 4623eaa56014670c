import { RequestMethod } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { json } from 'express';
import type pino from 'pino';
import { LogService, requestLogging, ROOT_LOGGER } from '@app/domain';
import {
  bodyParserErrors,
  defaultEmptyBody,
  markSuspectEscapes,
  refuseUnstorableText,
} from './common/body-parser-errors';
import { ErrorResponseDto } from './common/error-response.dto';
import { MarketplaceAdapter } from './common/marketplace-adapter';
import { InclusionProofLane } from './log/inclusion-proof-lane';
import { MetricsService } from './metrics/metrics.service';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT = '1mb';

/** Everything main.ts and the end-to-end tests share: prefix, body limits, metrics, OpenAPI. */
export function configureApp(app: NestExpressApplication): OpenAPIObject {
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const logger = app.get<pino.Logger>(ROOT_LOGGER);
  app.use(requestLogging(logger));
  app.use(app.get(MetricsService).middleware());
  const adapter = app.getHttpAdapter();
  if (adapter instanceof MarketplaceAdapter) {
    adapter.addLane(new InclusionProofLane(app.get(LogService), app.get(MetricsService), logger).handle);
  }
  app.use(
    json({ limit: BODY_LIMIT, verify: markSuspectEscapes }),
    bodyParserErrors,
    defaultEmptyBody,
    refuseUnstorableText,
  );
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Intercity procurement marketplace API')
      .setDescription(
        'Tenders, sealed bids, the shared catalogue and the public deal log. ' +
          'Every error has the body { statusCode, code, message, details?, correlationId }. ' +
          'Operations carry x-public: true or x-roles: [...].',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
      .build(),
    { extraModels: [ErrorResponseDto] },
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
  });
  return document;
}
