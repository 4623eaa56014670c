import type Redis from 'ioredis';

/**
 * Counts one request against its counter's hour (KEYS: the counter; ARGV: the limit and the window). Returns
 * [1, 0], or [0, seconds left] once the limit is spent.
 */
const TAKE_SLOT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if n > tonumber(ARGV[1]) then return {0, redis.call('TTL', KEYS[1])} end
return {1, 0}`;

const WINDOW_SECONDS = 3600;

/**
 * Takes one of `limit` requests an hour counted under `key` (a client address's counter), in one step, so a burst
 * of requests at once gets no more than a sequence of them would. Returns null when taken, or the seconds until the
 * hour's count ends once it is spent.
 */
export async function takeHourlySlot(redis: Redis, key: string, limit: number): Promise<number | null> {
  const [allowed, ttl] = (await redis.eval(TAKE_SLOT, 1, key, limit, WINDOW_SECONDS)) as [number, number];
  return allowed === 1 ? null : Math.max(ttl, 1);
}
