import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuctionService } from '@app/domain';
import { ApiErrors } from '../common/api-errors.decorator';
import { AuthUser, CurrentUser, Public, Roles } from '../common/auth.decorators';
import { uuidParam } from '../common/validation';
import { AuctionBidDto } from './dto/actions.dto';

@ApiTags('auctions')
@Controller()
export class AuctionController {
  constructor(private readonly auctions: AuctionService) {}

  @Get('tenders/:id/auction')
  @Public()
  @ApiOkResponse({
    description:
      "The electronic auction: its step, its period (once opened) and each lot's step, number of bids and leader",
    schema: { type: 'object' },
  })
  @ApiErrors(400, 404)
  view(@Param('id', uuidParam('id')) id: string) {
    return this.auctions.view(id);
  }

  @Post('tenders/:id/auction/bids')
  @Roles('supplier')
  @ApiCreatedResponse({
    description: 'The new price, its evaluated price, whether it leads, and the auction end it moved',
    schema: { type: 'object' },
  })
  @ApiErrors(400, 403, 404, 409)
  bid(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: AuctionBidDto,
  ) {
    return this.auctions.placeBid(caller.organizationId, id, body);
  }
}
