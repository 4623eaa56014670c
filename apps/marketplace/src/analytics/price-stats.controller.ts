import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Page, ValidationFailedError } from '@app/domain';
import { PriceStatsService, type PriceStatView } from '@app/domain/analytics';
import { ApiErrors } from '../common/api-errors.decorator';
import { Public } from '../common/auth.decorators';
import { PriceStatsQueryDto } from './dto/price-stats-query.dto';

/** Public unit price statistics of contracted items: a monthly series per city or country. */
@ApiTags('analytics')
@Controller('analytics')
export class PriceStatsController {
  constructor(private readonly stats: PriceStatsService) {}

  @Get('prices')
  @Public()
  @ApiOkResponse({
    description:
      '{ items: [{ kind, subject, division, unitCode, currency, country, cityId, month, count, min, q1, median, q3, ' +
      'max, mean, totalQuantity, totalValue }], nextCursor }: unit prices with 4 decimals, quartiles by linear ' +
      'interpolation (type 7); ordered by month, country, city, unit, currency; paged by limit and cursor',
    schema: { type: 'object' },
  })
  @ApiErrors(400)
  async prices(@Query() query: PriceStatsQueryDto): Promise<Page<PriceStatView>> {
    if ((query.cpv === undefined) === (query.catalogItemId === undefined)) {
      throw new ValidationFailedError('Give exactly one of cpv and catalogItemId', { field: 'cpv' });
    }
    if (query.cityId !== undefined && query.country !== undefined) {
      throw new ValidationFailedError('Give a city or a country, not both', { field: 'country' });
    }
    return this.stats.query(query);
  }
}
