import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, Matches } from 'class-validator';
import { IsId, MONTH_PATTERN, Optional } from '../../common/validation';

/** Exactly one of cpv and catalogItemId (checked by the controller: it spans two fields). */
export class PriceComparisonInputDto {
  @ApiPropertyOptional({ example: '30190000-7', description: 'A CPV code; its children are rolled up' })
  @Optional()
  @Matches(/^\d{8}(-\d)?$/, { message: 'cpv must be a CPV code such as 30190000-7' })
  cpv?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @Optional() @IsId() catalogItemId?: string;

  @ApiProperty({ example: 'XPK' })
  @Matches(/^[A-Z0-9]{1,3}$/, { message: 'unitCode must be a UN/CEFACT unit code' })
  unitCode: string;

  @ApiProperty({ example: '2026-11', description: 'Month of signing, YYYY-MM' })
  @Matches(MONTH_PATTERN, { message: 'month must be a month YYYY-MM' })
  month: string;

  @ApiProperty({ example: 'RUB', description: 'ISO 4217 currency every city is converted into' })
  @Matches(/^[A-Z]{3}$/, { message: 'baseCurrency must be an ISO 4217 code' })
  baseCurrency: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: '1 to 100 cities; without it, every city with statistics for the subject, unit and month',
  })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsId({ each: true })
  cityIds?: string[];
}
