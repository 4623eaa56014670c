import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { OcdsService, type OcdsRecordPackage, type OcdsReleasePackage } from '@app/domain/ocds';
import { ApiErrors } from '../common/api-errors.decorator';
import { Public } from '../common/auth.decorators';
import { OcdsReleasesQueryDto } from './dto/ocds-query.dto';
import { OcidPipe } from './ocid.pipe';

const OCID = { name: 'ocid', example: 'ocds-mtp001-MTP-2026-000123' };

/**
 * OCDS 1.1 open data (with the bids extension): release packages and record packages, public and without an
 * account. The packages are built by the domain, already in their published shape (no entity leaves here).
 */
@ApiTags('ocds')
@Controller('ocds')
export class OcdsController {
  constructor(private readonly ocds: OcdsService) {}

  @Get('releases')
  @Public()
  @ApiOkResponse({
    description: 'A release package of recent releases, newest first; links.next pages on',
    schema: { type: 'object' },
  })
  @ApiErrors(400)
  releases(@Query() query: OcdsReleasesQueryDto): Promise<OcdsReleasePackage> {
    return this.ocds.recentReleasesPackage(query.limit, query.cursor);
  }

  @Get('releases/:ocid')
  @Public()
  @ApiParam(OCID)
  @ApiOkResponse({
    description: 'A release package with every release of the process',
    schema: { type: 'object' },
  })
  @ApiErrors(400, 404)
  processReleases(@Param('ocid', OcidPipe) ocid: string): Promise<OcdsReleasePackage> {
    return this.ocds.processReleasePackage(ocid);
  }

  @Get('records/:ocid')
  @Public()
  @ApiParam(OCID)
  @ApiOkResponse({
    description: 'A record package: the process’s releases (linked) and its compiled release',
    schema: { type: 'object' },
  })
  @ApiErrors(400, 404)
  record(@Param('ocid', OcidPipe) ocid: string): Promise<OcdsRecordPackage> {
    return this.ocds.recordPackage(ocid);
  }
}
