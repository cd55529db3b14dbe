/**
 * Stock reservations per second on one hot SKU, through two real BFF processes on MariaDB (the
 * full path: HTTP, auth, the reservation transaction with its conditional UPDATE, reservation rows
 * and platform-sync marks), next to the bare conditional UPDATE
 * (`quantity = quantity - 1 WHERE quantity >= 1`) on the same MariaDB, measured in the same run.
 *
 * `pnpm bench stock-reserve`. Settings: HEYI_BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306),
 * HEYI_BENCH_REDIS_URL (default redis://127.0.0.1:6379), BENCH_RESERVATIONS (default 3000).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// Not in bff's package exports; the bench reaches for the same fixture the stock tests use.
import { SecretBox } from 'bff/lib/secret-box';
import { putStoreOnPlatforms } from 'bff/modules/stock/testing/index';
import { sendRequest } from 'bff/testing';
import { connectDatabase, demoIds, newId, seedDemo } from 'db';
import { createMysqlTestDatabase } from 'db/testing';

const bffRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bff');
const MYSQL = process.env.HEYI_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const REDIS = process.env.HEYI_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const N = Number(process.env.BENCH_RESERVATIONS ?? 3000);
const CONCURRENCY = 64;
const DATA_KEY = 'cc'.repeat(32);
const SH001 = demoIds.store('SH001');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A real BFF process on its own port, quiet (warnings only), ready when /healthz answers. */
async function startBff(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: bffRoot,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'stock-bench-secret-stock-bench-secret',
      DATA_ENCRYPTION_KEY: DATA_KEY,
      WORKERS_ENABLED: 'false',
      DB_POOL_SIZE: '20',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`BFF exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('BFF did not start within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs `total` jobs with `concurrency` in flight; answers jobs per second. */
async function rate(total: number, concurrency: number, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) await job(i);
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

export async function run(): Promise<void> {
  const database = await createMysqlTestDatabase(MYSQL);
  const procs: { child: ChildProcess; url: string }[] = [];
  const extra = await connectDatabase(database.url, { poolSize: 20 });
  try {
    await seedDemo(database.db, {});
    await putStoreOnPlatforms(database.db, new SecretBox(Buffer.from(DATA_KEY, 'hex')), SH001, 'SH001', '100001');
    const env = { DATABASE_URL: database.url, REDIS_URL: REDIS, REDIS_KEY_PREFIX: `heyi_bench_${newId()}:` };
    const [a, b] = await Promise.all([startBff(env), startBff(env)]);
    procs.push(a, b);
    const login = await sendRequest(a.url, 'POST', '/api/admin/login', {
      body: { username: 'sm-sh001', password: 'heyi-demo' },
    });
    const token = login.body.token as string;
    for (const code of ['N001-L', 'N002-L']) {
      const set = await sendRequest(a.url, 'PUT', `/api/staff/stores/${SH001}/stock/${code}`, {
        token,
        body: { quantity: 1_000_000 },
      });
      if (set.status !== 200) throw new Error(`setting stock failed: ${set.status} ${set.text}`);
    }

    // Warm both processes (JIT, pools) before measuring.
    const reserve = async (i: number) => {
      const target = i % 2 === 0 ? a : b;
      const res = await sendRequest(target.url, 'POST', `/api/staff/stores/${SH001}/reservations`, {
        token,
        body: {
          orderId: newId(),
          channel: i % 4 < 2 ? 'dinein' : 'meituan',
          lines: [{ lineId: '1', skuCode: 'N001-L', quantity: 1 }],
        },
      });
      if (res.status !== 200 || res.body.ok !== true) throw new Error(`reservation failed: ${res.status} ${res.text}`);
    };
    await rate(200, CONCURRENCY, reserve);
    const reservations = await rate(N, CONCURRENCY, reserve);

    // Baseline: the bare conditional UPDATE on another row of the same table, from two pools.
    const row = await database.db
      .selectFrom('stock_item')
      .select('id')
      .where('store_id', '=', SH001)
      .where('code', '=', 'N002-L')
      .executeTakeFirstOrThrow();
    const pools = [database.db, extra.db];
    const bare = async (i: number) => {
      const db = pools[i % 2] as typeof database.db;
      await db
        .updateTable('stock_item')
        .set((eb) => ({ quantity: eb('quantity', '-', 1) }))
        .where('id', '=', row.id)
        .where('quantity', '>=', 1)
        .execute();
    };
    await rate(200, CONCURRENCY, bare);
    const updates = await rate(N, CONCURRENCY, bare);

    const left = await database.db
      .selectFrom('stock_item')
      .select('quantity')
      .where('store_id', '=', SH001)
      .where('code', '=', 'N001-L')
      .executeTakeFirstOrThrow();
    if (left.quantity !== 1_000_000 - N - 200)
      throw new Error(`expected ${1_000_000 - N - 200} left, found ${left.quantity}`);

    console.log(`one hot SKU, ${N} reservations, ${CONCURRENCY} in flight, 2 BFF processes, MariaDB`);
    console.log(`  reserve (HTTP → service → MariaDB)      ${reservations.toFixed(0).padStart(7)} /s`);
    console.log(`  bare conditional UPDATE (same MariaDB)  ${updates.toFixed(0).padStart(7)} /s`);
    console.log(`  ratio reserve / bare UPDATE             ${(reservations / updates).toFixed(3)}`);
  } finally {
    for (const p of procs) p.child.kill('SIGKILL');
    await extra.close();
    await database.drop();
  }
}
