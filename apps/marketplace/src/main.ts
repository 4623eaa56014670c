import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfigOrExit } from '@app/domain';
import { MarketplaceAdapter } from './common/marketplace-adapter';
import { configureApp } from './configure-app';
import { MarketplaceModule } from './marketplace.module';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await NestFactory.create<NestExpressApplication>(
    MarketplaceModule.forRoot(config),
    new MarketplaceAdapter(),
    {
      bufferLogs: true,
      bodyParser: false,
      forceCloseConnections: false,
    },
  );
  configureApp(app);
  await app.listen(config.PORT, config.HOST);
  const base = `http://localhost:${config.PORT}`;
  process.stdout.write(`Marketplace API listening on ${base}/api/v1 — API documentation: ${base}/docs\n`);

  // In-flight requests finish; a request that outlives the grace period does not hold the process forever.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS).unref();
      void app.close().then(() => process.exit(0));
    });
  }
}

void bootstrap();
