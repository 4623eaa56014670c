import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  NotContains,
  ValidateNested,
} from 'class-validator';
import { IsId, Optional, QueryBoolean } from '../../common/validation';
import { jsonArrayOf } from '../../common/json-query-param';

/** At most this many characteristics in one request. */
const MAX_CHARACTERISTICS = 20;

/**
 * A characteristic the catalogue items (or free contract items) must have. The bounds are those of a catalogue
 * item's characteristics, which free tender items share: anything longer could never match. NUL is refused here
 * because PostgreSQL refuses it in jsonb text.
 */
export class CharacteristicFilterDto {
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'name must not be blank' })
  @NotContains('\u0000', { message: 'name must not contain NUL characters' })
  name: string;

  @IsString()
  @MaxLength(500)
  @Matches(/\S/, { message: 'value must not be blank' })
  @NotContains('\u0000', { message: 'value must not contain NUL characters' })
  value: string;

  @Optional()
  @IsString()
  @Matches(/^\s*[A-Za-z0-9]{1,3}\s*$/, { message: 'unit must be a UN/ECE Recommendation 20 code' })
  unit?: string;
}

/** A catalogue item, or a CPV code with a unit (checked by the controller: it spans fields). */
export class ReferencePriceQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @Optional() @IsId() catalogItemId?: string;

  @ApiPropertyOptional({ example: '30197630-1' })
  @Optional()
  @Matches(/^\d{8}-\d$/, { message: 'cpv must be a CPV code such as 30197630-1' })
  cpv?: string;

  @ApiPropertyOptional({ example: 'XPK' })
  @Optional()
  @Matches(/^[A-Z0-9]{1,3}$/, { message: 'unitCode must be a UN/CEFACT unit code' })
  unitCode?: string;

  @ApiPropertyOptional({
    type: String,
    description:
      `With cpv and unitCode only: a JSON array of at most ${MAX_CHARACTERISTICS} { name, value, unit? } ` +
      '(name up to 100 characters, value up to 500, unit a UN/ECE Recommendation 20 code). Only catalogue items ' +
      'having every one count, and contract items bought outside the catalogue having every one of their own; ' +
      'names, values and units are compared ignoring case and surrounding spaces, and a characteristic given ' +
      'without a unit matches any unit.',
    example: '[{"name":"Формат","value":"A4"},{"name":"Листов в пачке","value":"500","unit":"H87"}]',
  })
  @Optional()
  @Transform(jsonArrayOf(CharacteristicFilterDto, '{ name, value, unit? } objects'))
  @IsArray()
  @ArrayMaxSize(MAX_CHARACTERISTICS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  characteristics?: CharacteristicFilterDto[];

  @ApiProperty({ format: 'uuid', description: 'The delivery city' }) @IsId() cityId: string;

  @ApiProperty({ example: '200' })
  @Matches(/^\d{1,15}(\.\d{1,3})?$/, { message: 'quantity must be a decimal with at most 3 decimals' })
  quantity: string;

  @ApiProperty({ example: 'RUB' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency: string;

  @ApiPropertyOptional({
    description:
      'The VAT basis prices are compared on: with VAT (true, the default: offers with VAT included, and contracts, ' +
      'whose amounts are what buyers pay) or without (false: offers priced without VAT, alone)',
    default: true,
  })
  @Optional()
  @QueryBoolean()
  vatIncluded?: boolean;
}
