import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  TenderAmendmentsService,
  TenderClarificationsService,
  TenderDraftsService,
  TenderQueriesService,
  type TenderView,
} from '@app/domain';
import { ApiErrors } from '../common/api-errors.decorator';
import { KnownCpvPipe } from '../common/known-cpv.pipe';
import { AuthUser, CurrentUser, Public, Roles } from '../common/auth.decorators';
import { PageQueryDto } from '../common/pagination.dto';
import { checkedIdempotencyKey, IDEMPOTENCY_HEADER, uuidParam } from '../common/validation';
import {
  AmendmentDto,
  AnswerDto,
  ChangesQueryDto,
  ParticipationDto,
  QuestionDto,
  TenderReasonDto,
  TenderQueryDto,
} from './dto/actions.dto';
import { TenderInputDto } from './dto/tender-input.dto';
import { toTenderInput } from './tender-input.mapper';

const TENDER = {
  description: 'A tender: lots, items, periods, buyers, documents',
  schema: { type: 'object' },
};
const PAGE = { description: '{ items, nextCursor }', schema: { type: 'object' } };

@ApiTags('tenders')
@Controller('tenders')
export class TendersController {
  constructor(
    private readonly drafts: TenderDraftsService,
    private readonly queries: TenderQueriesService,
    private readonly clarifications: TenderClarificationsService,
    private readonly amendments: TenderAmendmentsService,
  ) {}

  @Post()
  @Roles('buyer')
  @ApiCreatedResponse(TENDER)
  @ApiErrors(400, 403)
  async create(@CurrentUser() caller: AuthUser, @Body() body: TenderInputDto): Promise<TenderView> {
    const id = await this.drafts.create(caller.organizationId, toTenderInput(body));
    return this.queries.get(id, caller.organizationId);
  }

  @Get()
  @Public()
  @ApiOkResponse(PAGE)
  @ApiErrors(400)
  list(@Query(KnownCpvPipe) query: TenderQueryDto) {
    return this.queries.list({
      ...query,
      publishedFrom: query.publishedFrom ? new Date(query.publishedFrom) : undefined,
      publishedTo: query.publishedTo ? new Date(query.publishedTo) : undefined,
      deadlineFrom: query.deadlineFrom ? new Date(query.deadlineFrom) : undefined,
      deadlineTo: query.deadlineTo ? new Date(query.deadlineTo) : undefined,
    });
  }

  @Get('mine')
  @Roles('buyer')
  @ApiOkResponse(PAGE)
  @ApiErrors(400)
  mine(@CurrentUser() caller: AuthUser, @Query() query: PageQueryDto) {
    return this.queries.mine(caller.organizationId, query.limit, query.cursor);
  }

  @Get('changes')
  @Public()
  @ApiOkResponse({
    description: '{ items, nextCursor, watermark }: public deal events in commit order',
    schema: { type: 'object' },
  })
  @ApiErrors(400)
  changes(@Query() query: ChangesQueryDto) {
    return this.queries.changes(query.limit, query.cursor, query.tenderId);
  }

  @Get(':id')
  @Public()
  @ApiOkResponse(TENDER)
  @ApiErrors(400, 404)
  get(@Param('id', uuidParam('id')) id: string): Promise<TenderView> {
    return this.queries.get(id);
  }

  @Get(':id/draft')
  @Roles('buyer')
  @ApiOkResponse(TENDER)
  @ApiErrors(400, 404)
  getDraft(@CurrentUser() caller: AuthUser, @Param('id', uuidParam('id')) id: string): Promise<TenderView> {
    return this.queries.get(id, caller.organizationId);
  }

  @Put(':id')
  @Roles('buyer')
  @ApiOkResponse(TENDER)
  @ApiErrors(400, 404, 409)
  async replace(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: TenderInputDto,
  ): Promise<TenderView> {
    await this.drafts.replace(caller.organizationId, id, toTenderInput(body));
    return this.queries.get(id, caller.organizationId);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('buyer')
  @ApiNoContentResponse({ description: 'The draft is gone' })
  @ApiErrors(400, 404, 409)
  deleteDraft(@CurrentUser() caller: AuthUser, @Param('id', uuidParam('id')) id: string): Promise<void> {
    return this.drafts.delete(caller.organizationId, id);
  }

  @Post(':id/participation')
  @HttpCode(204)
  @Roles('buyer')
  @ApiNoContentResponse({
    description:
      'A joint buyer confirms its part of the draft (its shares and quantities) in the revision it read; the organiser publishes only once every joint buyer has',
  })
  @ApiErrors(400, 403, 404, 409)
  async confirmParticipation(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: ParticipationDto,
  ): Promise<void> {
    await this.drafts.confirmParticipation(caller.organizationId, id, body.revision);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Roles('buyer')
  @ApiOkResponse(TENDER)
  @ApiErrors(400, 403, 404, 409)
  async publish(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<TenderView> {
    await this.drafts.publish(caller.organizationId, id);
    return this.queries.get(id);
  }

  @Get(':id/questions')
  @Public()
  @ApiOkResponse(PAGE)
  @ApiErrors(400, 404)
  questions(@Param('id', uuidParam('id')) id: string, @Query() query: PageQueryDto) {
    return this.clarifications.list(id, query.limit, query.cursor);
  }

  @Post(':id/questions')
  @Roles('supplier')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({
    description: 'The question, public with the asker anonymised',
    schema: { type: 'object' },
  })
  @ApiOkResponse({ description: 'A retry with the same Idempotency-Key: the question already asked' })
  @ApiErrors(400, 403, 404, 409)
  async ask(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: QuestionDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { question, replayed } = await this.clarifications.ask(
      caller.organizationId,
      id,
      body.text,
      body.lotId ?? null,
      checkedIdempotencyKey(key),
    );
    res.status(replayed ? 200 : 201);
    return question;
  }

  @Post(':id/questions/:questionId/answer')
  @HttpCode(200)
  @Roles('buyer')
  @ApiOkResponse({ description: 'The answered question', schema: { type: 'object' } })
  @ApiErrors(400, 403, 404, 409)
  answer(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Param('questionId', uuidParam('questionId')) questionId: string,
    @Body() body: AnswerDto,
  ) {
    return this.clarifications.answer(caller.organizationId, id, questionId, body.answer);
  }

  @Post(':id/amendments')
  @Roles('buyer')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ description: '{ number, termsChanged }', schema: { type: 'object' } })
  @ApiOkResponse({ description: 'A retry with the same Idempotency-Key: the amendment already made' })
  @ApiErrors(400, 403, 404, 409)
  async amend(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: AmendmentDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { replayed, ...amendment } = await this.amendments.amend(
      caller.organizationId,
      id,
      {
        rationale: body.rationale,
        title: body.title,
        description: body.description,
        tenderEnd: body.tenderPeriod ? new Date(body.tenderPeriod.endDate) : undefined,
        lots: body.lots,
        addDocuments: body.addDocuments,
      },
      checkedIdempotencyKey(key),
    );
    res.status(replayed ? 200 : 201);
    return amendment;
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('buyer')
  @ApiOkResponse(TENDER)
  @ApiErrors(400, 403, 404, 409)
  async cancel(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: TenderReasonDto,
  ) {
    await this.amendments.cancel(caller.organizationId, id, body.reason);
    return this.queries.get(id);
  }

  @Post(':id/lots/:lotId/cancel')
  @HttpCode(200)
  @Roles('buyer')
  @ApiOkResponse(TENDER)
  @ApiErrors(400, 403, 404, 409)
  async cancelLot(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Param('lotId', uuidParam('lotId')) lotId: string,
    @Body() body: TenderReasonDto,
  ) {
    await this.amendments.cancelLot(caller.organizationId, id, lotId, body.reason);
    return this.queries.get(id);
  }
}
