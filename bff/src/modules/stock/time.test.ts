import { demoIds } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock';
import { menuVersionKey } from '../../lib/live';
import { startTestApp, type TestApp } from '../../testing';
import type { StockService } from './service';
import { anOrderId } from './testing';

const brandId = demoIds.brand;
const SH001 = demoIds.store('SH001');
const staff = { id: demoIds.staff('sm-sh001'), name: 'sm-sh001' };
/** 23:50 on Tuesday 2026-03-10 in Asia/Shanghai. */
const BEFORE_MIDNIGHT = Date.parse('2026-03-10T15:50:00Z');
const MINUTE = 60_000;

describe.each(storageTargets())('stock across midnight in Asia/Shanghai on $dialect', (storage) => {
  let app: TestApp;
  let stock: StockService;
  const clock = new ManualClock(BEFORE_MIDNIGHT);

  beforeAll(async () => {
    app = await startTestApp(storage, { clock });
    stock = app.container.services.stock;
  });
  afterAll(async () => {
    await app?.close();
  });

  const row = (code: string) =>
    app.container.db
      .selectFrom('stock_item')
      .selectAll()
      .where('store_id', '=', SH001)
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
  const history = async (code: string) =>
    (await stock.history(SH001, { code, limit: 20 })).changes.map((c) => `${c.source}:${c.action}`);
  const menuVersion = async () => Number((await app.container.cache.get(menuVersionKey(SH001))) ?? 0);

  it('restores the daily limit at local midnight and lifts a sold-out mark at its until time', async () => {
    await stock.update({ brandId, storeId: SH001, level: 'sku', code: 'N007-L', change: { dailyLimit: 20 }, staff });
    const lastNight = anOrderId();
    await stock.reserve({
      brandId,
      storeId: SH001,
      orderId: lastNight,
      channel: 'miniapp',
      mode: 'strict',
      lines: [{ lineId: 'L1', skuCode: 'N007-L', quantity: 20 }],
    });
    await stock.update({
      brandId,
      storeId: SH001,
      level: 'sku',
      code: 'S005',
      change: { soldOut: true, until: '2026-03-10T16:10:00Z' },
      staff,
    });
    clock.set(BEFORE_MIDNIGHT + 9 * MINUTE); // 23:59
    expect(await stock.soldOutSkuCodes(SH001)).toEqual(new Set(['N007-L', 'S005']));
    expect(await app.container.outbox.drain()).toBeGreaterThanOrEqual(0);
    expect((await row('N007-L')).quantity).toBe(0);

    clock.set(BEFORE_MIDNIGHT + 15 * MINUTE); // 00:05 on Wednesday
    // Reads are right at once, before any job has run.
    expect(await stock.soldOutSkuCodes(SH001)).toEqual(new Set(['S005']));
    const list = await stock.list(SH001, brandId);
    expect(list.businessDate).toBe('2026-03-11');
    expect(list.items.find((i) => i.skuCode === 'N007-L')).toMatchObject({
      quantity: 20,
      dailyLimit: 20,
      soldOut: false,
    });

    // The midnight job writes it and tells menus and platforms.
    const versionBefore = await menuVersion();
    await app.container.outbox.drain();
    expect(await row('N007-L')).toMatchObject({ quantity: 20, business_date: '2026-03-11' });
    expect(await history('N007-L')).toEqual(['system:daily_reset', 'staff:set_daily_limit']);
    expect(await menuVersion()).toBeGreaterThan(versionBefore);
    const nextReset = await app.container.db
      .selectFrom('outbox')
      .select(['next_attempt_at', 'status'])
      .where('dedupe_key', '=', `stock.daily-reset:${SH001}:2026-03-12`)
      .executeTakeFirstOrThrow();
    expect(nextReset).toEqual({ next_attempt_at: Date.parse('2026-03-11T16:00:00Z'), status: 'pending' });

    // Last night's order cancelled after the reset gives nothing back to today's count.
    await stock.release(lastNight, 'cancelled');
    expect((await row('N007-L')).quantity).toBe(20);

    clock.set(BEFORE_MIDNIGHT + 19 * MINUTE); // 00:09: still marked
    await app.container.outbox.drain();
    expect((await row('S005')).sold_out).toBe(1);
    clock.set(BEFORE_MIDNIGHT + 20 * MINUTE); // 00:10: the mark ends
    expect(await stock.soldOutSkuCodes(SH001)).toEqual(new Set());
    await app.container.outbox.drain();
    expect(await row('S005')).toMatchObject({ sold_out: 0, sold_out_until: null });
    expect(await history('S005')).toEqual(['system:sold_out_expired', 'staff:mark_sold_out']);
  });

  it('starts the next day at the limit even when nothing ran at midnight', async () => {
    clock.set(Date.parse('2026-03-11T10:00:00Z')); // 18:00 Wednesday
    await stock.update({ brandId, storeId: SH001, level: 'sku', code: 'N008', change: { dailyLimit: 3 }, staff });
    await stock.reserve({
      brandId,
      storeId: SH001,
      orderId: anOrderId(),
      channel: 'miniapp',
      mode: 'strict',
      lines: [{ lineId: 'L1', skuCode: 'N008', quantity: 3 }],
    });
    clock.set(Date.parse('2026-03-12T02:00:00Z')); // 10:00 Thursday, no job run in between
    const order = await stock.reserve({
      brandId,
      storeId: SH001,
      orderId: anOrderId(),
      channel: 'miniapp',
      mode: 'strict',
      lines: [{ lineId: 'L1', skuCode: 'N008', quantity: 2 }],
    });
    expect(order.ok).toBe(true);
    expect(await row('N008')).toMatchObject({ quantity: 1, business_date: '2026-03-12' });
  });
});
