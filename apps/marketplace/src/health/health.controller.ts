import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { aliveWorkers, AppConfig, defineError, LogService, REDIS } from '@app/domain';
import { ApiErrors } from '../common/api-errors.decorator';
import { Public } from '../common/auth.decorators';

class NotReadyError extends defineError('NOT_READY', 'unavailable') {}

class LivenessDto {
  @ApiProperty({ example: 'ok' }) status: 'ok';
}

class ReadinessDto {
  @ApiProperty({ example: 'ok' }) status: 'ok';
  @ApiProperty({ type: 'object', additionalProperties: true }) checks: Record<string, unknown>;
}

const timed = async (probe: () => Promise<unknown>) => {
  const started = performance.now();
  try {
    await probe();
    return { status: 'up', latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch {
    return { status: 'down' };
  }
};

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
    private readonly log: LogService,
  ) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  /**
   * Ready when PostgreSQL and Redis answer; also says which workers are alive (their heartbeats), up to which
   * tree size the log's proofs come from memory, and whether the published log key verifies the latest head.
   */
  @Get('ready')
  @Public()
  @ApiOkResponse({ type: ReadinessDto })
  @ApiErrors(503)
  async ready(): Promise<ReadinessDto> {
    const [database, redis] = await Promise.all([
      timed(() => this.dataSource.query('SELECT 1')),
      timed(() => this.redis.ping()),
    ]);
    // The key the API publishes must verify the heads it serves; a mismatch is reported, not made a 503: the
    // marketplace works on, and verifiers would name the bad signature.
    const logKey = await this.log.checkKey().catch(() => ({ status: 'unknown' as const }));
    const workers = redis.status === 'up' ? await aliveWorkers(this.redis, this.config).catch(() => []) : [];
    const checks = {
      database,
      redis,
      worker: { status: workers.length > 0 ? 'up' : 'down', alive: workers },
      // Proofs within this signed size come from memory; larger ones from the database until it is loaded.
      logTree: { treeSize: this.log.treeInMemory() },
      logPages: { bytesInMemory: this.log.pagesInMemory() },
      logKey,
    };
    if (database.status !== 'up' || redis.status !== 'up') {
      throw new NotReadyError('A dependency of the API is unavailable', { checks });
    }
    return { status: 'ok', checks };
  }
}
