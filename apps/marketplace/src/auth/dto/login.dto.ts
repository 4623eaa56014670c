import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'buyer@moscow.example' })
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @MinLength(16)
  @MaxLength(128)
  refreshToken: string;
}

export class ChangePasswordDto {
  @ApiProperty({ description: 'The password in use now' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  currentPassword: string;

  @ApiProperty({ minLength: 12, maxLength: 256, description: 'Taken exactly as typed: spaces count' })
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  newPassword: string;
}

export class IssuePasswordResetDto {
  @ApiProperty({ example: 'buyer@moscow.example', description: 'The email of the user who cannot sign in' })
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'The one-time token an operator issued' })
  @IsString()
  @MinLength(16)
  @MaxLength(128)
  resetToken: string;

  @ApiProperty({ minLength: 12, maxLength: 256, description: 'Taken exactly as typed: spaces count' })
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  newPassword: string;
}
