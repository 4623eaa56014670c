import { Module } from '@nestjs/common';
import { DealLogModule } from '../deal-log/deal-log.module';
import { ProcurementModule } from '../tender/procurement.module';
import { AuditDealsService } from './audit-deals.service';
import { AuditDossierCsvService } from './audit-dossier-csv.service';
import { AuditDossierService } from './audit-dossier.service';
import { AuditHistoryService } from './audit-history.service';
import { AuditLogExportService } from './audit-log-export.service';

const SERVICES = [
  AuditHistoryService,
  AuditDossierService,
  AuditDossierCsvService,
  AuditLogExportService,
  AuditDealsService,
];

/** The auditor's view: deal histories with sealed facts after opening, dossiers, the whole log, deal search. */
@Module({ imports: [ProcurementModule, DealLogModule], providers: SERVICES, exports: SERVICES })
export class AuditModule {}
