import http from 'node:http';
import { seedDemo } from 'db';
import {
  createMysqlTestDatabase,
  createSqliteTestDatabase,
  type TestDatabase,
  testRedisUrl,
  uniqueTestName,
} from 'db/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BffProcess, sendRequest, startBffProcess } from './testing';

/** Starts `bff/src/server.ts` as an operator would (`pnpm start:bff`), on a random port. */
const startProcess = (env: Record<string, string>) =>
  startBffProcess({ JWT_SECRET: 'two-process-secret-two-process-secret', ...env }, 20_000);

describe.skipIf(!inject('mysqlUrl') || !inject('redisUrl'))('two BFF processes on one MariaDB and Redis', () => {
  let database: TestDatabase;
  let a: BffProcess;
  let b: BffProcess;
  beforeAll(async () => {
    database = await createMysqlTestDatabase(inject('mysqlUrl') as string);
    await seedDemo(database.db, {});
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl() as string,
      REDIS_KEY_PREFIX: `${uniqueTestName('heyi_t')}:`,
    };
    [a, b] = await Promise.all([startProcess(env), startProcess(env)]);
  }, 60_000);
  afterAll(async () => {
    for (const p of [a, b]) p?.child.kill('SIGKILL');
    await database?.drop();
  });

  it('both answer /readyz', async () => {
    for (const p of [a, b]) {
      const res = await sendRequest(p.url, 'GET', '/readyz');
      expect(res.status).toBe(200);
      expect(res.body.checks).toEqual({ database: { ok: true }, cache: { ok: true } });
    }
  });

  it('accept each other’s tokens', async () => {
    const login = await sendRequest(a.url, 'POST', '/api/admin/login', {
      body: { username: 'hq', password: 'heyi-demo' },
    });
    expect(login.status).toBe(200);
    const me = await sendRequest(b.url, 'GET', '/api/admin/me', { token: login.body.token });
    expect(me.body.username).toBe('hq');
  });

  it('share one sign-in rate limit through Redis', async () => {
    for (let i = 0; i < 10; i++) {
      const target = i % 2 === 0 ? a : b;
      expect(
        (await sendRequest(target.url, 'POST', '/api/admin/login', { body: { username: 'rm-sh', password: 'x' } }))
          .status,
      ).toBe(401);
    }
    expect(
      (await sendRequest(a.url, 'POST', '/api/admin/login', { body: { username: 'rm-sh', password: 'heyi-demo' } }))
        .status,
    ).toBe(429);
    expect(
      (await sendRequest(b.url, 'POST', '/api/admin/login', { body: { username: 'rm-sh', password: 'heyi-demo' } }))
        .status,
    ).toBe(429);
  });
});

describe('process start and shutdown', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createSqliteTestDatabase();
    await seedDemo(database.db, {});
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('says in one line that its port is taken, and exits 1', async () => {
    const holder = http.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = String((holder.address() as { port: number }).port);
    const error = await startProcess({ DATABASE_URL: database.url, PORT: port }).catch((e: Error) => e);
    holder.close();
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/BFF exited with 1/);
    expect((error as Error).message).toMatch(/cannot listen on 127\.0\.0\.1:\d+: the port is in use/);
    expect((error as Error).message).not.toMatch(/\n\s+at /);
  });

  it('finishes a request in flight on SIGTERM, refuses new connections, and exits 0', async () => {
    const p = await startProcess({ DATABASE_URL: database.url });
    const { port } = new URL(p.url);
    // A sign-in whose body arrives slowly: still in flight when SIGTERM lands.
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/admin/login',
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write('{"username":"hq",');
      setTimeout(() => {
        p.child.kill('SIGTERM');
        setTimeout(() => req.end('"password":"heyi-demo"}'), 300);
      }, 200);
    });
    const res = await response;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).staff.username).toBe('hq');
    expect(await p.exited).toBe(0);
    await expect(fetch(`${p.url}/healthz`)).rejects.toThrow();
  });
});
