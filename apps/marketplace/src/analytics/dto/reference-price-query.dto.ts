import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';

/** A catalogue item, or a CPV code with a unit (checked by the controller: it spans fields). */
export class ReferencePriceQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() catalogItemId?: string;

  @ApiPropertyOptional({ example: '30197630-1' })
  @IsOptional()
  @Matches(/^\d{8}-\d$/, { message: 'cpv must be a CPV code such as 30197630-1' })
  cpv?: string;

  @ApiPropertyOptional({ example: 'XPK' })
  @IsOptional()
  @Matches(/^[A-Z0-9]{1,3}$/, { message: 'unitCode must be a UN/CEFACT unit code' })
  unitCode?: string;

  @ApiProperty({ format: 'uuid', description: 'The delivery city' }) @IsUUID() cityId: string;

  @ApiProperty({ example: '200' })
  @Matches(/^\d{1,15}(\.\d{1,3})?$/, { message: 'quantity must be a decimal with at most 3 decimals' })
  quantity: string;

  @ApiProperty({ example: 'RUB' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency: string;
}
