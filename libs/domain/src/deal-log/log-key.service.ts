import { createPrivateKey, createPublicKey, KeyObject, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { generateLogKey, rawPublicKey } from './tree-head';

/**
 * The log's Ed25519 key: from LOG_SIGNING_KEY, or from LOG_SIGNING_KEY_FILE, created there on first start.
 * The file appears whole and only once (see readOrCreate), so an API and a worker starting together end up with
 * the same key.
 */
@Injectable()
export class LogKeyService {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;

  constructor(config: AppConfig) {
    const pem = config.LOG_SIGNING_KEY ?? LogKeyService.readOrCreate(config.LOG_SIGNING_KEY_FILE);
    this.privateKey = createPrivateKey(pem);
    if (this.privateKey.asymmetricKeyType !== 'ed25519')
      throw new Error('the log signing key must be Ed25519');
    this.publicKey = createPublicKey(this.privateKey);
  }

  get publicKeyRaw(): Buffer {
    return rawPublicKey(this.publicKey);
  }

  get publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  /**
   * The key in `file`, created there if missing. A new key is written whole to a file of its own and then
   * linked to `file`, which fails if another process got there first: whoever reads `file` reads a whole key,
   * never one still being written, and both processes end up with the same one.
   */
  static readOrCreate(file: string): string {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    mkdirSync(dirname(file), { recursive: true });
    const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.new`;
    writeFileSync(draft, generateLogKey().privatePem, { flag: 'wx', mode: 0o600 });
    try {
      linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(draft);
    }
    return readFileSync(file, 'utf8');
  }
}
