import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '../database/pg-errors';
import { PreparedStatement } from '../database/prepared-statement';
import { EmailTakenError } from './accounts.errors';
import { hashPassword } from './password';
import type { Role } from './role';
import { User } from './user.entity';

export interface NewUser {
  email: string;
  fullName: string;
  password: string;
  organizationId: string;
  role: Role;
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** A signed-in user's own view of the account: what GET /auth/me answers. */
export interface UserProfile {
  id: string;
  email: string;
  fullName: string;
  role: Role;
  organization: { id: string; kind: string; legalName: string; status: string };
}

/** The profile in one prepared statement: every client asks for it, and TypeORM's find built its SQL each time. */
const USER_PROFILE = new PreparedStatement(
  'user-profile',
  `SELECT u.id, u.email, u.full_name AS "fullName", u.role,
          json_build_object('id', o.id, 'kind', o.kind, 'legalName', o.legal_name, 'status', o.status) AS organization
     FROM users u JOIN organizations o ON o.id = u.organization_id
    WHERE u.id = $1`,
);

@Injectable()
export class UsersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates a user inside the caller's transaction; a taken email is a conflict, decided by the unique index. */
  async create(manager: EntityManager, input: NewUser): Promise<User> {
    const passwordHash = await hashPassword(input.password);
    const user = manager.create(User, {
      email: normalizeEmail(input.email),
      fullName: input.fullName.trim(),
      passwordHash,
      organizationId: input.organizationId,
      role: input.role,
    });
    try {
      const result = await manager.insert(User, user);
      user.id = (result.identifiers[0] as { id: string }).id;
    } catch (error) {
      if (isUniqueViolation(error, 'uq_users_email')) {
        throw new EmailTakenError('A user with this email already exists', { field: 'user.email' });
      }
      throw error;
    }
    return user;
  }

  /** For login only: the one query that reads the password hash. */
  findForLogin(email: string): Promise<(User & { passwordHash: string }) | null> {
    return this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .innerJoinAndSelect('u.organization', 'o')
      .where('u.email = :email', { email: normalizeEmail(email) })
      .getOne();
  }

  /** The user's own profile with its organisation; undefined when there is no such user. */
  async profile(id: string): Promise<UserProfile | undefined> {
    const [profile] = await USER_PROFILE.run<UserProfile>(this.dataSource, [id]);
    return profile;
  }

  findById(id: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOne({ where: { id }, relations: { organization: true } });
  }

  /**
   * What a login is checked against once its session exists: the password hash, whether the user is active and
   * the organisation's status, read under a share lock on the user's row. A password change holds that row until
   * it commits (with the revocation of the other sessions), so a login that checked the old password either
   * started its session before the change looked for sessions, or reads the new hash here.
   */
  async credentialsNow(
    id: string,
  ): Promise<{ passwordHash: string; active: boolean; organizationStatus: string } | undefined> {
    const [row] = await this.dataSource.query<
      { passwordHash: string; active: boolean; organizationStatus: string }[]
    >(
      `SELECT u.password_hash AS "passwordHash", u.active, o.status AS "organizationStatus"
         FROM users u JOIN organizations o ON o.id = u.organization_id
        WHERE u.id = $1 FOR SHARE OF u`,
      [id],
    );
    return row;
  }

  async markLoggedIn(id: string): Promise<void> {
    await this.dataSource.getRepository(User).update({ id }, { lastLoginAt: () => 'now()' });
  }
}
