import type Redis from 'ioredis';

/**
 * This process's copy of the revoked sessions, so checking an access token needs no Redis round trip.
 *
 * Every revocation is a Redis key (kept until the session's access tokens have expired) and a message on a
 * channel. The copy subscribes first and then reads the keys, so a revocation is either among the keys read or
 * arrives as a message afterwards. Until that read has finished, and whenever the subscription's connection is
 * down, the copy says it cannot answer and the caller asks Redis itself. Another process learns of a
 * revocation when its message arrives, within a round trip of the revoking request.
 */
export class RevokedSessions {
  private subscriber: Redis | null = null;
  private live = false;
  private generation = 0;
  private readonly until = new Map<string, number>();

  /**
   * @param redis the shared command connection (keys are read through it)
   * @param keyPrefix the keys' common prefix, followed by the session id
   * @param channel where revocations are announced
   * @param ttlMs how long a revocation matters: the access tokens' lifetime and a margin
   */
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly channel: string,
    private readonly ttlMs: number,
  ) {}

  /** true or false when the copy is in step with Redis; undefined when the caller must ask Redis. */
  lookup(sessionId: string): boolean | undefined {
    if (!this.subscriber) this.start();
    if (!this.live) return undefined;
    const until = this.until.get(sessionId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.until.delete(sessionId);
    return false;
  }

  /** Records a revocation made by this process (it is also announced to the others). */
  remember(sessionId: string): void {
    const now = Date.now();
    if (this.until.size > 0 && this.until.size % 1024 === 0) {
      for (const [id, until] of this.until) if (until <= now) this.until.delete(id);
    }
    this.until.set(sessionId, now + this.ttlMs);
  }

  async announce(sessionId: string): Promise<void> {
    this.remember(sessionId);
    await this.redis.publish(this.channel, sessionId);
  }

  async stop(): Promise<void> {
    const subscriber = this.subscriber;
    this.live = false;
    this.generation++;
    if (!subscriber) return;
    await subscriber.quit().catch(() => subscriber.disconnect());
  }

  private start(): void {
    const subscriber = this.redis.duplicate({ maxRetriesPerRequest: null });
    this.subscriber = subscriber;
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, sessionId: string) => {
      if (channel === this.channel) this.remember(sessionId);
    });
    const down = () => {
      this.live = false;
      this.generation++;
    };
    subscriber.on('close', down);
    subscriber.on('reconnecting', down);
    subscriber.on('ready', () => void this.catchUp(subscriber));
  }

  /** Subscribes (again), then reads every revocation key; live only if nothing broke in between. */
  private async catchUp(subscriber: Redis): Promise<void> {
    const generation = ++this.generation;
    try {
      await subscriber.subscribe(this.channel);
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.keyPrefix}*`, 'COUNT', 1000);
        for (const key of keys) this.remember(key.slice(this.keyPrefix.length));
        cursor = next;
      } while (cursor !== '0');
      if (generation === this.generation && this.subscriber === subscriber) this.live = true;
    } catch {
      // Not live: tokens are checked against Redis meanwhile. Try again unless the connection went down
      // (its next 'ready' starts over).
      if (generation === this.generation && this.subscriber === subscriber) {
        setTimeout(() => {
          if (generation === this.generation && this.subscriber === subscriber) void this.catchUp(subscriber);
        }, 1000).unref();
      }
    }
  }
}
