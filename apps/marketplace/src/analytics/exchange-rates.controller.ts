import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { IsTimestamp } from '../common/validation';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ExchangeRatesService } from '@app/domain/analytics';
import { ApiErrors } from '../common/api-errors.decorator';
import { AuthUser, CurrentUser, Public, Roles } from '../common/auth.decorators';
import { PageQueryDto } from '../common/pagination.dto';

const CURRENCY = /^[A-Z]{3}$/;
const RATE = /^(0|[1-9]\d{0,13})(\.\d{1,10})?$/;

class SetExchangeRateDto {
  @ApiProperty({ example: 'RUB' })
  @Matches(CURRENCY, { message: 'base must be an ISO 4217 code' })
  base: string;
  @ApiProperty({ example: 'KZT' })
  @Matches(CURRENCY, { message: 'currency must be an ISO 4217 code' })
  currency: string;
  @ApiProperty({ example: '2026-11-25' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'day must be YYYY-MM-DD' })
  @IsTimestamp()
  day: string;
  @ApiProperty({ example: '5.8231', description: 'units of currency for one unit of base; decimal string' })
  @Matches(RATE, { message: 'rate must be a positive decimal string with at most 10 decimals' })
  rate: string;
}

class ExchangeRateQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(CURRENCY, { message: 'base must be an ISO 4217 code' })
  base?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(CURRENCY, { message: 'currency must be an ISO 4217 code' })
  currency?: string;
}

@ApiTags('analytics')
@Controller('exchange-rates')
export class ExchangeRatesController {
  constructor(private readonly rates: ExchangeRatesService) {}

  @Put()
  @Roles('operator')
  @ApiOkResponse({ description: 'The recorded rate', schema: { type: 'object' } })
  @ApiErrors(400)
  set(@CurrentUser() caller: AuthUser, @Body() body: SetExchangeRateDto) {
    return this.rates.set(caller.userId, body.base, body.currency, body.day, body.rate);
  }

  @Get()
  @Public()
  @ApiOkResponse({
    description: '{ items, nextCursor }: rates, newest day first',
    schema: { type: 'object' },
  })
  @ApiErrors(400)
  list(@Query() query: ExchangeRateQueryDto) {
    return this.rates.list(query);
  }
}
