import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { User } from '@app/domain';
import { ApiErrors } from '../common/api-errors.decorator';
import { AnyRole, AuthUser, CurrentUser, Public } from '../common/auth.decorators';
import { AuthService } from './auth.service';
import { LoginDto, RefreshDto } from './dto/login.dto';
import { MeResponseDto, TokenResponseDto } from './dto/token-response.dto';
import { LoginGuard } from './login.guard';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
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

  @Get('me')
  @AnyRole()
  @ApiOkResponse({ type: MeResponseDto })
  me(@CurrentUser() caller: AuthUser): Promise<MeResponseDto> {
    return this.auth.me(caller);
  }
}
