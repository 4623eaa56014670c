import { Module } from '@nestjs/common';
import { CatalogModule } from '@app/catalog';
import { AuditModule } from '@app/domain';
import { AuditController } from './audit.controller';

@Module({ imports: [AuditModule, CatalogModule], controllers: [AuditController] })
export class AuditHttpModule {}
