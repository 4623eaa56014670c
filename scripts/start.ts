/**
 * `npm start`: the whole marketplace from one command: PostgreSQL and Redis found or started
 * (see lib/local-env.ts), then the worker and the API, which migrate under an advisory lock.
 * Ctrl-C stops everything it started, cleanly; a second start reuses ./.data.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { API_NODE_ARGS } from '../apps/marketplace/src/node-args';
import { localEnv, ROOT, say, stopChild, stoppers, stopStarted } from './lib/local-env';

let stopping = false;
async function stopAll(code: number): Promise<never> {
  if (stopping) return new Promise<never>(() => undefined);
  stopping = true;
  say('stopping…');
  await stopStarted();
  say('stopped');
  process.exit(code);
}

function launch(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  nodeArgs: readonly string[] = [],
): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist', script)], {
    env,
    stdio: 'inherit',
    // Relative paths in the settings (the log signing key, OCDS exports) land under this ./.data wherever it is run.
    cwd: ROOT,
  });
  child.once('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${signal ?? code}); stopping the rest`);
      void stopAll(code || 1);
    }
  });
  // Its own grace period for in-flight requests and jobs, and a little more, before it is killed.
  const graceMs = Number(env.SHUTDOWN_GRACE_MS ?? 10_000) + 5_000;
  stoppers.push(() => stopChild(child, name, graceMs));
  return child;
}

async function main(): Promise<void> {
  // Every signal stops once, in order (stopAll ignores the repeats): a second Ctrl-C, or the one npm forwards,
  // must not kill this process half-way and leave the rest running. A closed terminal stops everything too.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0));
  const env = await localEnv({ stopsOnSignals: true });
  launch('worker', 'apps/worker/src/main.js', env);
  launch('api', 'apps/marketplace/src/main.js', env, API_NODE_ARGS);
  const port = env.PORT ?? '3000';
  say(`starting the API on http://localhost:${port}/api/v1 and the worker; Ctrl-C stops everything`);
  say(`API documentation: http://localhost:${port}/docs (OpenAPI: http://localhost:${port}/openapi.json)`);
  say('first operator: npm run cli -- create-operator --email you@example.org (asks for a password)');
}

main().catch((error: unknown) => {
  say(`cannot start: ${(error as Error).message}`);
  void stopAll(1);
});
