import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { appKey, REDIS } from '../redis/redis.module';
import { LoginThrottledError } from './accounts.errors';

/**
 * Counts failed logins per account and per client address in Redis with a sliding expiry.
 * Past the limit every attempt is refused, right or wrong, until the window passes.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  private keys(email: string, ip: string): string[] {
    // The per-address limit is wider, so one office behind a NAT is not locked out by one user.
    return [
      appKey(this.config, 'login-fail', 'email', email.toLowerCase()),
      appKey(this.config, 'login-fail', 'ip', ip),
    ];
  }

  async assertAllowed(email: string, ip: string): Promise<void> {
    const [emailKey, ipKey] = this.keys(email, ip) as [string, string];
    const [emailCount, ipCount] = await this.redis.mget(emailKey, ipKey);
    const max = this.config.LOGIN_MAX_FAILURES;
    if (Number(emailCount ?? 0) >= max || Number(ipCount ?? 0) >= max * 10) {
      const ttl = Math.max(await this.redis.ttl(Number(emailCount ?? 0) >= max ? emailKey : ipKey), 1);
      throw new LoginThrottledError('Too many failed logins; try again later', { retryAfterSeconds: ttl });
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const window = this.config.LOGIN_THROTTLE_WINDOW_SECONDS;
    const multi = this.redis.multi();
    for (const key of this.keys(email, ip)) multi.incr(key).expire(key, window);
    await multi.exec();
  }

  async recordSuccess(email: string): Promise<void> {
    await this.redis.del(this.keys(email, '-')[0] as string);
  }
}
