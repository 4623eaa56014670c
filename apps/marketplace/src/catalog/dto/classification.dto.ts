import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import type { ClassificationDetail, ClassificationRef } from '@app/catalog';
import { CataloguePageQueryDto } from '../../common/pagination.dto';

export class ClassificationRefDto {
  @ApiProperty({ example: 'CPV' }) scheme: string;
  @ApiProperty({ example: '30197630-1' }) code: string;
  @ApiProperty({ example: 6, description: '1 division, 2 group, 3 class, 4 category, 5-7 below' })
  level: number;
  @ApiProperty({ example: 'Бумага для печати' }) nameRu: string;
  @ApiProperty({ example: 'Printing paper' }) nameEn: string;

  static from(c: ClassificationRef): ClassificationRefDto {
    const { scheme, code, level, nameRu, nameEn } = c;
    return { scheme, code, level, nameRu, nameEn };
  }
}

export class ClassificationDetailDto extends ClassificationRefDto {
  @ApiProperty({ type: String, nullable: true, example: '30197600-2' }) parentCode: string | null;
  @ApiProperty({ type: [ClassificationRefDto], description: 'From the division down to the parent' })
  ancestors: ClassificationRefDto[];
  @ApiProperty({ type: [ClassificationRefDto] }) children: ClassificationRefDto[];

  static override from(c: ClassificationDetail): ClassificationDetailDto {
    return {
      ...ClassificationRefDto.from(c),
      parentCode: c.parentCode,
      ancestors: c.ancestors.map((a) => ClassificationRefDto.from(a)),
      children: c.children.map((a) => ClassificationRefDto.from(a)),
    };
  }
}

export class ClassificationPageDto {
  @ApiProperty({ type: [ClassificationRefDto] }) items: ClassificationRefDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ClassificationSearchQueryDto extends CataloguePageQueryDto {
  @ApiPropertyOptional({
    description: 'Code digits (a prefix such as 301976) or words of the Russian or English name',
    example: 'бумага',
  })
  @IsString()
  q: string;
}
