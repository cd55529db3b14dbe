import { demoIds } from 'db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Burst } from '../../../sim/src/burst';
import { elemeShown } from '../../../sim/src/eleme/stock';
import { meituanShown } from '../../../sim/src/meituan/stock';
import type { BffProcess } from '../testing';
import { freePort } from '../testing/private-services';
import { bookProblems, type CountedStock, openWork, platformOps } from './books.fixture';
import { type FaultSystem, killProcess, startFaultSystem, tryRequest, waitFor } from './system.fixture';
import { kitchenAccepting, memberCheckouts, staffToken } from './workload.fixture';

const SH001 = demoIds.store('SH001');
const PUSHES = 90;
const MEMBERS = 12;
/** Counted at SH001 (the others are unlimited): the pushes' and the checkouts' SKUs. */
const COUNTED: CountedStock[] = [
  { storeId: SH001, skuCode: 'N001-L', quantity: 400 },
  { storeId: SH001, skuCode: 'R001-R', quantity: 400 },
];

describe('kill -9 of a BFF during a push burst and member checkouts', () => {
  let system: FaultSystem;
  let bff: BffProcess;
  beforeAll(async () => {
    system = await startFaultSystem();
  });
  afterAll(async () => {
    await system?.close();
  });

  it('keeps every acknowledged order once, counted against stock, and delivers everything it owed', async () => {
    const port = await freePort();
    bff = await system.startBff({ port });
    const url = bff.url;
    const staff = await staffToken(url, 'sm-sh001');
    for (const c of COUNTED) {
      const set = await tryRequest(url, 'PUT', `/api/staff/stores/${SH001}/stock/${c.skuCode}`, {
        token: staff,
        body: { quantity: c.quantity },
      });
      expect(set.status).toBe(200);
    }

    // Meituan (both gateways) and Ele.me push new orders; the simulator knows them, so it takes
    // the confirms the kitchen's accepts owe.
    const burst = new Burst({
      bffUrl: url,
      count: PUSHES,
      concurrency: 4,
      duplicates: 1,
      retryDelayMs: 100,
      deadlineMs: 150_000,
      state: system.sim.state,
    });
    const pushing = burst.run();

    // Members check out at SH001 while the pushes arrive, and the kitchen accepts SH001's orders
    // as they come in (each accept owes the platform a confirm).
    const unexpected: string[] = [];
    const checkouts = memberCheckouts(system, url, SH001, MEMBERS, unexpected);
    const kitchen = kitchenAccepting(url, SH001, staff);

    // Two crashes: one early in the burst, one while it and the checkouts are in full flow.
    for (const fraction of [0.25, 0.6]) {
      await waitFor('the burst to progress', async () => burst.acked >= PUSHES * fraction, 120_000, 20);
      await killProcess(bff.child);
      bff = await system.startBff({ port });
    }

    const burstResult = await pushing;
    const orderIds = await checkouts;
    await kitchen.stop();
    expect(burstResult.failed).toEqual([]);
    expect(unexpected).toEqual([]);
    await waitFor('every push applied and every outbox message delivered', () => openWork(system.database.db), 60_000);

    // Each check is soft: a failure reports every broken rule, not just the first.
    const db = system.database.db;
    // Every acknowledged push has exactly one order; nothing else appeared.
    const platformOrders = await db
      .selectFrom('orders')
      .select(['id', 'channel', 'channel_order_id', 'status', 'stock_state', 'store_id'])
      .where('channel', 'in', ['meituan', 'eleme'])
      .execute();
    expect
      .soft(platformOrders.map((o) => `${o.channel}:${o.channel_order_id}`).sort())
      .toEqual(burst.orders.map((o) => `${o.platform}:${o.orderId}`).sort());
    expect.soft(platformOrders.filter((o) => o.stock_state === 'none')).toEqual([]);
    // Each checkout made one order, placed and paid, whatever the retries.
    const memberOrders = await db
      .selectFrom('orders')
      .select(['id', 'placement_key', 'status', 'stock_state'])
      .where('channel', '=', 'miniapp')
      .execute();
    expect.soft(memberOrders).toHaveLength(MEMBERS);
    expect.soft(memberOrders.map((o) => o.id).sort()).toEqual([...orderIds].sort());
    for (const o of memberOrders) {
      expect.soft(['placed', 'accepted']).toContain(o.status);
      expect.soft(o.stock_state).toBe('committed');
    }
    // One payment per order, paid once.
    const payments = await db.selectFrom('payment').select(['order_id', 'status']).execute();
    expect
      .soft(payments.map((p) => [p.order_id, p.status]).sort())
      .toEqual(memberOrders.map((o) => [o.id, 'paid']).sort());

    // The books add up: reservations, slots and counted stock.
    expect.soft(await bookProblems(db, COUNTED)).toEqual([]);

    // The outbox delivered what it owed: each accepted order was confirmed on its platform, and
    // both platforms show SH001's stock as it is now.
    const accepted = platformOrders.filter((o) => o.store_id === SH001 && o.status !== 'placed');
    expect.soft(accepted.length).toBeGreaterThan(0);
    for (const o of await db
      .selectFrom('orders')
      .select(['channel', 'channel_order_id', 'status'])
      .where('store_id', '=', SH001)
      .where('channel', 'in', ['meituan', 'eleme'])
      .where('status', '=', 'accepted')
      .execute()) {
      expect
        .soft(platformOps(system.sim.state, o.channel as 'meituan' | 'eleme', o.channel_order_id))
        .toContain('confirm');
    }
    for (const c of COUNTED) {
      const item = await db
        .selectFrom('stock_item')
        .select('quantity')
        .where('store_id', '=', SH001)
        .where('code', '=', c.skuCode)
        .executeTakeFirstOrThrow();
      expect.soft(meituanShown(system.sim.state, 'SH001', c.skuCode)?.stock).toBe(String(item.quantity));
      const spec = await db
        .selectFrom('channel_mapping')
        .innerJoin('sku', 'sku.id', 'channel_mapping.sku_id')
        .select('channel_mapping.platform_sku_id')
        .where('channel_mapping.store_id', '=', SH001)
        .where('channel_mapping.platform', '=', 'eleme')
        .where('sku.code', '=', c.skuCode)
        .executeTakeFirstOrThrow();
      expect.soft(elemeShown(system.sim.state, spec.platform_sku_id as string)?.stock).toBe(item.quantity);
    }
    expect.soft(bff.output()).not.toMatch(/unhandled|uncaught/i);
  }, 240_000);
});
