/**
 * The offline verifier of the deal log. It depends only on the published format (docs/transparency.md):
 * it downloads every entry, recomputes leaf hashes and the tree, checks the signed tree head, sampled inclusion
 * proofs, the consistency proof from an earlier saved tree head, and every opened bid against the commitment
 * logged before it. Every problem names the exact index where it can.
 */
import { randomInt } from 'node:crypto';
import {
  CommitmentChecker,
  findFirstDivergence,
  LogScanner,
  type Problem,
  type SignedTreeHead,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHeadSignature,
} from './verifier-core';

export interface VerifyOptions {
  url: string;
  since?: SignedTreeHead;
  samples?: number;
  pageSize?: number;
  log?: (line: string) => void;
}

export interface VerifyResult {
  ok: boolean;
  treeHead: SignedTreeHead;
  problems: Problem[];
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function verifyLog(options: VerifyOptions): Promise<VerifyResult> {
  const base = `${options.url.replace(/\/$/, '')}/api/v1/log`;
  const say = options.log ?? (() => undefined);
  const { publicKey } = await getJson<{ publicKey: string }>(`${base}/public-key`);
  const sth = await getJson<SignedTreeHead>(`${base}/sth`);
  say(`tree head: size ${sth.treeSize}, root ${sth.rootHash}, ${sth.timestamp}`);

  const scanner = new LogScanner();
  const commitments = new CommitmentChecker();
  const pageSize = options.pageSize ?? 1000;
  const pages: [number, number][] = [];
  for (let start = 0; start < sth.treeSize; start += pageSize)
    pages.push([start, Math.min(start + pageSize, sth.treeSize)]);
  // Pages are fetched a few at a time but checked strictly in order.
  const window = 4;
  for (let i = 0; i < pages.length; i += window) {
    const batch = await Promise.all(
      pages
        .slice(i, i + window)
        .map(([s, e]) =>
          getJson<{ entries: { index: number; entry: unknown; leafHash: string }[] }>(
            `${base}/entries?start=${s}&end=${e}`,
          ),
        ),
    );
    for (const page of batch) {
      for (const item of page.entries) {
        scanner.add(item);
        commitments.add(item.index, item.entry);
      }
    }
  }
  const report = scanner.finish(sth, publicKey);
  const problems: Problem[] = [...report.problems, ...commitments.problems];
  say(`${scanner.size} entries read; recomputed root ${report.rootHash}`);

  const consistencyPath = async (first: number) =>
    (
      await getJson<{ consistencyPath: string[] }>(
        `${base}/proof/consistency?first=${first}&second=${sth.treeSize}`,
      )
    ).consistencyPath;

  // The root does not match: find the first entry the signed tree disagrees with. It also catches a forger who
  // rewrote an entry together with its served leaf hash, whatever other problems were found.
  if (scanner.size >= sth.treeSize && report.rootHash !== sth.rootHash) {
    const index = await findFirstDivergence(sth.treeSize, async (m) =>
      verifyConsistency(m, sth.treeSize, scanner.root(m), sth.rootHash, await consistencyPath(m)),
    );
    if (index !== undefined && !problems.some((p) => p.index === index)) {
      problems.push({ index, message: `the signed tree disagrees with entry ${index}` });
    }
  }

  const samples = Math.min(options.samples ?? 16, sth.treeSize);
  for (let i = 0; i < samples && scanner.size >= sth.treeSize; i++) {
    const index = i === 0 ? sth.treeSize - 1 : randomInt(sth.treeSize);
    const proof = await getJson<{ auditPath: string[] }>(
      `${base}/proof/inclusion?index=${index}&treeSize=${sth.treeSize}`,
    );
    const leaf = scanner.leafHash(index);
    if (!verifyInclusion(index, sth.treeSize, leaf, proof.auditPath, sth.rootHash)) {
      problems.push({ index, message: `the inclusion proof of entry ${index} does not verify` });
    }
  }
  say(`${samples} inclusion proofs checked`);

  if (options.since) {
    const since = options.since;
    if (!verifyTreeHeadSignature(since, publicKey)) {
      problems.push({ message: `the saved tree head of size ${since.treeSize} has no valid signature` });
    } else if (since.treeSize > sth.treeSize) {
      problems.push({ message: `the log shrank: saved size ${since.treeSize}, now ${sth.treeSize}` });
    } else {
      const ok = verifyConsistency(
        since.treeSize,
        sth.treeSize,
        since.rootHash,
        sth.rootHash,
        await consistencyPath(since.treeSize),
      );
      if (!ok)
        problems.push({
          message: `the log is not an extension of the saved tree head of size ${since.treeSize}`,
        });
      else say(`consistent with the saved tree head of size ${since.treeSize}`);
    }
  }
  return { ok: problems.length === 0, treeHead: sth, problems };
}
