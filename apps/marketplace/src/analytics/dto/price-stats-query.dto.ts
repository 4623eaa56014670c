import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsId, MONTH_PATTERN } from '../../common/validation';
import { IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.dto';

const MONTH = MONTH_PATTERN;

/** Exactly one of cpv and catalogItemId (checked by the controller: it spans two fields). */
export class PriceStatsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '30190000-7', description: 'A CPV code; its children are rolled up' })
  @IsOptional()
  @Matches(/^\d{8}(-\d)?$/, { message: 'cpv must be a CPV code such as 30190000-7' })
  cpv?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsId() catalogItemId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'One delivery city; without city or country, every city',
  })
  @IsOptional()
  @IsId()
  cityId?: string;

  @ApiPropertyOptional({ example: 'RU', description: "The country's own rows (all its cities together)" })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country?: string;

  @ApiPropertyOptional({ example: 'XPK' })
  @IsOptional()
  @Matches(/^[A-Z0-9]{1,3}$/, { message: 'unitCode must be a UN/CEFACT unit code' })
  unitCode?: string;

  @ApiPropertyOptional({ example: 'RUB' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency?: string;

  @ApiPropertyOptional({ example: '2026-01', description: 'First month, inclusive' })
  @IsOptional()
  @Matches(MONTH, { message: 'from must be a month YYYY-MM' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12', description: 'Last month, inclusive' })
  @IsOptional()
  @Matches(MONTH, { message: 'to must be a month YYYY-MM' })
  to?: string;
}
