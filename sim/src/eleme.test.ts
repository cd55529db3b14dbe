import { elemeRequestSignature } from 'bff/channels/eleme/sign';
import { ElemeTransport } from 'bff/channels/eleme/transport';
import { PlatformError, toDeliveryFailure } from 'bff/channels/platform-error';
import { jsonNumber as bffJsonNumber } from 'bff/lib/json-exact';
import { SIMULATOR_DEFAULTS } from 'shared-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonNumber } from './json';
import { SimRegistry } from './registry';
import { type RunningSimulator, startSimulator } from './server';
import { simTransportSettings, TestClock } from './testing';

const ORDER_ID = '5066666663248870311'; // an Ele.me id of 19 digits

describe('Ele.me NOP: the BFF transport against the simulator', () => {
  let sim: RunningSimulator;
  let clock: TestClock;
  let transport: ElemeTransport;
  let token: string;

  beforeEach(async () => {
    clock = new TestClock();
    const registry = new SimRegistry()
      .eleme('eleme.order.getOrder', ({ params }) => ({ id: params.orderId, shopId: jsonNumber('500000000000000001') }))
      .eleme('eleme.product.item.batchUpdateStock', ({ params }) => params)
      .eleme('eleme.msgNew.getPushFailMsg', () => ({ list: [] }), { appLevel: true });
    sim = await startSimulator({ registry, now: clock.now });
    token = sim.state.eleme.issue('client_credentials').access_token;
    transport = new ElemeTransport(simTransportSettings(sim.url, 300).eleme, clock);
  });
  afterEach(() => sim.close());

  it('calls an action: id format, seconds, exact ids both ways, and a signature the platform accepts', async () => {
    const result = await transport.call('eleme.order.getOrder', { orderId: ORDER_ID }, token);
    expect(result).toEqual({ id: ORDER_ID, shopId: '500000000000000001' });
    const [call] = sim.state.callsTo('eleme', 'eleme.order.getOrder');
    expect(call?.signatureValid).toBe(true);
    const body = call?.params as Record<string, unknown>;
    expect(body).toMatchObject({ nop: '1.0.0', action: 'eleme.order.getOrder', token, params: { orderId: ORDER_ID } });
    expect(body.metas).toEqual({ app_key: SIMULATOR_DEFAULTS.eleme.appKey, timestamp: Math.floor(clock.now() / 1000) });
    expect(body.id).toMatch(new RegExp(`^[0-9A-F]{32}\\|${clock.now()}$`));
  });

  it('keeps nested key order and unescaped text in what it signs (a stock map keyed by spec ids)', async () => {
    const stockMap = { '900': 1, '20': 0 }; // JS enumerates these as 20, 900
    const params = { shopId: bffJsonNumber('500000000000000001'), stockMap, note: '沽清/售罄' };
    expect(await transport.call('eleme.product.item.batchUpdateStock', params, token)).toEqual({
      shopId: '500000000000000001',
      stockMap: { '20': 0, '900': 1 },
      note: '沽清/售罄',
    });
    expect(sim.state.callsTo('eleme')[0]?.signatureValid).toBe(true);
  });

  it('sends empty params as {} and allows the empty token of app-level calls only', async () => {
    expect(await transport.call('eleme.msgNew.getPushFailMsg', {}, '')).toEqual({ list: [] });
    await expect(transport.call('eleme.order.getOrder', { orderId: ORDER_ID }, '')).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('refuses PHP-style [] params, which only {} may stand for', async () => {
    const metas = { app_key: SIMULATOR_DEFAULTS.eleme.appKey, timestamp: Math.floor(clock.now() / 1000) };
    const signature = elemeRequestSignature(
      { action: 'eleme.msgNew.getPushFailMsg', token: '', metas, params: {} },
      SIMULATOR_DEFAULTS.eleme.appSecret,
    );
    const body = {
      nop: '1.0.0',
      id: 'X|1',
      action: 'eleme.msgNew.getPushFailMsg',
      token: '',
      metas,
      params: [],
      signature,
    };
    const res = await fetch(`${sim.url}/eleme/api/v1/`, { method: 'POST', body: JSON.stringify(body) });
    expect(await res.json()).toMatchObject({ id: 'X|1', result: null, error: { code: 'ILLEGAL_REQUEST' } });
  });

  it('is refused with INVALID_SIGNATURE under a wrong secret, raised as a retryable PlatformError', async () => {
    const wrong = new ElemeTransport({ ...simTransportSettings(sim.url).eleme, appSecret: 'wrong' }, clock);
    const err = await wrong.call('eleme.order.getOrder', { orderId: ORDER_ID }, token).catch((e) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect(err).toMatchObject({ platform: 'eleme', code: 'INVALID_SIGNATURE', retryable: true, rateLimited: false });
    expect(sim.state.callsTo('eleme')[0]).toMatchObject({ signatureValid: false, answer: { result: null } });
  });

  it('refuses an expired token and a stale timestamp', async () => {
    sim.state.eleme.revoke(token);
    await expect(transport.call('eleme.order.getOrder', { orderId: ORDER_ID }, token)).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    const late = new ElemeTransport(simTransportSettings(sim.url).eleme, { now: () => clock.now() - 3_600_000 });
    await expect(late.call('eleme.order.getOrder', {}, token)).rejects.toMatchObject({
      code: 'INVALID_TIMESTAMP',
      retryable: true,
    });
  });

  it('defers on EXCEED_LIMIT, abandons VALIDATION_FAILED, retries a 502 and a timeout', async () => {
    const get = () => transport.call('eleme.order.getOrder', { orderId: ORDER_ID }, token).catch((e) => e);
    sim.state.faults.add({ platform: 'eleme', target: 'eleme.order.getOrder', kind: 'rate-limit' });
    const limited = await get();
    expect(limited).toMatchObject({ code: 'EXCEED_LIMIT', rateLimited: true });
    expect(toDeliveryFailure(limited)?.constructor.name).toBe('DeferDelivery');
    sim.state.faults.add({ platform: 'eleme', kind: 'validation' });
    expect(toDeliveryFailure(await get())?.constructor.name).toBe('AbandonDelivery');
    sim.state.faults.add({ platform: 'eleme', kind: 'server-error' });
    const down = await get();
    expect(down).toMatchObject({ code: 'HTTP_502', retryable: true });
    expect(toDeliveryFailure(down)).toBe(down);
    sim.state.faults.add({ platform: 'eleme', kind: 'timeout', delayMs: 2_000 });
    expect(await get()).toMatchObject({ code: 'TIMEOUT', retryable: true, rateLimited: false });
  });
});
