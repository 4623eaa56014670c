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
import { AwardsService, BidsService, TenderQueriesService } from '@app/domain';
import { ApiErrors } from '../common/api-errors.decorator';
import { AuthUser, CurrentUser, Public, Roles } from '../common/auth.decorators';
import { PageQueryDto } from '../common/pagination.dto';
import { checkedIdempotencyKey, IDEMPOTENCY_HEADER, uuidParam } from '../common/validation';
import { BidDto, ConfirmBidDto, MyContractsQueryDto, TenderReasonDto } from './dto/actions.dto';

const BID = { description: 'Your own bid, with its commitment', schema: { type: 'object' } };

@ApiTags('bids')
@Controller()
export class BidsController {
  constructor(
    private readonly bids: BidsService,
    private readonly queries: TenderQueriesService,
  ) {}

  @Post('tenders/:id/bids')
  @Roles('supplier')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse(BID)
  @ApiOkResponse({
    description: 'A retry with the same Idempotency-Key: the bid already placed',
    schema: { type: 'object' },
  })
  @ApiErrors(400, 403, 404, 409)
  async place(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: BidDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { bid, replayed } = await this.bids.place(
      caller.organizationId,
      id,
      body,
      checkedIdempotencyKey(key),
    );
    res.status(replayed ? 200 : 201);
    return bid;
  }

  @Get('tenders/:id/bids')
  @Public()
  @ApiOkResponse({
    description: '{ sealed, items, nextCursor }: empty and sealed until the tender opens',
    schema: { type: 'object' },
  })
  @ApiErrors(400, 404)
  publicBids(@Param('id', uuidParam('id')) id: string, @Query() query: PageQueryDto) {
    return this.queries.bids(id, query.limit, query.cursor);
  }

  @Get('tenders/:id/bids/mine')
  @Roles('supplier')
  @ApiOkResponse(BID)
  @ApiErrors(400, 404)
  own(@CurrentUser() caller: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.bids.own(caller.organizationId, id);
  }

  @Put('tenders/:id/bids/mine')
  @Roles('supplier')
  @ApiOkResponse(BID)
  @ApiErrors(400, 403, 404, 409)
  change(@CurrentUser() caller: AuthUser, @Param('id', uuidParam('id')) id: string, @Body() body: BidDto) {
    return this.bids.change(caller.organizationId, id, body);
  }

  @Post('tenders/:id/bids/mine/confirm')
  @HttpCode(200)
  @Roles('supplier')
  @ApiOkResponse(BID)
  @ApiErrors(400, 404, 409)
  confirm(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: ConfirmBidDto,
  ) {
    return this.bids.confirm(caller.organizationId, id, body.amendment);
  }

  @Delete('tenders/:id/bids/mine')
  @HttpCode(204)
  @Roles('supplier')
  @ApiNoContentResponse({ description: 'Withdrawn' })
  @ApiErrors(400, 404, 409)
  withdraw(@CurrentUser() caller: AuthUser, @Param('id', uuidParam('id')) id: string): Promise<void> {
    return this.bids.withdraw(caller.organizationId, id);
  }

  @Get('bids/mine')
  @Roles('supplier')
  @ApiOkResponse({
    description: '{ items, nextCursor }: your bids on every tender, the most recently placed first',
    schema: { type: 'object' },
  })
  @ApiErrors(400)
  listOwn(@CurrentUser() caller: AuthUser, @Query() query: PageQueryDto) {
    return this.bids.listOwn(caller.organizationId, query.limit, query.cursor);
  }
}

@ApiTags('awards')
@Controller()
export class AwardsController {
  constructor(
    private readonly awards: AwardsService,
    private readonly queries: TenderQueriesService,
  ) {}

  @Get('tenders/:id/awards')
  @Public()
  @ApiOkResponse({
    description: '{ items, nextCursor }: awards of the tender, oldest first',
    schema: { type: 'object' },
  })
  @ApiErrors(400, 404)
  list(@Param('id', uuidParam('id')) id: string, @Query() query: PageQueryDto) {
    return this.queries.awards(id, query.limit, query.cursor);
  }

  @Post('tenders/:id/awards/:awardId/accept')
  @HttpCode(204)
  @Roles('buyer')
  @ApiNoContentResponse({ description: 'Accepted; the stand-still starts and contracts are prepared' })
  @ApiErrors(400, 403, 404, 409)
  accept(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Param('awardId', uuidParam('awardId')) awardId: string,
  ): Promise<void> {
    return this.awards.accept(caller.organizationId, id, awardId);
  }

  @Post('tenders/:id/awards/:awardId/reject')
  @HttpCode(204)
  @Roles('buyer')
  @ApiNoContentResponse({ description: 'Rejected; the next ranked bid gets a pending award' })
  @ApiErrors(400, 403, 404, 409)
  reject(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Param('awardId', uuidParam('awardId')) awardId: string,
    @Body() body: TenderReasonDto,
  ): Promise<void> {
    return this.awards.reject(caller.organizationId, id, awardId, body.reason);
  }

  @Get('tenders/:id/contracts')
  @Public()
  @ApiOkResponse({
    description: '{ items, nextCursor }: contracts of the tender, oldest first',
    schema: { type: 'object' },
  })
  @ApiErrors(400, 404)
  contracts(@Param('id', uuidParam('id')) id: string, @Query() query: PageQueryDto) {
    return this.queries.contracts(id, query.limit, query.cursor);
  }

  @Get('contracts/mine')
  @Roles('supplier', 'buyer')
  @ApiOkResponse({
    description:
      '{ items, nextCursor }: the caller organisation’s contracts, newest first (a supplier’s as winner, a buyer’s as its part), with their tender',
    schema: { type: 'object' },
  })
  @ApiErrors(400)
  myContracts(@CurrentUser() caller: AuthUser, @Query() query: MyContractsQueryDto) {
    return this.queries.contractsOf(
      {
        organizationId: caller.organizationId,
        side: caller.role === 'supplier' ? 'supplier' : 'buyer',
        status: query.status,
      },
      query.limit,
      query.cursor,
    );
  }

  @Post('contracts/:id/sign')
  @HttpCode(204)
  @Roles('buyer')
  @ApiNoContentResponse({
    description: 'Signed by the buyer (after the stand-still, once the tender is awarded)',
  })
  @ApiErrors(400, 403, 404, 409)
  sign(@CurrentUser() caller: AuthUser, @Param('id', uuidParam('id')) id: string): Promise<void> {
    return this.awards.sign(caller.organizationId, id);
  }

  @Post('contracts/:id/cancel')
  @HttpCode(204)
  @Roles('buyer')
  @ApiNoContentResponse({
    description:
      'Cancelled with a reason, by its buyer or the organiser, before both sides signed; the lot is decided by its other contracts',
  })
  @ApiErrors(400, 403, 404, 409)
  cancelContract(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: TenderReasonDto,
  ): Promise<void> {
    return this.awards.cancelContract(caller.organizationId, id, body.reason);
  }

  @Post('contracts/:id/decline')
  @HttpCode(204)
  @Roles('supplier')
  @ApiNoContentResponse({
    description:
      'Declined with a reason by the supplier a direct purchase names, before it confirms: the contract is cancelled, and its lot with its last contract',
  })
  @ApiErrors(400, 403, 404, 409)
  decline(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: TenderReasonDto,
  ): Promise<void> {
    return this.awards.decline(caller.organizationId, id, body.reason);
  }

  @Post('contracts/:id/confirm')
  @HttpCode(204)
  @Roles('supplier')
  @ApiNoContentResponse({ description: 'Confirmed by the winner: the contract is signed' })
  @ApiErrors(400, 403, 404, 409)
  confirm(@CurrentUser() caller: AuthUser, @Param('id', uuidParam('id')) id: string): Promise<void> {
    return this.awards.confirm(caller.organizationId, id);
  }
}
