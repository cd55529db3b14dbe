import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedDemo } from 'db';
import { createMysqlTestDatabase, createSqliteTestDatabase, type TestDatabase, uniqueTestName } from 'db/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Burst } from '../../sim/src/burst';
import { type BffProcess, freePort, sendRequest, startBffProcess } from './testing';
import { expectBurstBecameOrders } from './testing/push-burst';
import { startTcpProxy, type TcpProxy } from './testing/tcp-proxy';

/**
 * The steps of docs/deploy.md that run on one machine, on the compiled BFF (`dist/main.js` with
 * plain node, built by the Vitest global setup), as production runs it.
 */
const bffRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compiled = (env: Record<string, string>) =>
  startBffProcess({ JWT_SECRET: 'deploy-test-secret-deploy-test-secret', ...env }, 30_000, { compiled: true });

/** GET on a connection of its own, so the proxy hands each request to the next process. */
function getOnNewConnection(url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('the compiled BFF', () => {
  it('starts with plain node on the embedded default, is ready, and drains on SIGTERM', async () => {
    const database = await createSqliteTestDatabase();
    try {
      await seedDemo(database.db, {});
      const p = await compiled({ DATABASE_URL: database.url });
      const ready = await sendRequest(p.url, 'GET', '/readyz');
      expect(ready.status).toBe(200);
      const stores = await sendRequest(p.url, 'GET', '/api/mp/stores');
      expect(stores.body.stores.map((s: { code: string }) => s.code)).toContain('SH001');
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      await database.drop();
    }
  });

  it('reports errors with stack frames in the TypeScript sources (source maps)', async () => {
    const script = `
      import { loadConfig } from ${JSON.stringify(path.join(bffRoot, 'dist/index.js'))};
      try { loadConfig({ NODE_ENV: 'production' }); } catch (err) { console.log(err.stack); }`;
    const child = spawn(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((resolve) => child.on('exit', resolve));
    expect(out).toMatch(/PUBLIC_BASE_URL/);
    expect(out).toMatch(/bff\/src\/config\.ts:\d+:\d+/);
  });
});

describe.skipIf(!inject('mysqlUrl') || !inject('redisUrl'))(
  'a chain: two compiled processes on MariaDB + Redis behind one port',
  () => {
    let database: TestDatabase;
    let proxy: TcpProxy;
    let ports: number[];
    let env: Record<string, string>;
    const running = new Map<number, BffProcess>();

    const start = async (port: number) => {
      running.set(port, await compiled({ ...env, PORT: String(port) }));
      const ready = await sendRequest(`http://127.0.0.1:${port}`, 'GET', '/readyz');
      expect(ready.status).toBe(200);
    };
    /** SIGTERM as a process manager sends on release, wait for a clean exit, start the new one. */
    const restart = async (port: number) => {
      const old = running.get(port) as BffProcess;
      old.child.kill('SIGTERM');
      expect(await old.exited).toBe(0);
      await start(port);
    };

    beforeAll(async () => {
      database = await createMysqlTestDatabase(inject('mysqlUrl') as string);
      await seedDemo(database.db, {});
      ports = [await freePort(), await freePort()];
      proxy = await startTcpProxy(ports);
      env = {
        DATABASE_URL: database.url,
        REDIS_URL: inject('redisUrl') as string,
        REDIS_KEY_PREFIX: `${uniqueTestName('heyi_t')}:`,
        // What the platforms call back: the load balancer, which legacy Meituan pushes are signed over.
        PUBLIC_BASE_URL: proxy.url,
        LOG_LEVEL: 'info',
      };
      await Promise.all(ports.map(start));
    }, 60_000);
    afterAll(async () => {
      for (const p of running.values()) p.child.kill('SIGKILL');
      await proxy?.close();
      await database?.drop();
    });

    it('serves one API through the one port from both processes', async () => {
      const login = await sendRequest(proxy.url, 'POST', '/api/admin/login', {
        body: { username: 'hq', password: 'heyi-demo' },
      });
      expect(login.status).toBe(200);
      for (let i = 0; i < 6; i++) {
        const me = await getOnNewConnection(`${proxy.url}/api/admin/me`, login.body.token);
        expect(me.status).toBe(200);
        expect(JSON.parse(me.body).username).toBe('hq');
      }
      for (const port of ports) expect(proxy.connections.get(port)).toBeGreaterThanOrEqual(3);
    });

    it('loses no push and no order in a rolling restart under a push burst', async () => {
      const count = 90;
      // Each third of the burst waits until the restart before it has begun, so that both restarts
      // happen with pushes still to come however fast this machine is.
      const began = ports.map(() => {
        let resolve = () => {};
        const promise = new Promise<void>((r) => {
          resolve = r;
        });
        return { promise, resolve };
      });
      const beforeSend = async (index: number) => {
        for (const [i, gate] of began.entries()) if (index >= ((i + 1) * count) / 3) await gate.promise;
      };
      const burst = new Burst({
        bffUrl: proxy.url,
        count,
        concurrency: 6,
        duplicates: 1,
        retryDelayMs: 100,
        beforeSend,
      });
      const sending = burst.run();
      const ackedAtRestart: number[] = [];
      for (const [i, port] of ports.entries()) {
        while (burst.acked < (count * (i + 1)) / 4) await new Promise((resolve) => setTimeout(resolve, 5));
        ackedAtRestart.push(burst.acked);
        const restarting = restart(port);
        began[i]?.resolve();
        await restarting;
      }
      const result = await sending;
      // Both restarts began with pushes still to come.
      for (const acked of ackedAtRestart) expect(acked).toBeLessThan(count);
      expect(result.failed).toEqual([]);

      // Every acknowledged push is applied by whichever process's outbox worker claims it.
      await expectBurstBecameOrders(database.db, burst);
    }, 60_000);
  },
);
