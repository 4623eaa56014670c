import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsTimestamp } from '../../common/validation';

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class TradeMatrixQueryDto {
  @ApiPropertyOptional({
    format: 'date',
    example: '2026-01-01',
    description:
      'First signing day (UTC), inclusive; by default 366 days before `to`, at most 366 days in all',
  })
  @IsOptional()
  @Matches(DAY, { message: 'from must be a date YYYY-MM-DD' })
  @IsTimestamp()
  from?: string;

  @ApiPropertyOptional({
    format: 'date',
    example: '2026-12-31',
    description: 'Last signing day (UTC), inclusive; by default today',
  })
  @IsOptional()
  @Matches(DAY, { message: 'to must be a date YYYY-MM-DD' })
  @IsTimestamp()
  to?: string;
}
