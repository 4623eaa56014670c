import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type TradeMatrix, TradeMatrixService } from '@app/domain/analytics';
import { ApiErrors } from '../common/api-errors.decorator';
import { Public } from '../common/auth.decorators';
import { TradeMatrixQueryDto } from './dto/trade-matrix-query.dto';

/** Public trade between cities: who buys from whom, and how much stays local. */
@ApiTags('analytics')
@Controller('analytics')
export class TradeMatrixController {
  constructor(private readonly trade: TradeMatrixService) {}

  @Get('trade-matrix')
  @Public()
  @ApiOkResponse({
    description:
      '{ from, to, cells: [{ buyerCityId, supplierCityId, currency, contracts, value, ...regions, countries }], ' +
      'buyerCities: [{ buyerCityId, currency, contracts, value, sameCity, sameRegion, sameCountry: ' +
      '{ contracts, value, valueShare } }] } of signed contracts',
    schema: { type: 'object' },
  })
  @ApiErrors(400)
  matrix(@Query() query: TradeMatrixQueryDto): Promise<TradeMatrix> {
    return this.trade.matrix(query.from, query.to);
  }
}
