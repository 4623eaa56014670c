import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsId } from '../../common/validation';
import { IsIn, IsOptional } from 'class-validator';
import { ORGANIZATION_KINDS, ORGANIZATION_STATUSES, type Organization, type User } from '@app/domain';
import { PageQueryDto } from '../../common/pagination.dto';
import { CityDto } from '../../cities/dto/city.dto';

/** What anyone may see of an organisation: no users, no personal data. */
export class OrganizationProfileDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ORGANIZATION_KINDS }) kind: string;
  @ApiProperty() legalName: string;
  @ApiProperty({ type: Object, nullable: true, example: { scheme: 'RU-INN', id: '7707083893' } })
  taxId: { scheme: string; id: string } | null;
  @ApiProperty() country: string;
  @ApiProperty({ type: CityDto, nullable: true }) city: CityDto | null;
  @ApiProperty() sme: boolean;
  @ApiProperty({ enum: ORGANIZATION_STATUSES }) status: string;
  @ApiProperty({ type: String, format: 'date-time' }) registeredAt: string;

  static from(org: Organization): OrganizationProfileDto {
    return {
      id: org.id,
      kind: org.kind,
      legalName: org.legalName,
      taxId: org.taxScheme && org.taxId ? { scheme: org.taxScheme, id: org.taxId } : null,
      country: org.country,
      city: org.city ? CityDto.from(org.city) : null,
      sme: org.sme,
      status: org.status,
      registeredAt: org.createdAt.toISOString(),
    };
  }
}

/** An organisation as its operator sees it, with the reason of its last status change. */
export class OrganizationAdminDto extends OrganizationProfileDto {
  @ApiProperty({ type: String, nullable: true }) statusReason: string | null;

  static override from(org: Organization): OrganizationAdminDto {
    return { ...OrganizationProfileDto.from(org), statusReason: org.statusReason };
  }
}

export class CreatedUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() role: string;

  static from(user: User): CreatedUserDto {
    return { id: user.id, role: user.role };
  }
}

export class RegistrationResponseDto {
  @ApiProperty({ type: OrganizationAdminDto }) organization: OrganizationAdminDto;
  @ApiProperty({ type: CreatedUserDto }) user: CreatedUserDto;
}

export class OrganizationPageDto {
  @ApiProperty({ type: [OrganizationProfileDto] }) items: OrganizationProfileDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class OrganizationAdminPageDto {
  @ApiProperty({ type: [OrganizationAdminDto] }) items: OrganizationAdminDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class PublicOrganizationQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['buyer', 'supplier', 'auditor'] })
  @IsOptional()
  @IsIn(['buyer', 'supplier', 'auditor'])
  kind?: 'buyer' | 'supplier' | 'auditor';

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsId()
  cityId?: string;
}

export class AdminOrganizationQueryDto extends PublicOrganizationQueryDto {
  @ApiPropertyOptional({ enum: ORGANIZATION_STATUSES })
  @IsOptional()
  @IsIn([...ORGANIZATION_STATUSES])
  status?: 'pending' | 'active' | 'suspended';
}

/** A user account as operators manage it (GET /admin/organizations/:id/users, PATCH /admin/users/:id/status). */
export class UserAccountDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() email: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ enum: ['buyer', 'supplier', 'auditor', 'operator'] }) role: string;
  @ApiProperty({ description: 'false: turned off by an operator; it cannot sign in' }) active: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastLoginAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class UserAccountPageDto {
  @ApiProperty({ type: [UserAccountDto] }) items: UserAccountDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
