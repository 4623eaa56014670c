import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { JobsModule } from './jobs/jobs.module';
import { LoggerModule } from './observability/logger.module';
import { RedisModule } from './redis/redis.module';

/** What both processes stand on: configuration, logs, PostgreSQL (migrated), Redis and the queues. */
@Module({})
export class PlatformModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(),
        DatabaseModule,
        RedisModule,
        JobsModule.forRoot(),
      ],
      exports: [ConfigModule, LoggerModule, RedisModule, JobsModule],
    };
  }
}
