import { demoIds, seedId } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../lib/clock';
import { menuVersionKey } from '../../../lib/live';
import { startTestApp, type TestApp } from '../../../testing';
import type { StockPort } from '../../stock/contract';
import { StoreRepo } from '../../stores/repo';
import { StoreService } from '../../stores/service';
import { MenuVersions } from '../menu-versions';
import { MemberMenuService } from './member-menu';

const NOON = Date.parse('2026-11-28T04:00:00Z'); // Saturday 12:00 in Shanghai
const SH001 = demoIds.store('SH001');

interface Product {
  code: string;
  name: string;
  available: boolean;
  skus: { code: string; price: number; packagingFee: number; soldOut: boolean }[];
  addonGroups: { code: string; options: { code: string; price: number }[] }[];
}
const products = (body: { categories: { products: Product[] }[] }) => body.categories.flatMap((c) => c.products);
const product = (body: { categories: { products: Product[] }[] }, code: string) =>
  products(body).find((p) => p.code === code) as Product;

describe.each(storageTargets())('member menu on $dialect', (storage) => {
  let app: TestApp;
  const clock = new ManualClock(NOON);
  beforeAll(async () => {
    app = await startTestApp(storage, { redis: storage.dialect === 'mysql', clock });
  });
  afterAll(async () => {
    await app?.close();
  });

  const menu = async (channel = 'miniapp') => {
    const res = await app.request('GET', `/api/mp/stores/${SH001}/menu?channel=${channel}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const rename = (code: string, name: string) =>
    app.database.db.updateTable('product').set({ name }).where('id', '=', seedId('product', code)).execute();

  it('lists categories → products → SKUs with codes, effective prices, packaging and add-ons', async () => {
    const body = await menu();
    expect(body.storeId).toBe(SH001);
    expect(body.categories.map((c: { code: string }) => c.code)).toEqual([
      'NOODLES',
      'RICE',
      'SNACKS',
      'BREAKFAST',
      'DRINKS',
      'DESSERTS',
      'COMBOS',
    ]);
    // 60 dishes, less T004, which the demo's SH001 hid (a seeded pitfall).
    expect(products(body)).toHaveLength(59);
    expect(products(body).find((p) => p.code === 'T004')).toBeUndefined();
    const n001 = product(body, 'N001');
    expect(n001.skus).toEqual([
      { code: 'N001-L', specText: '大碗', options: ['大碗'], price: 3200, packagingFee: 100, soldOut: false },
      { code: 'N001-S', specText: '小碗', options: ['小碗'], price: 2800, packagingFee: 100, soldOut: false },
    ]);
    expect(n001.addonGroups.map((g) => g.code)).toEqual(['SPICY', 'NOODLE-EXTRA']);
    expect(n001.addonGroups[1]?.options[0]).toEqual({ code: 'ADD-BEEF', name: '加牛肉', price: 800 });
    expect((await app.request('GET', `/api/mp/stores/${SH001}/menu?channel=meituan`)).status).toBe(400);
  });

  it('marks breakfast unavailable outside its window, in the store’s timezone', async () => {
    expect(product(await menu(), 'B001').available).toBe(false);
    expect(product(await menu(), 'N001').available).toBe(true);
    clock.set(Date.parse('2026-11-28T23:30:00Z')); // Sunday 07:30 in Shanghai
    try {
      expect(product(await menu(), 'B001').available).toBe(true);
      expect(product(await menu('dinein'), 'B001').available).toBe(true);
    } finally {
      clock.set(NOON + 86_400_000);
    }
  });

  it('serves the second request from the cache, and rebuilds after a version bump', async () => {
    const first = await menu();
    await rename('N005', '担担面（改）');
    const second = await menu();
    // The row changed behind the cache's back: the cached menu is what was served.
    expect(product(second, 'N005').name).toBe('担担面');
    expect(second.version).toBe(first.version);
    await app.container.cache.incr(menuVersionKey(SH001));
    const third = await menu();
    expect(product(third, 'N005').name).toBe('担担面（改）');
    expect(third.version).not.toBe(first.version);
  });

  it('answers a cached menu without a single database query', async () => {
    let queries = 0;
    const counting = app.container.db.withPlugin({
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const service = new MemberMenuService(
      counting,
      app.container.cache,
      clock,
      new MenuVersions(app.container.cache),
      new StoreService(new StoreRepo(counting), clock),
    );
    await app.container.cache.incr(menuVersionKey(SH001));
    await service.menuJson(SH001, 'dinein');
    expect(queries).toBeGreaterThan(0);
    queries = 0;
    await service.menuJson(SH001, 'dinein');
    expect(queries).toBe(0);
  });

  it('is invalidated by a publish and by catalog changes made through the API', async () => {
    await menu();
    await rename('N006', '炸酱面（新）');
    expect(product(await menu(), 'N006').name).toBe('老北京炸酱面');
    const hq = await app.login('hq');
    const published = await app.request('POST', '/api/admin/catalog/publish', { token: hq, body: { storeId: SH001 } });
    expect(published.status).toBe(200);
    expect(product(await menu(), 'N006').name).toBe('炸酱面（新）');

    const res = await app.request('PATCH', `/api/admin/catalog/skus/${seedId('sku', 'N006-L')}`, {
      token: hq,
      body: { basePrice: 2500 },
    });
    expect(res.status).toBe(200);
    expect(product(await menu(), 'N006').skus[0]?.price).toBe(2500);
  });

  it('shows what the stock pool says is sold out', async () => {
    const stock = { soldOutSkuCodes: async () => new Set(['N001-S']) } as unknown as StockPort;
    const service = new MemberMenuService(
      app.container.db,
      app.container.cache,
      clock,
      new MenuVersions(app.container.cache),
      app.container.services.stores,
      stock,
    );
    await app.container.cache.incr(menuVersionKey(SH001));
    const body = await service.menu(SH001, 'miniapp');
    expect(product(body, 'N001').skus.map((s) => s.soldOut)).toEqual([false, true]);
  });

  it('answers 404 for an unknown store', async () => {
    const res = await app.request('GET', `/api/mp/stores/${seedId('store', 'NOPE')}/menu`);
    expect(res.status).toBe(404);
  });
});
