import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CATALOG_DEFAULT_PAGE_SIZE, CatalogSearchService } from '@app/catalog';
import { ApiErrors } from '../common/api-errors.decorator';
import { Public } from '../common/auth.decorators';
import { CatalogueSearchQueryDto, SearchResultDto } from './dto/search.dto';

@ApiTags('catalogue')
@Controller('catalogue/items')
export class CatalogueSearchController {
  constructor(private readonly search: CatalogSearchService) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: SearchResultDto, description: 'Active items with their best current offer' })
  @ApiErrors(400)
  async find(@Query() query: CatalogueSearchQueryDto): Promise<SearchResultDto> {
    return SearchResultDto.from(
      await this.search.search({ ...query, limit: query.limit ?? CATALOG_DEFAULT_PAGE_SIZE }),
    );
  }
}
