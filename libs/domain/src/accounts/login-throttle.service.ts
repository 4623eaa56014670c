import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { appKey, REDIS } from '../redis/redis.module';
import { LoginThrottledError } from './accounts.errors';

/**
 * Takes one attempt from both counters unless either is spent, in one step (KEYS: the account's and the
 * address's counter; ARGV: their limits and the window). Returns [1, 0], or [0, seconds left] when refused.
 */
const TAKE_ATTEMPT = `
local counts = redis.call('MGET', KEYS[1], KEYS[2])
for k = 1, 2 do
  if tonumber(counts[k] or '0') >= tonumber(ARGV[k]) then return {0, redis.call('TTL', KEYS[k])} end
end
for k = 1, 2 do
  redis.call('INCR', KEYS[k])
  redis.call('EXPIRE', KEYS[k], ARGV[3])
end
return {1, 0}`;

/** Forgets the account's failures and gives the attempt back to the address (KEYS as above), never below 0. */
const GIVE_BACK = `
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 1`;

/**
 * Counts failed logins per account and per client address in Redis with a sliding expiry.
 * Past the limit every attempt is refused, right or wrong, until the window passes. An attempt is counted before
 * its password is checked (and given back if it was right), so a burst of concurrent guesses gets no more
 * checks than a sequence of them would.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  private keys(email: string, ip: string): [string, string] {
    // The per-address limit is wider, so one office behind a NAT is not locked out by one user.
    return [
      appKey(this.config, 'login-fail', 'email', email.toLowerCase()),
      appKey(this.config, 'login-fail', 'ip', ip),
    ];
  }

  /** Counts the attempt as failed until recordSuccess says otherwise, or refuses it when the limit is spent. */
  async takeAttempt(email: string, ip: string): Promise<void> {
    const max = this.config.LOGIN_MAX_FAILURES;
    const [allowed, ttl] = (await this.redis.eval(
      TAKE_ATTEMPT,
      2,
      ...this.keys(email, ip),
      max,
      max * 10,
      this.config.LOGIN_THROTTLE_WINDOW_SECONDS,
    )) as [number, number];
    if (allowed !== 1) {
      throw new LoginThrottledError('Too many failed logins; try again later', {
        retryAfterSeconds: Math.max(ttl, 1),
      });
    }
  }

  /** The password was right: the account's failures are forgotten, and the attempt is given back to the address. */
  async recordSuccess(email: string, ip: string): Promise<void> {
    await this.redis.eval(GIVE_BACK, 2, ...this.keys(email, ip));
  }
}
