import { DynamicModule, Module } from '@nestjs/common';
import { AccountsModule, AppConfig, DealLogModule, PlatformModule, ProcurementModule } from '@app/domain';
import { AnalyticsModule } from '@app/domain/analytics';
import { OcdsModule } from '@app/domain/ocds';
import { JobMetrics } from './common/job-metrics';
import { LogSequencerRunner } from './log-sequencer/log-sequencer.runner';
import { HeartbeatService } from './heartbeat/heartbeat.service';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { MaintenanceScheduler } from './maintenance/maintenance.scheduler';
import { OcdsExportProcessor } from './ocds-export/ocds-export.processor';
import { OcdsExportScheduler } from './ocds-export/ocds-export.scheduler';
import { PriceAnalyticsProcessor } from './price-analytics/price-analytics.processor';
import { PriceAnalyticsScheduler } from './price-analytics/price-analytics.scheduler';
import { RedFlagsProcessor } from './red-flags/red-flags.processor';
import { RedFlagsSweepScheduler } from './red-flags/red-flags.scheduler';
import { TenderClosingProcessor } from './tender-closing/tender-closing.processor';
import { ClosingSweepScheduler } from './tender-closing/tender-closing.scheduler';

/** The worker: a Nest application context running BullMQ processors over the shared libraries. */
@Module({})
export class WorkerModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot(config),
        AccountsModule,
        ProcurementModule,
        DealLogModule,
        OcdsModule,
        AnalyticsModule,
      ],
      providers: [
        JobMetrics,
        HeartbeatService,
        MaintenanceProcessor,
        MaintenanceScheduler,
        TenderClosingProcessor,
        ClosingSweepScheduler,
        LogSequencerRunner,
        OcdsExportProcessor,
        OcdsExportScheduler,
        RedFlagsProcessor,
        RedFlagsSweepScheduler,
        PriceAnalyticsProcessor,
        PriceAnalyticsScheduler,
      ],
    };
  }
}
