import { demoIds, newId, seedDemo } from 'db';
import {
  createMysqlTestDatabase,
  createSqliteTestDatabase,
  type TestDatabase,
  testRedisUrl,
  uniqueTestName,
} from 'db/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SecretBox } from '../../lib/secret-box';
import { type BffProcess, sendRequest, startBffProcess } from '../../testing';
import { putStoreOnPlatforms } from './testing';

const DATA_KEY = 'bb'.repeat(32);
const SH001 = demoIds.store('SH001');
const CHANNELS = ['miniapp', 'dinein', 'meituan', 'eleme'] as const;

/** A real BFF process on a random port; only the HTTP side races here (platform pushes: propagation.test.ts). */
const startBff = (env: Record<string, string>) =>
  startBffProcess({
    JWT_SECRET: 'stock-race-secret-stock-race-secret!!',
    DATA_ENCRYPTION_KEY: DATA_KEY,
    WORKERS_ENABLED: 'false',
    DB_POOL_SIZE: '20',
    ...env,
  });

interface Target {
  name: string;
  processes: number;
  skip: boolean;
  database: () => Promise<TestDatabase>;
  env: () => Record<string, string>;
}

const targets: Target[] = [
  {
    name: 'two BFF processes on MariaDB and Redis',
    processes: 2,
    skip: !inject('mysqlUrl') || !inject('redisUrl'),
    database: () => createMysqlTestDatabase(inject('mysqlUrl') as string),
    env: () => ({ REDIS_URL: testRedisUrl() as string, REDIS_KEY_PREFIX: `${uniqueTestName('heyi_t')}:` }),
  },
  {
    name: 'one BFF process on SQLite',
    processes: 1,
    skip: false,
    database: createSqliteTestDatabase,
    env: () => ({}),
  },
];

describe.each(targets)('500 orders from four channels race for 50 bowls: $name', (target) => {
  let database: TestDatabase;
  let procs: BffProcess[] = [];
  let token: string;

  beforeAll(async () => {
    if (target.skip) return;
    database = await target.database();
    await seedDemo(database.db, {});
    await putStoreOnPlatforms(database.db, new SecretBox(Buffer.from(DATA_KEY, 'hex')), SH001, 'SH001', '100001');
    const env = { DATABASE_URL: database.url, ...target.env() };
    procs = await Promise.all(Array.from({ length: target.processes }, () => startBff(env)));
    const login = await sendRequest(procs[0]?.url as string, 'POST', '/api/admin/login', {
      body: { username: 'sm-sh001', password: 'heyi-demo' },
    });
    token = login.body.token;
    const set = await sendRequest(procs[0]?.url as string, 'PUT', `/api/staff/stores/${SH001}/stock/N001-L`, {
      token,
      body: { quantity: 50 },
    });
    expect(set.status).toBe(200);
  }, 90_000);
  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    await database?.drop();
  });

  it.skipIf(target.skip)(
    'sells exactly 50, never below zero, each sale backed by a reservation row',
    async () => {
      const orders = Array.from({ length: 500 }, (_, i) => ({
        orderId: newId(),
        channel: CHANNELS[i % 4] as (typeof CHANNELS)[number],
        proc: procs[i % procs.length] as BffProcess,
      }));
      const answers = await Promise.all(
        orders.map(async (o) => {
          const res = await sendRequest(o.proc.url, 'POST', `/api/staff/stores/${SH001}/reservations`, {
            token,
            body: { orderId: o.orderId, channel: o.channel, lines: [{ lineId: '1', skuCode: 'N001-L', quantity: 1 }] },
          });
          return { ...o, status: res.status, body: res.body };
        }),
      );

      const sold = answers.filter((a) => a.status === 200 && a.body.ok === true);
      const shortPlatform = answers.filter((a) => a.status === 200 && a.body.ok === false);
      const refusedOwn = answers.filter((a) => a.status === 409);
      expect(answers.filter((a) => ![200, 409].includes(a.status))).toEqual([]);
      expect(sold).toHaveLength(50);
      expect(sold.length + shortPlatform.length + refusedOwn.length).toBe(500);
      for (const a of refusedOwn) {
        expect(['miniapp', 'dinein']).toContain(a.channel);
        expect(a.body.error.code).toBe('STOCK_INSUFFICIENT');
      }
      for (const a of shortPlatform) {
        expect(['meituan', 'eleme']).toContain(a.channel);
        expect(a.body.shortages).toEqual([{ skuCode: 'N001-L', requested: 1, available: 0, reason: 'sold_out' }]);
      }

      const db = database.db;
      const item = await db
        .selectFrom('stock_item')
        .select('quantity')
        .where('store_id', '=', SH001)
        .where('code', '=', 'N001-L')
        .executeTakeFirstOrThrow();
      expect(item.quantity).toBe(0);
      const lines = await db
        .selectFrom('stock_reservation')
        .select(['order_id', 'covered', 'status'])
        .where('store_id', '=', SH001)
        .execute();
      const covering = lines.filter((l) => l.covered > 0);
      expect(covering).toHaveLength(50);
      expect(covering.reduce((sum, l) => sum + l.covered, 0)).toBe(50);
      expect(new Set(covering.map((l) => l.order_id))).toEqual(new Set(sold.map((a) => a.orderId)));
      // Short platform orders are recorded too (the platform already sold them); refused own orders are not.
      expect(lines).toHaveLength(50 + shortPlatform.length);
      // Reaching zero queued one sold-out push per platform.
      const pushes = await db.selectFrom('outbox').select('topic').where('topic', '=', 'stock.push').execute();
      expect(pushes.length).toBeGreaterThanOrEqual(2);
    },
    120_000,
  );
});
