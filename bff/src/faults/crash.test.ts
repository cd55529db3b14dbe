import { demoIds } from 'db';
import { describe, expect, it } from 'vitest';
import { Burst } from '../../../sim/src/burst';
import { freePort } from '../testing/private-services';
import {
  bookProblems,
  type CountedStock,
  openWork,
  orderProblems,
  platformOps,
  stockShownProblems,
} from './books.fixture';
import { faultSystemPerFile, killProcess, waitFor } from './system.fixture';
import { acknowledgedPushes, kitchenAccepting, memberCheckouts, setCountedStock, staffToken } from './workload.fixture';

const SH001 = demoIds.store('SH001');
const PUSHES = 90;
const MEMBERS = 12;
/** Counted at SH001 (the others are unlimited): the pushes' and the checkouts' SKUs. */
const COUNTED: CountedStock[] = [
  { storeId: SH001, skuCode: 'N001-L', quantity: 400 },
  { storeId: SH001, skuCode: 'R001-R', quantity: 400 },
];

describe('kill -9 of a BFF during a push burst and member checkouts', () => {
  const fault = faultSystemPerFile();

  it('keeps every acknowledged order once, counted against stock, and delivers everything it owed', async () => {
    const system = fault();
    const port = await freePort();
    let bff = await system.startBff({ port });
    const url = bff.url;
    const staff = await staffToken(url, 'sm-sh001');
    await setCountedStock(url, staff, COUNTED);

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
    const db = system.database.db;
    await waitFor('every push applied and every outbox message delivered', () => openWork(db), 60_000);

    // Each check is soft: a failure reports every broken rule, not just the first.
    expect.soft(await orderProblems(db, acknowledgedPushes(burst), orderIds)).toEqual([]);
    expect.soft(await bookProblems(db, COUNTED)).toEqual([]);
    // The outbox delivered what it owed: each accepted order was confirmed on its platform, and
    // both platforms show SH001's stock as it is now.
    const accepted = await db
      .selectFrom('orders')
      .select(['channel', 'channel_order_id'])
      .where('store_id', '=', SH001)
      .where('channel', 'in', ['meituan', 'eleme'])
      .where('status', '=', 'accepted')
      .execute();
    expect.soft(accepted.length).toBeGreaterThan(0);
    const unconfirmed = accepted.filter(
      (o) => !platformOps(system.sim.state, o.channel as 'meituan' | 'eleme', o.channel_order_id).includes('confirm'),
    );
    expect.soft(unconfirmed).toEqual([]);
    expect.soft(await stockShownProblems(db, system.sim.state, 'SH001', COUNTED)).toEqual([]);
    expect.soft(bff.output()).not.toMatch(/unhandled|uncaught/i);
  }, 240_000);
});
