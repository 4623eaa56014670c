import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isoUtc } from '../database/sql-time';
import { OrganizationNotFoundError } from '../organizations/organizations.errors';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../pagination/cursor';
import { CannotDeactivateSelfError, UserInactiveError, UserNotFoundError } from './accounts.errors';
import type { Role } from './role';
import { SessionsService } from './sessions.service';

/** A user account as an operator manages it: never its password or its sessions. */
export interface UserAccountView {
  id: string;
  organizationId: string;
  email: string;
  fullName: string;
  role: Role;
  active: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

const ACCOUNT_COLUMNS = `u.id, u.organization_id AS "organizationId", u.email, u.full_name AS "fullName", u.role,
  u.active, ${isoUtc('u.last_login_at')} AS "lastLoginAt", ${isoUtc('u.created_at')} AS "createdAt"`;

/**
 * Operators' management of user accounts: the users of an organisation, and turning one off (a lost laptop, a
 * person who left, an operator account that must not be used any more) and on again. An account turned off
 * cannot sign in, refresh or use a reset token, and its sessions end at once; its organisation is untouched.
 */
@Injectable()
export class UserAccountsService {
  private readonly logger = new Logger(UserAccountsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
  ) {}

  /** The users of an organisation, by id. */
  async listOfOrganization(
    organizationId: string,
    limit = DEFAULT_PAGE_SIZE,
    cursor?: string,
  ): Promise<Page<UserAccountView>> {
    const [org] = await this.dataSource.query<{ id: string }[]>(
      'SELECT id FROM organizations WHERE id = $1',
      [organizationId],
    );
    if (!org) throw new OrganizationNotFoundError('No organisation with this id', { id: organizationId });
    const params: unknown[] = [organizationId, limit + 1];
    let after = '';
    if (cursor) {
      const [id] = decodeCursor(cursor, ['uuid']);
      params.push(id);
      after = 'AND u.id > $3::uuid';
    }
    const rows = await this.dataSource.query<UserAccountView[]>(
      `SELECT ${ACCOUNT_COLUMNS} FROM users u WHERE u.organization_id = $1 ${after} ORDER BY u.id LIMIT $2`,
      params,
    );
    return toPage(rows, limit, (r) => [r.id]);
  }

  /**
   * Turns an account off or on. Off: its sessions end (access tokens included) and its pending password resets
   * are spent, in the transaction that turns it off, with the user's row locked as a sign-in's last check reads
   * it, so a sign-in racing it is either refused or has its session found and ended. An operator does not turn
   * off its own account (there must be someone left to turn it back on); the caller's account is locked with
   * the target's, in id order, so two operators turning each other off at once cannot both succeed.
   */
  async setActive(operatorUserId: string, userId: string, active: boolean): Promise<UserAccountView> {
    if (!active && userId === operatorUserId) {
      throw new CannotDeactivateSelfError(
        'An operator does not turn off its own account; ask another operator',
      );
    }
    const changed = await this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<{ id: string; active: boolean }[]>(
        // NO KEY UPDATE: the flag is no key, and a refresh inserting a token (whose foreign key takes KEY SHARE on
        // this row) after locking its session must not deadlock with this, which locks the sessions next.
        'SELECT id, active FROM users WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE',
        [[operatorUserId, userId]],
      );
      if (!rows.find((r) => r.id === operatorUserId)?.active) {
        throw new UserInactiveError('Your own account has been turned off');
      }
      const target = rows.find((r) => r.id === userId);
      if (!target) throw new UserNotFoundError('No user with this id', { id: userId });
      if (target.active === active) return { announce: async () => undefined, changed: false };
      await manager.query('UPDATE users SET active = $2, updated_at = now() WHERE id = $1', [userId, active]);
      if (active) return { announce: async () => undefined, changed: true };
      await manager.query(
        'UPDATE password_resets SET spent_at = now() WHERE user_id = $1 AND spent_at IS NULL',
        [userId],
      );
      const revoked = await this.sessions.revokeOthersOfUser(manager, userId, null);
      return { announce: revoked.announce, changed: true };
    });
    await changed.announce();
    if (changed.changed) {
      // Ids only: the log carries no email or name.
      this.logger.log({ userId, operatorUserId }, active ? 'account turned on' : 'account turned off');
    }
    const [view] = await this.dataSource.query<UserAccountView[]>(
      `SELECT ${ACCOUNT_COLUMNS} FROM users u WHERE u.id = $1`,
      [userId],
    );
    return view!;
  }
}
