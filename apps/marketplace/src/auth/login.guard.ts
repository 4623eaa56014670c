import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { DomainError, UnauthenticatedError } from '@app/domain';
import { createValidationPipe } from '../common/validation';
import { LoginDto } from './dto/login.dto';

/**
 * passport-local behind the same validation as every other body: a malformed login body is a 400
 * naming the field, never passport's bare 401.
 */
@Injectable()
export class LoginGuard extends AuthGuard('local') {
  private readonly pipe = createValidationPipe();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<{ body: unknown }>();
    await this.pipe.transform(req.body, { type: 'body', metatype: LoginDto });
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(err: unknown, user: unknown): T {
    if (err instanceof DomainError) throw err;
    if (err || !user) throw new UnauthenticatedError('Login failed');
    return user as T;
  }
}
