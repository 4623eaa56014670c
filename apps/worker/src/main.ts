import 'reflect-metadata';
import { createServer } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfigOrExit } from '@app/domain';
import { JobMetrics } from './common/job-metrics';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  await app.init();

  // Job durations and process metrics for Prometheus, on a port of the worker's own.
  const metrics = app.get(JobMetrics);
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    void metrics.registry.metrics().then((text) => {
      res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(text);
    });
  });
  if (config.WORKER_METRICS_PORT > 0) server.listen(config.WORKER_METRICS_PORT, config.HOST);
  logger.log(`worker started; metrics on :${config.WORKER_METRICS_PORT}/metrics`);

  // Closing the context closes the BullMQ workers, which wait for their active jobs to finish.
  // One shutdown, whichever signals come (npm start's Ctrl-C sends SIGINT, then SIGTERM).
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS).unref();
      server.close();
      void app.close().then(() => process.exit(0));
    });
  }
}

void bootstrap();
