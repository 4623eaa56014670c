import { performance } from 'node:perf_hooks';
import { readdirSync, readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadResult {
  label: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
  /** Several requests cycled by autocannon (e.g. a fixed query mix). */
  requests?: { method?: 'GET' | 'POST'; path: string; body?: string; headers?: Record<string, string> }[];
}

/** Runs autocannon against a URL and reports throughput and latency percentiles in milliseconds. */
export async function load(label: string, options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    headers: options.headers,
    requests: options.requests,
  });
  const latency = result.latency as unknown as Record<string, number>;
  return {
    label,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: latency.p50 ?? NaN,
    p95: latency.p95 ?? latency.p97_5 ?? NaN,
    p99: latency.p99 ?? NaN,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** Percentile of a sorted sample (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** Prints results side by side and the ratio of the first (system) to the second (baseline). */
export function printComparison(title: string, system: LoadResult, baseline: LoadResult): void {
  const rows = [system, baseline].map((r) => ({
    run: r.label,
    'req/s': fmt(r.rps, 0),
    'p50 ms': fmt(r.p50, 2),
    'p95 ms': fmt(r.p95, 2),
    'p99 ms': fmt(r.p99, 2),
    requests: r.requests,
    'errors+non2xx': r.errors + r.non2xx,
  }));
  process.stdout.write(`\n== ${title} ==\n`);
  console.table(rows);
  process.stdout.write(
    `ratio system/baseline: throughput ${fmt(system.rps / baseline.rps, 3)}x, ` +
      `p50 ${fmt(system.p50 / baseline.p50, 2)}x, p95 ${fmt(system.p95 / baseline.p95, 2)}x, ` +
      `p99 ${fmt(system.p99 / baseline.p99, 2)}x\n`,
  );
}

/**
 * Drives `fn` from `connections` loops for `seconds` (loop w calls fn(w), fn(w + connections), ...): the
 * in-process load of a raw baseline, measured like `load` measures HTTP.
 */
export async function loadFn(
  label: string,
  connections: number,
  seconds: number,
  fn: (i: number) => Promise<unknown>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, worker) => {
      for (let i = worker; Date.now() < deadline; i += connections) {
        const t0 = performance.now();
        try {
          await fn(i);
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    label,
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors,
    non2xx: 0,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 100 ms until it holds; throws `message` after `timeoutMs`. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  message: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(message);
    await sleep(100);
  }
}

/**
 * CPU seconds (user + system) a process has used so far, read from /proc (Linux); undefined elsewhere. Taken before
 * and after a measured phase, it gives a process's CPU cost per request, a figure far steadier than throughput on
 * a small shared machine.
 */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is the 3rd, utime the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds used so far by a process and every live process below it: the API with API_PROCESSES above 1 is a
 * primary that serves nothing and the forked processes that serve, so the primary alone would read as idle.
 */
export function treeCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const own = cpuSeconds(pid);
  if (own === undefined) return undefined;
  const children = new Map<number, number[]>();
  for (const { pid: child, ppid } of processes()) {
    const siblings = children.get(ppid) ?? [];
    siblings.push(child);
    children.set(ppid, siblings);
  }
  let total = own;
  const below = [...(children.get(pid) ?? [])];
  for (let next = below.pop(); next !== undefined; next = below.pop()) {
    total += cpuSeconds(next) ?? 0;
    below.push(...(children.get(next) ?? []));
  }
  return total;
}

/** Every process in /proc with its parent's pid (none off Linux). */
function processes(): { pid: number; ppid: number }[] {
  let names: string[];
  try {
    names = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const found: { pid: number; ppid: number }[] = [];
  for (const name of names) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // After the command name: the state, then the parent's pid.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (Number.isInteger(ppid)) found.push({ pid: Number(name), ppid });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return found;
}

/** CPU seconds used so far by every process of a command (by its name in /proc, e.g. "postgres"); undefined off Linux. */
export function commandCpuSeconds(command: string): number | undefined {
  let names: string[];
  try {
    names = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  let total = 0;
  for (const name of names) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === command)
        total += cpuSeconds(Number(name)) ?? 0;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
}

/** CPU seconds used so far by PostgreSQL: the server and its backends. */
export const postgresCpuSeconds = (): number | undefined => commandCpuSeconds('postgres');

/** CPU seconds this process has used so far (user + system). */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Starts counting the CPU time of named sources (each a reader of CPU seconds so far, undefined when unknown);
 * the returned function reports each in milliseconds per unit of work (a bid, a tender, a request), in order.
 */
export function cpuMeter(sources: Record<string, () => number | undefined>): (units: number) => string {
  const before = Object.entries(sources).map(([name, read]) => ({ name, read, start: read() }));
  return (units) =>
    before
      .map(({ name, read, start }) => {
        const end = read();
        return start === undefined || end === undefined || units === 0
          ? `${name} n/a`
          : `${name} ${(((end - start) * 1000) / units).toFixed(3)} ms`;
      })
      .join(', ');
}

/** USER_HZ, the unit of /proc's CPU times: 100 on every Linux that Node supports. */
const CLOCK_TICKS = 100;
