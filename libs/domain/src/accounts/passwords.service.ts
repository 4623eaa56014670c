import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../errors';
import { CurrentPasswordWrongError, PasswordUnchangedError } from './accounts.errors';
import { LoginThrottleService } from './login-throttle.service';
import { hashPassword, verifyPassword } from './password';
import { SessionsService } from './sessions.service';

export interface PasswordChange {
  userId: string;
  /** The session the change is made from: it stays signed in; every other session of the user ends. */
  sessionId: string;
  currentPassword: string;
  newPassword: string;
  /** The client's address, for the login throttle. */
  ip: string;
}

/**
 * A user's own password change. The current password is checked as a login checks it (the same throttle, so
 * the form is no way around the login's limit on guesses), and the change ends every other session of the user:
 * whoever signed in with the old password is signed out.
 */
@Injectable()
export class PasswordsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly throttle: LoginThrottleService,
    private readonly sessions: SessionsService,
  ) {}

  /** Returns how many other sessions were ended. */
  async change(input: PasswordChange): Promise<number> {
    const [user] = await this.dataSource.query<{ email: string; password_hash: string }[]>(
      `SELECT email, password_hash FROM users WHERE id = $1 AND active`,
      [input.userId],
    );
    if (!user) throw new NotFoundError('The signed-in user no longer exists');
    await this.throttle.takeAttempt(user.email, input.ip);
    if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
      throw new CurrentPasswordWrongError('The current password is wrong');
    }
    await this.throttle.recordSuccess(user.email, input.ip);
    if (input.newPassword === input.currentPassword) {
      throw new PasswordUnchangedError('The new password is the current one', { field: 'newPassword' });
    }
    const newHash = await hashPassword(input.newPassword);
    const revoked = await this.dataSource.transaction(async (manager) => {
      // Only the hash that was checked is replaced: of two changes from the same password, the second finds
      // the password changed and is refused as a wrong current password.
      const [, updated] = await manager.query<[unknown[], number]>(
        `UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1 AND password_hash = $3`,
        [input.userId, newHash, user.password_hash],
      );
      if (updated !== 1) throw new CurrentPasswordWrongError('The current password is wrong');
      return this.sessions.revokeOthersOfUser(manager, input.userId, input.sessionId);
    });
    await revoked.announce();
    return revoked.sessions.length;
  }
}
