import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryRunner } from 'typeorm';
import { canonicalJson } from '../procurement/rules/commitment';
import { LogKeyMismatchError } from './log-key-check';
import { LogKeyService } from './log-key.service';
import { LogService } from './log.service';
import { storeFullPages } from './log-pages';
import { CompactRange, leafHash, PerfectNode } from './merkle';
import { signTreeHead } from './tree-head';

/** Only one sequencer appends at a time: the holder of this session advisory lock. */
export const SEQUENCER_LOCK_KEY = 72_410_010;
const BATCH = 5000;
/**
 * While nothing new arrives, the head of the current size is signed again with a fresh timestamp this often, so
 * the latest head shows the log is live (the brief: a signed tree head at least every second). The sequencer
 * ticks every SEQUENCER_INTERVAL_MS (at most 200 ms), so a head is never more than about a second old.
 */
export const HEAD_REFRESH_MS = 800;

/** The newest head, unless the stored one is of a larger size or later (a head never goes back). */
const FRESH_HEAD_UPSERT = `INSERT INTO log_fresh_head (singleton, tree_size, root_hash, timestamp, signature)
  VALUES (true, $1, decode($2, 'hex'), $3, $4)
  ON CONFLICT (singleton) DO UPDATE SET tree_size = EXCLUDED.tree_size, root_hash = EXCLUDED.root_hash,
    timestamp = EXCLUDED.timestamp, signature = EXCLUDED.signature
  WHERE (log_fresh_head.tree_size, log_fresh_head.timestamp) < (EXCLUDED.tree_size, EXCLUDED.timestamp)`;

interface EventRow {
  id: string;
  txid: string;
  type: string;
  tender_id: string | null;
  actor_id: string | null;
  occurred_at: string;
  payload: Record<string, unknown>;
}

/** The public object of a log entry; its RFC 8785 canonical JSON is the leaf. */
export function logEntryOf(event: EventRow): Record<string, unknown> {
  return {
    eventId: event.id,
    type: event.type,
    tenderId: event.tender_id,
    actorId: event.actor_id,
    occurredAt: event.occurred_at,
    payload: event.payload,
  };
}

/**
 * Appends committed deal events to the Merkle log in commit order and signs tree heads.
 * Invariants: indexes are contiguous from 0; an event is sequenced only once every transaction that could
 * still commit an earlier (txid, id) has finished (the snapshot's xmin), so no event is ever skipped; entries,
 * nodes and the tree head of a batch commit together.
 */
@Injectable()
export class LogSequencerService {
  private readonly logger = new Logger(LogSequencerService.name);
  private lockRunner?: QueryRunner;
  private range?: CompactRange;
  private cursor: [string, string] = ['0', '0'];
  private signedSize = -1;
  /** The latest head's timestamp, in milliseconds since the epoch. */
  private signedAt = 0;
  /** Whether the last attempt to lead found that this worker's key does not verify the latest signed head. */
  keyRefused = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: LogKeyService,
    private readonly log: LogService,
  ) {}

  get isLeader(): boolean {
    return this.lockRunner !== undefined;
  }

  /**
   * Tries to become the one sequencer; a second worker waits (returns false) until the leader goes. Throws
   * LogKeyMismatchError, holding nothing, when this worker's key does not verify the latest signed head: a worker
   * with the right key may then lead.
   */
  async tryLead(): Promise<boolean> {
    if (this.lockRunner) return true;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const [row] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [SEQUENCER_LOCK_KEY])) as {
      locked: boolean;
    }[];
    if (!row?.locked) {
      await runner.release();
      return false;
    }
    // Checked under the lock: no other sequencer can sign a head meanwhile. Given up on any failure, so that the
    // lock never goes back to the pool with its connection (it would bar every other worker from leading).
    const key = await this.log.checkKey().catch(async (error: unknown) => {
      await unlockAndRelease(runner);
      throw error;
    });
    this.keyRefused = key.status === 'mismatch';
    if (key.status === 'mismatch') {
      await unlockAndRelease(runner);
      throw new LogKeyMismatchError(key.treeSize, this.keys.publicKey);
    }
    this.lockRunner = runner;
    await this.load();
    this.logger.log(`leading the log sequencer at tree size ${this.range?.size ?? 0}`);
    return true;
  }

  async resign(): Promise<void> {
    const runner = this.lockRunner;
    this.lockRunner = undefined;
    this.range = undefined;
    if (!runner) return;
    await unlockAndRelease(runner);
  }

  /**
   * Sequences what has committed since the last call and signs a head if the tree grew, or signs the same head
   * again when the latest is HEAD_REFRESH_MS old; returns entries added.
   */
  async tick(): Promise<number> {
    if (!this.lockRunner || !this.range) return 0;
    try {
      let added = 0;
      for (;;) {
        const n = await this.appendBatch();
        added += n;
        if (n < BATCH) break;
      }
      return added;
    } catch (error) {
      // Memory may be ahead of the database after a failed commit: reload from what is stored.
      this.logger.error({ err: error }, 'sequencing failed; reloading the tree from the database');
      await this.load();
      throw error;
    }
  }

  private async appendBatch(): Promise<number> {
    const range = this.range!;
    // ORDER BY names the table's columns: the bare names would be the text output columns, and "10" < "8".
    const events = await this.dataSource.query<EventRow[]>(
      `SELECT id::text, txid::text, type, tender_id, actor_id, payload,
              to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at
         FROM deal_events
        WHERE txid < (SELECT deal_log_watermark())
          AND (txid, id) > ($1::bigint, $2::bigint)
        ORDER BY deal_events.txid, deal_events.id LIMIT $3`,
      [this.cursor[0], this.cursor[1], BATCH],
    );
    const startSize = range.size;
    if (events.length === 0) {
      if (this.signedSize !== startSize) await this.signHead();
      else if (Date.now() - this.signedAt >= HEAD_REFRESH_MS) await this.refreshHead();
      return 0;
    }
    const entries: {
      idx: number;
      event_id: string;
      tender_id: string | null;
      entry: string;
      leaf_hash: string;
    }[] = [];
    const nodes: PerfectNode[] = [];
    for (const event of events) {
      const entry = canonicalJson(logEntryOf(event));
      const hash = leafHash(Buffer.from(entry, 'utf8'));
      entries.push({
        idx: range.size,
        event_id: event.id,
        tender_id: event.tender_id,
        entry,
        leaf_hash: hash.toString('hex'),
      });
      nodes.push(...range.append(hash));
    }
    const last = events[events.length - 1]!;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO log_entries (idx, event_id, tender_id, entry, leaf_hash)
         SELECT e.idx, e.event_id, e.tender_id, e.entry, decode(e.leaf_hash, 'hex')
           FROM jsonb_to_recordset($1::jsonb) AS e(idx bigint, event_id bigint, tender_id uuid, entry text, leaf_hash text)`,
        [JSON.stringify(entries)],
      );
      await manager.query(
        `INSERT INTO log_nodes (level, idx, hash)
         SELECT n.level, n.idx, decode(n.hash, 'hex')
           FROM jsonb_to_recordset($1::jsonb) AS n(level smallint, idx bigint, hash text)`,
        [JSON.stringify(nodes.map((n) => ({ level: n.level, idx: n.index, hash: n.hash.toString('hex') })))],
      );
      await storeFullPages(manager.query.bind(manager), startSize, range.size);
      await this.insertHead(manager.query.bind(manager));
    });
    this.cursor = [last.txid, last.id];
    return events.length;
  }

  private async signHead(): Promise<void> {
    await this.insertHead(this.dataSource.query.bind(this.dataSource));
  }

  private async insertHead(query: (sql: string, params: unknown[]) => Promise<unknown>): Promise<void> {
    const { head, signature } = this.freshHead();
    const values = [head.treeSize, head.rootHash, head.timestamp, signature];
    await query(
      `INSERT INTO log_tree_heads (tree_size, root_hash, timestamp, signature) VALUES ($1, decode($2, 'hex'), $3, $4)
       ON CONFLICT (tree_size) DO NOTHING`,
      values,
    );
    await query(FRESH_HEAD_UPSERT, values);
    this.signedSize = head.treeSize;
    this.signedAt = Date.parse(head.timestamp);
  }

  /**
   * The log has not grown: its head is signed again with the current time, as the fresh head of the same size
   * (log_tree_heads keeps the first one). With the clock behind the latest head, nothing is re-signed.
   */
  private async refreshHead(): Promise<void> {
    if (Date.now() <= this.signedAt) return;
    const { head, signature } = this.freshHead();
    await this.dataSource.query(FRESH_HEAD_UPSERT, [head.treeSize, head.rootHash, head.timestamp, signature]);
    this.signedAt = Date.parse(head.timestamp);
  }

  private freshHead() {
    const range = this.range!;
    const head = {
      rootHash: range.root().toString('hex'),
      // Never before the latest head's, even with the clock stepped back.
      timestamp: new Date(Math.max(Date.now(), this.signedAt + 1)).toISOString(),
      treeSize: range.size,
    };
    return { head, signature: signTreeHead(head, this.keys.privateKey) };
  }

  private async load(): Promise<void> {
    const [last] = await this.dataSource.query<{ idx: string; txid: string; id: string }[]>(
      `SELECT l.idx::text, e.txid::text, e.id::text FROM log_entries l JOIN deal_events e ON e.id = l.event_id
        ORDER BY l.idx DESC LIMIT 1`,
    );
    const size = last ? Number(last.idx) + 1 : 0;
    this.cursor = last ? [last.txid, last.id] : ['0', '0'];
    this.range = await CompactRange.load(size, async (level, index) => {
      const [row] = await this.dataSource.query<{ hash: Buffer }[]>(
        'SELECT hash FROM log_nodes WHERE level = $1 AND idx = $2',
        [level, index],
      );
      if (!row) throw new Error(`log node ${level}/${index} is missing`);
      return row.hash;
    });
    const [head] = await this.dataSource.query<{ size: string; timestamp: string }[]>(
      `SELECT tree_size::text AS size, timestamp FROM (
         (SELECT tree_size, timestamp FROM log_tree_heads ORDER BY tree_size DESC LIMIT 1)
         UNION ALL SELECT tree_size, timestamp FROM log_fresh_head) h
        ORDER BY h.tree_size DESC, h.timestamp DESC LIMIT 1`,
    );
    this.signedSize = head ? Number(head.size) : -1;
    this.signedAt = head ? Date.parse(head.timestamp) : 0;
  }
}

/** Gives the sequencer's lock back and its connection to the pool (a broken connection is discarded by pg). */
async function unlockAndRelease(runner: QueryRunner): Promise<void> {
  await runner.query('SELECT pg_advisory_unlock($1)', [SEQUENCER_LOCK_KEY]).catch(() => undefined);
  await runner.release();
}
