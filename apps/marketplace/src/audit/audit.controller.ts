import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AuditDealsService,
  AuditDossierCsvService,
  AuditDossierService,
  AuditHistoryService,
  AuditLogExportService,
  dossierFilename,
} from '@app/domain';
import { ApiErrors } from '../common/api-errors.decorator';
import { KnownCpvPipe } from '../common/known-cpv.pipe';
import { Roles } from '../common/auth.decorators';
import { PageQueryDto } from '../common/pagination.dto';
import { uuidParam } from '../common/validation';
import { DealsQueryDto, DossierQueryDto } from './dto/audit-query.dto';
import { attachment, streamText } from './stream-response';

/** The auditor's view (auditors and operators): histories, dossiers, the whole log, deal search. */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(
    private readonly history: AuditHistoryService,
    private readonly dossiers: AuditDossierService,
    private readonly dossierCsv: AuditDossierCsvService,
    private readonly logExport: AuditLogExportService,
    private readonly deals: AuditDealsService,
  ) {}

  @Get('tenders/:id/history')
  @Roles('auditor', 'operator')
  @ApiOkResponse({
    description:
      '{ tenderId, status, sealed, items: [{ eventId, type, occurredAt, logIndex, actor: { id, legalName, kind }, ' +
      'payload, sealedPayload, withheld }], nextCursor }; sealedPayload stays null until the bids are opened',
    schema: { type: 'object' },
  })
  @ApiErrors(400, 404)
  tenderHistory(@Param('id', uuidParam('id')) id: string, @Query() query: PageQueryDto) {
    return this.history.history(id, query.limit, query.cursor);
  }

  @Get('tenders/:id/dossier')
  @Roles('auditor', 'operator')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      'json: { generatedAt, tender, amendments, questions, bids, ranking, awards, contracts, log: { treeHead, ' +
      'entries: [{ index, entry, leafHash, auditPath }], unsequencedEvents } }; csv (RFC 4180): index, leafHash, ' +
      'eventType, occurredAt, actorOrganizationId, actorOrganization, summary',
  })
  @ApiErrors(400, 404)
  async dossier(
    @Param('id', uuidParam('id')) id: string,
    @Query() query: DossierQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    if (query.format === 'csv') {
      const csv = await this.dossierCsv.dossierCsv(id);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
      res.setHeader('Content-Disposition', attachment(csv.filename));
      if (csv.treeHead) res.setHeader('X-Log-Tree-Size', String(csv.treeHead.treeSize));
      await streamText(res, csv.chunks);
      return;
    }
    const dossier = await this.dossiers.dossierJson(id);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', attachment(dossierFilename(dossier.number, 'json')));
    await streamText(res, dossier.chunks);
  }

  @Get('log.jsonl')
  @Roles('auditor', 'operator')
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({
    description:
      'Every log entry up to the latest signed tree head, one JSON object { index, leafHash, entry } per line, ' +
      'in index order; X-Log-Tree-Size and X-Log-Root-Hash name that tree head',
  })
  async logJsonl(@Res() res: Response): Promise<void> {
    const { treeHead, lines } = await this.logExport.export();
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('X-Log-Tree-Size', String(treeHead?.treeSize ?? 0));
    if (treeHead) res.setHeader('X-Log-Root-Hash', treeHead.rootHash);
    await streamText(res, lines);
  }

  @Get('deals')
  @Roles('auditor', 'operator')
  @ApiOkResponse({
    description:
      '{ items: [{ id, number, ocid, title, status, buyers, value, publishedAt, awards }], nextCursor }, newest first',
    schema: { type: 'object' },
  })
  @ApiErrors(400)
  search(@Query(KnownCpvPipe) query: DealsQueryDto) {
    return this.deals.search({
      ...query,
      publishedFrom: query.publishedFrom ? new Date(query.publishedFrom) : undefined,
      publishedTo: query.publishedTo ? new Date(query.publishedTo) : undefined,
    });
  }
}
