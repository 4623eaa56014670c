import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { City } from '@app/domain';
import { PageQueryDto } from '../../common/pagination.dto';

export class CityDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'moscow' }) code: string;
  @ApiProperty({ example: 'Москва' }) nameRu: string;
  @ApiProperty({ example: 'Moscow' }) nameEn: string;
  @ApiProperty({ example: 'RU', description: 'ISO 3166-1 alpha-2' }) country: string;
  @ApiProperty({ example: 'Moscow' }) region: string;
  @ApiProperty({ example: 'Europe/Moscow', description: 'IANA time zone' }) timeZone: string;

  static from(city: City): CityDto {
    const { id, code, nameRu, nameEn, country, region, timeZone } = city;
    return { id, code, nameRu, nameEn, country, region, timeZone };
  }
}

export class CityPageDto {
  @ApiProperty({ type: [CityDto] }) items: CityDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class CityQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'KZ' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country?: string;
}
