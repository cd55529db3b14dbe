import { demoIds } from 'db';
import { describe, expect, it } from 'vitest';
import { Burst } from '../../../sim/src/burst';
import type { BffProcess } from '../testing';
import { openEventStream } from '../testing/private-services';
import { bookProblems, type CountedStock, openWork, orderProblems } from './books.fixture';
import { watchResponses } from './responses.fixture';
import { faultSystemPerFile, sleep, tryRequest, waitFor } from './system.fixture';
import { acknowledgedPushes, memberCheckouts, setCountedStock, shownOrderIds, staffToken } from './workload.fixture';

const SH001 = demoIds.store('SH001');
const PUSHES_EACH = 16;
const MEMBERS = 6;
const COUNTED: CountedStock[] = [{ storeId: SH001, skuCode: 'N001-L', quantity: 300 }];
const ORDER_ROUTES = /^\/(webhooks\/|api\/mp\/orders)/;
const PULL = 'eleme.msgNew.getPushFailMsg';

const menuSoldOut = async (url: string, skuCode: string): Promise<boolean | undefined> => {
  const menu = await tryRequest(url, 'GET', `/api/mp/stores/${SH001}/menu`);
  const categories = (menu.body?.categories ?? []) as { products: { skus: { code: string; soldOut: boolean }[] }[] }[];
  for (const c of categories)
    for (const p of c.products) for (const s of p.skus) if (s.code === skuCode) return s.soldOut;
  return undefined;
};

describe('Redis stopped mid-run and started late, under two BFF processes', () => {
  const fault = faultSystemPerFile();

  it('keeps both processes up and taking orders, and everything recovers without a restart', async () => {
    const system = fault();
    // Both processes pull Ele.me's compensation channel every second, under one shared lock.
    const env = { ELEME_PULL_INTERVAL_MS: '1000' };
    const [a, b] = (await Promise.all([system.startBff({ env }), system.startBff({ env })])) as [
      BffProcess,
      BffProcess,
    ];
    const staff = await staffToken(a.url, 'sm-sh001');
    await setCountedStock(a.url, staff, COUNTED);
    expect(await menuSoldOut(b.url, 'D003')).toBe(false);
    const ready = await tryRequest(a.url, 'GET', '/readyz');
    expect(ready.body.status).toBe('ok');
    // A kitchen screen on B, opened while Redis is up.
    const screen = await openEventStream(`${b.url}/api/staff/stores/${SH001}/queue/stream`, {
      authorization: `Bearer ${staff}`,
    });
    expect(screen.status).toBe(200);
    const watch = watchResponses(new URL(a.url).origin, new URL(b.url).origin);
    try {
      await system.redis?.kill();
      const stoppedAt = Date.now();
      // Down: pushes to both processes, checkouts and a sold-out mark on A.
      const bursts = [a, b].map(
        (p) =>
          new Burst({
            bffUrl: p.url,
            count: PUSHES_EACH,
            stores: [{ ePoiId: 'SH001', shopId: '100001' }],
            concurrency: 3,
            duplicates: 1,
            retryDelayMs: 200,
            deadlineMs: 60_000,
            state: system.sim.state,
          }),
      );
      const pushing = Promise.all(bursts.map((x) => x.run()));
      const unexpected: string[] = [];
      const checkouts = memberCheckouts(system, a.url, SH001, MEMBERS, unexpected, 300);
      const soldOut = await tryRequest(a.url, 'PUT', `/api/staff/stores/${SH001}/stock/D003`, {
        token: staff,
        body: { soldOut: true },
      });
      const down = {
        ready: await tryRequest(b.url, 'GET', '/readyz'),
        login: await tryRequest(b.url, 'POST', '/api/admin/login', {
          body: { username: 'clerk-sh001', password: 'heyi-demo' },
        }),
        menu: await tryRequest(b.url, 'GET', `/api/mp/stores/${SH001}/menu`),
      };
      const results = await pushing;
      const orderIds = await checkouts;
      await sleep(2000);
      const restartedAt = Date.now();
      await system.redis?.start();

      // Down, the processes lived and took every order.
      for (const p of [a, b]) expect.soft(p.child.exitCode, 'the process lives').toBeNull();
      for (const r of results) expect.soft(r.failed).toEqual([]);
      expect.soft(unexpected).toEqual([]);
      expect.soft(soldOut.status).toBe(200);
      expect
        .soft([down.ready.status, down.ready.body?.status, down.ready.body?.checks?.cache?.ok])
        .toEqual([200, 'degraded', false]);
      expect.soft(down.login.status).toBe(200);
      expect.soft(down.menu.status).toBe(200);
      const failedOrders = watch.seen.filter((r) => r.status >= 500 && ORDER_ROUTES.test(r.path));
      expect.soft(failedOrders).toEqual([]);
      // The kitchen screen on B heard of every order, through polling while pub/sub was down.
      const pushedIds = async () =>
        (
          await system.database.db
            .selectFrom('orders')
            .select('id')
            .where('store_id', '=', SH001)
            .where('channel', 'in', ['meituan', 'eleme'])
            .execute()
        ).map((o) => o.id);
      await waitFor('the screen to show every pushed order', async () => {
        const missing = (await pushedIds()).filter((id) => !shownOrderIds(screen).has(id));
        return missing.length === 0 || `${missing.length} missing`;
      });
      // No process pulled the compensation channel without the lock (an in-flight pull may finish).
      const pullsWhileDown = system.sim.state.calls.filter(
        (c) => c.target === PULL && c.at > stoppedAt + 2000 && c.at < restartedAt,
      );
      expect.soft(pullsWhileDown).toEqual([]);

      // Back: ready again, the shared lock and cache work, and nothing was lost.
      await waitFor('/readyz to say ok again on both', async () => {
        for (const p of [a, b]) if ((await tryRequest(p.url, 'GET', '/readyz')).body?.status !== 'ok') return false;
        return true;
      });
      await waitFor('the compensation pull to run again under its lock', async () =>
        system.sim.state.calls.some((c) => c.target === PULL && c.at > restartedAt + 500),
      );
      expect
        .soft(await menuSoldOut(b.url, 'D003'), 'B’s menu shows the mark made on A while Redis was down')
        .toBe(true);
      // The sign-in limit is shared again: ten wrong passwords across both processes lock the account on both.
      for (let i = 0; i < 10; i++) {
        await tryRequest(i % 2 ? a.url : b.url, 'POST', '/api/admin/login', {
          body: { username: 'rm-sh', password: 'wrong' },
        });
      }
      for (const p of [a, b]) {
        const locked = await tryRequest(p.url, 'POST', '/api/admin/login', {
          body: { username: 'rm-sh', password: 'heyi-demo' },
        });
        expect.soft(locked.status).toBe(429);
      }
      // A new order reaches the screen that stayed open through the outage.
      const after = new Burst({
        bffUrl: a.url,
        count: 3,
        stores: [{ ePoiId: 'SH001', shopId: '100001' }],
        state: system.sim.state,
      });
      expect.soft((await after.run()).failed).toEqual([]);
      await waitFor('the screen to show the orders pushed after the outage', async () => {
        const missing = (await pushedIds()).filter((id) => !shownOrderIds(screen).has(id));
        return missing.length === 0 || `${missing.length} missing`;
      });

      await waitFor(
        'every push applied and every outbox message delivered',
        () => openWork(system.database.db),
        60_000,
      );
      const db = system.database.db;
      expect.soft(await orderProblems(db, acknowledgedPushes(...bursts, after), orderIds)).toEqual([]);
      expect.soft(await bookProblems(db, COUNTED)).toEqual([]);
      for (const p of [a, b]) expect.soft(p.output()).not.toMatch(/unhandled|uncaught/i);
    } finally {
      watch.stop();
      screen.close();
    }
  }, 240_000);
});
