import { demoIds, seedId } from 'db';
import { storageTargets } from 'db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elemeMenu } from '../../../../../sim/src/eleme/catalog';
import { meituanMenu } from '../../../../../sim/src/meituan/catalog';
import { ElemeMenuClient } from '../../../channels/eleme/menu-client';
import { ElemeOAuth } from '../../../channels/eleme/oauth';
import { ElemeTransport } from '../../../channels/eleme/transport';
import { OpenCaterMenuClient } from '../../../channels/meituan/menu-open-cater';
import { OpenCaterTransport } from '../../../channels/meituan/open-cater-transport';
import { OutboxWorker } from '../../../sync/worker';
import { type SyncFixture, shopOf, startSyncFixture } from '../testing/sync-fixture';
import { CatalogSyncWorker } from './sync-worker';

const SH001 = demoIds.store('SH001');

describe.each(storageTargets())('menu sync through rate limits and timeouts on $dialect', (storage) => {
  let f: SyncFixture;
  beforeAll(async () => {
    f = await startSyncFixture(storage);
    await f.app.request('POST', '/api/admin/catalog/publish', { token: f.hq, body: { storeId: SH001 } });
    await f.drain();
  });
  afterAll(async () => {
    await f?.close();
  });

  const statusOf = async (storeId: string) =>
    (await f.app.request('GET', `/api/admin/catalog/sync-status?storeId=${storeId}`, { token: f.hq })).body.targets as {
      platform: string;
      counts: { in_step: number; pending: number; failed: number };
      items: { key: string; state: string; error: string | null }[];
    }[];

  it('keeps every process within the platform’s budget: a refused token defers the call, and it still ends in step', async () => {
    f.app.container.services.catalog.rateGate.rules.eleme = { capacity: 3, refillPerSecond: 20 };
    try {
      // Renaming a category changes its twelve dishes too: thirteen Ele.me calls for a budget of three.
      await f.app.request('PATCH', `/api/admin/catalog/categories/${seedId('category', 'NOODLES')}`, {
        token: f.hq,
        body: { name: '招牌面馆' },
      });
      const res = await f.app.request('POST', '/api/admin/catalog/publish', { token: f.hq, body: { storeId: SH001 } });
      expect(res.body.targets.find((t: { platform: string }) => t.platform === 'eleme').calls).toBeGreaterThan(3);
      await f.app.container.outbox.drain();
      const waiting = (await statusOf(SH001)).find((t) => t.platform === 'eleme');
      expect(waiting?.items.some((i) => i.state === 'pending' && i.error === 'waiting for the eleme rate limit')).toBe(
        true,
      );
      await f.drain();
      for (const t of await statusOf(SH001)) expect(t.counts).toMatchObject({ pending: 0, failed: 0 });
      await f.expectElemeEqualsOurs('SH001');
      await f.expectMeituanEqualsOurs('SH001');
    } finally {
      f.app.container.services.catalog.rateGate.rules.eleme = { capacity: 1000, refillPerSecond: 1000 };
    }
  });

  it('retries an upload that timed out (even one the platform applied anyway) and ends in step without duplicates', async () => {
    const c = f.app.container;
    const gate = c.services.catalog.rateGate;
    // A client that gives up after 300 ms, and the platforms holding their answer for a second.
    const clients = {
      meituan: new OpenCaterMenuClient(new OpenCaterTransport({ ...c.config.meituan, timeoutMs: 300 }, c.clock), gate),
      eleme: new ElemeMenuClient(
        new ElemeTransport({ ...c.config.eleme, timeoutMs: 300 }, c.clock),
        new ElemeOAuth(c.config.eleme, c.cache, c.clock),
        gate,
      ),
    };
    const worker = new OutboxWorker(c.db, c.cache, c.clock, pino({ level: 'silent' }));
    new CatalogSyncWorker(
      c.db,
      c.clock,
      c.services.stores,
      c.services.catalog.bindings,
      clients,
      pino({ level: 'silent' }),
    ).register(worker);

    const created = await f.app.request('POST', '/api/admin/catalog/products', {
      token: f.hq,
      body: {
        categoryId: seedId('category', 'SNACKS'),
        code: 'S900',
        name: '虾饺',
        basePrice: 2000,
        packagingFee: 50,
        boxCount: 1,
      },
    });
    expect(created.status).toBe(201);
    await f.app.request('PATCH', `/api/admin/catalog/stores/${SH001}/products/${created.body.id}`, {
      token: f.hq,
      body: { listed: true },
    });
    f.sim.state.faults.add({
      platform: 'meituan-open-cater',
      target: '/waimai/dish/batchUpload',
      kind: 'timeout',
      delayMs: 1000,
    });
    f.sim.state.faults.add({
      platform: 'eleme',
      target: 'eleme.product.item.createItem',
      kind: 'timeout',
      delayMs: 1000,
    });

    await f.app.request('POST', '/api/admin/catalog/publish', { token: f.hq, body: { storeId: SH001 } });
    await worker.drain();
    const pending = await statusOf(SH001);
    expect(pending.find((t) => t.platform === 'eleme')?.items.find((i) => i.key === 'dish:S900')).toMatchObject({
      state: 'pending',
      error: expect.stringContaining('TIMEOUT'),
    });
    await new Promise((r) => setTimeout(r, 1200)); // the held calls land on the platforms
    await f.drain(worker);

    expect(f.sim.state.calls.filter((call) => call.fault === 'timeout')).toHaveLength(2);
    for (const t of await statusOf(SH001)) expect(t.counts).toMatchObject({ pending: 0, failed: 0 });
    const items = elemeMenu(f.sim.state)
      .shopItems(shopOf('SH001'))
      .filter((i) => i.specs.some((s) => s.extendCode === 'S900'));
    expect(items).toHaveLength(1);
    expect(meituanMenu(f.sim.state).store('SH001').dishes.get('S900')?.skus[0]?.price).toBe(22);
    await f.expectElemeEqualsOurs('SH001');
    await f.expectMeituanEqualsOurs('SH001');
  });
});
