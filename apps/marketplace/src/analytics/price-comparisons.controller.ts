import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Page, ValidationFailedError } from '@app/domain';
import {
  type PriceComparisonListItem,
  PriceComparisonsService,
  type PriceComparisonView,
} from '@app/domain/analytics';
import { ApiErrors } from '../common/api-errors.decorator';
import { AuthUser, CurrentUser, Public, Roles } from '../common/auth.decorators';
import { PageQueryDto } from '../common/pagination.dto';
import { uuidParam } from '../common/validation';
import { PriceComparisonInputDto } from './dto/price-comparison-input.dto';

const COMPARISON =
  '{ id, kind, subject, unitCode, month, baseCurrency, createdAt, cities: [{ cityId, country, currency, count, ' +
  'min, q1, median, q3, max, mean, totalValue, original: { min, …, totalValue }, rate: { base, currency, day, ' +
  'rate } }], rates: [{ base, currency, day, rate }] }: figures in baseCurrency, cheapest median first';

/**
 * Unit prices of one month compared across cities in a base currency. A comparison is stored with the rates it
 * used and reads back unchanged, so it can be cited after the rates are corrected.
 */
@ApiTags('analytics')
@Controller('analytics/price-comparisons')
export class PriceComparisonsController {
  constructor(private readonly comparisons: PriceComparisonsService) {}

  @Post()
  @Roles('buyer', 'auditor', 'operator')
  @ApiCreatedResponse({
    description: `${COMPARISON}. 404 EXCHANGE_RATE_MISSING names the pair and day without a rate; 404 PRICE_STATS_NOT_FOUND when no city has statistics`,
    schema: { type: 'object' },
  })
  @ApiErrors(400, 404)
  create(
    @CurrentUser() caller: AuthUser,
    @Body() body: PriceComparisonInputDto,
  ): Promise<PriceComparisonView> {
    if ((body.cpv === undefined) === (body.catalogItemId === undefined)) {
      throw new ValidationFailedError('Give exactly one of cpv and catalogItemId', { field: 'cpv' });
    }
    return this.comparisons.create(caller.userId, body);
  }

  @Get()
  @Public()
  @ApiOkResponse({
    description:
      '{ items: [{ id, kind, subject, unitCode, month, baseCurrency, createdAt, cityCount }], nextCursor }, newest first',
    schema: { type: 'object' },
  })
  @ApiErrors(400)
  list(@Query() query: PageQueryDto): Promise<Page<PriceComparisonListItem>> {
    return this.comparisons.list(query);
  }

  @Get(':id')
  @Public()
  @ApiOkResponse({ description: COMPARISON, schema: { type: 'object' } })
  @ApiErrors(400, 404)
  get(@Param('id', uuidParam('id')) id: string): Promise<PriceComparisonView> {
    return this.comparisons.get(id);
  }
}
