import { demoIds, demoStores } from 'db';
import type { StorageTarget } from 'db/testing';
import type { Platform } from 'shared-types';
import { expect } from 'vitest';
import { elemeMenu } from '../../../../../sim/src/eleme/catalog';
import { meituanMenu } from '../../../../../sim/src/meituan/catalog';
import { type RunningSimulator, startSimulator } from '../../../../../sim/src/server';
import { ManualClock } from '../../../lib/clock';
import type { OutboxWorker } from '../../../sync/worker';
import { startTestApp, type TestApp } from '../../../testing';
import { buildEffectiveMenu } from '../pricing/effective-menu';
import { MenuReadRepo } from '../pricing/repo-menu';
import { type ChannelDishDoc, channelDocs } from '../sync/platform-menu';
import { CATALOG_SYNC_TOPIC } from '../sync/publish';

/**
 * A BFF and the platform simulators on real HTTP, sharing one manual clock, with the demo stores
 * bound the way a merchant binds them: Meituan through the store-map page (the simulator posts
 * the signed bind callback), Ele.me through the admin API. HZ002 is left unbound on Meituan.
 */
export interface SyncFixture {
  app: TestApp;
  sim: RunningSimulator;
  clock: ManualClock;
  hq: string;
  /** Delivers every due outbox message (by the app's worker, or the one given), moving the clock past backoffs and deferrals. */
  drain(worker?: OutboxWorker): Promise<void>;
  /** Our effective menu of a store on a platform, as the platform should hold it. */
  expected(storeCode: string, platform: Platform): Promise<{ categories: string[]; dishes: ChannelDishDoc[] }>;
  /** The simulator's Meituan menu of the store equals ours item by item (names, specs, prices in yuan, packaging, add-ons, categories). */
  expectMeituanEqualsOurs(storeCode: string): Promise<void>;
  /** The simulator's Ele.me menu of the store equals ours item by item, and its ids are our mapping. */
  expectElemeEqualsOurs(storeCode: string): Promise<void>;
  close(): Promise<void>;
}

export const MEITUAN_BOUND = ['SH001', 'SH002', 'HZ001'];

export const shopOf = (code: string) => Number(demoStores.find((s) => s.code === code)?.elemeShopId);

export async function startSyncFixture(storage: StorageTarget, env: Record<string, string> = {}): Promise<SyncFixture> {
  const clock = new ManualClock(Date.now());
  const sim = await startSimulator({ now: () => clock.now() });
  const app = await startTestApp(storage, {
    clock,
    redis: storage.dialect === 'mysql',
    env: { SIM_BASE_URL: sim.url, ...env },
  });
  const hq = await app.login('hq');
  for (const s of demoStores) {
    const storeId = demoIds.store(s.code);
    const eleme = await app.request('POST', `/api/admin/catalog/stores/${storeId}/bindings/eleme`, { token: hq });
    expect(eleme.status).toBe(200);
    if (!MEITUAN_BOUND.includes(s.code)) continue;
    const link = await app.request('POST', `/api/admin/catalog/stores/${storeId}/bindings/meituan/storemap-url`, {
      token: hq,
    });
    expect(link.status).toBe(200);
    const page = await fetch(`${link.body.url}&callbackUrl=${encodeURIComponent(`${app.url}/webhooks/meituan/bind`)}`);
    expect(page.status, await page.clone().text()).toBe(200);
  }

  // Roomy budgets keep a whole-brand publish quick; a test narrows them to watch the gate work.
  const rules = app.container.services.catalog.rateGate.rules;
  rules.meituan = { capacity: 1000, refillPerSecond: 1000 };
  rules.eleme = { capacity: 1000, refillPerSecond: 1000 };

  const outbox = app.container.outbox;
  const drain = async (worker = outbox) => {
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      await worker.drain();
      const pending = await app.database.db
        .selectFrom('outbox')
        .select('next_attempt_at')
        .where('status', '=', 'pending')
        .where('topic', '=', CATALOG_SYNC_TOPIC)
        .execute();
      if (pending.length === 0) return;
      // Backoff and deferrals run on our clock (a blocked message waits for its aggregate's first,
      // so move to the earliest future attempt); the rate buckets refill in real time.
      const future = pending.map((p) => Number(p.next_attempt_at)).filter((at) => at > clock.now());
      if (future.length) clock.set(Math.min(...future));
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the outbox did not empty');
  };

  const expected = async (storeCode: string, platform: Platform) => {
    const repo = new MenuReadRepo(app.container.db);
    const master = await repo.loadMaster(demoIds.brand);
    const docs = channelDocs(buildEffectiveMenu(master, await repo.loadCarry(demoIds.store(storeCode)), platform));
    return { categories: docs.categories.map((c) => c.name), dishes: docs.dishes };
  };

  async function expectMeituanEqualsOurs(storeCode: string) {
    const want = await expected(storeCode, 'meituan');
    const menu = meituanMenu(sim.state).store(storeCode);
    expect([...menu.categories.keys()].sort()).toEqual([...want.categories].sort());
    expect([...menu.dishes.keys()].sort()).toEqual(want.dishes.map((d) => d.code).sort());
    for (const d of want.dishes) {
      const got = menu.dishes.get(d.code);
      expect({
        name: got?.dishName,
        category: got?.categoryName,
        skus: got?.skus.map((s) => ({
          code: s.skuId,
          spec: s.spec,
          price: s.price,
          packaging: Math.round(s.boxNum * s.boxPrice * 100),
        })),
        addons: got?.properties.map((p) => ({ name: p.propertyName, options: p.values })),
      }).toEqual({
        name: d.name,
        category: d.categoryName,
        skus: d.skus.map((s) => ({ code: s.code, spec: s.spec, price: s.price / 100, packaging: s.packagingFee })),
        addons: d.addons.map((g) => ({ name: g.name, options: g.options.map((o) => o.name) })),
      });
    }
  }

  async function expectElemeEqualsOurs(storeCode: string) {
    const want = await expected(storeCode, 'eleme');
    const menu = elemeMenu(sim.state);
    const shop = shopOf(storeCode);
    const categories = menu.shopCategories(shop);
    expect(categories.map((c) => c.name).sort()).toEqual([...want.categories].sort());
    const items = menu.shopItems(shop);
    expect(items).toHaveLength(want.dishes.length);
    const mappings = await app.container.services.catalog.mapping.list(
      demoIds.brand,
      demoIds.store(storeCode),
      'eleme',
    );
    for (const d of want.dishes) {
      const got = items.find((i) => i.specs.some((s) => s.extendCode === d.skus[0]?.code));
      expect({
        name: got?.name,
        category: categories.find((c) => c.id === got?.categoryId)?.name,
        skus: got?.specs.map((s) => ({
          code: s.extendCode,
          spec: s.name,
          price: s.price,
          packaging: Math.round(s.packingFee * 100),
        })),
        addons: got?.attributes.map((a) => ({ name: a.name, options: a.details })),
      }).toEqual({
        name: d.name,
        category: d.categoryName,
        skus: d.skus.map((s) => ({ code: s.code, spec: s.spec, price: s.price / 100, packaging: s.packagingFee })),
        addons: d.addons.map((g) => ({ name: g.name, options: g.options.map((o) => o.name) })),
      });
      // Ele.me's ids are recorded as our mapping, SKU by SKU.
      for (const spec of got?.specs ?? []) {
        expect(mappings.find((m) => m.skuCode === spec.extendCode)).toMatchObject({
          platformItemId: String(got?.id),
          platformSkuId: String(spec.specId),
        });
      }
    }
  }

  return {
    app,
    sim,
    clock,
    hq,
    drain,
    expected,
    expectMeituanEqualsOurs,
    expectElemeEqualsOurs,
    async close() {
      await app.close();
      await sim.close();
    },
  };
}
