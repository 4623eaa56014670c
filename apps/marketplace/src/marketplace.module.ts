import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { AppConfig, DealLogModule, OrganizationsModule, PlatformModule } from '@app/domain';
import { AuthModule } from './auth/auth.module';
import { BootstrapOperator } from './bootstrap-operator';
import { CatalogHttpModule } from './catalog/catalog.http.module';
import { CitiesHttpModule } from './cities/cities.http.module';
import { AccessGuard } from './common/access.guard';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { RouteAudit } from './common/route-audit';
import { createValidationPipe } from './common/validation';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { OrganizationsHttpModule } from './organizations/organizations.http.module';
import { TendersHttpModule } from './tenders/tenders.http.module';
import { LogHttpModule } from './log/log.http.module';
import { OcdsHttpModule } from './ocds/ocds.http.module';
import { AuditHttpModule } from './audit/audit.http.module';
import { AnalyticsHttpModule } from './analytics/analytics.http.module';

/** The HTTP API: thin controllers over the domain and catalogue libraries. */
@Module({})
export class MarketplaceModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: MarketplaceModule,
      imports: [
        PlatformModule.forRoot(config),
        DiscoveryModule,
        AuthModule,
        CitiesHttpModule,
        OrganizationsHttpModule,
        TendersHttpModule,
        LogHttpModule,
        OcdsHttpModule,
        AuditHttpModule,
        AnalyticsHttpModule,
        OrganizationsModule,
        DealLogModule,
        CatalogHttpModule,
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        MetricsService,
        RouteAudit,
        BootstrapOperator,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
