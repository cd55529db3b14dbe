import { demoIds } from 'db';
import { storageTargets } from 'db/testing';
import pino from 'pino';
import type { Platform } from 'shared-types';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock';
import { type LiveEvent, menuVersionKey, storeLiveChannel } from '../../lib/live';
import { OutboxWorker } from '../../sync/worker';
import { startTestApp, type TestApp } from '../../testing';
import type { PlatformSkuState, PlatformStockSender, PlatformStoreRef } from './push';
import { StockService } from './service';
import { anOrderId, LUNCH, putStoreOnPlatforms } from './testing';

const brandId = demoIds.brand;
const SH001 = demoIds.store('SH001');
const staff = { id: demoIds.staff('sm-sh001'), name: 'sm-sh001' };

/** Records what each platform was told, in order, as the channel clients would send it. */
class RecordingSender implements PlatformStockSender {
  readonly calls: { store: PlatformStoreRef; skus: PlatformSkuState[] }[] = [];
  failNext = false;
  async send(store: PlatformStoreRef, skus: PlatformSkuState[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('platform unavailable');
    }
    this.calls.push({ store, skus });
  }
  /** What the platform shows now, per SKU code. */
  shown(): Map<string, { onSale: boolean; stock: number }> {
    const out = new Map<string, { onSale: boolean; stock: number }>();
    for (const call of this.calls) for (const s of call.skus) out.set(s.skuCode, { onSale: s.onSale, stock: s.stock });
    return out;
  }
}

describe.each(storageTargets())('stock changes reach platforms, menus and screens on $dialect', (storage) => {
  let app: TestApp;
  let stock: StockService;
  let worker: OutboxWorker;
  const clock = new ManualClock(LUNCH);
  const senders: Record<Platform, RecordingSender> = { meituan: new RecordingSender(), eleme: new RecordingSender() };
  const events: LiveEvent[] = [];

  beforeAll(async () => {
    app = await startTestApp(storage, { clock });
    const { db, cache, secrets, services } = app.container;
    await putStoreOnPlatforms(db, secrets, SH001, 'SH001', '100001');
    // A stock service of its own, wired to recording senders and its own outbox worker.
    worker = new OutboxWorker(db, cache, clock, pino({ level: 'silent' }));
    stock = new StockService({
      db,
      cache,
      clock,
      logger: pino({ level: 'silent' }),
      outbox: worker,
      catalog: services.catalogLookup,
      stores: services.stores,
      senders,
    });
    stock.registerTopics(worker);
    await cache.subscribe(storeLiveChannel(SH001), (m) => events.push(JSON.parse(m)));
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await worker.drain();
    for (const s of Object.values(senders)) {
      s.calls.length = 0;
      s.failNext = false;
    }
    events.length = 0;
  });

  const set = (
    code: string,
    change: Parameters<StockService['update']>[0]['change'],
    level: 'sku' | 'product' = 'sku',
  ) => stock.update({ brandId, storeId: SH001, level, code, change, staff });
  const duePushes = () =>
    app.container.db
      .selectFrom('outbox')
      .select(['next_attempt_at'])
      .where('topic', '=', 'stock.push')
      .where('status', '=', 'pending')
      .execute();

  it('sends a sold-out mark to every platform at once, with the platform’s own ids', async () => {
    const version = Number((await app.container.cache.get(menuVersionKey(SH001))) ?? 0);
    await set('N001-L', { soldOut: true });
    const due = await duePushes();
    expect(due).toHaveLength(2);
    expect(due.every((d) => d.next_attempt_at <= clock.now())).toBe(true);
    expect(await stock.soldOutSkuCodes(SH001)).toContain('N001-L');
    expect(Number(await app.container.cache.get(menuVersionKey(SH001)))).toBeGreaterThan(version);
    await new Promise((resolve) => setImmediate(resolve)); // pub/sub delivers asynchronously
    expect(events.map((e) => e.type)).toContain('stock.changed');

    await worker.drain();
    expect(senders.meituan.calls).toHaveLength(1);
    expect(senders.meituan.calls[0]?.store).toMatchObject({ storeCode: 'SH001', token: 'sim-app-auth-token-SH001' });
    expect(senders.meituan.calls[0]?.skus).toEqual([
      { skuCode: 'N001-L', platformItemId: 'N001', platformSkuId: 'N001-L', onSale: false, stock: 0, unlimited: false },
    ]);
    expect(senders.eleme.calls[0]?.store.platformStoreId).toBe('100001');
    expect(senders.eleme.calls[0]?.skus[0]).toMatchObject({ skuCode: 'N001-L', onSale: false, stock: 0 });
    expect(senders.eleme.calls[0]?.skus[0]?.platformSkuId).toMatch(/^\d{12}$/);

    await set('N001-L', { soldOut: false });
    await worker.drain();
    expect(senders.meituan.shown().get('N001-L')).toEqual({ onSale: true, stock: 9999 });
  });

  it('batches a burst of orders into one push per platform with the latest counts', async () => {
    await set('N002-L', { quantity: 30 });
    await worker.drain();
    for (const s of Object.values(senders)) s.calls.length = 0;
    for (let i = 0; i < 10; i++) {
      await stock.reserve({
        brandId,
        storeId: SH001,
        orderId: anOrderId(),
        channel: i % 2 ? 'meituan' : 'miniapp',
        mode: i % 2 ? 'record' : 'strict',
        lines: [{ lineId: '1', skuCode: 'N002-L', quantity: 2 }],
      });
    }
    const due = await duePushes();
    expect(due).toHaveLength(2);
    expect(await worker.drain()).toBe(0); // quantity-only changes gather for a moment
    clock.advance(500);
    await worker.drain();
    expect(senders.meituan.calls).toHaveLength(1);
    expect(senders.meituan.shown().get('N002-L')).toEqual({ onSale: true, stock: 10 });
    expect(senders.eleme.shown().get('N002-L')).toEqual({ onSale: true, stock: 10 });
  });

  it('never leaves a platform showing on shelf what is sold out now, even after a failed push', async () => {
    await set('N004-L', { quantity: 1 });
    clock.advance(500);
    await worker.drain();
    expect(senders.meituan.shown().get('N004-L')).toEqual({ onSale: true, stock: 1 });
    senders.meituan.failNext = true;
    await stock.reserve({
      brandId,
      storeId: SH001,
      orderId: anOrderId(),
      channel: 'miniapp',
      mode: 'strict',
      lines: [{ lineId: '1', skuCode: 'N004-L', quantity: 1 }],
    });
    await worker.drain(); // Meituan refuses the sold-out push; it will be retried
    expect(senders.eleme.shown().get('N004-L')).toEqual({ onSale: false, stock: 0 });
    // While Meituan is down the dish comes back, then is marked sold out again.
    await set('N004-L', { add: 2 });
    await set('N004-L', { soldOut: true });
    clock.advance(60_000);
    await worker.drain();
    expect(senders.meituan.shown().get('N004-L')).toEqual({ onSale: false, stock: 0 });
    expect(senders.eleme.shown().get('N004-L')).toEqual({ onSale: false, stock: 0 });
    // Every push after the failure sent what was true when it ran: never "on shelf" again.
    const meituanAfterFailure = senders.meituan.calls.map((c) => c.skus.find((s) => s.skuCode === 'N004-L')?.onSale);
    expect(meituanAfterFailure.slice(1).every((onSale) => onSale === false)).toBe(true);
  });

  it('takes every SKU of a product off shelf for a product-level change, and shows a capped number', async () => {
    await stock.updatePolicy(brandId, { platformStock: { show: 'capped', cap: 20, unlimitedAs: 999 } }, staff.id);
    await set('N006', { quantity: 0 }, 'product');
    await worker.drain();
    expect(senders.eleme.shown().get('N006-L')).toEqual({ onSale: false, stock: 0 });
    expect(senders.eleme.shown().get('N006-S')).toEqual({ onSale: false, stock: 0 });
    await set('N006', { quantity: 50 }, 'product');
    await worker.drain();
    expect(senders.meituan.shown().get('N006-S')).toEqual({ onSale: true, stock: 20 });
    await stock.updatePolicy(brandId, { platformStock: { show: 'actual', cap: null, unlimitedAs: 9999 } }, staff.id);
  });
});
