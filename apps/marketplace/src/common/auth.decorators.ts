import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { ROLES, type Role } from '@app/domain';
import { ApiErrors } from './api-errors.decorator';

export const IS_PUBLIC = 'marketplace:public';
export const ALLOWED_ROLES = 'marketplace:roles';

/** The authenticated caller, as read from a verified access token. */
export interface AuthUser {
  userId: string;
  organizationId: string;
  role: Role;
  sessionId: string;
}

/** Open to anyone, without a token. Every route is either Public or carries Roles. */
export function Public() {
  return applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension('x-public', true));
}

/** Requires a valid access token of one of these roles. */
export function Roles(...roles: Role[]) {
  return applyDecorators(
    SetMetadata(ALLOWED_ROLES, roles),
    ApiBearerAuth('bearer'),
    ApiExtension('x-roles', roles),
    ApiErrors(401, ...(roles.length < ROLES.length ? [403] : [])),
  );
}

/** Any signed-in user, whatever the role. */
export const AnyRole = () => Roles(...ROLES);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
