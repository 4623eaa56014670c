import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { appKey, REDIS } from '../redis/redis.module';
import { RegistrationThrottledError } from './accounts.errors';
import { takeHourlySlot } from './hourly-address-limit';
import { clientNetwork } from './login-throttle.service';

/**
 * Self-registrations per client address (an IPv6 client by its /64) and hour. Registration is open to anyone and
 * costs an argon2 hash and a pending organisation for operators to review; without a limit one client could
 * flood both, and probe which emails are registered as fast as it likes.
 */
@Injectable()
export class RegistrationThrottleService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async take(ip: string): Promise<void> {
    const retryAfterSeconds = await takeHourlySlot(
      this.redis,
      appKey(this.config, 'registrations', clientNetwork(ip)),
      this.config.REGISTRATIONS_PER_HOUR,
    );
    if (retryAfterSeconds !== null) {
      throw new RegistrationThrottledError('Too many registrations from this address; try again later', {
        retryAfterSeconds,
      });
    }
  }
}
