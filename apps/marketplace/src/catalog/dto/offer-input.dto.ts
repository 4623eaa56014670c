import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination.dto';

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
  @MaxLength(100)
  region: string;
}

export class DeliveryAreaDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Member city ids' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID(undefined, { each: true })
  cityIds?: string[];

  @ApiPropertyOptional({ type: [RegionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => RegionDto)
  regions?: RegionDto[];

  @ApiPropertyOptional({ type: [String], example: ['RU'] })
  @IsOptional()
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
  @IsOptional()
  @IsString()
  @MaxLength(20)
  minQuantity?: string;

  @ApiProperty({ type: DeliveryAreaDto })
  @ValidateNested()
  @Type(() => DeliveryAreaDto)
  deliveryArea: DeliveryAreaDto;

  @ApiProperty({ example: 3, minimum: 0, maximum: 3650 })
  @IsInt()
  @Min(0)
  @Max(3650)
  leadTimeDays: number;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Defaults to now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  validFrom?: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2027-12-31T00:00:00Z' })
  @IsISO8601({ strict: true })
  validUntil: string;
}

export class UpdateOfferDto extends PartialType(OfferInputDto) {}

export class ItemOffersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only offers that deliver to this member city' })
  @IsOptional()
  @IsUUID()
  deliveryCityId?: string;

  @ApiPropertyOptional({ example: 'RUB' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  currency?: string;
}

export class OwnOffersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['active', 'scheduled', 'expired', 'withdrawn'] })
  @IsOptional()
  @IsIn(['active', 'scheduled', 'expired', 'withdrawn'])
  status?: 'active' | 'scheduled' | 'expired' | 'withdrawn';
}
