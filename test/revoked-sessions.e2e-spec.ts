import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RevokedSessions } from '@app/domain';
import { eventually } from './setup/eventually';

/** Each process's copy of the revoked sessions, on the real Redis, as two processes would use it. */
describe('RevokedSessions', () => {
  const prefix = `test-revoked:${randomUUID()}:`;
  const channel = `test-revoked-channel:${randomUUID()}`;
  const connections: Redis[] = [];
  const copies: RevokedSessions[] = [];

  const redis = () => {
    const connection = new Redis(process.env.REDIS_URL as string);
    connections.push(connection);
    return connection;
  };
  const copy = (connection = redis()) => {
    const revoked = new RevokedSessions(connection, prefix, channel, 60_000);
    copies.push(revoked);
    return revoked;
  };
  /** What SessionsService.revoke does besides the database: the key, then the message. */
  const revokeElsewhere = async (connection: Redis, sessions: RevokedSessions, id: string) => {
    await connection.set(`${prefix}${id}`, '1', 'EX', 60);
    await sessions.announce(id);
  };
  const live = async (revoked: RevokedSessions) => {
    await eventually(async () => (revoked.lookup('probe') === undefined ? undefined : true), 5000);
  };

  afterAll(async () => {
    await Promise.all(copies.map((c) => c.stop()));
    await Promise.all(connections.map((c) => c.quit()));
  });

  it('cannot answer before it has read the existing revocations, then knows them', async () => {
    const writer = redis();
    const before = randomUUID();
    await writer.set(`${prefix}${before}`, '1', 'EX', 60);
    const revoked = copy();
    expect(revoked.lookup(before)).toBeUndefined();
    await live(revoked);
    expect(revoked.lookup(before)).toBe(true);
    expect(revoked.lookup(randomUUID())).toBe(false);
  });

  it("learns another process's revocation from its message", async () => {
    const reader = copy();
    await live(reader);
    const writerConnection = redis();
    const writer = copy(writerConnection);
    const id = randomUUID();
    expect(reader.lookup(id)).toBe(false);
    await revokeElsewhere(writerConnection, writer, id);
    await eventually(async () => (reader.lookup(id) === true ? true : undefined), 5000);
    // The revoking process knows at once, before its own message can have come back to it.
    await live(writer);
    const other = randomUUID();
    const announced = writer.announce(other);
    expect(writer.lookup(other)).toBe(true);
    await announced;
  });

  it('stops answering while its subscription is down, and reads what it missed when back', async () => {
    const reader = copy();
    await live(reader);
    const admin = redis();
    const clients = await admin.client('LIST');
    const subscriberIds = String(clients)
      .split('\n')
      .filter((line) => / sub=1 /.test(line))
      .map((line) => /id=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => !!id);
    expect(subscriberIds.length).toBeGreaterThan(0);
    // Revoked while nobody listens: only the key records it.
    const missed = randomUUID();
    for (const id of subscriberIds) await admin.client('KILL', 'ID', id);
    await eventually(async () => (reader.lookup(missed) === undefined ? true : undefined), 5000);
    await admin.set(`${prefix}${missed}`, '1', 'EX', 60);
    await eventually(async () => (reader.lookup(missed) === true ? true : undefined), 10_000);
  });

  it('keeps asking Redis while it cannot read the keys, and tries again', async () => {
    const main = redis();
    await main.ping();
    main.disconnect();
    const revoked = copy(main);
    const id = randomUUID();
    expect(revoked.lookup(id)).toBeUndefined();
    // The subscription is up, but reading the keys fails while the command connection is closed.
    await new Promise((r) => setTimeout(r, 300));
    expect(revoked.lookup(id)).toBeUndefined();
    await main.connect();
    await main.set(`${prefix}${id}`, '1', 'EX', 60);
    await eventually(async () => (revoked.lookup(id) === true ? true : undefined), 5000);
  });

  it('forgets a revocation once it no longer matters', async () => {
    const revoked = new RevokedSessions(redis(), prefix, channel, 50);
    copies.push(revoked);
    await live(revoked);
    const id = randomUUID();
    revoked.remember(id);
    expect(revoked.lookup(id)).toBe(true);
    await new Promise((r) => setTimeout(r, 80));
    expect(revoked.lookup(id)).toBe(false);
  });
});
