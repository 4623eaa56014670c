import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig, ROLES, type Role, SessionRevokedError, SessionsService } from '@app/domain';
import type { AuthUser } from '../common/auth.decorators';

export interface AccessTokenClaims {
  sub: string;
  org: string;
  role: Role;
  sid: string;
}

/** Verifies bearer access tokens; a token of a revoked session (logout) is refused before it expires. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly sessions: SessionsService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject spares jsonwebtoken a failed public-key parse of the secret on every request.
      secretOrKey: createSecretKey(Buffer.from(config.JWT_SECRET)) as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(claims: Partial<AccessTokenClaims>): Promise<AuthUser | false> {
    const { sub, org, role, sid } = claims;
    if (!sub || !org || !sid || !role || !ROLES.includes(role)) return false;
    if (await this.sessions.isRevoked(sid)) throw new SessionRevokedError('This session has been logged out');
    return { userId: sub, organizationId: org, role, sessionId: sid };
  }
}
