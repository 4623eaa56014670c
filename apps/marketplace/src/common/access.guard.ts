import { ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import {
  DomainError,
  ForbiddenRoleError,
  type Role,
  UnauthenticatedError,
  ValidationFailedError,
} from '@app/domain';
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
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      refuseUnreadBody(context);
      return true;
    }
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
    refuseUnreadBody(context);
    return user as T;
  }
}

/** Whether a handler reads a body: a @Body() parameter, or the request itself (a guard or strategy may read it). */
const READS_BODY = new WeakMap<object, boolean>();
const BODY_READERS = new Set<number>([
  RouteParamtypes.BODY,
  RouteParamtypes.REQUEST,
  RouteParamtypes.RAW_BODY,
]);

function readsBody(context: ExecutionContext): boolean {
  const handler = context.getHandler();
  let reads = READS_BODY.get(handler);
  if (reads === undefined) {
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as object;
    reads = Object.keys(args).some((key) => BODY_READERS.has(Number(key.split(':')[0])));
    READS_BODY.set(handler, reads);
  }
  return reads;
}

/**
 * A route that takes no body refuses one that says something: `POST /tenders/:id/publish` with
 * `{ "tenderPeriod": … }` published the draft as it stood, and the caller believed the body counted. An empty
 * object (what no body becomes) passes.
 */
function refuseUnreadBody(context: ExecutionContext): void {
  if (context.getType() !== 'http' || readsBody(context)) return;
  const body: unknown = context.switchToHttp().getRequest<{ body?: unknown }>().body;
  if (body === undefined || (typeof body === 'object' && body !== null && Object.keys(body).length === 0))
    return;
  const message = 'this request takes no body';
  throw new ValidationFailedError(`body: ${message}`, { fields: [{ field: 'body', messages: [message] }] });
}
