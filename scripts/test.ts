/**
 * `pnpm test`: every check the project has, in the order a failure is cheapest to find.
 * Storage tests run on SQLite and on MariaDB, cache tests on memory and on Redis, when those
 * servers are reachable (HEYI_TEST_MYSQL_URL / HEYI_TEST_REDIS_URL, default localhost); under
 * CI=true a missing server fails the run. The browser test needs Chromium (CHROMIUM_PATH,
 * default /usr/bin/chromium): skipped with a warning locally, required under CI=true. The fault
 * suite starts MariaDB and Redis servers of its own (mariadbd, redis-server): skipped with a
 * warning when they are not installed, required under CI=true.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pnpmBin, root, run, startChild, waitForOk } from './lib';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const pnpm = pnpmBin;
const steps: { name: string; seconds: number }[] = [];

async function step(name: string, fn: () => Promise<void>): Promise<void> {
  console.log(`\n━━ ${name}`);
  const started = Date.now();
  await fn();
  steps.push({ name, seconds: (Date.now() - started) / 1000 });
}

const pn = (args: string[]) => run(pnpm, args);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = http.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether a server binary is installed (on PATH or in Debian's sbin directories). */
function installed(name: string): boolean {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'];
  return dirs.some((dir) => fs.existsSync(path.join(dir, name)));
}

/** Waits until the menu `pnpm start` published is in step on every bound (store, platform). */
async function waitForPublished(bff: string): Promise<void> {
  const login = await fetch(`${bff}/api/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'hq', password: 'heyi-demo' }),
  });
  const { token } = (await login.json()) as { token: string };
  type Status = { targets: { binding: string; counts: { in_step: number; pending: number; failed: number } }[] };
  let last = '';
  for (let i = 0; i < 120; i++) {
    const res = await fetch(`${bff}/api/admin/catalog/sync-status`, { headers: { authorization: `Bearer ${token}` } });
    const status = (await res.json()) as Status;
    const bound = status.targets.filter((t) => t.binding === 'bound');
    last = JSON.stringify(bound.map((t) => t.counts));
    if (bound.length === 7 && bound.every((t) => t.counts.pending === 0 && t.counts.in_step > 0)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the demo menu did not reach both platforms: ${last}`);
}

try {
  await step('lint and format (biome)', () => pn(['exec', 'biome', 'check', '.']));
  await step('dependency rules (dependency-cruiser: no cycles, modules apart from channels and http)', () =>
    pn(['run', 'deps']),
  );
  await step('typecheck (every package and the scripts, strict)', async () => {
    await pn(['-r', '--parallel', 'typecheck']);
    await pn(['exec', 'tsc', '--noEmit', '-p', '.']);
  });
  await step('server tests (SQLite + MariaDB, memory + Redis)', () => pn(['exec', 'vitest', 'run']));
  await step('fault suite (kill -9, Redis and MariaDB outages, platform outages; own servers)', async () => {
    const missing = ['mariadb-install-db', 'mariadbd', 'redis-server'].filter((name) => !installed(name));
    if (missing.length > 0) {
      if (ci) throw new Error(`CI=true needs ${missing.join(', ')} for the fault suite`);
      console.warn(`skipped: ${missing.join(', ')} not installed (apt-get install mariadb-server redis-server)`);
      return;
    }
    await pn(['run', 'test:faults']);
  });
  await step('back office build (admin, Vite)', () => pn(['--filter', 'admin', 'build']));
  await step('mini-program build (weapp)', () => pn(['--filter', 'miniapp', 'build:weapp']));
  await step('mini-program build (h5)', () => pn(['--filter', 'miniapp', 'build:h5']));
  await step('mini-program tests (components, weapp in miniprogram-simulate)', () =>
    pn(['--filter', 'miniapp', 'test']),
  );
  await step('`pnpm start` (BFF, simulators, H5), the H5 app and the back office in headless Chromium', async () => {
    const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!fs.existsSync(chromium)) {
      if (ci) throw new Error(`CI=true needs Chromium at ${chromium} (apt-get install chromium)`);
      console.warn(`skipped: no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`);
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heyi-e2e-'));
    const [port, simPort, h5Port] = [await freePort(), await freePort(), await freePort()];
    const bff = `http://127.0.0.1:${port}`;
    const sim = `http://127.0.0.1:${simPort}`;
    const env = {
      ...process.env,
      DATABASE_URL: path.join(dir, 'heyi.db'),
      PORT: String(port),
      SIM_PORT: String(simPort),
      H5_PORT: String(h5Port),
      LOG_LEVEL: 'warn',
    };
    const system = startChild('start', process.execPath, ['--import', 'tsx', 'scripts/start.ts'], env);
    try {
      // The H5 server is the last thing `pnpm start` starts, after the BFF, the simulators and the publish.
      await waitForOk(`http://127.0.0.1:${h5Port}/`, 60_000);
      const bindings = (await (await fetch(`${sim}/_sim/meituan/bindings`)).json()) as { bindings: unknown[] };
      if (bindings.bindings.length !== 3)
        throw new Error(`simulator knows ${bindings.bindings.length} Meituan bindings`);
      await waitForPublished(bff);
      await run(pnpm, ['--filter', 'miniapp', 'test:e2e'], {
        env: { ...process.env, HEYI_E2E_API: bff, HEYI_E2E_SIM: sim, CHROMIUM_PATH: chromium },
      });
      await run(pnpm, ['--filter', 'admin', 'test:e2e'], {
        env: { ...process.env, HEYI_E2E_API: bff, HEYI_E2E_SIM: sim, CHROMIUM_PATH: chromium },
      });
    } finally {
      system.kill('SIGTERM');
      await new Promise((r) => (system.exitCode !== null ? r(null) : system.once('exit', r)));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
} catch (err) {
  console.error(`\n✗ ${(err as Error).message}`);
  process.exit(1);
}

console.log('\n━━ all checks passed');
for (const s of steps) console.log(`  ${s.seconds.toFixed(1).padStart(6)} s  ${s.name}`);
console.log(`  (root ${root})`);
