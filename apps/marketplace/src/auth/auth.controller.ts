import { Body, Controller, Get, Header, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PasswordsService, type User } from '@app/domain';
import type { Request } from 'express';
import { ApiErrors } from '../common/api-errors.decorator';
import { AnyRole, AuthUser, CurrentUser, Public } from '../common/auth.decorators';
import { AuthService } from './auth.service';
import { ChangePasswordDto, LoginDto, RefreshDto, ResetPasswordDto } from './dto/login.dto';
import { MeResponseDto, PasswordChangedDto, TokenResponseDto } from './dto/token-response.dto';
import { LoginGuard } from './login.guard';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly passwords: PasswordsService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Public()
  @UseGuards(LoginGuard)
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors(400, 401, 403, 429)
  login(@Req() req: { user: User }): Promise<TokenResponseDto> {
    return this.auth.login(req.user);
  }

  @Post('refresh')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Public()
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors(400, 401, 403)
  refresh(@Body() body: RefreshDto): Promise<TokenResponseDto> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @AnyRole()
  logout(@CurrentUser() caller: AuthUser): Promise<void> {
    return this.auth.logout(caller);
  }

  /**
   * Changes the caller's own password. The current one is checked as a login checks it (wrong:
   * 403 CURRENT_PASSWORD_WRONG, counted against the login throttle); this session stays signed in and every
   * other session of the user ends, its access tokens at once.
   */
  @Post('password')
  @HttpCode(200)
  @AnyRole()
  @ApiOkResponse({ type: PasswordChangedDto })
  @ApiErrors(400, 403, 404, 409, 429)
  async changePassword(
    @CurrentUser() caller: AuthUser,
    @Body() body: ChangePasswordDto,
    @Req() req: Request,
  ): Promise<PasswordChangedDto> {
    const otherSessionsEnded = await this.passwords.change({
      userId: caller.userId,
      sessionId: caller.sessionId,
      currentPassword: body.currentPassword,
      newPassword: body.newPassword,
      ip: req.ip ?? 'unknown',
    });
    return { otherSessionsEnded };
  }

  /**
   * Sets a new password with the token an operator issued (once, before it expires: else 401
   * PASSWORD_RESET_INVALID) and ends every session of the user. At most PASSWORD_RESETS_PER_HOUR attempts per
   * client address, failed ones included: then 429 PASSWORD_RESET_THROTTLED with Retry-After.
   */
  @Post('password/reset')
  @HttpCode(204)
  @Public()
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 429)
  async resetPassword(@Body() body: ResetPasswordDto, @Req() req: Request): Promise<void> {
    await this.passwords.resetWithToken(body.resetToken, body.newPassword, req.ip ?? 'unknown');
  }

  @Get('me')
  @AnyRole()
  @ApiOkResponse({ type: MeResponseDto })
  me(@CurrentUser() caller: AuthUser): Promise<MeResponseDto> {
    return this.auth.me(caller);
  }
}
