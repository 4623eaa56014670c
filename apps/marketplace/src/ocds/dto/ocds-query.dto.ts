import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_OCDS_PAGE_SIZE, MAX_OCDS_PAGE_SIZE } from '@app/domain/ocds';
import { QueryWholeNumber } from '../../common/validation';

/** Paging of the recent releases: at most 100 releases a page, and the cursor from `links.next`. */
export class OcdsReleasesQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_OCDS_PAGE_SIZE, default: DEFAULT_OCDS_PAGE_SIZE })
  @IsOptional()
  @QueryWholeNumber()
  @IsInt()
  @Min(1)
  @Max(MAX_OCDS_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'cursor of the previous page (in its links.next)' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
