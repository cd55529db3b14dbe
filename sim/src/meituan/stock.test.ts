import { OpenCaterTransport } from 'bff/channels/meituan/open-cater-transport';
import { MeituanStockClient } from 'bff/channels/meituan/stock-client';
import { WaimaiopenTransport } from 'bff/channels/meituan/waimaiopen-transport';
import { PlatformError } from 'bff/channels/platform-error';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../server';
import { simTransportSettings, TestClock } from '../testing';
import { meituanShown } from './stock';

/** The client only warns through its logger; these tests read the simulator instead. */
const silent = { warn: () => undefined } as unknown as ConstructorParameters<typeof MeituanStockClient>[3];
const store = { storeId: 'store-1', storeCode: 'SH001', platformStoreId: null, token: null as string | null };
const sku = (code: string, onSale: boolean, stock: number, unlimited = false) => ({
  skuCode: code,
  platformItemId: code.split('-')[0] as string,
  platformSkuId: code,
  onSale,
  stock,
  unlimited,
});

describe('Meituan stock and sell status in the simulator', () => {
  let sim: RunningSimulator;
  let clock: TestClock;
  let settings: ReturnType<typeof simTransportSettings>;

  beforeEach(async () => {
    clock = new TestClock();
    sim = await startSimulator({ now: clock.now });
    settings = simTransportSettings(sim.url, 2_000);
    store.token = sim.state.meituan.bind('SH001').appAuthToken;
  });
  afterEach(() => sim.close());

  const client = (gateway: 'open-cater' | 'waimaiopen') =>
    new MeituanStockClient(
      gateway,
      new OpenCaterTransport(settings.openCater, clock),
      new WaimaiopenTransport(settings.waimaiopen, clock),
      silent,
    );

  it('shows what open-cater was told, per store and SKU, off shelf before stock before on shelf', async () => {
    await client('open-cater').send(store, [sku('N001-L', false, 0), sku('N001-S', true, 12), sku('S001', true, 3)]);
    expect(meituanShown(sim.state, 'SH001', 'N001-L')).toMatchObject({
      dishCode: 'N001',
      sellStatus: 'off',
      stock: '0',
    });
    expect(meituanShown(sim.state, 'SH001', 'N001-S')).toMatchObject({ sellStatus: 'on', stock: '12' });
    expect(meituanShown(sim.state, 'SH001', 'S001')).toMatchObject({ sellStatus: 'on', stock: '3' });
    const calls = sim.state.callsTo('meituan-open-cater').map((c) => [c.target, c.signatureValid]);
    expect(calls).toEqual([
      ['/waimai/ng/dish/sku/sellStatus', true],
      ['/waimai/dish/updateStock', true],
      ['/waimai/ng/dish/sku/sellStatus', true],
    ]);
    const stock = sim.state.callsTo('meituan-open-cater', '/waimai/dish/updateStock')[0]?.params as {
      biz: { dishSkuStocks: unknown };
    };
    expect(typeof stock.biz.dishSkuStocks).toBe('string');
  });

  it('refuses malformed payloads in the gateway’s own terms, and keeps nothing of them', async () => {
    const transport = new OpenCaterTransport(settings.openCater, clock);
    const refused = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (err: unknown) => (err instanceof PlatformError ? { code: err.code, retryable: err.retryable } : err),
      );
    expect(
      await refused(
        transport.call(
          '/waimai/dish/updateStock',
          { ePoiId: 'SH001', dishSkuStocks: [{ eDishCode: 'N001', skus: [] }] },
          store.token as string,
        ),
      ),
    ).toEqual({ code: 'OP_PARAM_INVALID', retryable: false });
    expect(
      await refused(
        transport.call('/waimai/ng/dish/sku/sellStatus', { sell_status: 2, food_data: [] }, store.token as string),
      ),
    ).toEqual({ code: 'OP_PARAM_INVALID', retryable: false });
    expect(
      await refused(
        transport.call('/waimai/dish/updateStock', { ePoiId: 'SH002', dishSkuStocks: '[]' }, store.token as string),
      ),
    ).toMatchObject({ code: 'OP_TOKEN_INVALID' });
    expect(meituanShown(sim.state, 'SH001', 'N001')).toBeUndefined();
  });

  it('takes the legacy waimaiopen calls by app_poi_code, with * for an unlimited stock', async () => {
    await client('waimaiopen').send(store, [sku('N002-L', true, 9999, true), sku('N002-S', false, 0)]);
    expect(meituanShown(sim.state, 'SH001', 'N002-L')).toMatchObject({
      sellStatus: 'on',
      stock: '*',
      gateway: 'waimaiopen',
    });
    expect(meituanShown(sim.state, 'SH001', 'N002-S')).toMatchObject({ sellStatus: 'off', stock: '0' });
    expect(sim.state.callsTo('meituan-waimaiopen').every((c) => c.signatureValid)).toBe(true);
  });
});
