import { makeValidTaxId } from '@app/domain';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { API_SCRIPT, benchEnv, DIST, prepareDatabase, startProcess, stopProcess } from '../lib/bench-env';
import { cpuMeter, cpuSeconds, load, printComparison, treeCpuSeconds } from '../lib/measure';

/**
 * An authenticated GET of a small resource (GET /api/v1/auth/me: JWT check, session check in Redis,
 * one indexed query) through the whole API, beside a bare Node server returning the same JSON.
 */
export async function run(): Promise<void> {
  const env = benchEnv();
  const dataSource = await prepareDatabase(env);
  const [city] = await dataSource.query<{ id: string }[]>(`SELECT id FROM cities WHERE code = 'moscow'`);
  await dataSource.destroy();
  const base = `http://127.0.0.1:${env.PORT}`;
  const api = await startProcess(API_SCRIPT, env, `${base}/health`);
  try {
    const n = Date.now() % 1_000_000;
    const email = `bench-${n}@example.test`;
    const password = 'bench-password-long-enough';
    const register = await fetch(`${base}/api/v1/organizations/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        organization: {
          legalName: `Bench supplier ${n}`,
          taxId: { scheme: 'RU-INN', id: makeValidTaxId('RU-INN', n) },
          country: 'RU',
          cityId: city?.id,
        },
        user: { email, fullName: 'Bench User', password },
      }),
    });
    if (register.status !== 201) throw new Error(`register: ${register.status} ${await register.text()}`);
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const headers = { Authorization: `Bearer ${accessToken}` };
    const sample = await fetch(`${base}/api/v1/auth/me`, { headers });
    const body = await sample.text();
    if (sample.status !== 200) throw new Error(`me: ${sample.status} ${body}`);

    const baselinePort = Number(env.PORT) + 1;
    const bare = await startBaseline(baselinePort, body);
    try {
      const options = { connections: 16, durationSeconds: 10 };
      await load('warm-up', { url: `${base}/api/v1/auth/me`, headers, connections: 16, durationSeconds: 2 });
      const apiCpu = cpuMeter({ 'API process': () => treeCpuSeconds(api.pid) });
      const system = await load('API GET /api/v1/auth/me', {
        ...options,
        url: `${base}/api/v1/auth/me`,
        headers,
      });
      const apiPerRequest = apiCpu(system.requests);
      const bareCpu = cpuMeter({ 'bare server': () => cpuSeconds(bare.pid) });
      const raw = await load('bare node http (same JSON)', {
        ...options,
        url: `http://127.0.0.1:${baselinePort}/`,
      });
      const barePerRequest = bareCpu(raw.requests);
      printComparison('auth-get: authenticated GET of a small resource, 16 connections, 10 s', system, raw);
      process.stdout.write(`CPU per request: ${apiPerRequest}, ${barePerRequest}\n`);
    } finally {
      await stopProcess(bare);
    }
  } finally {
    await stopProcess(api);
  }
}

async function startBaseline(port: number, body: string) {
  const child = spawn(process.execPath, [join(DIST, 'bench/lib/baseline-server.js'), String(port), body], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 50; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}
