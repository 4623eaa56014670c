import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsId, Optional, MinText } from '../../common/validation';
import { TAX_ID_SCHEMES } from '@app/domain';

export class TaxIdDto {
  @ApiProperty({ enum: TAX_ID_SCHEMES, example: 'RU-INN' })
  @IsString()
  @IsIn([...TAX_ID_SCHEMES])
  scheme: string;

  @ApiProperty({ example: '7707083893' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  id: string;
}

export class OrganizationInputDto {
  @ApiProperty({ example: 'ООО «Бумажная фабрика»' })
  @IsString()
  @MinLength(2)
  @MaxLength(300)
  @Matches(/\S.*\S/s, { message: 'legalName must have at least 2 characters besides spaces' })
  legalName: string;

  @ApiProperty({ type: TaxIdDto })
  @IsObject()
  @ValidateNested()
  @Type(() => TaxIdDto)
  taxId: TaxIdDto;

  @ApiProperty({ example: 'RU', description: 'ISO 3166-1 alpha-2; must match the city and the tax scheme' })
  @IsString()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country: string;

  @ApiProperty({ format: 'uuid', description: 'A member city id (GET /api/v1/cities)' })
  @IsId()
  cityId: string;

  @ApiPropertyOptional({ default: false, description: 'Small or medium-sized enterprise' })
  @Optional()
  @IsBoolean()
  sme?: boolean;
}

export class UserInputDto {
  @ApiProperty({ example: 'sales@paper.example' })
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email: string;

  @ApiProperty({ example: 'Ирина Петрова' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/\S/, { message: 'fullName must not be blank' })
  fullName: string;

  @ApiProperty({ minLength: 12, maxLength: 256 })
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password: string;
}

export class RegisterSupplierDto {
  @ApiProperty({ type: OrganizationInputDto })
  @IsObject()
  @ValidateNested()
  @Type(() => OrganizationInputDto)
  organization: OrganizationInputDto;

  @ApiProperty({ type: UserInputDto })
  @IsObject()
  @ValidateNested()
  @Type(() => UserInputDto)
  user: UserInputDto;
}

export class CreateOrganizationDto extends RegisterSupplierDto {
  @ApiProperty({ enum: ['buyer', 'auditor', 'supplier'] })
  @IsIn(['buyer', 'auditor', 'supplier'])
  kind: 'buyer' | 'auditor' | 'supplier';
}

export class SetStatusDto {
  @ApiProperty({ enum: ['active', 'suspended'] })
  @IsIn(['active', 'suspended'])
  status: 'active' | 'suspended';

  @ApiPropertyOptional({ description: 'Required when suspending' })
  @Optional()
  @IsString()
  @MinLength(3)
  @MinText(3)
  @MaxLength(1000)
  reason?: string;
}

export class SetUserActiveDto {
  @ApiProperty({
    description: 'false turns the account off (its sessions end at once); true turns it back on',
  })
  @IsBoolean()
  active: boolean;
}
