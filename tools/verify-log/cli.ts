/**
 * `npm run verify-log -- --url http://localhost:3000 [--since sth.json] [--save sth.json] [--samples N] [--threads N]`
 * Verifies the public deal log offline; exits 1 and names the index of any mismatch.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { SignedTreeHead } from './verifier-core';
import { verifyLog } from './verify';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://localhost:3000' },
      since: { type: 'string' },
      save: { type: 'string' },
      samples: { type: 'string', default: '16' },
      threads: { type: 'string' },
    },
  });
  const since = values.since ? (JSON.parse(readFileSync(values.since, 'utf8')) as SignedTreeHead) : undefined;
  const result = await verifyLog({
    url: values.url,
    since,
    samples: Number(values.samples),
    threads: values.threads === undefined ? undefined : Number(values.threads),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  for (const problem of result.problems) {
    process.stdout.write(
      `PROBLEM${problem.index === undefined ? '' : ` at index ${problem.index}`}: ${problem.message}\n`,
    );
  }
  if (values.save && result.ok) writeFileSync(values.save, `${JSON.stringify(result.treeHead, null, 2)}\n`);
  process.stdout.write(
    result.ok
      ? `OK: the log of ${result.treeHead.treeSize} entries verifies\n`
      : `FAILED: ${result.problems.length} problem(s)\n`,
  );
  process.exitCode = result.ok ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`verify-log: ${(error as Error).message}\n`);
  process.exitCode = 2;
});
