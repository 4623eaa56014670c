import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { appKey, REDIS } from '../redis/redis.module';
import { RegistrationThrottledError } from './accounts.errors';
import { clientNetwork } from './login-throttle.service';

/**
 * Counts one registration against the client's hour (KEYS: its counter; ARGV: the limit and the window). Returns
 * [1, 0], or [0, seconds left] once the limit is spent.
 */
const TAKE_REGISTRATION = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if n > tonumber(ARGV[1]) then return {0, redis.call('TTL', KEYS[1])} end
return {1, 0}`;

const WINDOW_SECONDS = 3600;

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
    const [allowed, ttl] = (await this.redis.eval(
      TAKE_REGISTRATION,
      1,
      appKey(this.config, 'registrations', clientNetwork(ip)),
      this.config.REGISTRATIONS_PER_HOUR,
      WINDOW_SECONDS,
    )) as [number, number];
    if (allowed !== 1) {
      throw new RegistrationThrottledError('Too many registrations from this address; try again later', {
        retryAfterSeconds: Math.max(ttl, 1),
      });
    }
  }
}
