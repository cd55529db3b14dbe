/**
 * Cold start and memory of one compiled BFF process (`node --enable-source-maps bff/dist/main.js`,
 * what `pnpm start:bff` runs), on the embedded default (SQLite, in-process cache) and on MariaDB +
 * Redis, next to a bare Koa process started the same way, in the same run:
 *
 * - ready: launch → the first 200 from `/readyz` (median of ROUNDS launches), and the CPU the process
 *   used by then (less sensitive than wall time to other work on a shared machine);
 * - RSS at rest after ready, and the peak RSS (VmHWM) under the member-menu load (the member menu
 *   of a 300-SKU store, CONCURRENCY connections × MENU_REQUESTS reads), the bare process serving a
 *   body of the same bytes.
 *
 * Budget (issue 15): ready ≤ 1 s and RSS ≤ 150 MB. Builds first when dist/ is stale.
 * Settings: HEYI_BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306), HEYI_BENCH_REDIS_URL
 * (default redis://127.0.0.1:6379); without MariaDB or Redis that half is skipped with a note.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildContainer, loadConfig } from 'bff';
import { freePort } from 'bff/testing';
import { connectDatabase, type DatabaseHandle, demoIds, migrateToLatest, newId, seedDemo } from 'db';
import { createMysqlTestDatabase } from 'db/testing';
import { buildIsFresh, buildRuntime } from '../../scripts/build';
import { CONCURRENCY, fillMenu, load } from './member-menu.bench';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const MYSQL = process.env.HEYI_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const REDIS = process.env.HEYI_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROUNDS = 5;
const MENU_REQUESTS = 4000;
const BUDGET = { readyMs: 1000, rssMb: 150 };
const SECRETS = { JWT_SECRET: 'cold-start-bench-secret-cold-start!', DATA_ENCRYPTION_KEY: 'ee'.repeat(32) };
const SH001 = demoIds.store('SH001');

interface Launch {
  readyMs: number;
  cpuMs: number;
}

interface Measured {
  name: string;
  launches: Launch[];
  restMb: number;
  peakMb: number;
}

const status = (pid: number, field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** User + system CPU of a process so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = (fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Launches `node --enable-source-maps <entry>` and waits for /readyz to answer 200. */
async function launch(
  entry: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string } & Launch> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--enable-source-maps', entry], {
    cwd: repo,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      http
        .get(`${url}/readyz`, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        })
        .on('error', () => resolve(false));
    });
    if (ok) break;
    if (performance.now() - started > 30_000) throw new Error(`${entry} was not ready within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { child, url, readyMs: performance.now() - started, cpuMs: cpuMs(child.pid as number) };
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** ROUNDS cold starts, then the member-menu load on the last one. */
async function measure(name: string, entry: string, env: Record<string, string>, menuPath: string): Promise<Measured> {
  const launches: Launch[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = await launch(entry, env);
    launches.push({ readyMs: started.readyMs, cpuMs: started.cpuMs });
    if (i < ROUNDS - 1) {
      await stop(started.child);
      continue;
    }
    const pid = started.child.pid as number;
    const restMb = status(pid, 'VmRSS');
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    await load(`${started.url}${menuPath}`, agent, MENU_REQUESTS);
    agent.destroy();
    const peakMb = status(pid, 'VmHWM');
    if (process.env.BENCH_DEBUG) {
      const m = await (await fetch(`${started.url}/metrics`)).text().catch(() => '');
      console.log(
        name,
        restMb,
        peakMb,
        status(pid, 'VmRSS'),
        m
          .split('\n')
          .filter((l) => /^heyi_nodejs_(heap_size|external|heap_space_size_used)/.test(l))
          .join('\n'),
      );
    }
    await stop(started.child);
    return { name, launches, restMb, peakMb };
  }
  throw new Error('unreachable');
}

/** A seeded database whose SH001 sells 300 SKUs, its menu as the bare process will serve it. */
async function prepare(database: DatabaseHandle, url: string, dir: string): Promise<string> {
  await migrateToLatest(database.db);
  await seedDemo(database.db, {});
  const config = loadConfig(
    { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url, WORKERS_ENABLED: 'false', ...SECRETS },
    dir,
  );
  const container = await buildContainer(config, { database });
  try {
    await fillMenu(container, SH001);
    return JSON.stringify(await container.services.catalog.memberMenu.menu(SH001, 'miniapp'));
  } finally {
    await container.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export async function run(): Promise<void> {
  if (!buildIsFresh()) {
    console.log('building (dist/ is missing or older than the sources)…');
    await buildRuntime();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heyi-cold-'));
  const menuPath = `/api/mp/stores/${SH001}/menu?channel=miniapp`;
  const common = { LOG_LEVEL: 'warn', PUBLIC_BASE_URL: 'https://api.example.com', ...SECRETS };
  const bff = path.join(repo, 'bff/dist/main.js');
  const results: Measured[] = [];
  let mysql: Awaited<ReturnType<typeof createMysqlTestDatabase>> | undefined;
  try {
    const file = path.join(dir, 'heyi.db');
    const sqlite = await connectDatabase(file);
    const body = await prepare(sqlite, file, dir).finally(() => sqlite.close());
    fs.writeFileSync(path.join(dir, 'menu.json'), body);

    results.push(
      await measure(
        'bare Koa (baseline)',
        path.join(here, 'bare-koa.mjs'),
        {
          BENCH_BODY_FILE: path.join(dir, 'menu.json'),
        },
        '/menu',
      ),
    );
    results.push(await measure('BFF, SQLite + in-process cache', bff, { ...common, DATABASE_URL: file }, menuPath));
    try {
      mysql = await createMysqlTestDatabase(MYSQL);
    } catch (err) {
      console.log(`  (MariaDB + Redis skipped: ${(err as Error).message})`);
    }
    if (mysql) {
      await prepare(mysql, mysql.url, dir);
      const env = { ...common, DATABASE_URL: mysql.url, REDIS_URL: REDIS, REDIS_KEY_PREFIX: `heyi_bench_${newId()}:` };
      results.push(await measure('BFF, MariaDB + Redis', bff, env, menuPath));
    }
  } finally {
    await mysql?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const base = results[0] as Measured;
  const ready = (m: Measured) => median(m.launches.map((l) => l.readyMs));
  const cpu = (m: Measured) => median(m.launches.map((l) => l.cpuMs));
  console.log(
    `cold start: launch → /readyz 200, median of ${ROUNDS} launches (node --enable-source-maps); ` +
      `RSS at rest, and peak under ${MENU_REQUESTS} member-menu reads (300 SKUs, ${CONCURRENCY} connections)`,
  );
  for (const m of results) {
    console.log(
      `  ${m.name.padEnd(32)} ready ${ready(m).toFixed(0).padStart(5)} ms   cpu ${cpu(m).toFixed(0).padStart(4)} ms` +
        `   RSS ${m.restMb.toFixed(0).padStart(4)} MB at rest, ${m.peakMb.toFixed(0).padStart(4)} MB peak`,
    );
  }
  for (const m of results.slice(1)) {
    const within = ready(m) <= BUDGET.readyMs && m.peakMb <= BUDGET.rssMb;
    console.log(
      `  ratio ${m.name}/baseline: ready ${(ready(m) / ready(base)).toFixed(2)}×, cpu ${(cpu(m) / cpu(base)).toFixed(2)}×,` +
        ` peak RSS ${(m.peakMb / base.peakMb).toFixed(2)}× — budget ready ≤ ${BUDGET.readyMs} ms, RSS ≤ ${BUDGET.rssMb} MB:` +
        ` ${within ? 'within' : 'OVER'}`,
    );
  }
}
