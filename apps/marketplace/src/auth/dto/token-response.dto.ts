import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '@app/domain';

export class TokenResponseDto {
  @ApiProperty({ description: 'Short-lived JWT access token; send as Authorization: Bearer' })
  accessToken: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType: 'Bearer';

  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expiresIn: number;

  @ApiProperty({ description: 'Single-use refresh token; rotated on every refresh' })
  refreshToken: string;

  @ApiProperty({ type: String, format: 'date-time' })
  refreshExpiresAt: string;
}

export class MeOrganizationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() kind: string;
  @ApiProperty() legalName: string;
  @ApiProperty() status: string;
}

export class MeResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Your own email (never shown to others)' }) email: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ type: MeOrganizationDto }) organization: MeOrganizationDto;
}

export class PasswordChangedDto {
  @ApiProperty({ description: 'Other sessions of the user that the change signed out', example: 1 })
  otherSessionsEnded: number;
}

export class PasswordResetIssuedDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() email: string;
  @ApiProperty({
    description:
      'One-time token for POST /auth/password/reset; hand it to the user yourself. Shown only once',
  })
  resetToken: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt: string;
}
