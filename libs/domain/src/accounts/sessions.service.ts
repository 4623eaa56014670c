import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { appKey, REDIS } from '../redis/redis.module';
import { InvalidRefreshTokenError } from './accounts.errors';
import { RefreshToken } from './refresh-token.entity';
import { RevokedSessions } from './revoked-sessions';

export interface IssuedRefreshToken {
  refreshToken: string;
  sessionId: string;
  expiresAt: Date;
}

/** How a bearer secret (a refresh token, a password reset) is stored: its SHA-256, in hex. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The key a token's successor is sealed under: derived from the token itself, which the server does not keep. */
const successorKey = (token: string) =>
  Buffer.from(hkdfSync('sha256', token, 'refresh-token-successor', '', 32));

/** AES-256-GCM of the successor token under successorKey: nonce (12 bytes), tag (16), ciphertext. */
function sealSuccessor(token: string, successor: string): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', successorKey(token), nonce);
  const sealed = Buffer.concat([cipher.update(successor, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), sealed]);
}

/** The successor sealed by sealSuccessor, or undefined if it does not open with this token. */
function openSuccessor(token: string, sealed: Buffer): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', successorKey(token), sealed.subarray(0, 12), {
      authTagLength: 16,
    });
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * Login sessions: each is a family of refresh tokens where only the newest is valid.
 * Tokens are random, stored hashed, rotated on every use. Revoking a session also marks it in Redis
 * so access tokens already issued for it stop working before they expire; each process keeps a copy of those
 * marks (RevokedSessions), so checking a token costs no round trip.
 */
@Injectable()
export class SessionsService implements OnApplicationShutdown {
  private readonly revoked: RevokedSessions;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {
    this.revoked = new RevokedSessions(
      redis,
      `${this.revokedKey('')}`,
      appKey(config, 'revoked-sessions'),
      (config.JWT_ACCESS_TTL_SECONDS + 60) * 1000,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.revoked.stop();
  }

  async start(userId: string): Promise<IssuedRefreshToken> {
    return this.issue(this.dataSource.getRepository(RefreshToken), userId, randomUUID());
  }

  /**
   * Exchanges a refresh token for a new one; a reused or revoked token revokes its whole session. One exception:
   * a token presented again within REFRESH_REUSE_GRACE_SECONDS of its rotation, while the token that rotation
   * issued is still unused and the session live, gets that same token again (two tabs of one browser refreshing
   * at once). The successor is kept encrypted under a key derived from the old token, which only its holder has:
   * the server cannot give it to anyone else, and the database alone does not reveal it. Whoever uses the
   * successor first rotates it, and the other's use of it then ends the session, as any reuse does.
   */
  async rotate(refreshToken: string): Promise<IssuedRefreshToken & { userId: string }> {
    const oldHash = hashToken(refreshToken);
    const next = randomBytes(32).toString('base64url');
    const outcome = await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(RefreshToken);
      // The session's lock first, as revoke() takes it: a revocation either commits before this rotation reads
      // the token (which is then refused) or waits for it and revokes the token it issued too.
      const [family] = await manager.query<{ family_id: string }[]>(
        'SELECT family_id FROM refresh_tokens WHERE token_hash = $1',
        [oldHash],
      );
      if (family) await lockSession(manager, family.family_id);
      // Conditional update decides the race: only one caller can mark a token used.
      const used: [{ user_id: string; family_id: string }[], number] = await manager.query(
        `UPDATE refresh_tokens SET used_at = now(), successor_sealed = $2
          WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
          RETURNING user_id, family_id`,
        [oldHash, sealSuccessor(refreshToken, next)],
      );
      const row = used[0][0];
      if (!row) {
        const again = await this.successorWithinGrace(manager, refreshToken, oldHash);
        if (again) return { issued: again };
        const known = await repo.findOne({ where: { tokenHash: oldHash } });
        return { reusedFamily: known?.familyId ?? null };
      }
      const issued = await this.issue(repo, row.user_id, row.family_id, next);
      return { issued: { ...issued, userId: row.user_id } };
    });
    if ('issued' in outcome && outcome.issued) return outcome.issued;
    if (outcome.reusedFamily) await this.revoke(outcome.reusedFamily);
    throw new InvalidRefreshTokenError('The refresh token is invalid, expired or already used');
  }

  /** The successor of a token used within the grace, if it is still unused and live (see rotate). */
  private async successorWithinGrace(
    manager: EntityManager,
    refreshToken: string,
    oldHash: string,
  ): Promise<(IssuedRefreshToken & { userId: string }) | undefined> {
    const grace = this.config.REFRESH_REUSE_GRACE_SECONDS;
    if (grace <= 0) return undefined;
    const [old] = await manager.query<{ successor_sealed: Buffer | null }[]>(
      `SELECT successor_sealed FROM refresh_tokens
        WHERE token_hash = $1 AND revoked_at IS NULL AND used_at > now() - make_interval(secs => $2)`,
      [oldHash, grace],
    );
    const successor = old?.successor_sealed ? openSuccessor(refreshToken, old.successor_sealed) : undefined;
    if (!successor) return undefined;
    const [live] = await manager.query<{ user_id: string; family_id: string; expires_at: Date }[]>(
      `SELECT user_id, family_id, expires_at FROM refresh_tokens
        WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()`,
      [hashToken(successor)],
    );
    if (!live) return undefined;
    return {
      refreshToken: successor,
      sessionId: live.family_id,
      expiresAt: live.expires_at,
      userId: live.user_id,
    };
  }

  /**
   * Ends a session: its access tokens (marked in Redis) first, then its refresh tokens. In this order a failure
   * part-way leaves the refresh tokens live, so revokeOrganization, asked again, still finds the session and
   * finishes it; the other way round, the refresh tokens were revoked, the session no longer found, and its
   * access tokens worked on until they expired. A mark whose database step then failed only ends a session early.
   */
  async revoke(sessionId: string): Promise<void> {
    await this.redis.set(this.revokedKey(sessionId), '1', 'EX', this.config.JWT_ACCESS_TTL_SECONDS + 60);
    await this.dataSource.transaction(async (manager) => {
      await lockSession(manager, sessionId);
      await manager.query(
        `UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`,
        [sessionId],
      );
    });
    await this.revoked.announce(sessionId);
  }

  /**
   * Revokes every other live session of a user, inside the caller's transaction (a password change): the
   * sessions' access tokens are marked in Redis before the refresh tokens are, as revoke() does, and each session
   * is locked, so a rotation in flight either committed (and its new token is revoked here) or waits and is
   * refused. Returns the sessions revoked; `announced` tells the other processes once the transaction commits.
   */
  async revokeOthersOfUser(
    manager: EntityManager,
    userId: string,
    keepSessionId: string | null,
  ): Promise<{ sessions: string[]; announce: () => Promise<void> }> {
    const families = await manager.query<{ family_id: string }[]>(
      `SELECT DISTINCT family_id FROM refresh_tokens
        WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() AND family_id IS DISTINCT FROM $2
        ORDER BY family_id`,
      [userId, keepSessionId],
    );
    const sessions = families.map((f) => f.family_id);
    for (const sessionId of sessions) {
      await this.redis.set(this.revokedKey(sessionId), '1', 'EX', this.config.JWT_ACCESS_TTL_SECONDS + 60);
      await lockSession(manager, sessionId);
      await manager.query(
        `UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`,
        [sessionId],
      );
    }
    return {
      sessions,
      announce: async () => {
        for (const sessionId of sessions) await this.revoked.announce(sessionId);
      },
    };
  }

  /**
   * Revokes every live session of an organisation's users (an operator suspended it): their refresh tokens stop
   * working, and their access tokens with them.
   */
  async revokeOrganization(organizationId: string): Promise<number> {
    const sessions = await this.dataSource.query<{ family_id: string }[]>(
      `SELECT DISTINCT r.family_id FROM refresh_tokens r JOIN users u ON u.id = r.user_id
        WHERE u.organization_id = $1 AND r.revoked_at IS NULL AND r.expires_at > now()`,
      [organizationId],
    );
    for (const { family_id } of sessions) await this.revoke(family_id);
    return sessions.length;
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    const known = this.revoked.lookup(sessionId);
    if (known !== undefined) return known;
    return (await this.redis.exists(this.revokedKey(sessionId))) === 1;
  }

  /** Deletes tokens that expired long ago; returns how many. */
  async purgeExpired(olderThanDays: number): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM refresh_tokens WHERE expires_at < now() - make_interval(days => $1)`,
      [olderThanDays],
    );
    return result[1];
  }

  private revokedKey(sessionId: string): string {
    return appKey(this.config, 'revoked-session', sessionId);
  }

  private async issue(
    repo: ReturnType<DataSource['getRepository']>,
    userId: string,
    sessionId: string,
    refreshToken = randomBytes(32).toString('base64url'),
  ): Promise<IssuedRefreshToken> {
    const expiresAt = new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
    await repo.insert({ tokenHash: hashToken(refreshToken), familyId: sessionId, userId, expiresAt });
    return { refreshToken, sessionId, expiresAt };
  }
}

/**
 * Serialises what changes one session's refresh tokens (rotation, revocation), for the rest of the transaction.
 * Without it, a logout whose UPDATE waited for a rotation in flight saw only the rows of its own snapshot, and
 * the token that rotation issued stayed valid.
 */
async function lockSession(manager: EntityManager, sessionId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('refresh-session:' || $1, 0))`, [
    sessionId,
  ]);
}
