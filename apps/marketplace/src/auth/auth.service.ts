import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import {
  AppConfig,
  InvalidCredentialsError,
  InvalidRefreshTokenError,
  NotFoundError,
  OrganizationSuspendedError,
  SessionsService,
  type User,
  UsersService,
} from '@app/domain';
import type { AuthUser } from '../common/auth.decorators';
import type { MeResponseDto, TokenResponseDto } from './dto/token-response.dto';
import type { AccessTokenClaims } from './jwt.strategy';

@Injectable()
export class AuthService {
  constructor(
    private readonly jwt: JwtService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  async login(user: User & { passwordHash?: string }): Promise<TokenResponseDto> {
    const session = await this.sessions.start(user.id);
    // Read again now that the session exists: a suspension or a password change committed meanwhile either
    // found this session and revoked it, or is seen here.
    const now = await this.users.credentialsNow(user.id);
    if (!now || !now.active || (user.passwordHash !== undefined && now.passwordHash !== user.passwordHash)) {
      await this.sessions.revoke(session.sessionId);
      throw new InvalidCredentialsError('The email or password is wrong');
    }
    if (now.organizationStatus === 'suspended') {
      await this.sessions.revoke(session.sessionId);
      throw new OrganizationSuspendedError(
        'Your organisation is suspended by an operator; you cannot sign in',
      );
    }
    await this.users.markLoggedIn(user.id);
    return this.tokens(user.id, user.organizationId, user.role, session);
  }

  async refresh(refreshToken: string): Promise<TokenResponseDto> {
    const session = await this.sessions.rotate(refreshToken);
    const user = await this.users.findById(session.userId);
    if (!user || !user.active) {
      // Turned off by an operator (or gone): the session ends, as any refresh token that no longer works.
      await this.sessions.revoke(session.sessionId);
      throw new InvalidRefreshTokenError('The account of this session has been turned off');
    }
    if (user.organization?.status === 'suspended') {
      await this.sessions.revoke(session.sessionId);
      throw new OrganizationSuspendedError(
        'Your organisation is suspended by an operator; sign-in has ended',
      );
    }
    return this.tokens(user.id, user.organizationId, user.role, session);
  }

  logout(caller: AuthUser): Promise<void> {
    return this.sessions.revoke(caller.sessionId);
  }

  async me(caller: AuthUser): Promise<MeResponseDto> {
    const profile = await this.users.profile(caller.userId);
    if (!profile) throw new NotFoundError('The signed-in user no longer exists');
    return profile;
  }

  private async tokens(
    userId: string,
    organizationId: string,
    role: User['role'],
    session: { refreshToken: string; sessionId: string; expiresAt: Date },
  ): Promise<TokenResponseDto> {
    const claims: AccessTokenClaims = { sub: userId, org: organizationId, role, sid: session.sessionId };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.JWT_ACCESS_TTL_SECONDS });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.config.JWT_ACCESS_TTL_SECONDS,
      refreshToken: session.refreshToken,
      refreshExpiresAt: session.expiresAt.toISOString(),
    };
  }
}
