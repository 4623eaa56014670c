import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * The API as several processes on one port (node:cluster): one Node process runs JavaScript on one core, and a
 * request spends most of its time there. The primary only forks, supervises and merges metrics; it serves
 * nothing. Every process keeps its own in-memory state (the revoked sessions, the tree and page caches), each
 * built so that several processes stay correct: revocations arrive by Redis pub/sub, the caches hold only what
 * never changes.
 */

/** API_PROCESSES, where 0 means one per CPU the system gives this process. */
export function apiProcessCount(configured: number): number {
  return configured > 0 ? configured : availableParallelism();
}

/** Whether this process is one of several API processes (a cluster worker). */
export function isApiWorkerProcess(): boolean {
  return cluster.isWorker;
}

/** A replacement for a process that died after it served is forked after this pause, not in a tight loop. */
const RESTART_DELAY_MS = 1000;
/** The primary waits this much longer than a worker's own grace period before it kills what is left. */
const KILL_MARGIN_MS = 2000;

interface MetricsRequest {
  type: 'marketplace:metrics';
  id: number;
}

interface MetricsReply {
  type: 'marketplace:metrics-reply';
  id: number;
  text?: string;
  error?: string;
}

export interface PrimaryOptions {
  processes: number;
  graceMs: number;
  /** Told once, when every process listens. */
  onListening: () => void;
  log: (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;
}

/**
 * Runs the primary: forks the processes; a process that exits before it listens ends the whole API with its
 * exit code (a configuration or database problem that a restart would only repeat); one that dies later is
 * replaced. SIGTERM or SIGINT stops every process gracefully, and the primary exits when they have.
 */
export function runPrimary(options: PrimaryOptions): void {
  const aggregator = new AggregatorRegistry();
  const listened = new WeakSet<Worker>();
  let announced = false;
  let stopping = false;
  let exitCode = 0;

  const fork = (): void => {
    const worker = cluster.fork();
    worker.once('listening', () => {
      listened.add(worker);
      const all = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
      if (!announced && all.length === options.processes && all.every((w) => listened.has(w))) {
        announced = true;
        options.onListening();
      }
    });
    // The asker may have died by the time the merged metrics are ready: then nobody is left to answer.
    const reply = (message: MetricsReply) => {
      if (worker.isConnected()) worker.send(message);
    };
    worker.on('message', (message: MetricsRequest) => {
      if (message?.type !== 'marketplace:metrics') return;
      aggregator.clusterMetrics().then(
        (text) => reply({ type: 'marketplace:metrics-reply', id: message.id, text }),
        (error: Error) => reply({ type: 'marketplace:metrics-reply', id: message.id, error: error.message }),
      );
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    if (!listened.has(worker)) {
      options.log('error', 'an API process exited before it listened; stopping the API', { code, signal });
      stop(code || 1);
      return;
    }
    options.log('warn', 'an API process died; starting a replacement', {
      pid: worker.process.pid,
      code,
      signal,
    });
    setTimeout(() => {
      if (!stopping) fork();
    }, RESTART_DELAY_MS).unref();
  });

  const stop = (code: number): void => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    if (workers.length === 0) process.exit(code);
    for (const worker of workers) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(code || 1);
    }, options.graceMs + KILL_MARGIN_MS).unref();
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stop(0));

  for (let i = 0; i < options.processes; i++) fork();
}

/**
 * In a worker: answers the primary's requests for this process's metrics, and returns a function giving the
 * metrics of every API process merged (counters and histograms summed; see each metric's aggregator).
 */
export function clusterMetricsSource(registry: Registry): () => Promise<string> {
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  let next = 0;
  process.on('message', (message: MetricsReply) => {
    if (message?.type !== 'marketplace:metrics-reply') return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(message.error));
    else waiter.resolve(message.text ?? '');
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      process.send?.({ type: 'marketplace:metrics', id } satisfies MetricsRequest);
    });
}
