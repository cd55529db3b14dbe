import { demoIds, seedDemo } from 'db';
import { createSqliteTestDatabase, type TestDatabase } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Burst } from '../../../sim/src/burst';
import { sendRequest } from '../testing';
import {
  type BffProcess,
  freePort,
  openEventStream,
  type PrivateServer,
  startBffProcess,
  startPrivateRedis,
  waitUntil,
} from '../testing/private-services';

const SH001 = demoIds.store('SH001');

/** A BFF process on its own Redis (which the test stops, stalls and restarts) and a seeded SQLite file. */
async function startAgainst(redis: PrivateServer, database: TestDatabase, env: Record<string, string> = {}) {
  const port = await freePort();
  return startBffProcess(
    {
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      // The Ele.me compensation round runs every second, so an outage meets it at once.
      ELEME_PULL_INTERVAL_MS: '1000',
      ...env,
    },
    60_000,
  );
}

const readiness = async (bff: BffProcess) => (await sendRequest(bff.url, 'GET', '/readyz')).body?.status;
const redisGauge = async (bff: BffProcess) =>
  /heyi_dependency_up\{dependency="redis"\} (\d)/.exec((await sendRequest(bff.url, 'GET', '/metrics')).text)?.[1];

async function placedOrders(database: TestDatabase): Promise<string[]> {
  const rows = await database.db
    .selectFrom('orders')
    .select('id')
    .where('store_id', '=', SH001)
    .where('status', '=', 'placed')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

describe('a BFF process whose Redis stops, stalls and comes back', () => {
  let redis: PrivateServer;
  let database: TestDatabase;
  let bff: BffProcess;
  let clerk: string;
  beforeAll(async () => {
    [redis, database] = await Promise.all([startPrivateRedis(), createSqliteTestDatabase()]);
    await seedDemo(database.db, {});
    bff = await startAgainst(redis, database, { LOG_LEVEL: 'debug' });
  }, 120_000);
  afterAll(async () => {
    bff?.child.kill('SIGKILL');
    await redis?.destroy();
    await database?.drop();
  });

  it('lives through the outage: takes pushes, signs staff in, serves the menu, and reports degraded', async () => {
    expect(await readiness(bff)).toBe('ok');
    await redis.stop();
    // The Ele.me compensation round meets the outage (its unhandled rejection used to kill the process).
    await bff.waitForOutput(/compensation round skipped/);
    expect(bff.alive()).toBe(true);

    const ready = await sendRequest(bff.url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'degraded', checks: { database: { ok: true }, cache: { ok: false } } });
    expect(await redisGauge(bff)).toBe('0');

    const login = await sendRequest(bff.url, 'POST', '/api/admin/login', {
      body: { username: 'clerk-sh001', password: 'heyi-demo' },
    });
    expect(login.status).toBe(200);
    clerk = login.body.token;
    const menu = await sendRequest(bff.url, 'GET', `/api/mp/stores/${SH001}/menu`);
    expect(menu.status).toBe(200);
    expect(menu.body.categories.length).toBeGreaterThan(0);

    const burst = new Burst({ bffUrl: bff.url, count: 12, concurrency: 2, duplicates: 1, deadlineMs: 30_000 });
    expect((await burst.run()).failed).toEqual([]);
    await waitUntil('every push applied', async () => {
      const open = await database.db.selectFrom('push_inbox').select('id').where('status', '=', 'received').execute();
      return open.length === 0;
    });
    const orders = await database.db.selectFrom('orders').select(['channel', 'channel_order_id']).execute();
    expect(orders.map((o) => o.channel_order_id).sort()).toEqual(burst.orders.map((o) => o.orderId).sort());
  });

  it('still limits wrong passwords, per process, while Redis is down', async () => {
    const attempt = () =>
      sendRequest(bff.url, 'POST', '/api/admin/login', { body: { username: 'rm-sh', password: 'wrong' } });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await attempt()).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    const refused = await attempt();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('keeps a kitchen screen live by polling the database while pub/sub is down', async () => {
    const stream = await openEventStream(`${bff.url}/api/staff/stores/${SH001}/queue/stream`, {
      authorization: `Bearer ${clerk}`,
    });
    try {
      expect(stream.status).toBe(200);
      await stream.waitFor((e) => e.event === 'queue');
      const [orderId] = await placedOrders(database);
      const accepted = await sendRequest(bff.url, 'POST', `/api/staff/orders/${orderId}/accept`, { token: clerk });
      expect(accepted.status).toBe(200);
      const event = await stream.waitFor(
        (e) => e.event === 'order' && e.data.includes(orderId as string) && e.data.includes('"accepted"'),
      );
      expect(JSON.parse(event.data).order).toMatchObject({ id: orderId, status: 'accepted' });
    } finally {
      stream.close();
    }
  });

  it('recovers by itself when Redis is back: ready, gauged up, and screens fed by pub/sub again', async () => {
    await redis.start();
    await waitUntil('readyz ok again', async () => (await readiness(bff)) === 'ok');
    expect(await redisGauge(bff)).toBe('1');
    expect(bff.output()).toMatch(/Redis available again/);

    const stream = await openEventStream(`${bff.url}/api/staff/stores/${SH001}/queue/stream`, {
      authorization: `Bearer ${clerk}`,
    });
    try {
      await stream.waitFor((e) => e.event === 'queue');
      const [orderId] = await placedOrders(database);
      expect((await sendRequest(bff.url, 'POST', `/api/staff/orders/${orderId}/accept`, { token: clerk })).status).toBe(
        200,
      );
      const event = await stream.waitFor((e) => e.event === 'order' && e.data.includes(orderId as string));
      expect(JSON.parse(event.data)).toMatchObject({ type: 'order.status', order: { status: 'accepted' } });
    } finally {
      stream.close();
    }
  });

  it('answers writes and sign-ins while Redis is stalled, before the stall ends', async () => {
    const [orderId] = await placedOrders(database);
    expect(orderId).toBeDefined();
    redis.pause();
    try {
      const accepted = await sendRequest(bff.url, 'POST', `/api/staff/orders/${orderId}/accept`, { token: clerk });
      expect(accepted.status).toBe(200);
      const login = await sendRequest(bff.url, 'POST', '/api/admin/login', {
        body: { username: 'sm-sh001', password: 'heyi-demo' },
      });
      expect(login.status).toBe(200);
      expect(await readiness(bff)).toBe('degraded');
    } finally {
      redis.resume();
    }
    await waitUntil('readyz ok after the stall', async () => (await readiness(bff)) === 'ok');
    expect(bff.alive()).toBe(true);
  });
});

describe('a BFF process started while its Redis is down', () => {
  let redis: PrivateServer;
  let database: TestDatabase;
  let bff: BffProcess | undefined;
  beforeAll(async () => {
    [redis, database] = await Promise.all([startPrivateRedis(), createSqliteTestDatabase()]);
    await seedDemo(database.db, {});
    await redis.stop();
  }, 120_000);
  afterAll(async () => {
    bff?.child.kill('SIGKILL');
    await redis?.destroy();
    await database?.drop();
  });

  it('starts with one warning line, serves, and takes Redis up when it comes', async () => {
    bff = await startAgainst(redis, database);
    await bff.waitForOutput(/Redis unavailable/);
    const ready = await sendRequest(bff.url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('degraded');
    const login = await sendRequest(bff.url, 'POST', '/api/admin/login', {
      body: { username: 'hq', password: 'heyi-demo' },
    });
    expect(login.status).toBe(200);
    const warnings = bff
      .output()
      .split('\n')
      .filter((line) => /"level":(40|50|60)/.test(line));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Redis unavailable/);
    expect(bff.output()).not.toMatch(/\n\s+at /);

    await redis.start();
    await waitUntil('readyz ok once Redis is up', async () => (await readiness(bff as BffProcess)) === 'ok');
    expect(bff.alive()).toBe(true);
  });
});
