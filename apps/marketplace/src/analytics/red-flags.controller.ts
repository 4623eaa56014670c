import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Page } from '@app/domain';
import { RedFlagsService, type RedFlagView } from '@app/domain/analytics';
import { ApiErrors } from '../common/api-errors.decorator';
import { Public, Roles } from '../common/auth.decorators';
import { uuidParam } from '../common/validation';
import { RedFlagsQueryDto } from './dto/red-flags-query.dto';

const FLAG =
  '{ id, code, tenderId, lotId, awardId, buyerId, supplierId, cityId, figures, computedAt }: figures are the ' +
  'numbers behind the flag';

/** Red flags: the auditors' filtered list, and the flags of one tender for its public page. */
@ApiTags('analytics')
@Controller()
export class RedFlagsController {
  constructor(private readonly redFlags: RedFlagsService) {}

  @Get('red-flags')
  @Roles('auditor', 'operator')
  @ApiOkResponse({
    description: `{ items: [${FLAG}], nextCursor }, newest first`,
    schema: { type: 'object' },
  })
  @ApiErrors(400)
  list(@Query() query: RedFlagsQueryDto): Promise<Page<RedFlagView>> {
    return this.redFlags.list({
      ...query,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
    });
  }

  @Get('tenders/:id/red-flags')
  @Public()
  @ApiOkResponse({
    description: `{ items: [${FLAG}] }, computed once the tender closed`,
    schema: { type: 'object' },
  })
  @ApiErrors(400, 404)
  async forTender(@Param('id', uuidParam('id')) id: string): Promise<{ items: RedFlagView[] }> {
    return { items: await this.redFlags.forTender(id) };
  }
}
