import type { KeyObject } from 'node:crypto';
import { rawPublicKey } from './tree-head';

/** What the latest stored tree head says of a signing key (LogService.checkKey). */
export type LogKeyCheck =
  { status: 'ok'; treeSize: number } | { status: 'no-heads' } | { status: 'mismatch'; treeSize: number };

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
