import type Redis from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { appKey } from '../redis/redis.module';

/** A worker counts as alive while its last beat is younger than three heartbeat intervals. */
const aliveWindowMs = (config: AppConfig) => config.WORKER_HEARTBEAT_SECONDS * 3000;

const key = (config: AppConfig) => appKey(config, 'worker-heartbeats');

/** Records that a worker is alive now; old entries are pruned so the set stays small. */
export async function recordWorkerHeartbeat(
  redis: Redis,
  config: AppConfig,
  workerId: string,
): Promise<void> {
  const now = Date.now();
  await redis
    .multi()
    .zadd(key(config), now, workerId)
    .zremrangebyscore(key(config), 0, now - aliveWindowMs(config) * 10)
    .exec();
}

export async function removeWorkerHeartbeat(
  redis: Redis,
  config: AppConfig,
  workerId: string,
): Promise<void> {
  await redis.zrem(key(config), workerId);
}

/** Workers that beat recently, with the time of their last beat. */
export async function aliveWorkers(
  redis: Redis,
  config: AppConfig,
): Promise<{ id: string; lastSeen: string }[]> {
  const flat = await redis.zrangebyscore(
    key(config),
    Date.now() - aliveWindowMs(config),
    '+inf',
    'WITHSCORES',
  );
  const workers: { id: string; lastSeen: string }[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    workers.push({ id: flat[i] as string, lastSeen: new Date(Number(flat[i + 1])).toISOString() });
  }
  return workers;
}
