import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CATALOG_DEFAULT_PAGE_SIZE } from '@app/catalog';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@app/domain';
import { QueryWholeNumber } from './validation';

/** Query parameters shared by every list: a page size (`defaultLimit` when not sent) and an opaque cursor. */
function pageQuery(defaultLimit: number) {
  class PageQuery {
    @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: defaultLimit })
    @IsOptional()
    @QueryWholeNumber()
    @IsInt()
    @Min(1)
    @Max(MAX_PAGE_SIZE)
    limit?: number;

    @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
    @IsOptional()
    @IsString()
    @MaxLength(512)
    cursor?: string;
  }
  return PageQuery;
}

/** A list's page: 50 entries unless `limit` says otherwise. */
export class PageQueryDto extends pageQuery(DEFAULT_PAGE_SIZE) {}

/** A catalogue list's page: 20 entries unless `limit` says otherwise. */
export class CataloguePageQueryDto extends pageQuery(CATALOG_DEFAULT_PAGE_SIZE) {}
