import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { appKey, REDIS } from '../redis/redis.module';
import { PasswordResetThrottledError } from './accounts.errors';
import { takeHourlySlot } from './hourly-address-limit';
import { clientNetwork } from './login-throttle.service';

/**
 * Uses of a password reset token per client address (an IPv6 client by its /64) and hour. The route is public and
 * each attempt costs a lookup (and, with a live token, an argon2 hash); a user needs one attempt, so every attempt
 * is counted, failed or not, before its token is looked at.
 */
@Injectable()
export class PasswordResetThrottleService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async take(ip: string): Promise<void> {
    const retryAfterSeconds = await takeHourlySlot(
      this.redis,
      appKey(this.config, 'password-resets', clientNetwork(ip)),
      this.config.PASSWORD_RESETS_PER_HOUR,
    );
    if (retryAfterSeconds !== null) {
      throw new PasswordResetThrottledError(
        'Too many password reset attempts from this address; try again later',
        {
          retryAfterSeconds,
        },
      );
    }
  }
}
