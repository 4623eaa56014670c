import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { NotFoundError } from '../errors';
import {
  CurrentPasswordWrongError,
  OperatorResetNotAllowedError,
  PasswordChangedMeanwhileError,
  PasswordResetInvalidError,
  PasswordUnchangedError,
  UserNotFoundError,
} from './accounts.errors';
import { LoginThrottleService } from './login-throttle.service';
import { PasswordResetThrottleService } from './password-reset-throttle.service';
import { hashPassword, verifyPassword } from './password';
import { hashToken, SessionsService } from './sessions.service';
import { normalizeEmail } from './users.service';

/** A reset as issued to the operator, who hands the token to the user by a channel of their own. */
export interface IssuedPasswordReset {
  userId: string;
  email: string;
  resetToken: string;
  expiresAt: Date;
}

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
  private readonly logger = new Logger(PasswordsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly throttle: LoginThrottleService,
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
    private readonly resetThrottle: PasswordResetThrottleService,
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
      // the password changed and is refused (409).
      const [, updated] = await manager.query<[unknown[], number]>(
        `UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1 AND password_hash = $3`,
        [input.userId, newHash, user.password_hash],
      );
      if (updated !== 1) {
        throw new PasswordChangedMeanwhileError(
          'The password was changed by another request meanwhile; nothing was changed by this one',
        );
      }
      // A reset an operator issued meanwhile is spent: its token, handed over by some channel, would otherwise
      // undo this change for a day.
      await manager.query(
        `UPDATE password_resets SET spent_at = now() WHERE user_id = $1 AND spent_at IS NULL`,
        [input.userId],
      );
      return this.sessions.revokeOthersOfUser(manager, input.userId, input.sessionId);
    });
    await revoked.announce();
    return revoked.sessions.length;
  }

  /**
   * An operator's reset for a user who cannot sign in (the platform sends no email): a one-time token, valid
   * PASSWORD_RESET_TTL_HOURS, that the operator hands over by a channel of their own and that sets a new password
   * (resetWithToken). Only its hash is kept; an earlier unspent reset of the user is spent. The operator never
   * learns the password, and nothing changes for the user until the token is used. An operator's account (the
   * caller's own included) is never reset this way: whoever holds the token owns the account, so one operator could
   * take over another's.
   */
  async issueReset(operatorUserId: string, email: string): Promise<IssuedPasswordReset> {
    const resetToken = randomBytes(32).toString('base64url');
    const issued = await this.dataSource.transaction(async (manager) => {
      const [user] = await manager.query<{ id: string; email: string; operator: boolean }[]>(
        `SELECT u.id, u.email, (u.role = 'operator' OR o.kind = 'operator') AS operator
           FROM users u JOIN organizations o ON o.id = u.organization_id
          WHERE u.email = $1 AND u.active FOR UPDATE OF u`,
        [normalizeEmail(email)],
      );
      if (!user) throw new UserNotFoundError('No active user with this email', { field: 'email' });
      if (user.operator) {
        // Who tried whose account: an operator reaching for another operator's account is worth a look.
        this.logger.warn({ userId: user.id, operatorUserId }, 'password reset of an operator refused');
        throw new OperatorResetNotAllowedError(
          "An operator's password is not reset by an operator: its owner changes it (POST /auth/password), or whoever runs the server creates a new operator account",
          { field: 'email' },
        );
      }
      await manager.query(
        `UPDATE password_resets SET spent_at = now() WHERE user_id = $1 AND spent_at IS NULL`,
        [user.id],
      );
      const [row] = await manager.query<{ expires_at: Date }[]>(
        `INSERT INTO password_resets (token_hash, user_id, issued_by, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(hours => $4)) RETURNING expires_at`,
        [hashToken(resetToken), user.id, operatorUserId, this.config.PASSWORD_RESET_TTL_HOURS],
      );
      return { userId: user.id, email: user.email, resetToken, expiresAt: row!.expires_at };
    });
    // Who reset whose password, never the token.
    this.logger.log({ userId: issued.userId, operatorUserId }, 'password reset issued');
    return issued;
  }

  /**
   * Sets a new password with a reset token (once, before it expires) and ends every session of the user: whoever
   * was signed in with the old password is signed out. The account's failed logins are forgotten. The attempt is
   * counted against the client address's hour (PASSWORD_RESETS_PER_HOUR) before anything is looked up: past the
   * limit it is refused (429) and changes nothing.
   */
  async resetWithToken(resetToken: string, newPassword: string, ip: string): Promise<void> {
    await this.resetThrottle.take(ip);
    const tokenHash = hashToken(resetToken);
    const invalid = () =>
      new PasswordResetInvalidError('The reset token is invalid, expired or already used');
    // The token is looked at before the password is hashed: a made-up token costs a lookup, not an argon2 hash.
    const [pending] = await this.dataSource.query<{ user_id: string }[]>(
      `SELECT user_id FROM password_resets WHERE token_hash = $1 AND spent_at IS NULL AND expires_at > now()`,
      [tokenHash],
    );
    if (!pending) throw invalid();
    const newHash = await hashPassword(newPassword);
    const done = await this.dataSource.transaction(async (manager) => {
      // The user's row first, then the reset's, in the order issueReset and change take them.
      const [[user]] = await manager.query<[{ email: string }[], number]>(
        `UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1 AND active RETURNING email`,
        [pending.user_id, newHash],
      );
      if (!user) throw invalid();
      // Spent here, once: of two uses of one token, or a use and a newer reset, one finds it spent.
      const [, spent] = await manager.query<[unknown[], number]>(
        `UPDATE password_resets SET spent_at = now()
          WHERE token_hash = $1 AND user_id = $2 AND spent_at IS NULL AND expires_at > now()`,
        [tokenHash, pending.user_id],
      );
      if (spent !== 1) throw invalid();
      const revoked = await this.sessions.revokeOthersOfUser(manager, pending.user_id, null);
      return { email: user.email, announce: revoked.announce };
    });
    await done.announce();
    await this.throttle.forgetAccount(done.email);
  }
}
