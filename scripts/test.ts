/**
 * `pnpm test`: every check the project has, in the order a failure is cheapest to find.
 * Storage tests run on SQLite and on MariaDB, cache tests on memory and on Redis, when those
 * servers are reachable (HEYI_TEST_MYSQL_URL / HEYI_TEST_REDIS_URL, default localhost); under
 * CI=true a missing server fails the run. The browser test needs Chromium (CHROMIUM_PATH,
 * default /usr/bin/chromium): skipped with a warning locally, required under CI=true.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { root, run, startChild, waitForOk } from './lib';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const pnpm = process.env.npm_execpath && /pnpm/.test(process.env.npm_execpath) ? process.env.npm_execpath : 'pnpm';
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

try {
  await step('lint and format (biome)', () => pn(['exec', 'biome', 'check', '.']));
  await step('typecheck (every package, strict)', () => pn(['-r', '--parallel', 'typecheck']));
  await step('server tests (SQLite + MariaDB, memory + Redis)', () => pn(['exec', 'vitest', 'run']));
  await step('mini-program build (weapp)', () => pn(['--filter', 'miniapp', 'build:weapp']));
  await step('mini-program build (h5)', () => pn(['--filter', 'miniapp', 'build:h5']));
  await step('mini-program tests (components, weapp in miniprogram-simulate)', () =>
    pn(['--filter', 'miniapp', 'test']),
  );
  await step('H5 in headless Chromium against a real BFF', async () => {
    const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!fs.existsSync(chromium)) {
      if (ci) throw new Error(`CI=true needs Chromium at ${chromium} (apt-get install chromium)`);
      console.warn(`skipped: no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`);
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heyi-e2e-'));
    const port = await freePort();
    const env = {
      ...process.env,
      DATABASE_URL: path.join(dir, 'heyi.db'),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    await run(process.execPath, ['--import', 'tsx', 'db/src/cli.ts', 'seed'], { env });
    const bff = startChild('bff', process.execPath, ['--import', 'tsx', 'bff/src/server.ts'], env);
    try {
      await waitForOk(`http://127.0.0.1:${port}/readyz`);
      await run(pnpm, ['--filter', 'miniapp', 'test:e2e'], {
        env: { ...process.env, HEYI_E2E_API: `http://127.0.0.1:${port}`, CHROMIUM_PATH: chromium },
      });
    } finally {
      bff.kill('SIGTERM');
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
