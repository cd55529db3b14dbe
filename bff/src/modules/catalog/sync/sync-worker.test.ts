import { demoIds, seedId } from 'db';
import { storageTargets } from 'db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../lib/clock';
import { OutboxWorker } from '../../../sync/worker';
import { startTestApp, type TestApp } from '../../../testing';
import { bindDemoStores } from '../testing';
import type { ChannelDishDoc, PlatformMenuClient, PlatformMenuClients } from './platform-menu';
import { PublishService } from './publish';
import { CatalogSyncWorker } from './sync-worker';

/**
 * The sync worker's bookkeeping against an in-memory platform: what is accepted is recorded per
 * item, retries resend only the rest, refusals fail with the platform's reason. The same flows run
 * against the real simulators over HTTP in sync.test.ts.
 */
class FakePlatform implements PlatformMenuClient {
  readonly platform = 'eleme' as const;
  readonly limits = { dishesPerCall: 1, pricesPerCall: 50, callsPerDishBatch: 1 };
  readonly dishes = new Map<string, ChannelDishDoc>();
  readonly calls: string[] = [];
  failNext: { retryable: boolean; message: string; times: number } | null = null;
  private next = 1000;

  private call(name: string) {
    if (this.failNext && this.failNext.times > 0) {
      this.failNext.times--;
      throw Object.assign(new Error(this.failNext.message), { retryable: this.failNext.retryable });
    }
    this.calls.push(name);
  }
  async upsertCategory() {
    this.call('category');
    return { platformId: String(this.next++) };
  }
  async deleteCategory() {
    this.call('deleteCategory');
  }
  async upsertDishes(_s: unknown, dishes: { doc: ChannelDishDoc; platformItemId: string | null }[]) {
    this.call('dishes');
    return dishes.map((d) => {
      this.dishes.set(d.doc.code, d.doc);
      return {
        code: d.doc.code,
        platformItemId: d.platformItemId ?? String(this.next++),
        platformSkuIds: Object.fromEntries(d.doc.skus.map((s) => [s.code, `spec-${s.code}`])),
      };
    });
  }
  async updatePrices(_s: unknown, list: { code: string; skus: { code: string; price: number }[] }[]) {
    this.call('prices');
    for (const p of list) {
      const doc = this.dishes.get(p.code) as ChannelDishDoc;
      for (const s of p.skus) (doc.skus.find((x) => x.code === s.code) as { price: number }).price = s.price;
    }
  }
  async deleteDish(_s: unknown, d: { code: string }) {
    this.call('deleteDish');
    this.dishes.delete(d.code);
  }
  async readMenu() {
    return { categories: [], dishes: [] };
  }
}

describe.each(storageTargets())('catalog sync worker on $dialect', (storage) => {
  let app: TestApp;
  let outbox: OutboxWorker;
  let publish: PublishService;
  const fake = new FakePlatform();
  const clock = new ManualClock(Date.parse('2026-11-28T04:00:00Z'));
  const SH001 = demoIds.store('SH001');

  beforeAll(async () => {
    app = await startTestApp(storage, { clock });
    await bindDemoStores(app.container, { meituan: [], eleme: ['SH001'] });
    const c = app.container;
    const s = c.services.catalog;
    const clients: PlatformMenuClients = { eleme: fake };
    outbox = new OutboxWorker(c.db, c.cache, clock, pino({ level: 'silent' }));
    new CatalogSyncWorker(c.db, clock, c.services.stores, s.bindings, clients, pino({ level: 'silent' }), 3).register(
      outbox,
    );
    publish = new PublishService(
      c.db,
      c.cache,
      clock,
      c.services.stores,
      s.bindings,
      s.versions,
      {
        meituan: fake.limits,
        eleme: fake.limits,
      },
      async () => {},
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  const hq = async () => {
    const token = await app.login('hq');
    return app.container.services.staff.principal(token);
  };
  const status = async () => {
    const res = await app.container.services.catalog.syncStatus.status(demoIds.brand, 'all', {
      storeId: SH001,
      platform: 'eleme',
    });
    return res.targets[0] as NonNullable<(typeof res.targets)[number]>;
  };
  const drainAll = async () => {
    for (let i = 0; i < 20; i++) {
      await outbox.drain();
      const pending = await app.database.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
      if (pending.length === 0) return;
      clock.advance(15 * 60_000);
    }
  };

  it('sends the whole menu once and then nothing for an unchanged publish', async () => {
    const staff = await hq();
    const first = await publish.publish(staff, { storeId: SH001 });
    expect(first.targets.find((t) => t.platform === 'meituan')?.state).toBe('not_bound');
    await drainAll();
    const st = await status();
    expect(st.counts).toMatchObject({ pending: 0, failed: 0 });
    expect(fake.dishes.size).toBe(59);
    const callsBefore = fake.calls.length;
    const again = await publish.publish(staff, { storeId: SH001 });
    expect(again.callsQueued).toBe(0);
    await drainAll();
    expect(fake.calls.length).toBe(callsBefore);
  });

  it('sends one price call for a price change and keeps going through a retryable failure', async () => {
    await app.database.db
      .updateTable('sku')
      .set({ base_price: 3300 })
      .where('id', '=', seedId('sku', 'N002-L'))
      .execute();
    fake.failNext = { retryable: true, message: 'timeout', times: 1 };
    const before = fake.calls.length;
    const res = await publish.publish(await hq(), { storeId: SH001 });
    expect(res.callsQueued).toBe(1);
    await outbox.drain();
    expect((await status()).items.find((i) => i.key === 'dish:N002')).toMatchObject({
      state: 'pending',
      error: 'retrying: timeout',
    });
    await drainAll();
    expect(fake.calls.slice(before)).toEqual(['prices']);
    expect(fake.dishes.get('N002')?.skus[0]?.price).toBe(3630);
    expect((await status()).counts.pending).toBe(0);
  });

  it('marks items failed with the platform’s reason when it refuses, and retries them at the next publish', async () => {
    await app.database.db
      .updateTable('product')
      .set({ name: '担担面（新）' })
      .where('id', '=', seedId('product', 'N005'))
      .execute();
    fake.failNext = { retryable: false, message: 'BIZ_ITEM_NAME_INVALID: name refused', times: 1 };
    await publish.publish(await hq(), { storeId: SH001 });
    await drainAll();
    expect((await status()).items.find((i) => i.key === 'dish:N005')).toMatchObject({
      state: 'failed',
      error: 'BIZ_ITEM_NAME_INVALID: name refused',
    });
    await publish.publish(await hq(), { storeId: SH001 });
    await drainAll();
    expect((await status()).items.find((i) => i.key === 'dish:N005')?.state).toBe('in_step');
    expect(fake.dishes.get('N005')?.name).toBe('担担面（新）');
  });

  it('deletes a dish the store stopped selling and forgets its mapping', async () => {
    await app.database.db
      .updateTable('store_product')
      .set({ hidden: 1 })
      .where('store_id', '=', SH001)
      .where('product_id', '=', seedId('product', 'S001'))
      .execute();
    await publish.publish(await hq(), { storeId: SH001 });
    await drainAll();
    expect(fake.dishes.has('S001')).toBe(false);
    expect((await status()).items.find((i) => i.key === 'dish:S001')).toBeUndefined();
    const mapped = await app.container.services.catalog.mapping.list(demoIds.brand, SH001, 'eleme');
    expect(mapped.find((m) => m.skuCode === 'S001')).toBeUndefined();
  });
});
