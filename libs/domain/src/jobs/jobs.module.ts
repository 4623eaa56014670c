import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { redisConnectionOptions } from '../redis/redis.module';
import { DEFAULT_JOB_OPTIONS, QUEUES } from './queues';

/** BullMQ over REDIS_URL with the deployment's prefix and default retries; registers every queue. */
@Module({})
export class JobsModule {
  static forRoot(): DynamicModule {
    const queues = Object.values(QUEUES).map((name) => ({ name }));
    return {
      module: JobsModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            connection: redisConnectionOptions(config.REDIS_URL),
            prefix: config.QUEUE_PREFIX,
            defaultJobOptions: DEFAULT_JOB_OPTIONS,
          }),
        }),
        BullModule.registerQueue(...queues),
      ],
      exports: [BullModule],
    };
  }
}
