import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CATALOG_DEFAULT_PAGE_SIZE,
  type CatalogItem,
  CatalogItemsService,
  CatalogItemWorkflowService,
  ClassificationService,
} from '@app/catalog';
import { ApiErrors } from '../common/api-errors.decorator';
import { AnyRole, type AuthUser, CurrentUser, Public, Roles } from '../common/auth.decorators';
import { CataloguePageQueryDto } from '../common/pagination.dto';
import { uuidParam } from '../common/validation';
import {
  ApproveDto,
  MergeDto,
  ProposalQueryDto,
  ProposeCatalogItemDto,
  ReasonDto,
  RejectDto,
  UpdateCatalogItemDto,
} from './dto/catalog-item-input.dto';
import {
  CatalogItemDto,
  CatalogItemPageDto,
  CatalogItemVersionDto,
  CatalogItemVersionPageDto,
} from './dto/catalog-item.dto';

/** Catalogue items: proposals, moderation, public cards and their history. Search is in CatalogueSearchController. */
@ApiTags('catalogue')
@Controller('catalogue')
export class CatalogItemsController {
  constructor(
    private readonly items: CatalogItemsService,
    private readonly workflow: CatalogItemWorkflowService,
    private readonly classifications: ClassificationService,
  ) {}

  @Post('items')
  @Roles('supplier', 'buyer')
  @ApiCreatedResponse({
    type: CatalogItemDto,
    description: 'Pending moderation, or a draft if submit is false',
  })
  @ApiErrors(400)
  async propose(@CurrentUser() user: AuthUser, @Body() body: ProposeCatalogItemDto): Promise<CatalogItemDto> {
    const { submit, ...input } = body;
    return this.dto(await this.items.propose(user, input, submit ?? true));
  }

  @Get('items/:id')
  @Public()
  @ApiOkResponse({
    type: CatalogItemDto,
    description: 'Active and archived items; a merged one names its survivor',
  })
  @ApiErrors(400, 404)
  async get(@Param('id', uuidParam('id')) id: string): Promise<CatalogItemDto> {
    return this.dto(await this.items.get(null, id));
  }

  @Get('items/:id/versions')
  @Public()
  @ApiOkResponse({
    type: CatalogItemVersionPageDto,
    description:
      'Who changed what and when, oldest first. Before its first approval an item was private: those versions ' +
      'show who acted and when, and what they changed only to the proposer and operators (proposals/:id/versions)',
  })
  @ApiErrors(400, 404)
  async versions(
    @Param('id', uuidParam('id')) id: string,
    @Query() query: CataloguePageQueryDto,
  ): Promise<CatalogItemVersionPageDto> {
    const page = await this.items.versions(null, id, {
      limit: query.limit ?? CATALOG_DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
    });
    return { items: page.items.map((v) => CatalogItemVersionDto.from(v, null)), nextCursor: page.nextCursor };
  }

  @Patch('items/:id')
  @Roles('supplier', 'buyer', 'operator')
  @ApiOkResponse({ type: CatalogItemDto })
  @ApiErrors(400, 404, 409)
  async update(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: UpdateCatalogItemDto,
  ): Promise<CatalogItemDto> {
    return this.dto(await this.items.update(user, id, body));
  }

  @Post('items/:id/submit')
  @HttpCode(200)
  @Roles('supplier', 'buyer')
  @ApiOkResponse({ type: CatalogItemDto })
  @ApiErrors(400, 404, 409)
  async submit(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<CatalogItemDto> {
    return this.dto(await this.workflow.submit(user, id));
  }

  @Post('items/:id/approve')
  @HttpCode(200)
  @Roles('operator')
  @ApiOkResponse({ type: CatalogItemDto })
  @ApiErrors(400, 404, 409)
  async approve(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: ApproveDto,
  ): Promise<CatalogItemDto> {
    return this.dto(await this.workflow.approve(user, id, body.version));
  }

  @Post('items/:id/reject')
  @HttpCode(200)
  @Roles('operator')
  @ApiOkResponse({ type: CatalogItemDto, description: 'Back to the proposer as a draft, with the reason' })
  @ApiErrors(400, 404, 409)
  async reject(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: RejectDto,
  ): Promise<CatalogItemDto> {
    return this.dto(await this.workflow.reject(user, id, body.reason, body.version));
  }

  @Post('items/:id/merge')
  @HttpCode(200)
  @Roles('operator')
  @ApiOkResponse({ type: CatalogItemDto, description: 'The archived duplicate, pointing to the survivor' })
  @ApiErrors(400, 404, 409)
  async merge(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: MergeDto,
  ): Promise<CatalogItemDto> {
    return this.dto(await this.workflow.merge(user, id, body.survivorId, body.reason ?? null, body.version));
  }

  @Post('items/:id/archive')
  @HttpCode(200)
  @Roles('operator')
  @ApiOkResponse({ type: CatalogItemDto })
  @ApiErrors(400, 404, 409)
  async archive(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: ReasonDto,
  ): Promise<CatalogItemDto> {
    return this.dto(await this.workflow.archive(user, id, body.reason));
  }

  @Get('proposals')
  @Roles('supplier', 'buyer', 'operator', 'auditor')
  @ApiOkResponse({
    type: CatalogItemPageDto,
    description: 'Operators and auditors: the moderation queue, oldest first. Others: their own proposals.',
  })
  @ApiErrors(400)
  async proposals(
    @CurrentUser() user: AuthUser,
    @Query() query: ProposalQueryDto,
  ): Promise<CatalogItemPageDto> {
    const page = await this.items.listProposals(user, {
      status: query.status,
      limit: query.limit ?? CATALOG_DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
    });
    return { items: await this.dtos(page.items), nextCursor: page.nextCursor };
  }

  @Get('proposals/:id')
  @AnyRole()
  @ApiOkResponse({
    type: CatalogItemDto,
    description: 'Any item the caller may see, drafts and pending included',
  })
  @ApiErrors(400, 404)
  async proposal(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<CatalogItemDto> {
    return this.dto(await this.items.get(user, id));
  }

  @Get('proposals/:id/versions')
  @AnyRole()
  @ApiOkResponse({ type: CatalogItemVersionPageDto })
  @ApiErrors(400, 404)
  async proposalVersions(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Query() query: CataloguePageQueryDto,
  ): Promise<CatalogItemVersionPageDto> {
    const page = await this.items.versions(user, id, {
      limit: query.limit ?? CATALOG_DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
    });
    return { items: page.items.map((v) => CatalogItemVersionDto.from(v, user)), nextCursor: page.nextCursor };
  }

  private async dto(item: CatalogItem): Promise<CatalogItemDto> {
    const [dto] = await this.dtos([item]);
    return dto as CatalogItemDto;
  }

  /** CPV names for a whole page come from one in-memory lookup, not a query per item. */
  private async dtos(items: CatalogItem[]): Promise<CatalogItemDto[]> {
    const refs = await this.classifications.cpvRefs(items.map((i) => i.classificationCode));
    return items.map((i) => CatalogItemDto.from(i, refs.get(i.classificationCode)));
  }
}
