import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedDemo } from 'db';
import { type StorageTarget, storageTargets, type TestDatabase } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Burst } from '../../../../sim/src/burst';
import { expectBurstBecameOrders } from '../../testing/push-burst';

const bffRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ORDERS = 90;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A real BFF process (`src/server.ts`) with its workers running, ready when /healthz answers. */
async function startBff(port: number, databaseUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--conditions=heyi-source', '--import', 'tsx', 'src/server.ts'], {
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

    it('loses no order and duplicates none after a restart', async () => {
      const port = await freePort();
      child = await startBff(port, database.url);
      const url = `http://127.0.0.1:${port}`;
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
      await expectBurstBecameOrders(database.db, burst);
      expect(result.attempts).toBeGreaterThan(ORDERS * 3 - 1);
    }, 90_000);
  },
);
