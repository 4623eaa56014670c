import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { eventually } from './setup/eventually';
import { testEnv } from './setup/test-env';

/** The compiled API, run as a real process tree (`npm test` builds it first). */
const API_MAIN = resolve(__dirname, '..', 'dist', 'apps', 'marketplace', 'src', 'main.js');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** A GET on a connection of its own: new connections are what the primary hands round the processes. */
function getFresh(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', fail);
    });
    req.on('error', fail);
  });
}

/** The API's processes below the primary, by pid. */
function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

class ApiProcesses {
  readonly child: ChildProcess;
  private output = '';
  readonly exited: Promise<number | null>;

  constructor(
    readonly port: number,
    env: Record<string, string>,
  ) {
    if (!existsSync(API_MAIN)) {
      throw new Error(
        `${API_MAIN} is missing: run \`npm run build\` first (\`npm test\` does it in pretest)`,
      );
    }
    this.child = spawn(process.execPath, [API_MAIN], {
      env: { ...process.env, ...testEnv(), PORT: String(port), HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        this.output = (this.output + chunk.toString()).slice(-8000);
      });
    }
    this.exited = new Promise((done) => this.child.once('exit', (code) => done(code)));
  }

  get said(): string {
    return this.output;
  }

  /** Every process listens: the primary says so once, naming how many. */
  async listening(): Promise<this> {
    await eventually(async () => {
      if (this.child.exitCode !== null)
        throw new Error(`the API exited with ${this.child.exitCode}: ${this.output}`);
      return this.output.includes(' listening on ') ? true : undefined;
    }, 30_000);
    return this;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

describe('The API as several processes (API_PROCESSES)', () => {
  const running: ApiProcesses[] = [];
  const start = async (env: Record<string, string>) => {
    const api = new ApiProcesses(await freePort(), env);
    running.push(api);
    return api;
  };

  afterAll(async () => {
    await Promise.all(running.map((api) => api.stop()));
  });

  it('serves from every process, and a scrape of /metrics counts the requests of all of them', async () => {
    const api = await (await start({ API_PROCESSES: '2' })).listening();
    expect(api.said).toContain('(2 processes)');
    expect(childPids(api.child.pid as number)).toHaveLength(2);

    const requests = 12;
    for (let i = 0; i < requests; i++) {
      expect((await getFresh(api.port, '/api/v1/cities')).status).toBe(200);
    }
    // Round robin gives each process half of them: one process's own metrics would count 6.
    const metrics = await getFresh(api.port, '/metrics');
    expect(metrics.status).toBe(200);
    const counted = metrics.body
      .split('\n')
      .find(
        (line) =>
          line.startsWith('http_request_duration_seconds_count{') &&
          line.includes('route="/api/v1/cities"') &&
          line.includes('status_code="200"'),
      );
    expect(counted).toBeDefined();
    expect(Number(counted?.split(' ').pop())).toBe(requests);
  });

  it('replaces a process that dies, and keeps answering meanwhile', async () => {
    const api = await (await start({ API_PROCESSES: '2' })).listening();
    const primary = api.child.pid as number;
    const before = childPids(primary);
    expect(before).toHaveLength(2);

    process.kill(before[0] as number, 'SIGKILL');
    // Once the primary has reaped it, new connections go to the survivor while the replacement starts.
    await eventually(
      async () => (childPids(primary).includes(before[0] as number) ? undefined : true),
      10_000,
    );
    for (let i = 0; i < 6; i++) expect((await getFresh(api.port, '/health')).status).toBe(200);
    const after = await eventually(async () => {
      const pids = childPids(primary);
      return pids.length === 2 && !pids.includes(before[0] as number) ? pids : undefined;
    }, 30_000);
    expect(after).toContain(before[1]);
    expect(api.child.exitCode).toBeNull();
    await eventually(
      async () => ((await getFresh(api.port, '/health')).status === 200 ? true : undefined),
      10_000,
    );
  });

  it('stops every process on SIGTERM and exits 0', async () => {
    const api = await (await start({ API_PROCESSES: '2' })).listening();
    const workers = childPids(api.child.pid as number);
    expect(workers).toHaveLength(2);
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  });

  it('exits with an error when a process cannot start, instead of forking it again and again', async () => {
    // The port is taken, so no process can listen.
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    try {
      const port = (blocker.address() as { port: number }).port;
      const api = new ApiProcesses(port, { API_PROCESSES: '2', LOG_LEVEL: 'error' });
      running.push(api);
      const code = await api.exited;
      expect(code).not.toBe(0);
      expect(api.said).toContain('exited before it listened');
    } finally {
      await new Promise((done) => blocker.close(done));
    }
  });
});
