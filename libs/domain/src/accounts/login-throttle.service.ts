import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { appKey, REDIS } from '../redis/redis.module';
import { LoginThrottledError } from './accounts.errors';
import { normalizeEmail } from './users.service';

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
 * The client as the per-address limit counts it: an IPv4 address (IPv4-mapped IPv6 included) alone, an IPv6
 * address by its /64 network, which one subscriber is given whole.
 */
export function clientNetwork(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1] as string;
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.toLowerCase().split('%')[0]!.split('::');
  const front = head ? head.split(':') : [];
  const back = tail === undefined ? [] : tail ? tail.split(':') : [];
  const zeros = new Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0');
  const groups: string[] = tail === undefined ? front : [...front, ...zeros, ...back];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

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
    // The per-address limit is wider, so one office behind a NAT is not locked out by one user. The account is
    // named as the user lookup names it (normalizeEmail): "\u3000victim@x" finds the victim's account, so it
    // must also spend the victim's attempts.
    return [
      appKey(this.config, 'login-fail', 'email', normalizeEmail(email)),
      appKey(this.config, 'login-fail', 'ip', clientNetwork(ip)),
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

  /** Forgets the account's failed logins (its password was reset): its owner may sign in with the new one at once. */
  async forgetAccount(email: string): Promise<void> {
    await this.redis.del(this.keys(email, '')[0]);
  }

  /** The password was right: the account's failures are forgotten, and the attempt is given back to the address. */
  async recordSuccess(email: string, ip: string): Promise<void> {
    await this.redis.eval(GIVE_BACK, 2, ...this.keys(email, ip));
  }
}
