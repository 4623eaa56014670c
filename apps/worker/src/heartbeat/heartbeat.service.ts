import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig, recordWorkerHeartbeat, REDIS, removeWorkerHeartbeat } from '@app/domain';

/** Publishes that this worker is alive every WORKER_HEARTBEAT_SECONDS; the API's readiness reports it. */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly workerId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly logger = new Logger(HeartbeatService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.config.WORKER_HEARTBEAT_SECONDS * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await removeWorkerHeartbeat(this.redis, this.config, this.workerId).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    try {
      await recordWorkerHeartbeat(this.redis, this.config, this.workerId);
    } catch (error) {
      this.logger.warn({ err: error }, 'heartbeat failed');
    }
  }
}
