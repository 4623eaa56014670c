import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { generateLogKey, rawPublicKey } from './tree-head';

/**
 * The log's Ed25519 key: from LOG_SIGNING_KEY, or from LOG_SIGNING_KEY_FILE, created there on first start.
 * The file is created exclusively, so an API and a worker starting together end up with the same key.
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

  private static readOrCreate(file: string): string {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, generateLogKey().privatePem, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return readFileSync(file, 'utf8');
  }
}
