import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CitiesService } from '@app/domain';
import { ApiErrors } from '../common/api-errors.decorator';
import { Public } from '../common/auth.decorators';
import { uuidParam } from '../common/validation';
import { CityDto, CityPageDto, CityQueryDto } from './dto/city.dto';

@ApiTags('cities')
@Controller('cities')
export class CitiesController {
  constructor(private readonly cities: CitiesService) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: CityPageDto })
  @ApiErrors(400)
  async list(@Query() query: CityQueryDto): Promise<CityPageDto> {
    const page = await this.cities.list(query);
    return { items: page.items.map((c) => CityDto.from(c)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Public()
  @ApiOkResponse({ type: CityDto })
  @ApiErrors(400, 404)
  async get(@Param('id', uuidParam('id')) id: string): Promise<CityDto> {
    return CityDto.from(await this.cities.get(id));
  }
}
