import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One leaf of the transparency log: a deal event in its public form, at a fixed index.
 * Invariant: append-only (the database refuses UPDATE, DELETE and TRUNCATE); `entry` holds the exact
 * canonical JSON whose leaf hash is stored, so what is served is what was hashed.
 */
@Entity({ name: 'log_entries' })
@Index('uq_log_entries_event', ['eventId'], { unique: true })
@Index('ix_log_entries_tender', ['tenderId', 'index'])
export class LogEntry {
  @PrimaryColumn({ name: 'idx', type: 'bigint', primaryKeyConstraintName: 'PK_log_entries' })
  index: string;

  @Column({ name: 'event_id', type: 'bigint' })
  eventId: string;

  @Column({ name: 'tender_id', type: 'uuid', nullable: true })
  tenderId: string | null;

  /** RFC 8785 canonical JSON of the public entry: the leaf bytes (UTF-8). */
  @Column({ type: 'text' })
  entry: string;

  @Column({ name: 'leaf_hash', type: 'bytea' })
  leafHash: Buffer;

  @Column({ name: 'sequenced_at', type: 'timestamptz', default: () => 'now()' })
  sequencedAt: Date;
}

/** The hash of a perfect subtree: level L, index i covers leaves [i·2^L, (i+1)·2^L). */
@Entity({ name: 'log_nodes' })
export class LogNode {
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'PK_log_nodes' })
  level: number;

  @PrimaryColumn({ name: 'idx', type: 'bigint', primaryKeyConstraintName: 'PK_log_nodes' })
  index: string;

  @Column({ type: 'bytea' })
  hash: Buffer;
}

/** What a tree head's signature covers besides its size, and the signature. */
abstract class SignedHeadColumns {
  @Column({ name: 'root_hash', type: 'bytea' })
  rootHash: Buffer;

  /** ISO 8601 text exactly as signed. */
  @Column({ type: 'text' })
  timestamp: string;

  /** Ed25519 signature, base64. */
  @Column({ type: 'text' })
  signature: string;
}

/** A signed tree head, the first of its size; every one is kept so any earlier head can be produced again. */
@Entity({ name: 'log_tree_heads' })
export class LogTreeHead extends SignedHeadColumns {
  @PrimaryColumn({ name: 'tree_size', type: 'bigint', primaryKeyConstraintName: 'PK_log_tree_heads' })
  treeSize: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

/** The newest signature of the current tree size (one row): the head is signed again while the log is idle. */
@Entity({ name: 'log_fresh_head' })
@Check('ck_log_fresh_head_singleton', '"singleton"')
export class LogFreshHead extends SignedHeadColumns {
  @PrimaryColumn({ type: 'boolean', default: true, primaryKeyConstraintName: 'PK_log_fresh_head' })
  singleton: boolean;

  @Column({ name: 'tree_size', type: 'bigint' })
  treeSize: string;
}

/**
 * A full, aligned page of LOG_PAGE_SIZE entries as GET /log/entries serves it: the items' text, comma-separated
 * (deal-log/log-pages.ts). Append-only, as the entries it is made of.
 */
@Entity({ name: 'log_pages' })
export class LogPage {
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_log_pages' })
  start: string;

  @Column({ type: 'text' })
  items: string;
}
