/**
 * `pnpm start`: the whole system on one machine. Migrates and seeds the database (the embedded
 * SQLite file unless DATABASE_URL says otherwise), starts the platform simulators (Meituan on both
 * gateways, Ele.me, WeChat, WeChat Pay) and tells them about the demo stores' Meituan bindings,
 * starts the BFF pointed at them, publishes the demo menu to both platforms, serves the H5 build
 * of the mini-program (building it first when there is none), and prints where everything is.
 * Ctrl-C stops it all.
 *
 * Ports: PORT (BFF, 3000), SIM_PORT (4010), H5_PORT (3001). SIM=off leaves the simulators out
 * (the BFF then talks to whatever the *_API_BASE settings say); H5=off skips the H5 app.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { connectDatabase, DEMO_PASSWORD, demoMeituanBindings, demoStaff, migrateToLatest, seedDemo } from 'db';
// @ts-expect-error plain ESM helper shared with the browser tests; it has no type declarations
import { serveH5 } from '../miniapp/e2e/serve-h5.mjs';
import { pnpmBin, root, run, startChild, waitForOk } from './lib';

const port = Number(process.env.PORT ?? 3000);
const simPort = Number(process.env.SIM_PORT ?? 4010);
const h5Port = Number(process.env.H5_PORT ?? 3001);
const withSim = process.env.SIM !== 'off';
const withH5 = process.env.H5 !== 'off';
const bffUrl = `http://127.0.0.1:${port}`;
const simUrl = process.env.SIM_BASE_URL ?? `http://127.0.0.1:${simPort}`;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PORT: String(port),
  PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? bffUrl,
  ...(withSim ? { SIM_BASE_URL: simUrl } : {}),
};

const database = await connectDatabase(env.DATABASE_URL);
try {
  await migrateToLatest(database.db);
  await seedDemo(database.db);
} finally {
  await database.close();
}

const children: ChildProcess[] = [];
const closers: (() => Promise<void>)[] = [];
let stopping = false;
const stop = (code: number) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all([
    ...children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
    ...closers.map((close) => close().catch(() => undefined)),
  ]).then(() => process.exit(code));
};
const supervise = (child: ChildProcess) => {
  children.push(child);
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`a process exited unexpectedly (${code}); stopping`);
      stop(1);
    }
  });
  return child;
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

try {
  if (withSim) {
    supervise(
      startChild(
        'sim',
        process.execPath,
        ['--import', 'tsx', 'sim/src/cli.ts', 'serve', '--port', String(simPort)],
        env,
      ),
    );
    await waitForOk(`${simUrl}/_sim/settings`);
    for (const binding of demoMeituanBindings()) await postJson(`${simUrl}/_sim/meituan/bind`, binding);
  }

  // The back office (管理后台) is served by the BFF at /admin from admin/dist.
  if (!builtAfterSources(path.join(root, 'admin', 'dist', 'index.html'), ['admin/src', 'admin/index.html'])) {
    console.log('building the back office (管理后台)…');
    await run(pnpmBin, ['--filter', 'admin', 'build'], { env });
  }
  supervise(startChild('bff', process.execPath, ['--import', 'tsx', 'bff/src/server.ts'], env));
  await waitForOk(`${bffUrl}/readyz`);

  let published = 'not published (SIM=off)';
  if (withSim) {
    const login = await postJson(`${bffUrl}/api/admin/login`, { username: 'hq', password: DEMO_PASSWORD });
    const token = (login as { token: string }).token;
    const result = (await postJson(
      `${bffUrl}/api/admin/catalog/publish`,
      {},
      { authorization: `Bearer ${token}` },
    )) as { callsQueued: number; targets: { storeCode: string; platform: string; state: string }[] };
    const unbound = result.targets.filter((t) => t.state === 'not_bound').map((t) => `${t.storeCode} ${t.platform}`);
    published =
      `published to Meituan and Ele.me: ${result.callsQueued} calls queued` +
      (unbound.length ? ` (not bound: ${unbound.join(', ')})` : '') +
      `\n               sync status: GET ${bffUrl}/api/admin/catalog/sync-status`;
  }

  let h5Url = 'not served (H5=off)';
  if (withH5) {
    const h5Root = path.join(root, 'miniapp', 'dist-h5');
    if (!builtAfterSources(path.join(h5Root, 'index.html'), ['miniapp/src', 'miniapp/config'])) {
      console.log('building the H5 mini-program (about half a minute)…');
      await run(pnpmBin, ['--filter', 'miniapp', 'build:h5'], { env });
    }
    const h5 = await serveH5({
      root: h5Root,
      apiTarget: bffUrl,
      simTarget: withSim ? simUrl : undefined,
      port: h5Port,
    });
    closers.push(h5.close);
    h5Url = h5.url;
  }

  const logins = demoStaff.map((s) => `    ${s.username.padEnd(12)} ${s.role}`).join('\n');
  console.log(`
heyi (合一) is running  — ${database.describe}

  BFF          ${bffUrl}
  API docs     ${bffUrl}/openapi.json
  Health       ${bffUrl}/readyz   metrics ${bffUrl}/metrics
  Stores       ${bffUrl}/api/mp/stores
  H5 app       ${h5Url}
  Back office  ${bffUrl}/admin/  (管理后台: reports, menu, stores, stock, orders)
  Simulators   ${withSim ? `${simUrl}  (call log ${simUrl}/_sim/calls)` : 'off'}
  Menu         ${published}

  Demo staff logins (password "${DEMO_PASSWORD}"), POST ${bffUrl}/api/admin/login:
${logins}

  A lunch rush of platform orders:  pnpm sim burst --bff ${bffUrl} --sim ${simUrl} --count 50

  Data: ${database.describe}; this machine's generated secrets: ${path.join(root, '.data')}. Ctrl-C stops everything.
`);
} catch (err) {
  console.error(`start failed: ${(err as Error).message}`);
  stop(1);
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Whether a build exists and is newer than every source it is built from (and shared-types). */
function builtAfterSources(builtFile: string, from: string[]): boolean {
  const built = fs.statSync(builtFile, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return false;
  const newest = (dir: string): number => {
    let latest = 0;
    if (!fs.statSync(dir).isDirectory()) return fs.statSync(dir).mtimeMs;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
    }
    return latest;
  };
  const sources = [...from, 'shared-types/src'].map((d) => path.join(root, d));
  return sources.every((dir) => newest(dir) <= built);
}
