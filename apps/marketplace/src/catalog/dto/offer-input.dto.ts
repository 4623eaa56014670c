import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { EFFECTIVE_OFFER_STATUSES, type EffectiveOfferStatus } from '@app/catalog';
import { CataloguePageQueryDto } from '../../common/pagination.dto';
import { IsId, IsTimestamp, Optional, MinText } from '../../common/validation';

const COUNTRY = /^[A-Z]{2}$/;

export class RegionDto {
  @ApiProperty({ example: 'RU' })
  @IsString()
  @Matches(COUNTRY, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country: string;

  @ApiProperty({
    example: 'Moscow',
    description: 'The region of member cities, as GET /api/v1/cities shows it',
  })
  @IsString()
  @MinLength(1)
  @MinText(1)
  @MaxLength(100)
  region: string;
}

export class DeliveryAreaDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Member city ids' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsId({ each: true })
  cityIds?: string[];

  @ApiPropertyOptional({ type: [RegionDto] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => RegionDto)
  regions?: RegionDto[];

  @ApiPropertyOptional({ type: [String], example: ['RU'] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(COUNTRY, { each: true, message: 'countries must be ISO 3166-1 alpha-2 codes' })
  countries?: string[];
}

export class OfferInputDto {
  @ApiProperty({
    example: '349.90',
    description: 'Decimal string, at most 2 decimals, above 0 and at most 1e12',
  })
  @IsString()
  @MaxLength(40)
  price: string;

  @ApiProperty({ example: 'RUB', description: 'ISO 4217' })
  @IsString()
  @MaxLength(10)
  currency: string;

  @ApiProperty({ example: true })
  @IsBoolean()
  vatIncluded: boolean;

  @ApiPropertyOptional({ example: '10', default: '1', description: 'Decimal string, at most 3 decimals' })
  @Optional()
  @IsString()
  @MaxLength(20)
  minQuantity?: string;

  @ApiProperty({ type: DeliveryAreaDto })
  @IsObject()
  @ValidateNested()
  @Type(() => DeliveryAreaDto)
  deliveryArea: DeliveryAreaDto;

  @ApiProperty({ example: 3, minimum: 0, maximum: 3650 })
  @IsInt()
  @Min(0)
  @Max(3650)
  leadTimeDays: number;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Defaults to now' })
  @Optional()
  @IsTimestamp()
  validFrom?: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2027-12-31T00:00:00Z' })
  @IsTimestamp()
  validUntil: string;
}

export class UpdateOfferDto extends PartialType(OfferInputDto, { skipNullProperties: false }) {}

export class ItemOffersQueryDto extends CataloguePageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only offers that deliver to this member city' })
  @Optional()
  @IsId()
  deliveryCityId?: string;

  @ApiPropertyOptional({ example: 'RUB' })
  @Optional()
  @IsString()
  @MaxLength(10)
  currency?: string;
}

export class OwnOffersQueryDto extends CataloguePageQueryDto {
  @ApiPropertyOptional({ enum: EFFECTIVE_OFFER_STATUSES })
  @Optional()
  @IsIn(EFFECTIVE_OFFER_STATUSES)
  status?: EffectiveOfferStatus;
}
