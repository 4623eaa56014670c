import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ComplaintsService } from '@app/domain';
import { ApiErrors } from '../common/api-errors.decorator';
import { AuthUser, CurrentUser, Public, Roles } from '../common/auth.decorators';
import { PageQueryDto } from '../common/pagination.dto';
import { uuidParam } from '../common/validation';
import { ComplaintDecisionDto, ComplaintDto, ComplaintQueryDto } from './dto/actions.dto';

const COMPLAINT = {
  description:
    '{ id, tenderId, lotId, awardId, complainant: { id, legalName }, text, status, decisionReason, filedAt, decidedAt }',
  schema: { type: 'object' },
};
const PAGE = { description: '{ items, nextCursor }: complaints, oldest first', schema: { type: 'object' } };

/**
 * Complaints against accepted awards, during the stand-still: public; filed by a bidder on the lot that did not
 * win it; decided by an operator. A pending complaint holds the award's contracts unsigned; an upheld one cancels
 * the lot.
 */
@ApiTags('awards')
@Controller()
export class ComplaintsController {
  constructor(private readonly complaints: ComplaintsService) {}

  @Post('tenders/:id/awards/:awardId/complaints')
  @Roles('supplier')
  @ApiCreatedResponse(COMPLAINT)
  @ApiErrors(400, 403, 404, 409)
  file(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Param('awardId', uuidParam('awardId')) awardId: string,
    @Body() body: ComplaintDto,
  ) {
    return this.complaints.file(caller.organizationId, id, awardId, body.text);
  }

  @Get('tenders/:id/complaints')
  @Public()
  @ApiOkResponse(PAGE)
  @ApiErrors(400, 404)
  forTender(@Param('id', uuidParam('id')) id: string, @Query() query: PageQueryDto) {
    return this.complaints.listForTender(id, query.limit, query.cursor);
  }

  @Get('complaints')
  @Roles('operator', 'auditor')
  @ApiOkResponse(PAGE)
  @ApiErrors(400)
  list(@Query() query: ComplaintQueryDto) {
    return this.complaints.list(query.status, query.limit, query.cursor);
  }

  @Post('complaints/:id/decide')
  @HttpCode(200)
  @Roles('operator')
  @ApiOkResponse(COMPLAINT)
  @ApiErrors(400, 404, 409)
  decide(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: ComplaintDecisionDto,
  ) {
    return this.complaints.decide(caller.organizationId, id, body.decision, body.reason);
  }
}
