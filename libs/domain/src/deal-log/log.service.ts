import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../pagination/cursor';
import { TenderNotFoundError } from '../tender/tender.errors';
import { LogEmptyError, LogRangeError } from './log.errors';
import { AppConfig } from '../config/app-config';
import type { LogKeyCheck } from './log-key-check';
import { LogKeyService } from './log-key.service';
import { LOG_ITEM_SQL, LOG_PAGE_SIZE } from './log-pages';
import { LogTreeCache } from './log-tree-cache';
import { FullPageCache, storedPageBody } from './stored-page';
import {
  consistencyProofFromNodes,
  consistencyProofNodes,
  distinctNodes,
  GetNode,
  inclusionProofFromNodes,
  inclusionProofNodes,
  NodeRef,
  proofFromNodesAtHand,
} from './merkle';
import { verifyTreeHead } from './tree-head';

export interface SignedTreeHeadView {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  signature: string;
}

/** Folded proof elements kept (a few for each tree size asked about). */
const MAX_FOLDS = 4096;

/** The fresh head (see LogSequencerService.refreshHead), or the newest stored head when that is larger. */
const LATEST_HEAD_SQL = `SELECT tree_size, root_hash, timestamp, signature FROM (
    (SELECT tree_size, root_hash, timestamp, signature FROM log_tree_heads ORDER BY tree_size DESC LIMIT 1)
    UNION ALL SELECT tree_size, root_hash, timestamp, signature FROM log_fresh_head) h
  ORDER BY h.tree_size DESC, h.timestamp DESC LIMIT 1`;

export interface InclusionProofView {
  index: number;
  treeSize: number;
  auditPath: string[];
}

export interface LogEntryView {
  index: number;
  entry: Record<string, unknown>;
  leafHash: string;
}

/** Read side of the transparency log: heads, entries and proofs, all from stored perfect nodes. */
@Injectable()
export class LogService {
  /** The largest tree size this process has seen signed. */
  private latestSigned = 0;
  /** The tree's perfect nodes in memory, up to a signed size (see LogTreeCache). */
  private readonly tree: LogTreeCache;
  /** Folded groups of a proof (hex), by the nodes they fold. */
  private readonly folds = new Map<string, string>();
  /** Full pages as sent, by start (see FullPageCache). */
  private readonly pages: FullPageCache;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: LogKeyService,
    config: AppConfig,
  ) {
    this.tree = new LogTreeCache(config.LOG_TREE_CACHE_MB * 2 ** 20);
    this.pages = new FullPageCache(config.LOG_PAGE_CACHE_MB * 2 ** 20);
  }

  /**
   * Loads the tree of the latest signed head into memory (in the background: proofs meanwhile come from the
   * database). The API calls it at start.
   */
  async warmTree(): Promise<void> {
    const head = await this.treeHead().catch(() => undefined);
    if (head) await this.extendTree(head.treeSize);
  }

  /** Bytes of full pages this process holds in memory (see FullPageCache). */
  pagesInMemory(): number {
    return this.pages.bytes;
  }

  /** The signed tree size whose nodes are in memory (0 while none are). */
  treeInMemory(): number {
    return this.tree.size;
  }

  /**
   * The inclusion proof of `index` in the signed tree of `treeSize` when every node it needs is in memory;
   * undefined otherwise (the caller then asks inclusionProof, which also explains a bad request).
   */
  inclusionProofAtHand(index: number, treeSize: number): InclusionProofView | undefined {
    if (!(treeSize >= 1 && treeSize <= this.tree.size && index >= 0 && index < treeSize)) return undefined;
    const groups = inclusionProofNodes(index, treeSize);
    for (const group of groups)
      for (const ref of group) if (!this.tree.node(ref.level, ref.index)) return undefined;
    const auditPath = groups.map((group) => {
      if (group.length === 1) return this.tree.node(group[0]!.level, group[0]!.index)!.toString('hex');
      // Several perfect subtrees folded into one element: the same few, along the tree's right edge, for most
      // proofs of a size, and as fixed as the nodes, so each is hashed once.
      const key = group.map((ref) => `${ref.level}.${ref.index}`).join(',');
      let folded = this.folds.get(key);
      if (folded === undefined) {
        folded = proofFromNodesAtHand([group], (level, at) => this.tree.node(level, at)!)[0]!.toString('hex');
        if (this.folds.size >= MAX_FOLDS) this.folds.clear();
        this.folds.set(key, folded);
      }
      return folded;
    });
    return { index, treeSize, auditPath };
  }

  publicKey() {
    return {
      algorithm: 'Ed25519' as const,
      publicKey: this.keys.publicKeyRaw.toString('base64'),
      pem: this.keys.publicKeyPem,
    };
  }

  /**
   * Whether this process's key verifies the latest signed head. A log's key is its identity: every head is
   * checked against the one published key, so a head signed with another key (a key file lost and made anew, or
   * another deployment's key) would make the history look forged to every verifier.
   */
  async checkKey(): Promise<LogKeyCheck> {
    const head = await this.treeHead().catch((error: unknown) => {
      if (error instanceof LogEmptyError) return undefined;
      throw error;
    });
    if (!head) return { status: 'no-heads' };
    const { signature, ...signed } = head;
    return verifyTreeHead(signed, signature, this.keys.publicKey)
      ? { status: 'ok', treeSize: head.treeSize }
      : { status: 'mismatch', treeSize: head.treeSize };
  }

  /**
   * The latest signed tree head (the fresh head, re-signed while the log is idle, or the newest stored one if
   * that is larger), or the first head signed at a given size.
   */
  async treeHead(treeSize?: number): Promise<SignedTreeHeadView> {
    const [row] = await this.dataSource.query<
      { tree_size: string; root_hash: Buffer; timestamp: string; signature: string }[]
    >(
      treeSize === undefined
        ? LATEST_HEAD_SQL
        : 'SELECT tree_size, root_hash, timestamp, signature FROM log_tree_heads WHERE tree_size = $1',
      treeSize === undefined ? [] : [treeSize],
    );
    if (!row) {
      if (treeSize === undefined) throw new LogEmptyError('No tree head has been signed yet');
      throw new LogRangeError(`No tree head was signed at size ${treeSize}`, { field: 'treeSize' });
    }
    return {
      treeSize: Number(row.tree_size),
      rootHash: row.root_hash.toString('hex'),
      timestamp: row.timestamp,
      signature: row.signature,
    };
  }

  /**
   * The JSON text of `{ entries: [{ index, entry, leafHash }] }`, each `entry` the stored canonical JSON written
   * as is (so the page carries the exact leaf bytes), and how many entries it holds. Parsing every entry only for
   * the response to serialise it again was most of the server's work when a verifier downloads the whole log.
   * A full, aligned page is stored whole (log_pages) and comes as the stored UTF-8 bytes (storedPageBody); any
   * other range is written by the database from its rows, one text column a row (cheaper, for the database and the
   * API together, than aggregating it on each request).
   */
  async entriesJson(start: number, end: number): Promise<{ body: string | Buffer; count: number }> {
    if (end <= start) throw new LogRangeError('end must be greater than start', { field: 'end' });
    if (end - start > LOG_PAGE_SIZE) {
      throw new LogRangeError(`At most ${LOG_PAGE_SIZE} entries per request`, { field: 'end' });
    }
    if (start % LOG_PAGE_SIZE === 0 && end - start === LOG_PAGE_SIZE) {
      const kept = this.pages.get(start);
      if (kept) return { body: kept, count: LOG_PAGE_SIZE };
      const body = await storedPageBody((this.dataSource.driver as PostgresDriver).master as Pool, start);
      if (body) {
        this.pages.keep(start, body);
        return { body, count: LOG_PAGE_SIZE };
      }
    }
    const rows = await this.dataSource.query<{ item: string }[]>(
      `SELECT ${LOG_ITEM_SQL} AS item FROM log_entries l WHERE l.idx >= $1 AND l.idx < $2 ORDER BY l.idx`,
      [start, end],
    );
    return { body: `{"entries":[${rows.map((r) => r.item).join(',')}]}`, count: rows.length };
  }

  async inclusionProof(index: number, treeSize: number): Promise<InclusionProofView> {
    const atHand = this.inclusionProofAtHand(index, treeSize);
    if (atHand) return atHand;
    await this.assertSigned(treeSize);
    if (index >= treeSize) throw new LogRangeError('index must be below treeSize', { field: 'index' });
    const getNode = await this.nodes(inclusionProofNodes(index, treeSize));
    const path = await inclusionProofFromNodes(index, treeSize, getNode);
    return { index, treeSize, auditPath: path.map((h) => h.toString('hex')) };
  }

  async consistencyProof(first: number, second: number) {
    await this.assertSigned(second);
    if (first > second) throw new LogRangeError('first must not be above second', { field: 'first' });
    const getNode = await this.nodes(consistencyProofNodes(first, second));
    const path = await consistencyProofFromNodes(first, second, getNode);
    return { first, second, consistencyPath: path.map((h) => h.toString('hex')) };
  }

  /** One deal's entries with their log indexes. */
  async tenderLog(tenderId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<Page<LogEntryView>> {
    const [tender] = await this.dataSource.query<{ status: string }[]>(
      'SELECT status FROM tenders WHERE id = $1',
      [tenderId],
    );
    if (!tender || tender.status === 'draft')
      throw new TenderNotFoundError('No tender with this id', { id: tenderId });
    const after = cursor ? Number(decodeCursor(cursor, ['index'])[0]) : -1;
    const rows = await this.dataSource.query<{ idx: string; entry: string; leaf_hash: Buffer }[]>(
      'SELECT idx::text, entry, leaf_hash FROM log_entries WHERE tender_id = $1 AND idx > $2 ORDER BY log_entries.idx LIMIT $3',
      [tenderId, after, limit + 1],
    );
    const page = toPage(rows, limit, (r) => [Number(r.idx)]);
    return {
      items: page.items.map((r) => ({
        index: Number(r.idx),
        entry: JSON.parse(r.entry) as Record<string, unknown>,
        leafHash: r.leaf_hash.toString('hex'),
      })),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Proofs are only given for tree sizes the log has signed (and so committed to). Signed sizes only grow (the
   * tree heads table refuses updates and deletes), so a size at or below one seen signed needs no query.
   */
  private async assertSigned(treeSize: number): Promise<void> {
    if (treeSize >= 1 && treeSize <= this.latestSigned) return;
    const head = await this.treeHead();
    if (head.treeSize > this.latestSigned) {
      this.latestSigned = head.treeSize;
      // A newer head: its nodes join the tree in memory, while this and later proofs go on as they are.
      void this.extendTree(head.treeSize).catch(() => undefined);
    }
    if (treeSize < 1 || treeSize > head.treeSize) {
      throw new LogRangeError(`treeSize must be between 1 and the latest signed size ${head.treeSize}`, {
        field: 'treeSize',
        latest: head.treeSize,
      });
    }
  }

  private extendTree(size: number): Promise<void> {
    return this.tree.extend(size, async (level, from, to) => {
      const [row] = await this.dataSource.query<{ hashes: Buffer | null }[]>(
        `SELECT string_agg(hash, ''::bytea ORDER BY idx) AS hashes FROM log_nodes
          WHERE level = $1 AND idx >= $2 AND idx < $3`,
        [level, from, to],
      );
      return row?.hashes ?? Buffer.alloc(0);
    });
  }

  /** Every node a proof needs: from memory where held, the others in one query. */
  private async nodes(groups: NodeRef[][]): Promise<GetNode> {
    const atHand = new Map<string, Buffer>();
    const refs = distinctNodes(groups).filter((ref) => {
      const hash = this.tree.node(ref.level, ref.index);
      if (hash) atHand.set(`${ref.level}:${ref.index}`, hash);
      return !hash;
    });
    const rows = refs.length
      ? await this.dataSource.query<{ level: number; idx: string; hash: Buffer }[]>(
          `SELECT n.level, n.idx::text, n.hash FROM log_nodes n
             JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, idx) ON n.level = w.level AND n.idx = w.idx`,
          [refs.map((r) => r.level), refs.map((r) => r.index)],
        )
      : [];
    const byKey = new Map([...atHand, ...rows.map((r) => [`${r.level}:${r.idx}`, r.hash] as const)]);
    return (level, index) => {
      const hash = byKey.get(`${level}:${index}`);
      if (!hash) throw new Error(`log node ${level}/${index} is missing`);
      return hash;
    };
  }
}
