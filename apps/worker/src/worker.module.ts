import { DynamicModule, Module } from '@nestjs/common';
import { AccountsModule, AppConfig, PlatformModule } from '@app/domain';
import { JobMetrics } from './common/job-metrics';
import { HeartbeatService } from './heartbeat/heartbeat.service';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { MaintenanceScheduler } from './maintenance/maintenance.scheduler';

/** The worker: a Nest application context running BullMQ processors over the shared libraries. */
@Module({})
export class WorkerModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config), AccountsModule],
      providers: [JobMetrics, HeartbeatService, MaintenanceProcessor, MaintenanceScheduler],
    };
  }
}
