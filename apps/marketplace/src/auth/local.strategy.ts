import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import {
  InvalidCredentialsError,
  LoginThrottleService,
  OrganizationSuspendedError,
  type User,
  UsersService,
  verifyPassword,
} from '@app/domain';

/** Email and password login, throttled per account and per address. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(
    private readonly users: UsersService,
    private readonly throttle: LoginThrottleService,
  ) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  async validate(req: Request, email: string, password: string): Promise<User> {
    const ip = req.ip ?? 'unknown';
    // Counted as a failure from here, until the password is found right.
    await this.throttle.takeAttempt(email, ip);
    const user = await this.users.findForLogin(email);
    const ok = await verifyPassword(user?.passwordHash, password);
    if (!user || !ok || !user.active) throw new InvalidCredentialsError('The email or password is wrong');
    await this.throttle.recordSuccess(email, ip);
    if (user.organization?.status === 'suspended') {
      throw new OrganizationSuspendedError(
        'Your organisation is suspended by an operator; you cannot sign in',
      );
    }
    return user;
  }
}
