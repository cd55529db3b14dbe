import { waimaiopenSig } from 'bff/channels/meituan/sign';
import { WaimaiopenTransport } from 'bff/channels/meituan/waimaiopen-transport';
import { PlatformError, toDeliveryFailure } from 'bff/channels/platform-error';
import { jsonNumber as bffJsonNumber } from 'bff/lib/json-exact';
import { SIMULATOR_DEFAULTS } from 'shared-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonNumber } from './json';
import { SimRegistry } from './registry';
import { type RunningSimulator, startSimulator } from './server';
import { simTransportSettings, TestClock } from './testing';

const ORDER_ID = '27061900338318741';

describe('Meituan waimaiopen: the BFF transport against the simulator', () => {
  let sim: RunningSimulator;
  let clock: TestClock;
  let transport: WaimaiopenTransport;

  beforeEach(async () => {
    clock = new TestClock();
    const registry = new SimRegistry()
      .waimaiopen('order/confirm', () => undefined)
      .waimaiopen('order/getOrderDetail', ({ params, method }) => ({
        order_id: jsonNumber(params.order_id ?? '0'),
        method,
        is_mt_logistics: params.is_mt_logistics,
      }))
      .waimaiopen('food/sku/stock', ({ params }) => ({ food_data: params.food_data }));
    sim = await startSimulator({ registry, now: clock.now });
    transport = new WaimaiopenTransport(simTransportSettings(sim.url, 300).waimaiopen, clock);
  });
  afterEach(() => sim.close());

  it('confirms an order by POST: {"data":"ok"} is ok, and the sig covered the URL it was sent to', async () => {
    expect(await transport.call('POST', 'order/confirm', { order_id: ORDER_ID })).toBe('ok');
    const [call] = sim.state.callsTo('meituan-waimaiopen', 'order/confirm');
    expect(call).toMatchObject({ method: 'POST', signatureValid: true, answer: { data: 'ok' } });
    expect(call?.params).toMatchObject({ app_id: SIMULATOR_DEFAULTS.meituan.appId, order_id: ORDER_ID });
    const { sig, ...signed } = (call?.params ?? {}) as Record<string, string>;
    expect(sig).toBe(
      waimaiopenSig(`${sim.url}/meituan/waimaiopen/api/v1/order/confirm`, signed, SIMULATOR_DEFAULTS.meituan.appSecret),
    );
  });

  it('reads an object answer by GET, with an order id above 2^53 kept exact both ways', async () => {
    const data = await transport.call<{ order_id: string; method: string }>('GET', 'order/getOrderDetail', {
      order_id: bffJsonNumber(ORDER_ID),
      is_mt_logistics: 1,
    });
    expect(data).toEqual({ order_id: ORDER_ID, method: 'GET', is_mt_logistics: '1' });
  });

  it('signs a JSON param as the exact string sent (Chinese and slashes unescaped)', async () => {
    const foodData = [{ app_food_code: '牛肉面/大', skus: [{ sku_id: 'N001-L', stock: '12' }] }];
    const data = await transport.call<{ food_data: string }>('POST', 'food/sku/stock', {
      app_poi_code: 'SH001',
      food_data: foodData,
    });
    expect(data.food_data).toBe('[{"app_food_code":"牛肉面/大","skus":[{"sku_id":"N001-L","stock":"12"}]}]');
    expect(sim.state.callsTo('meituan-waimaiopen')[0]?.signatureValid).toBe(true);
  });

  it('is refused under a wrong secret with {"data":"ng","error":…}, raised as a PlatformError', async () => {
    const wrong = new WaimaiopenTransport({ ...simTransportSettings(sim.url).waimaiopen, appSecret: 'wrong' }, clock);
    const err = await wrong.call('POST', 'order/confirm', { order_id: ORDER_ID }).catch((e) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect(err).toMatchObject({ platform: 'meituan', message: expect.stringContaining('签名'), retryable: true });
    expect(sim.state.callsTo('meituan-waimaiopen')[0]).toMatchObject({
      signatureValid: false,
      answer: { data: 'ng', error: { msg: '签名验证失败' } },
    });
  });

  it('defers on an injected rate limit, abandons a validation refusal, retries a 502 and a timeout', async () => {
    const confirm = () => transport.call('POST', 'order/confirm', { order_id: ORDER_ID }).catch((e) => e);
    sim.state.faults.add({ platform: 'meituan-waimaiopen', target: 'order/confirm', kind: 'rate-limit' });
    expect(toDeliveryFailure(await confirm())?.constructor.name).toBe('DeferDelivery');
    sim.state.faults.add({ platform: 'meituan-waimaiopen', kind: 'validation' });
    expect(toDeliveryFailure(await confirm())?.constructor.name).toBe('AbandonDelivery');
    sim.state.faults.add({ platform: 'meituan-waimaiopen', kind: 'server-error' });
    expect(await confirm()).toMatchObject({ code: 'HTTP_502', retryable: true, rateLimited: false });
    sim.state.faults.add({ platform: 'meituan-waimaiopen', kind: 'timeout', delayMs: 2_000 });
    expect(await confirm()).toMatchObject({ code: 'TIMEOUT', retryable: true, rateLimited: false });
    expect(sim.state.callsTo('meituan-waimaiopen').map((c) => c.fault)).toEqual([
      'rate-limit',
      'validation',
      'server-error',
    ]);
  });

  it('answers an unknown API as a refusal', async () => {
    await expect(transport.call('GET', 'poi/nothing')).rejects.toMatchObject({
      message: expect.stringContaining('接口不存在'),
    });
  });
});
