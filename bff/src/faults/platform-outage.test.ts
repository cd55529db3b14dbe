import { demoIds } from 'db';
import { describe, expect, it } from 'vitest';
import { Burst } from '../../../sim/src/burst';
import type { FaultKind, SimPlatform } from '../../../sim/src/faults';
import type { CallRecord } from '../../../sim/src/state';
import { bookProblems, type CountedStock, openWork, platformOps, stockShownProblems } from './books.fixture';
import { FAST_TIMINGS, type FaultSystem, faultSystemPerFile, sleep, tryRequest, waitFor } from './system.fixture';
import { setCountedStock, staffToken } from './workload.fixture';

const SH001 = demoIds.store('SH001');
const ORDERS = 12;
const PLATFORMS: SimPlatform[] = ['meituan-open-cater', 'meituan-waimaiopen', 'eleme'];
const BACKOFF_BASE_MS = Number(FAST_TIMINGS.OUTBOX_BACKOFF_BASE_MS);
const BACKOFF_MAX_MS = Number(FAST_TIMINGS.OUTBOX_BACKOFF_MAX_MS);

/** The order a merchant call is about, with its API: one outbox message's calls share it. */
function writeBackKey(call: CallRecord): string | null {
  const p = call.params as { biz?: unknown; order_id?: unknown; params?: { orderId?: unknown } };
  const writeBack =
    (call.platform === 'meituan-open-cater' && call.target.startsWith('/waimai/order/')) ||
    (call.platform === 'meituan-waimaiopen' && /^\/?order\//.test(call.target)) ||
    (call.platform === 'eleme' && call.target.startsWith('eleme.order.'));
  if (!writeBack) return null;
  // open-cater's biz is still its raw JSON text when the gateway answered before parsing it.
  const biz =
    typeof p.biz === 'string' ? /"orderId":"?(\d+)/.exec(p.biz)?.[1] : (p.biz as { orderId?: unknown })?.orderId;
  return `${call.target} ${String(biz ?? p.order_id ?? p.params?.orderId)}`;
}

/** Every platform API answers `kind` to every call until the next phase. */
function outage(system: FaultSystem, kind: FaultKind): void {
  system.sim.state.faults.clear();
  // A held answer outlasts the BFF's platform timeout (PLATFORM_TIMEOUT_MS).
  for (const platform of PLATFORMS) system.sim.state.faults.add({ platform, kind, count: 100_000, delayMs: 1500 });
}

describe('a platform API answering 429, 500 and timeouts for a long stretch', () => {
  const fault = faultSystemPerFile();

  it('backs off, keeps each order’s calls in order, and catches up', async () => {
    const system = fault();
    const bff = await system.startBff();
    const url = bff.url;
    const staff = await staffToken(url, 'sm-sh001');
    const counted: CountedStock[] = [{ storeId: SH001, skuCode: 'N001-L', quantity: 300 }];
    await setCountedStock(url, staff, counted);

    const burst = new Burst({
      bffUrl: url,
      count: ORDERS,
      stores: [{ ePoiId: 'SH001', shopId: '100001' }],
      concurrency: 4,
      duplicates: 0,
      state: system.sim.state,
    });
    expect((await burst.run()).failed).toEqual([]);
    await waitFor('the pushes applied and the first stock pushes made', () => openWork(system.database.db));
    const orders = await system.database.db
      .selectFrom('orders')
      .select(['id', 'channel', 'channel_order_id'])
      .where('channel', 'in', ['meituan', 'eleme'])
      .execute();
    expect(orders).toHaveLength(ORDERS);
    const firstCall = system.sim.state.calls.length;

    // 1. 502 pages: the kitchen accepts every order, and a SKU gets counted.
    outage(system, 'server-error');
    for (const o of orders) {
      expect((await tryRequest(url, 'POST', `/api/staff/orders/${o.id}/accept`, { token: staff })).status).toBe(200);
    }
    const later: CountedStock = { storeId: SH001, skuCode: 'R001-R', quantity: 5 };
    await setCountedStock(url, staff, [later]);
    counted.push(later);
    await sleep(4000);
    // 2. Over-frequency answers: the meals are ready.
    outage(system, 'rate-limit');
    for (const o of orders) {
      expect((await tryRequest(url, 'POST', `/api/staff/orders/${o.id}/ready`, { token: staff })).status).toBe(200);
    }
    await sleep(3000);
    // 3. No answer in time (the calls still take effect, late).
    outage(system, 'timeout');
    await sleep(4000);
    system.sim.state.faults.clear();

    await waitFor('the outbox to catch up', () => openWork(system.database.db), 60_000);
    const db = system.database.db;
    expect.soft(await bookProblems(db, counted)).toEqual([]);

    // Caught up: every order confirmed, then reported ready, on its own platform.
    for (const o of orders) {
      const ops = platformOps(system.sim.state, o.channel as 'meituan' | 'eleme', o.channel_order_id);
      expect.soft(ops[0], `${o.channel} ${o.channel_order_id}: ${ops.join(' ')}`).toBe('confirm');
      expect.soft(ops, `${o.channel} ${o.channel_order_id}`).toContain('ready');
      expect.soft(ops.every((op) => op === 'confirm' || op === 'ready')).toBe(true);
    }
    const flagged = await db
      .selectFrom('orders')
      .select(['id', 'flags'])
      .where('flags', 'like', '%"syncFailed":true%')
      .execute();
    expect.soft(flagged).toEqual([]);
    // Both platforms show the stock as it is now.
    expect.soft(await stockShownProblems(db, system.sim.state, 'SH001', counted)).toEqual([]);

    // Backed off: during the 502 stretch, each write-back's retries came no sooner than its
    // backoff allows (the n-th retry waits base × 2^(n−1), capped, less 25 % jitter).
    const byMessage = new Map<string, CallRecord[]>();
    for (const call of system.sim.state.calls.slice(firstCall)) {
      const key = writeBackKey(call);
      if (key) byMessage.set(key, [...(byMessage.get(key) ?? []), call]);
    }
    let longestRun = 0;
    const tooSoon: string[] = [];
    for (const [key, calls] of byMessage) {
      let run = 0;
      while (run < calls.length && calls[run]?.fault === 'server-error') run++;
      longestRun = Math.max(longestRun, run);
      for (let n = 1; n < run; n++) {
        const gap = (calls[n]?.at ?? 0) - (calls[n - 1]?.at ?? 0);
        const least = 0.75 * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (n - 1)) - 25;
        if (gap < least) tooSoon.push(`${key}: retry ${n} after ${gap} ms (backoff at least ${least} ms)`);
      }
    }
    expect.soft(tooSoon).toEqual([]);
    // The stretch was long enough for the delays to grow to their cap.
    expect.soft(longestRun).toBeGreaterThanOrEqual(5);
    expect.soft(bff.output()).not.toMatch(/unhandled|uncaught/i);
  }, 180_000);
});
