import { OpenCaterTransport } from 'bff/channels/meituan/open-cater-transport';
import { PlatformError, toDeliveryFailure } from 'bff/channels/platform-error';
import { jsonNumber as bffJsonNumber } from 'bff/lib/json-exact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonNumber } from './json';
import { SimError, SimRegistry } from './registry';
import { type RunningSimulator, startSimulator } from './server';
import { simTransportSettings, TestClock } from './testing';

const ORDER_ID = '27061900338318741'; // above 2^53: a JS number would turn it into …740

describe('Meituan open-cater: the BFF transport against the simulator', () => {
  let sim: RunningSimulator;
  let clock: TestClock;
  let transport: OpenCaterTransport;
  let token: string;

  beforeEach(async () => {
    clock = new TestClock();
    const registry = new SimRegistry()
      .openCater('/waimai/order/confirm', ({ biz, rawBiz, ePoiId }) => ({
        confirmed: jsonNumber(String(biz?.orderId)),
        rawBiz,
        ePoiId,
      }))
      .openCater('/waimai/dish/queryCatList', ({ biz, params }) => ({ sentBiz: 'biz' in params, biz: biz ?? null }), {
        needsToken: false,
      })
      .openCater('/waimai/order/cancel', () => {
        throw new SimError('OP_ORDER_STATUS_INVALID', '订单状态不允许取消');
      });
    sim = await startSimulator({ registry, now: clock.now });
    token = sim.state.meituan.bind('SH001').appAuthToken;
    transport = new OpenCaterTransport(simTransportSettings(sim.url, 300).openCater, clock);
  });
  afterEach(() => sim.close());

  it('confirms an order: the Long id goes out bare, the signature checks out, the id comes back exact', async () => {
    const data = await transport.call<{ confirmed: string; rawBiz: string; ePoiId: string }>(
      '/waimai/order/confirm',
      { orderId: bffJsonNumber(ORDER_ID) },
      token,
    );
    expect(data).toEqual({ confirmed: ORDER_ID, rawBiz: `{"orderId":${ORDER_ID}}`, ePoiId: 'SH001' });
    const [call] = sim.state.callsTo('meituan-open-cater', '/waimai/order/confirm');
    expect(call?.signatureValid).toBe(true);
    expect(call?.params).toMatchObject({ developerId: '106001', businessId: '2', charset: 'UTF-8', version: '2' });
    expect(call?.params).toMatchObject({
      timestamp: String(Math.floor(clock.now() / 1000)),
      biz: { orderId: ORDER_ID },
    });
  });

  it('sends no biz at all for a call without fields, and no token for a developer-level API', async () => {
    expect(await transport.call('/waimai/dish/queryCatList', undefined, undefined)).toEqual({
      sentBiz: false,
      biz: null,
    });
    expect(await transport.call('/waimai/dish/queryCatList', { unused: undefined }, undefined)).toEqual({
      sentBiz: false,
      biz: null,
    });
    expect(sim.state.callsTo('meituan-open-cater')[0]?.params).not.toHaveProperty('appAuthToken');
  });

  it('is refused under a wrong sign key, in the gateway envelope, as a retryable credentials problem', async () => {
    const wrong = new OpenCaterTransport({ ...simTransportSettings(sim.url).openCater, signKey: 'not-the-key' }, clock);
    const err = await wrong.call('/waimai/order/confirm', { orderId: bffJsonNumber(ORDER_ID) }, token).catch((e) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect(err).toMatchObject({ platform: 'meituan', code: 'OP_SIGN_INVALID', retryable: true, rateLimited: false });
    expect((err as PlatformError).traceId).toMatch(/^[0-9a-f]{32}$/);
    const [call] = sim.state.callsTo('meituan-open-cater');
    expect(call?.signatureValid).toBe(false);
    expect(call?.answer).toMatchObject({ code: 'OP_SIGN_INVALID', msg: '签名验证失败', data: null });
  });

  it('refuses a store that is not bound, and a timestamp outside the tolerance', async () => {
    await expect(
      transport.call('/waimai/order/confirm', { orderId: bffJsonNumber(1) }, 'unbound'),
    ).rejects.toMatchObject({
      code: 'OP_TOKEN_INVALID',
    });
    const late = new OpenCaterTransport(simTransportSettings(sim.url).openCater, {
      now: () => clock.now() - 3_600_000,
    });
    await expect(late.call('/waimai/order/confirm', { orderId: bffJsonNumber(1) }, token)).rejects.toMatchObject({
      code: 'OP_TIMESTAMP_INVALID',
      retryable: true,
    });
  });

  it('passes a handler refusal through, and an unknown API, as refusals the worker abandons', async () => {
    const refusal = await transport
      .call('/waimai/order/cancel', { orderId: bffJsonNumber(ORDER_ID) }, token)
      .catch((e) => e);
    expect(refusal).toMatchObject({
      code: 'OP_ORDER_STATUS_INVALID',
      message: expect.stringContaining('订单状态'),
      retryable: false,
    });
    expect(toDeliveryFailure(refusal)?.constructor.name).toBe('AbandonDelivery');
    const unknown = await transport.call('/waimai/nothing', undefined, token).catch((e) => e);
    expect(unknown).toMatchObject({ code: 'OP_API_NOT_FOUND', retryable: false });
  });

  it('turns an injected rate limit into a deferral, not a failure', async () => {
    sim.state.faults.add({ platform: 'meituan-open-cater', target: '/waimai/order/confirm', kind: 'rate-limit' });
    const err = await transport
      .call('/waimai/order/confirm', { orderId: bffJsonNumber(ORDER_ID) }, token)
      .catch((e) => e);
    expect(err).toMatchObject({ code: 'OP_FREQUENCY_LIMIT', rateLimited: true });
    expect(toDeliveryFailure(err)?.constructor.name).toBe('DeferDelivery');
    // The fault was used up: the next call goes through.
    await expect(
      transport.call('/waimai/order/confirm', { orderId: bffJsonNumber(ORDER_ID) }, token),
    ).resolves.toBeTruthy();
  });

  it('classifies a validation refusal as final, and a 502 and a timeout as plain retries', async () => {
    const call = () =>
      transport.call('/waimai/order/confirm', { orderId: bffJsonNumber(ORDER_ID) }, token).catch((e) => e);
    sim.state.faults.add({ platform: 'meituan-open-cater', kind: 'validation' });
    expect(toDeliveryFailure(await call())?.constructor.name).toBe('AbandonDelivery');

    sim.state.faults.add({ platform: 'meituan-open-cater', kind: 'server-error' });
    const down = await call();
    expect(down).toMatchObject({ code: 'HTTP_502', httpStatus: 502, retryable: true, rateLimited: false });
    expect(toDeliveryFailure(down)).toBe(down);

    sim.state.faults.add({ platform: 'meituan-open-cater', kind: 'timeout', delayMs: 2_000 });
    const started = Date.now();
    const timedOut = await call();
    expect(timedOut).toMatchObject({ code: 'TIMEOUT', retryable: true, rateLimited: false });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(toDeliveryFailure(timedOut)).toBe(timedOut);
  });
});
