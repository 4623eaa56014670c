import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@app/domain';
import { MarketplaceAdapter } from '../../apps/marketplace/src/common/marketplace-adapter';
import { configureApp } from '../../apps/marketplace/src/configure-app';
import { MarketplaceModule } from '../../apps/marketplace/src/marketplace.module';
import { WorkerModule } from '../../apps/worker/src/worker.module';

export interface TestApp {
  app: NestExpressApplication;
  openapi: OpenAPIObject;
  http: ReturnType<NestExpressApplication['getHttpServer']>;
}

/** The real marketplace over the test database and Redis, exactly as main.ts configures it. */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ ...process.env, ...overrides });
  const moduleRef = await Test.createTestingModule({
    imports: [MarketplaceModule.forRoot(config)],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(new MarketplaceAdapter(), {
    bodyParser: false,
    logger: false,
  });
  const openapi = configureApp(app);
  await app.init();
  return { app, openapi, http: app.getHttpServer() };
}

/** The real worker (BullMQ processors included) in this process: an application context, as main.ts makes it. */
export async function createTestWorker(
  overrides: Record<string, string> = {},
): Promise<INestApplicationContext> {
  const config = loadConfig({ ...process.env, ...overrides });
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
  await worker.init();
  return worker;
}
