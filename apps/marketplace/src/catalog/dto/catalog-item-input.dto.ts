import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  NotContains,
  ValidateNested,
} from 'class-validator';
import { CATALOG_ITEM_STATUSES, UNIT_INPUT_CODES } from '@app/catalog';
import { CataloguePageQueryDto } from '../../common/pagination.dto';
import { characteristicName, HttpUrl, IsId, Optional, UnitCode, MinText } from '../../common/validation';

/** At most this many characteristics describe one item: a catalogue item, or a free item of a tender. */
export const MAX_ITEM_CHARACTERISTICS = 50;

/**
 * One characteristic of a catalogue item or of a free tender item: one shape and one set of bounds, so that the
 * reference price compares them alike. NUL is refused because PostgreSQL refuses it in jsonb text.
 */
export class CharacteristicDto {
  @ApiProperty({ example: 'Плотность' })
  @IsString()
  @MinLength(1)
  @MinText(1)
  @MaxLength(100)
  @NotContains('\u0000', { message: 'name must not contain NUL characters' })
  name: string;

  @ApiProperty({ example: '80 г/м²' })
  @IsString()
  @MinLength(1)
  @MinText(1)
  @MaxLength(500)
  @NotContains('\u0000', { message: 'value must not contain NUL characters' })
  value: string;

  @ApiPropertyOptional({
    enum: UNIT_INPUT_CODES,
    description: 'UN/ECE Recommendation 20 code, or its ОКЕИ code',
  })
  @Optional()
  @UnitCode()
  @IsString()
  @MaxLength(10)
  unit?: string;
}

/** Validates an optional list of characteristics as every item that carries them does. */
export const AreCharacteristics = () =>
  applyDecorators(
    Optional(),
    IsArray(),
    ArrayMaxSize(MAX_ITEM_CHARACTERISTICS),
    ArrayUnique(characteristicName, {
      message: 'characteristics must not name the same characteristic twice',
    }),
    IsObject({ each: true }),
    ValidateNested({ each: true }),
    Type(() => CharacteristicDto),
  );

export class DocumentLinkDto {
  @ApiProperty({ example: 'Паспорт изделия' })
  @IsString()
  @MinLength(1)
  @MinText(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ example: 'https://example.org/passport.pdf' })
  @IsString()
  @MaxLength(2000)
  @HttpUrl()
  url: string;
}

export class CatalogItemInputDto {
  @ApiProperty({ example: 'Бумага офисная для лазерных принтеров A4, 80 г/м², 500 листов' })
  @IsString()
  @MinLength(3)
  @MinText(3)
  @MaxLength(300)
  titleRu: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Office paper for laser printers A4' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  titleEn?: string | null;

  @ApiProperty({ example: 'Белая офисная бумага для лазерной и струйной печати.' })
  @IsString()
  @MinLength(1)
  @MinText(1)
  @MaxLength(5000)
  descriptionRu: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  descriptionEn?: string | null;

  @ApiProperty({ example: '30197630-1', description: 'CPV 2008 code with its check digit' })
  @IsString()
  @MaxLength(64)
  cpvCode: string;

  @ApiProperty({
    enum: UNIT_INPUT_CODES,
    example: 'XPK',
    description:
      'UN/ECE Recommendation 20 code, or its ОКЕИ code (796 for H87, the piece); stored as the former',
  })
  @UnitCode()
  @IsString()
  @MaxLength(10)
  unitCode: string;

  @ApiPropertyOptional({ type: [CharacteristicDto] })
  @AreCharacteristics()
  characteristics?: CharacteristicDto[];

  @ApiPropertyOptional({ type: [String], example: ['https://example.org/paper.jpg'] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  @HttpUrl({ each: true })
  imageUrls?: string[];

  @ApiPropertyOptional({ type: [DocumentLinkDto] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => DocumentLinkDto)
  documents?: DocumentLinkDto[];
}

export class ProposeCatalogItemDto extends CatalogItemInputDto {
  @ApiPropertyOptional({ default: true, description: 'false keeps the proposal a draft' })
  @Optional()
  @IsBoolean()
  submit?: boolean;
}

export class UpdateCatalogItemDto extends PartialType(CatalogItemInputDto, { skipNullProperties: false }) {}

/** The version of the item the operator reviewed: a decision about content it has not seen is refused. */
function ReviewedVersion() {
  return applyDecorators(
    ApiProperty({
      description:
        "The item's `version` the operator reviewed; if the item has changed since, 409 CATALOG_ITEM_VERSION_CONFLICT",
      example: 2,
    }),
    IsInt(),
    Min(1),
    Max(2_147_483_647),
  );
}

export class ApproveDto {
  @ReviewedVersion()
  version: number;
}

export class ReasonDto {
  @ApiProperty({ example: 'Дубликат существующей позиции' })
  @IsString()
  @MinLength(3)
  @MinText(3)
  @MaxLength(1000)
  reason: string;
}

export class RejectDto extends ReasonDto {
  @ReviewedVersion()
  version: number;
}

export class MergeDto {
  @ApiProperty({ format: 'uuid', description: 'The active item that survives' })
  @IsId()
  survivorId: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @MinLength(3)
  @MinText(3)
  @MaxLength(1000)
  reason?: string;

  @ReviewedVersion()
  version: number;
}

export class ProposalQueryDto extends CataloguePageQueryDto {
  @ApiPropertyOptional({ enum: CATALOG_ITEM_STATUSES, description: 'Operators see pending ones by default' })
  @Optional()
  @IsIn([...CATALOG_ITEM_STATUSES])
  status?: (typeof CATALOG_ITEM_STATUSES)[number];
}
