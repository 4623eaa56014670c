/**
 * The offline verifier of the deal log. It depends only on the published format (docs/transparency.md):
 * it downloads every entry, recomputes leaf hashes and the tree, checks the signed tree head, sampled inclusion
 * proofs, the consistency proof from an earlier saved tree head, and every opened bid against the commitment
 * logged before it. Every problem names the exact index where it can.
 */
import { isUtf8 } from 'node:buffer';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Agent as HttpAgent, get as httpGet, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, get as httpsGet } from 'node:https';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  type CheckedPage,
  CommitmentChecker,
  findFirstDivergence,
  LogScanner,
  type Problem,
  type SignedTreeHead,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHeadSignature,
} from './verifier-core';
import { checkPage } from './page-check';

export interface VerifyOptions {
  url: string;
  since?: SignedTreeHead;
  samples?: number;
  pageSize?: number;
  /** Worker threads that check pages (0: this thread checks them); see defaultThreads. */
  threads?: number;
  log?: (line: string) => void;
}

export interface VerifyResult {
  ok: boolean;
  treeHead: SignedTreeHead;
  problems: Problem[];
}

/** Pages requested ahead of the one being checked. */
const PAGES_IN_FLIGHT = 8;
const MAX_REDIRECTS = 5;

/**
 * GETs JSON over keep-alive connections, following redirects as fetch would. node:http rather than fetch: on a
 * whole log (hundreds of MB of pages) fetch's web streams cost more than twice the CPU of reading the same bytes
 * with node:http, CPU the hashing needs.
 */
class JsonClient {
  private readonly agents = {
    http: new HttpAgent({ keepAlive: true }),
    https: new HttpsAgent({ keepAlive: true }),
  };

  async get<T>(url: string): Promise<T> {
    return JSON.parse((await this.bytes(url)).toString('utf8')) as T;
  }

  /** The body of a 2xx answer. */
  async bytes(url: string, redirects = MAX_REDIRECTS): Promise<Buffer> {
    const res = await this.request(url);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location && redirects > 0) {
      res.resume();
      return this.bytes(new URL(location, url).toString(), redirects - 1);
    }
    const body = await bodyOf(res);
    if (status < 200 || status > 299) throw new Error(`GET ${url}: ${status} ${body.toString('utf8')}`);
    return body;
  }

  /** Closes the idle connections. */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private request(url: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const https = new URL(url).protocol === 'https:';
      const options = { agent: https ? this.agents.https : this.agents.http };
      (https ? httpsGet : httpGet)(url, options, resolve).on('error', reject);
    });
  }
}

/**
 * The whole body of a response. Chunks are gathered as they come and joined once, into a buffer of the announced
 * length when there is one; stream/consumers' buffer() goes through a Blob, which copies every page twice more.
 */
function bodyOf(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
    });
    res.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length)));
    res.once('error', reject);
  });
}

/**
 * Checks pages (checkPage) on worker threads when the compiled worker script is at hand, and on this thread
 * otherwise (run from the TypeScript sources, as the tests run it, or with `threads: 0`). This thread then only
 * downloads and does what must go in order (indexes, the tree, the commitments): on a big log the checking is
 * most of the work, and it no longer waits for it.
 */
class PageCheckers {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (page: CheckedPage) => void; reject: (e: Error) => void }
  >();
  private sent = 0;
  private broken: Error | undefined;

  constructor(threads: number) {
    const script = join(__dirname, 'page-worker.js');
    if (threads <= 0 || !existsSync(script)) return;
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(script);
      worker.on(
        'message',
        ({ id, checked, error }: { id: number; checked?: CheckedPage; error?: string }) => {
          const waiting = this.waiting.get(id);
          this.waiting.delete(id);
          if (checked) waiting?.resolve(checked);
          else waiting?.reject(new Error(error));
        },
      );
      worker.on('error', (error) => this.failAll(error));
      worker.on('exit', (code) => this.failAll(new Error(`a verifier worker stopped (${code})`)));
      this.workers.push(worker);
    }
  }

  check(body: Buffer): Promise<CheckedPage> {
    if (this.workers.length === 0) return new Promise((resolve) => resolve(checkPage(body)));
    if (this.broken) return Promise.reject(this.broken);
    const id = ++this.sent;
    const worker = this.workers[id % this.workers.length]!;
    // Copied once into memory of its own, which can be handed over (a body's may be shared with other buffers).
    const page = new Uint8Array(body);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, page }, [page.buffer]);
    });
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    for (const worker of workers) worker.removeAllListeners('exit');
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  /** A worker failed: what it was checking fails, and so does anything asked later. */
  private failAll(error: Error): void {
    this.broken ??= error;
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
  }
}

/**
 * Worker threads by default: the cores but one (this thread's), at most 4; none on one core. On two cores, one
 * worker pays for handing pages over (a fifth more CPU) once the server is not on the same cores taking most of
 * the second: against the API holding the pages in memory on this two-core machine, 3.5-3.6 s against 3.9 s
 * with none, and 4.6-5.0 s against 5.6-5.7 s in a slower hour.
 */
const defaultThreads = (): number => {
  const cores = availableParallelism();
  return cores < 2 ? 0 : Math.min(4, cores - 1);
};

/**
 * The pages, checked, strictly in order, while the next PAGES_IN_FLIGHT download and are checked: the server
 * reads and sends them while the workers check them and this thread adds the current one.
 */
async function* inOrder(
  client: JsonClient,
  urls: readonly string[],
  checkers: PageCheckers,
): AsyncGenerator<CheckedPage> {
  const inFlight: Promise<CheckedPage>[] = [];
  let requested = 0;
  for (let i = 0; i < urls.length; i++) {
    while (requested < urls.length && requested <= i + PAGES_IN_FLIGHT) {
      const url = urls[requested++]!;
      const page = client.bytes(url).then((body) =>
        // Bytes that are not UTF-8 are read as a JSON parser reads them: replaced by U+FFFD.
        checkers.check(isUtf8(body) ? body : Buffer.from(body.toString('utf8'))).catch((error: Error) => {
          throw new Error(`GET ${url}: ${error.message}`);
        }),
      );
      // Awaited in turn below; one that fails while an earlier page is checked must not count as unhandled.
      page.catch(() => undefined);
      inFlight.push(page);
    }
    yield await inFlight.shift()!;
  }
}

export async function verifyLog(options: VerifyOptions): Promise<VerifyResult> {
  const client = new JsonClient();
  try {
    return await verifyWith(client, options);
  } finally {
    client.close();
  }
}

async function verifyWith(client: JsonClient, options: VerifyOptions): Promise<VerifyResult> {
  const base = `${options.url.replace(/\/$/, '')}/api/v1/log`;
  const say = options.log ?? (() => undefined);
  const getJson = <T>(url: string) => client.get<T>(url);
  const { publicKey } = await getJson<{ publicKey: string }>(`${base}/public-key`);
  const sth = await getJson<SignedTreeHead>(`${base}/sth`);
  say(`tree head: size ${sth.treeSize}, root ${sth.rootHash}, ${sth.timestamp}`);

  const scanner = new LogScanner();
  // Every entry carries at most one commitment.
  const commitments = new CommitmentChecker(sth.treeSize);
  const pageSize = options.pageSize ?? 1000;
  const pages: string[] = [];
  for (let start = 0; start < sth.treeSize; start += pageSize)
    pages.push(`${base}/entries?start=${start}&end=${Math.min(start + pageSize, sth.treeSize)}`);
  const checkers = new PageCheckers(options.threads ?? defaultThreads());
  try {
    for await (const page of inOrder(client, pages, checkers)) {
      scanner.addChecked(page);
      commitments.addChecked(page);
    }
  } finally {
    await checkers.close();
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
