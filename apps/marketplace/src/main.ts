import 'reflect-metadata';
import cluster from 'node:cluster';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pino from 'pino';
import { type AppConfig, loadConfigOrExit } from '@app/domain';
import { apiProcessCount, runPrimary } from './api-processes';
import { MarketplaceAdapter } from './common/marketplace-adapter';
import { configureApp } from './configure-app';
import { MarketplaceModule } from './marketplace.module';

function announce(config: AppConfig, processes: number): void {
  const base = `http://localhost:${config.PORT}`;
  const how = processes > 1 ? ` (${processes} processes)` : '';
  process.stdout.write(
    `Marketplace API listening on ${base}/api/v1${how} — API documentation: ${base}/docs\n`,
  );
}

async function serve(config: AppConfig, processes: number): Promise<void> {
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
  if (cluster.isPrimary) announce(config, processes);

  // In-flight requests finish; a request that outlives the grace period does not hold the process forever.
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS).unref();
      void app.close().then(() => process.exit(0));
    });
  }
}

function main(): void {
  const config = loadConfigOrExit();
  const processes = apiProcessCount(config.API_PROCESSES);
  if (cluster.isPrimary && processes > 1) {
    const logger = pino({ level: config.LOG_LEVEL, base: { pid: process.pid, role: 'api-primary' } });
    runPrimary({
      processes,
      graceMs: config.SHUTDOWN_GRACE_MS,
      onListening: () => announce(config, processes),
      log: (level, message, details) => logger[level](details ?? {}, message),
    });
    return;
  }
  void serve(config, processes);
}

main();
