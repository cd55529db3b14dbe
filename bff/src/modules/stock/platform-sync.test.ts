import { demoIds } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elemeShown } from '../../../../sim/src/eleme/stock';
import { meituanShown } from '../../../../sim/src/meituan/stock';
import { startSimulator } from '../../../../sim/src/server';
import { ManualClock } from '../../lib/clock';
import { startTestApp } from '../../testing';
import { LUNCH, MEITUAN_TEST_TOKEN, putStoreOnPlatforms } from './testing';

const SH001 = demoIds.store('SH001');

/**
 * The whole way out: a clerk marks a dish sold out, and both platform simulators — which verify
 * every signature — show it off shelf after one worker pass, with nothing waiting on a timer.
 */
async function setup(storage: Parameters<typeof startTestApp>[0], gateway: 'open-cater' | 'waimaiopen') {
  const clock = new ManualClock(LUNCH);
  const sim = await startSimulator({ now: () => clock.now() });
  const app = await startTestApp(storage, { clock, env: { SIM_BASE_URL: sim.url, MEITUAN_GATEWAY: gateway } });
  await putStoreOnPlatforms(app.container.db, app.container.secrets, SH001, 'SH001', '100001');
  sim.state.meituan.bind('SH001', MEITUAN_TEST_TOKEN);
  const elemeSpec = await app.container.db
    .selectFrom('channel_mapping')
    .innerJoin('sku', 'sku.id', 'channel_mapping.sku_id')
    .select('channel_mapping.platform_sku_id as specId')
    .where('channel_mapping.store_id', '=', SH001)
    .where('channel_mapping.platform', '=', 'eleme')
    .where('sku.code', '=', 'N001-L')
    .executeTakeFirstOrThrow();
  return { clock, sim, app, specId: elemeSpec.specId, clerk: await app.login('clerk-sh001') };
}

describe.each(storageTargets())('sold out reaches Meituan (open-cater) and Ele.me on $dialect', (storage) => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    ctx = await setup(storage, 'open-cater');
  });
  afterAll(async () => {
    await ctx?.app.close();
    await ctx?.sim.close();
  });

  it('sends signed sell-status and stock calls at once, and the member menu shows it on the next read', async () => {
    const { app, sim, clock, specId, clerk } = ctx;
    const res = await app.request('PUT', `/api/staff/stores/${SH001}/stock/N001-L`, {
      token: clerk,
      body: { soldOut: true },
    });
    expect(res.status).toBe(200);
    expect(await app.container.services.stock.soldOutSkuCodes(SH001)).toContain('N001-L');
    const menu = await app.request('GET', `/api/mp/stores/${SH001}/menu?channel=miniapp`);
    expect(menu.status).toBe(200);
    {
      const skus = menu.body.categories.flatMap((c: { products: { skus: { code: string; soldOut: boolean }[] }[] }) =>
        c.products.flatMap((p) => p.skus),
      );
      expect(skus.find((s: { code: string }) => s.code === 'N001-L')).toMatchObject({ soldOut: true });
    }

    // The push is due now (the 2-second promise needs no timer): one worker pass delivers it.
    const pushes = await app.container.db
      .selectFrom('outbox')
      .select(['next_attempt_at', 'payload'])
      .where('topic', '=', 'stock.push')
      .where('status', '=', 'pending')
      .execute();
    expect(pushes).toHaveLength(2);
    expect(pushes.every((p) => p.next_attempt_at <= clock.now())).toBe(true);
    await app.container.outbox.drain();

    const sellCalls = sim.state.callsTo('meituan-open-cater', '/waimai/ng/dish/sku/sellStatus');
    expect(sellCalls).toHaveLength(1);
    expect(sellCalls[0]).toMatchObject({
      signatureValid: true,
      answer: { code: 'OP_SUCCESS' },
      params: {
        appAuthToken: MEITUAN_TEST_TOKEN,
        biz: { sell_status: 1, food_data: [{ app_food_code: 'N001', skus: [{ sku_id: 'N001-L' }] }] },
      },
    });
    expect(sim.state.callsTo('meituan-open-cater', '/waimai/dish/updateStock')[0]).toMatchObject({
      signatureValid: true,
    });
    expect(meituanShown(sim.state, 'SH001', 'N001-L')).toMatchObject({ sellStatus: 'off', stock: '0' });

    const off = sim.state.callsTo('eleme', 'eleme.product.item.batchOffShelf');
    expect(off).toHaveLength(1);
    expect(off[0]).toMatchObject({ signatureValid: true, answer: { error: null } });
    expect(elemeShown(sim.state, specId)).toMatchObject({ shelf: 'off', stock: 0 });

    await app.request('PUT', `/api/staff/stores/${SH001}/stock/N001-L`, { token: clerk, body: { soldOut: false } });
    await app.container.outbox.drain();
    expect(meituanShown(sim.state, 'SH001', 'N001-L')).toMatchObject({ sellStatus: 'on', stock: '9999' });
    expect(elemeShown(sim.state, specId)).toMatchObject({ shelf: 'on', stock: 9999 });
    expect(sim.state.calls.every((c) => c.signatureValid !== false)).toBe(true);
  });

  it('keeps pushing until a platform that was down has the current state', async () => {
    const { app, sim, clock, specId, clerk } = ctx;
    sim.state.faults.add({
      platform: 'eleme',
      target: 'eleme.product.item.batchOffShelf',
      kind: 'server-error',
      count: 1,
    });
    await app.request('PUT', `/api/staff/stores/${SH001}/stock/N001-L`, { token: clerk, body: { quantity: 0 } });
    await app.container.outbox.drain();
    expect(meituanShown(sim.state, 'SH001', 'N001-L')).toMatchObject({ sellStatus: 'off', stock: '0' });
    expect(elemeShown(sim.state, specId)?.shelf).toBe('on');
    clock.advance(5_000);
    await app.container.outbox.drain();
    expect(elemeShown(sim.state, specId)).toMatchObject({ shelf: 'off', stock: 0 });
  });
});

describe('sold out reaches Meituan through the legacy waimaiopen gateway', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    ctx = await setup(storageTargets()[0] as Parameters<typeof startTestApp>[0], 'waimaiopen');
  });
  afterAll(async () => {
    await ctx?.app.close();
    await ctx?.sim.close();
  });

  it('signs food/sku/sellStatus and food/sku/stock over the exact URL', async () => {
    const { app, sim, clerk } = ctx;
    await app.request('PUT', `/api/staff/stores/${SH001}/stock/N002-L`, { token: clerk, body: { quantity: 0 } });
    await app.container.outbox.drain();
    const [sell] = sim.state.callsTo('meituan-waimaiopen', 'food/sku/sellStatus');
    expect(sell).toMatchObject({
      signatureValid: true,
      answer: { data: 'ok' },
      params: { app_poi_code: 'SH001', sell_status: '1' },
    });
    expect(meituanShown(sim.state, 'SH001', 'N002-L')).toMatchObject({
      sellStatus: 'off',
      stock: '0',
      gateway: 'waimaiopen',
    });
    await app.request('PUT', `/api/staff/stores/${SH001}/stock/N002-L`, { token: clerk, body: { quantity: null } });
    await app.container.outbox.drain();
    expect(meituanShown(sim.state, 'SH001', 'N002-L')).toMatchObject({ sellStatus: 'on', stock: '*' });
  });
});
