import { execFile } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The log's key file, created by processes starting together (the API and the worker sharing a volume): each
 * must read the same whole key. Real processes on the real file system, running the compiled service (npm test
 * builds it first).
 */
describe('Log signing key file', () => {
  const compiled = join(__dirname, '..', 'dist', 'libs', 'domain', 'src', 'deal-log', 'log-key.service.js');
  let dir: string;

  beforeAll(() => {
    expect(existsSync(compiled)).toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'log-key-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const readOrCreate = (file: string) =>
    new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [
          '-e',
          `process.stdout.write(require(${JSON.stringify(compiled)}).LogKeyService.readOrCreate(process.argv[1]))`,
          file,
        ],
        (error, stdout) =>
          error ? reject(new Error(`readOrCreate failed: ${error.message}`)) : resolve(stdout),
      );
    });

  it('gives processes racing to create it one whole key, and leaves no drafts behind', async () => {
    for (let round = 0; round < 3; round++) {
      const file = join(dir, `round-${round}`, 'log-signing-key.pem');
      const keys = await Promise.all(Array.from({ length: 6 }, () => readOrCreate(file)));
      expect(new Set(keys).size).toBe(1);
      expect(createPrivateKey(keys[0]!).asymmetricKeyType).toBe('ed25519');
      expect(readdirSync(join(dir, `round-${round}`))).toEqual(['log-signing-key.pem']);
      // Later starts read the same key.
      expect(await readOrCreate(file)).toBe(keys[0]);
    }
  });
});
