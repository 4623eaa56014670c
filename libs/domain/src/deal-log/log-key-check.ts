import type { KeyObject } from 'node:crypto';
import { rawPublicKey, verifyTreeHead } from './tree-head';

/** What the latest stored tree head says of a signing key. */
export type LogKeyCheck =
  { status: 'ok'; treeSize: number } | { status: 'no-heads' } | { status: 'mismatch'; treeSize: number };

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

/**
 * Whether `publicKey` verifies the latest stored tree head. A log's key is its identity: every head is checked
 * against the one published key, so a head signed with another key (a key file lost and regenerated, or another
 * deployment's key) would make the history look forged to every verifier.
 */
export async function checkLogKey(query: Query, publicKey: KeyObject): Promise<LogKeyCheck> {
  const rows = (await query(
    'SELECT tree_size, root_hash, timestamp, signature FROM log_tree_heads ORDER BY tree_size DESC LIMIT 1',
  )) as { tree_size: string; root_hash: Buffer; timestamp: string; signature: string }[];
  const row = rows[0];
  if (!row) return { status: 'no-heads' };
  const treeSize = Number(row.tree_size);
  const head = { treeSize, rootHash: row.root_hash.toString('hex'), timestamp: row.timestamp };
  return verifyTreeHead(head, row.signature, publicKey)
    ? { status: 'ok', treeSize }
    : { status: 'mismatch', treeSize };
}

/** Refusal to sign: the configured key does not verify the heads already published. */
export class LogKeyMismatchError extends Error {
  constructor(treeSize: number, publicKey: KeyObject) {
    super(
      `the log signing key (public key ${rawPublicKey(publicKey).toString('base64')}) does not verify the latest ` +
        `signed tree head (size ${treeSize}); the log will not be extended with another key. Restore the key that ` +
        'signed it (LOG_SIGNING_KEY or LOG_SIGNING_KEY_FILE, see docs/transparency.md, "The signing key")',
    );
    this.name = 'LogKeyMismatchError';
  }
}
