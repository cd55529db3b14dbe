/**
 * Member menu throughput: `GET /api/mp/stores/:storeId/menu` for a store with 300 SKUs, served
 * from the menu cache (SQLite, in-process cache, the embedded default), next to a bare Koa
 * endpoint that returns a JSON body of the same size. Both are real HTTP servers in this process,
 * measured in the same run with the same client; the ratio is what to compare across machines.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildContainer, type Container, createApp, loadConfig } from 'bff';
import { connectDatabase, demoIds, migrateToLatest, seedDemo } from 'db';

export const TARGET_SKUS = 300;
export const CONCURRENCY = 32;
const REQUESTS = 4000;
const ROUNDS = 3;

export interface Result {
  rps: number;
  p50: number;
  p99: number;
}

export async function load(url: string, agent: http.Agent, requests: number): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const start = process.hrtime.bigint();
      http
        .get(url, { agent }, (res) => {
          if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}`));
          res.on('data', () => {});
          res.on('end', () => {
            latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
            resolve();
          });
        })
        .on('error', reject);
    });
  const worker = async () => {
    while (next < requests) {
      next++;
      await one();
    }
  };
  const began = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number;
  return { rps: requests / seconds, p50: at(0.5), p99: at(0.99) };
}

async function listen(handler: http.RequestListener): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Adds single-SKU dishes (listed at every store) through the catalog import until the store sells TARGET_SKUS. */
function extraDishesCsv(count: number): string {
  const lines = ['category_code,category_name,product_code,product_name,sku_code,price,packaging_fee,box_count,stores'];
  for (let i = 0; i < count; i++) {
    const code = `X${String(i).padStart(3, '0')}`;
    lines.push(`EXTRA,更多美味,${code},加量菜品 ${i},${code},${(12 + (i % 20)).toFixed(2)},1,1,*`);
  }
  return lines.join('\n');
}

/** Grows the demo menu of `storeId` to TARGET_SKUS SKUs; answers the SKU count. */
export async function fillMenu(container: Container, storeId: string): Promise<number> {
  const catalog = container.services.catalog;
  const skuCount = async () =>
    (await catalog.memberMenu.menu(storeId, 'miniapp')).categories
      .flatMap((c) => c.products)
      .reduce((n, p) => n + p.skus.length, 0);
  const missing = TARGET_SKUS - (await skuCount());
  if (missing > 0) await catalog.import.importFile(demoIds.brand, 'csv', Buffer.from(extraDishesCsv(missing)), 'bench');
  return skuCount();
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heyi-bench-'));
  const file = path.join(dir, 'heyi.db');
  const database = await connectDatabase(file);
  await migrateToLatest(database.db);
  await seedDemo(database.db, {});
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: file,
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret!',
      DATA_ENCRYPTION_KEY: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
      WORKERS_ENABLED: 'false',
      MIGRATE_ON_START: 'false',
    },
    dir,
  );
  const container = await buildContainer(config, { database });
  const storeId = demoIds.store('SH001');
  try {
    const skus = await fillMenu(container, storeId);

    const app = createApp(container);
    const menuServer = await listen(app.callback());
    const menuUrl = `${menuServer.url}/api/mp/stores/${storeId}/menu?channel=miniapp`;
    const body = await (await fetch(menuUrl)).text();

    // The baseline: the same Koa, no middleware, the same bytes.
    const Koa = app.constructor as new () => typeof app;
    const bare = new Koa();
    bare.use(async (ctx) => {
      ctx.type = 'application/json; charset=utf-8';
      ctx.body = body;
    });
    const bareServer = await listen(bare.callback());
    const bareUrl = `${bareServer.url}/menu`;

    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    await load(menuUrl, agent, 500);
    await load(bareUrl, agent, 500);
    const best = (a: Result | undefined, b: Result) => (!a || b.rps > a.rps ? b : a);
    let menu: Result | undefined;
    let baseline: Result | undefined;
    for (let i = 0; i < ROUNDS; i++) {
      baseline = best(baseline, await load(bareUrl, agent, REQUESTS));
      menu = best(menu, await load(menuUrl, agent, REQUESTS));
    }
    agent.destroy();
    menuServer.server.close();
    bareServer.server.close();

    const m = menu as Result;
    const b = baseline as Result;
    const fmt = (r: Result) =>
      `${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms`;
    console.log(
      `member menu: ${skus} SKUs, ${(body.length / 1024).toFixed(1)} KiB body, ${CONCURRENCY} connections, best of ${ROUNDS} × ${REQUESTS} requests`,
    );
    console.log(`  bare Koa JSON (baseline)   ${fmt(b)}`);
    console.log(`  member menu from cache     ${fmt(m)}`);
    console.log(`  ratio menu/baseline: throughput ${(m.rps / b.rps).toFixed(2)}×, p99 ${(m.p99 / b.p99).toFixed(2)}×`);
  } finally {
    await container.close();
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
