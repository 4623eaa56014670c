import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CATALOG_DEFAULT_PAGE_SIZE, ClassificationService } from '@app/catalog';
import { ApiErrors } from '../common/api-errors.decorator';
import { Public } from '../common/auth.decorators';
import {
  ClassificationDetailDto,
  ClassificationPageDto,
  ClassificationRefDto,
  ClassificationSearchQueryDto,
} from './dto/classification.dto';

@ApiTags('classifications')
@Controller('classifications/cpv')
export class ClassificationsController {
  constructor(private readonly classifications: ClassificationService) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: ClassificationPageDto })
  @ApiErrors(400)
  async search(@Query() query: ClassificationSearchQueryDto): Promise<ClassificationPageDto> {
    const page = await this.classifications.searchCpv({
      q: query.q,
      limit: query.limit ?? CATALOG_DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
    });
    return { items: page.items.map((c) => ClassificationRefDto.from(c)), nextCursor: page.nextCursor };
  }

  @Get(':code')
  @Public()
  @ApiOkResponse({
    type: ClassificationDetailDto,
    description: 'The code with its names, ancestors and children',
  })
  @ApiErrors(400, 404)
  async get(@Param('code') code: string): Promise<ClassificationDetailDto> {
    return ClassificationDetailDto.from(await this.classifications.getCpv(code));
  }
}
