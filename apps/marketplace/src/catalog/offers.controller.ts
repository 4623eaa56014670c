import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CATALOG_DEFAULT_PAGE_SIZE, OffersService } from '@app/catalog';
import { ApiErrors } from '../common/api-errors.decorator';
import { type AuthUser, CurrentUser, Public, Roles } from '../common/auth.decorators';
import { uuidParam } from '../common/validation';
import { ItemOffersQueryDto, OfferInputDto, OwnOffersQueryDto, UpdateOfferDto } from './dto/offer-input.dto';
import { OfferDto, OfferPageDto } from './dto/offer.dto';

/** Supplier offers: an active supplier writes only its own; everyone reads the current ones. */
@ApiTags('catalogue')
@Controller('catalogue')
export class OffersController {
  constructor(private readonly offers: OffersService) {}

  @Post('items/:id/offers')
  @Roles('supplier')
  @ApiCreatedResponse({ type: OfferDto })
  @ApiErrors(400, 404, 409)
  async create(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) itemId: string,
    @Body() body: OfferInputDto,
  ): Promise<OfferDto> {
    return OfferDto.from(await this.offers.create(user, itemId, body));
  }

  @Get('items/:id/offers')
  @Public()
  @ApiOkResponse({ type: OfferPageDto, description: 'Current offers, cheapest first within each currency' })
  @ApiErrors(400, 404)
  async listForItem(
    @Param('id', uuidParam('id')) itemId: string,
    @Query() query: ItemOffersQueryDto,
  ): Promise<OfferPageDto> {
    const page = await this.offers.listForItem(itemId, {
      deliveryCityId: query.deliveryCityId,
      currency: query.currency,
      limit: query.limit ?? CATALOG_DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
    });
    return { items: page.items.map((o) => OfferDto.from(o)), nextCursor: page.nextCursor };
  }

  @Get('my/offers')
  @Roles('supplier')
  @ApiOkResponse({ type: OfferPageDto, description: 'The caller’s own offers in every state, newest first' })
  @ApiErrors(400)
  async listOwn(@CurrentUser() user: AuthUser, @Query() query: OwnOffersQueryDto): Promise<OfferPageDto> {
    const page = await this.offers.listOwn(user, {
      status: query.status,
      limit: query.limit ?? CATALOG_DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
    });
    return { items: page.items.map((o) => OfferDto.from(o)), nextCursor: page.nextCursor };
  }

  @Patch('offers/:offerId')
  @Roles('supplier')
  @ApiOkResponse({ type: OfferDto })
  @ApiErrors(400, 404, 409)
  async update(
    @CurrentUser() user: AuthUser,
    @Param('offerId', uuidParam('offerId')) offerId: string,
    @Body() body: UpdateOfferDto,
  ): Promise<OfferDto> {
    return OfferDto.from(await this.offers.update(user, offerId, body));
  }

  @Post('offers/:offerId/withdraw')
  @HttpCode(200)
  @Roles('supplier')
  @ApiOkResponse({ type: OfferDto })
  @ApiErrors(400, 404, 409)
  async withdraw(
    @CurrentUser() user: AuthUser,
    @Param('offerId', uuidParam('offerId')) offerId: string,
  ): Promise<OfferDto> {
    return OfferDto.from(await this.offers.withdraw(user, offerId));
  }
}
