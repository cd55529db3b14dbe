import { demoIds, demoStores, seedId } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elemeMenu } from '../../../../../sim/src/eleme/catalog';
import { meituanMenu } from '../../../../../sim/src/meituan/catalog';
import { MEITUAN_BOUND, type SyncFixture, shopOf, startSyncFixture } from '../testing/sync-fixture';

describe.each(storageTargets())('menu sync to the Meituan and Ele.me simulators on $dialect', (storage) => {
  let f: SyncFixture;
  beforeAll(async () => {
    f = await startSyncFixture(storage);
  });
  afterAll(async () => {
    await f?.close();
  });

  const publish = async (body: object = {}) => {
    const res = await f.app.request('POST', '/api/admin/catalog/publish', { token: f.hq, body });
    expect(res.status, res.text).toBe(200);
    return res.body;
  };
  const callCount = () => f.sim.state.calls.length;
  const newCalls = (from: number) => f.sim.state.calls.slice(from);

  it('publishes the whole brand to both platforms with valid signatures, item by item equal to our menu', async () => {
    const res = await publish();
    expect(res.storeCount).toBe(4);
    const hz002 = res.targets.find(
      (t: { storeCode: string; platform: string }) => t.storeCode === 'HZ002' && t.platform === 'meituan',
    );
    expect(hz002).toMatchObject({ state: 'not_bound', calls: 0 });
    await f.drain();

    const signed = f.sim.state.calls.filter((c) => c.platform === 'meituan-open-cater' || c.platform === 'eleme');
    expect(signed.length).toBeGreaterThan(100);
    expect(signed.every((c) => c.signatureValid === true)).toBe(true);
    for (const code of MEITUAN_BOUND) await f.expectMeituanEqualsOurs(code);
    for (const s of demoStores) await f.expectElemeEqualsOurs(s.code);

    const status = await f.app.request('GET', '/api/admin/catalog/sync-status', { token: f.hq });
    for (const t of status.body.targets) {
      if (t.storeCode === 'HZ002' && t.platform === 'meituan') {
        expect(t).toMatchObject({ binding: 'not_bound', items: [] });
        continue;
      }
      expect(t.binding).toBe('bound');
      expect(t.counts).toMatchObject({ pending: 0, failed: 0 });
      expect(t.counts.in_step).toBeGreaterThan(60);
    }
  });

  it('sends nothing at all when published again without a change', async () => {
    const before = callCount();
    const res = await publish();
    expect(res.callsQueued).toBe(0);
    await f.drain();
    expect(callCount()).toBe(before);
  });

  it('sends exactly one price update per store and platform when one price changes', async () => {
    const before = callCount();
    const sku = await f.app.request('PATCH', `/api/admin/catalog/skus/${seedId('sku', 'N002-L')}`, {
      token: f.hq,
      body: { basePrice: 3500 },
    });
    expect(sku.status).toBe(200);
    await publish();
    await f.drain();
    const calls = newCalls(before).map((c) => `${c.platform} ${c.target}`);
    expect(calls.sort()).toEqual(
      [
        ...MEITUAN_BOUND.map(() => 'meituan-open-cater /waimai/dish/updatePrice'),
        ...demoStores.map(() => 'eleme eleme.product.item.batchUpdatePrices'),
      ].sort(),
    );
    // +10% for delivery platforms: 3850 fen, 38.5 yuan on both.
    expect(meituanMenu(f.sim.state).store('SH002').dishes.get('N002')?.skus[0]?.price).toBe(38.5);
    expect(
      elemeMenu(f.sim.state)
        .shopItems(shopOf('HZ002'))
        .find((i) => i.specs[0]?.extendCode === 'N002-L')?.specs[0]?.price,
    ).toBe(38.5);
    await f.expectMeituanEqualsOurs('SH001');
    await f.expectElemeEqualsOurs('SH001');
  });

  it('retries through a platform rate limit and a refused-then-accepted upload, ending in step', async () => {
    f.sim.state.faults.add({
      platform: 'meituan-open-cater',
      target: '/waimai/dish/batchUpload',
      kind: 'rate-limit',
      count: 2,
    });
    f.sim.state.faults.add({ platform: 'eleme', target: 'eleme.product.item.updateItem', kind: 'rate-limit' });
    f.sim.state.faults.add({ platform: 'eleme', target: 'eleme.product.item.updateItem', kind: 'server-error' });
    await f.app.request('PATCH', `/api/admin/catalog/products/${seedId('product', 'N003')}`, {
      token: f.hq,
      body: { description: '酸菜现腌，鱼片现切' },
    });
    await publish({ regionId: demoIds.region('sh') });
    await f.app.container.outbox.drain();
    const pending = await f.app.request(
      'GET',
      `/api/admin/catalog/sync-status?storeId=${demoIds.store('SH001')}&state=pending`,
      {
        token: f.hq,
      },
    );
    const meituan = pending.body.targets.find((t: { platform: string }) => t.platform === 'meituan');
    expect(meituan.items).toEqual([expect.objectContaining({ key: 'dish:N003', waiting: 'upload' })]);
    await f.drain();
    const faultsHit = f.sim.state.calls.filter((c) => c.fault).map((c) => c.fault);
    expect(faultsHit).toEqual(expect.arrayContaining(['rate-limit', 'server-error']));
    expect(meituanMenu(f.sim.state).store('SH001').dishes.get('N003')?.description).toBe('酸菜现腌，鱼片现切');
    await f.expectMeituanEqualsOurs('SH002');
    await f.expectElemeEqualsOurs('SH002');
    const status = await f.app.request('GET', '/api/admin/catalog/sync-status', { token: f.hq });
    for (const t of status.body.targets) expect(t.counts).toMatchObject({ pending: 0, failed: 0 });
  });

  it('marks items failed with the platform’s reason when it refuses them, and a later publish retries', async () => {
    await publish();
    await f.drain();
    f.sim.state.faults.add({ platform: 'eleme', target: 'eleme.product.item.updateItem', kind: 'validation' });
    await f.app.request('PATCH', `/api/admin/catalog/products/${seedId('product', 'N004')}`, {
      token: f.hq,
      body: { description: '重庆味道' },
    });
    await publish({ storeId: demoIds.store('HZ001') });
    await f.drain();
    const status = await f.app.request(
      'GET',
      `/api/admin/catalog/sync-status?storeId=${demoIds.store('HZ001')}&state=failed`,
      {
        token: f.hq,
      },
    );
    const eleme = status.body.targets.find((t: { platform: string }) => t.platform === 'eleme');
    expect(eleme.items).toEqual([
      expect.objectContaining({
        key: 'dish:N004',
        state: 'failed',
        error: expect.stringContaining('VALIDATION_FAILED'),
      }),
    ]);
    await publish({ storeId: demoIds.store('HZ001') });
    await f.drain();
    await f.expectElemeEqualsOurs('HZ001');
  });

  it('treats a store whose Meituan binding was released as not bound, without failing the sync', async () => {
    const binding = f.sim.state.meituan.byEPoiId('SH002');
    expect(binding).toBeDefined();
    const url = new URL(`${f.sim.url}/meituan/open-erp/releasebinding`);
    const { openCaterSign } = await import('../../../channels/meituan/sign');
    const params = { businessId: '2', appAuthToken: binding?.appAuthToken as string, timestamp: String(f.clock.now()) };
    for (const [k, v] of Object.entries({
      ...params,
      sign: openCaterSign(f.sim.state.credentials.meituan.signKey, params),
    })) {
      url.searchParams.set(k, v);
    }
    url.searchParams.set('callbackUrl', `${f.app.url}/webhooks/meituan/unbind`);
    expect((await fetch(url)).status).toBe(200);

    await f.app.request('PATCH', `/api/admin/catalog/skus/${seedId('sku', 'N002-L')}`, {
      token: f.hq,
      body: { basePrice: 3600 },
    });
    const res = await publish({ regionId: demoIds.region('sh') });
    expect(
      res.targets.find(
        (t: { storeCode: string; platform: string }) => t.storeCode === 'SH002' && t.platform === 'meituan',
      ),
    ).toMatchObject({
      state: 'not_bound',
    });
    await f.drain();
    const status = await f.app.request('GET', `/api/admin/catalog/sync-status?storeId=${demoIds.store('SH002')}`, {
      token: f.hq,
    });
    expect(status.body.targets.find((t: { platform: string }) => t.platform === 'meituan')?.binding).toBe('not_bound');
    expect(status.body.targets.find((t: { platform: string }) => t.platform === 'eleme')?.counts).toMatchObject({
      pending: 0,
      failed: 0,
    });
  });
});
