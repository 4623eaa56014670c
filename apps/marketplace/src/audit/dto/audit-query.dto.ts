import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsId, IsTimestamp } from '../../common/validation';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { TENDER_STATUSES } from '@app/domain';
import { PageQueryDto } from '../../common/pagination.dto';

const AMOUNT = /^(0|[1-9]\d{0,11})(\.\d{1,2})?$/;
const PUBLISHED_STATUSES = TENDER_STATUSES.filter((s) => s !== 'draft');

export class DossierQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class DealsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A buyer organisation (organiser or joint buyer)' })
  @IsOptional()
  @IsId()
  buyerId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A supplier organisation: a bidder once the bids are opened, or an award holder',
  })
  @IsOptional()
  @IsId()
  supplierId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The city of a buyer' })
  @IsOptional()
  @IsId()
  cityId?: string;

  @ApiPropertyOptional({ example: '30190000-7', description: 'CPV code; its whole subtree matches' })
  @IsOptional()
  @Matches(/^\d{8}-\d$/, { message: 'cpv must be a CPV code like 30197630-1' })
  cpv?: string;

  @ApiPropertyOptional({ description: 'Lowest value (estimates of the lots not cancelled)' })
  @IsOptional()
  @Matches(AMOUNT, { message: 'valueMin must be a decimal string' })
  valueMin?: string;

  @ApiPropertyOptional({ description: 'Highest value (estimates of the lots not cancelled)' })
  @IsOptional()
  @Matches(AMOUNT, { message: 'valueMax must be a decimal string' })
  valueMax?: string;

  @ApiPropertyOptional({ example: 'RUB', description: 'The tender currency; values compare within it' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Published at or after' })
  @IsOptional()
  @IsTimestamp()
  publishedFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Published before' })
  @IsOptional()
  @IsTimestamp()
  publishedTo?: string;

  @ApiPropertyOptional({ enum: PUBLISHED_STATUSES })
  @IsOptional()
  @IsIn(PUBLISHED_STATUSES)
  status?: string;
}
