import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoIds, seedDemo } from 'db';
import { type StorageTarget, storageTargets, type TestDatabase } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Burst } from '../../../../sim/src/burst';

const bffRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ORDERS = 90;
/** The burst's dishes (Meituan's and Ele.me's default baskets), counted in every store. */
const COUNTED = ['N001-L', 'D003', 'R001-R', 'T002'];
const STOCK = 10_000;
const STORES = ['SH001', 'SH002', 'HZ001', 'HZ002'].map((code) => demoIds.store(code));

async function call(url: string, method: string, token: string, body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** Counts the burst's dishes in every store; answers the (store, sku) pairs that are now counted. */
async function countStock(url: string): Promise<string[]> {
  const login = await fetch(`${url}/api/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'hq', password: 'heyi-demo' }),
  });
  const { token } = (await login.json()) as { token: string };
  const counted: string[] = [];
  for (const store of STORES) {
    for (const sku of COUNTED) {
      const res = await call(`${url}/api/staff/stores/${store}/stock/${sku}`, 'PUT', token, { quantity: STOCK });
      if (res.status === 200) counted.push(`${store}|${sku}`);
    }
  }
  return counted;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A real BFF process (`src/server.ts`) with its workers running, ready when /healthz answers. */
async function startBff(port: number, databaseUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: bffRoot,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: databaseUrl,
      MIGRATE_ON_START: 'false',
      LOG_LEVEL: 'error',
      JWT_SECRET: 'push-crash-secret-push-crash-secret!',
      DATA_ENCRYPTION_KEY: 'dd'.repeat(32),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`BFF exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('BFF did not start within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe.concurrent.each(storageTargets())(
  'a BFF killed with kill -9 in a burst of pushes, on $dialect',
  (target: StorageTarget) => {
    let database: TestDatabase;
    let child: ChildProcess | undefined;
    beforeAll(async () => {
      database = await target.create();
      await seedDemo(database.db, {});
    });
    afterAll(async () => {
      if (child) await killed(child);
      await database?.drop();
    });

    it('loses no order, duplicates none and counts the stock of each exactly once after a restart', async () => {
      const port = await freePort();
      child = await startBff(port, database.url);
      const url = `http://127.0.0.1:${port}`;
      const counted = await countStock(url);
      expect(counted.length).toBeGreaterThan(8);
      const burst = new Burst({ bffUrl: url, count: ORDERS, concurrency: 6, duplicates: 2, retryDelayMs: 100 });
      const running = burst.run();

      // Kill the process with pushes in flight, some recorded and not yet applied.
      while (burst.acked < ORDERS / 3) await new Promise((resolve) => setTimeout(resolve, 5));
      await killed(child);
      const restartedAt = Date.now();
      child = await startBff(port, database.url);
      const result = await running;
      expect(result.failed).toEqual([]);

      // Outbox claims the dead process held are retaken after their lease (60 s); end the wait now.
      await database.db
        .updateTable('outbox')
        .set({ locked_until: 0 })
        .where('status', '=', 'pending')
        .where('updated_at', '<', restartedAt)
        .where('locked_until', '>', 0)
        .execute();
      const deadline = Date.now() + 30_000;
      for (;;) {
        const open = await database.db
          .selectFrom('push_inbox')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('status', '=', 'received')
          .executeTakeFirstOrThrow();
        if (Number(open.n) === 0) break;
        if (Date.now() > deadline) throw new Error(`${open.n} pushes still not applied`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      const orders = await database.db.selectFrom('orders').select(['id', 'channel', 'channel_order_id']).execute();
      const pushed = burst.orders.map((o) => `${o.platform}:${o.orderId}`).sort();
      expect(orders.map((o) => `${o.channel}:${o.channel_order_id}`).sort()).toEqual(pushed);
      const created = await database.db
        .selectFrom('order_event')
        .select(['order_id'])
        .where('type', '=', 'created')
        .execute();
      expect(created).toHaveLength(ORDERS);
      expect(new Set(created.map((e) => e.order_id)).size).toBe(ORDERS);
      const inbox = await database.db
        .selectFrom('push_inbox')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(inbox.n)).toBe(ORDERS);
      expect(result.attempts).toBeGreaterThan(ORDERS * 3 - 1);

      // Every acknowledged order has its stock accounted, exactly once: each counted line holds one
      // reservation of its quantity, and each count went down by exactly what the orders hold.
      const db = database.db;
      const states = await db.selectFrom('orders').select(['stock_state']).execute();
      expect(states.map((o) => o.stock_state)).toEqual(Array(ORDERS).fill('reserved'));
      const lines = await db
        .selectFrom('order_line as l')
        .innerJoin('orders as o', 'o.id', 'l.order_id')
        .leftJoin('stock_reservation as r', (j) =>
          j.onRef('r.order_id', '=', 'l.order_id').onRef('r.line_id', '=', 'l.id'),
        )
        .select(['o.store_id', 'l.sku_code', 'l.quantity', 'l.unmapped', 'r.requested', 'r.covered', 'r.status'])
        .execute();
      const countedLines = lines.filter((l) => l.sku_code !== null && l.unmapped === 0);
      expect(countedLines.length).toBeGreaterThanOrEqual(ORDERS * 2 - 1);
      for (const l of countedLines)
        expect([l.requested, l.covered, l.status]).toEqual([l.quantity, l.quantity, 'held']);
      const reservations = await db
        .selectFrom('stock_reservation')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(reservations.n)).toBe(countedLines.length);
      const items = await db
        .selectFrom('stock_item')
        .select(['store_id', 'code', 'quantity'])
        .where('level', '=', 'sku')
        .execute();
      for (const key of counted) {
        const [store, sku] = key.split('|');
        const held = countedLines
          .filter((l) => l.store_id === store && l.sku_code === sku)
          .reduce((n, l) => n + l.quantity, 0);
        const item = items.find((i) => i.store_id === store && i.code === sku);
        expect({ key, taken: STOCK - Number(item?.quantity) }).toEqual({ key, taken: held });
      }
    }, 150_000);
  },
);
