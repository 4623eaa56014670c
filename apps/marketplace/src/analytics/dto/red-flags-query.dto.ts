import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsId, IsTimestamp } from '../../common/validation';
import { IsIn, IsOptional } from 'class-validator';
import { RED_FLAG_CODES, type RedFlagCode } from '@app/domain/analytics';
import { PageQueryDto } from '../../common/pagination.dto';

export class RedFlagsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RED_FLAG_CODES })
  @IsOptional()
  @IsIn(RED_FLAG_CODES)
  code?: RedFlagCode;

  @ApiPropertyOptional({ format: 'uuid', description: "The buyer's city" })
  @IsOptional()
  @IsId()
  cityId?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsId() buyerId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsId() supplierId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Flags computed at or after' })
  @IsOptional()
  @IsTimestamp()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Flags computed before' })
  @IsOptional()
  @IsTimestamp()
  to?: string;
}
