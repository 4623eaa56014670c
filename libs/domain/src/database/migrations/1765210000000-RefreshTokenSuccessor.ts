import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * refresh_tokens.successor_sealed: the token a rotation issued in place of this one, encrypted under a key only
 * this token's holder can derive (see SessionsService.rotate). Two tabs refreshing with the same token at once get
 * the same new token, within REFRESH_REUSE_GRACE_SECONDS, instead of the second being taken for a theft.
 */
export class RefreshTokenSuccessor1765210000000 implements MigrationInterface {
  name = 'RefreshTokenSuccessor1765210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "refresh_tokens" ADD "successor_sealed" bytea`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "refresh_tokens" DROP COLUMN "successor_sealed"`);
  }
}
