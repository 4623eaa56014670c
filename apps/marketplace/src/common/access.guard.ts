import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError, ForbiddenRoleError, type Role, UnauthenticatedError } from '@app/domain';
import { ALLOWED_ROLES, AuthUser, IS_PUBLIC } from './auth.decorators';

/**
 * The global guard: public routes pass; every other route needs a valid bearer token (passport-jwt)
 * and one of the roles its Roles decorator names. A route that declares neither is refused (fail closed).
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    return super.canActivate(context);
  }

  override handleRequest<T = AuthUser>(
    err: unknown,
    user: unknown,
    _info: unknown,
    context: ExecutionContext,
  ): T {
    if (err instanceof DomainError) throw err;
    if (err || !user) throw new UnauthenticatedError('A valid bearer access token is required');
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    const role = (user as AuthUser).role;
    if (!roles || !roles.includes(role)) {
      throw new ForbiddenRoleError(`The ${role} role may not do this`, { allowedRoles: roles ?? [] });
    }
    return user as T;
  }
}
