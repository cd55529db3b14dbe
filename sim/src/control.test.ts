import { OpenCaterTransport } from 'bff/channels/meituan/open-cater-transport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimRegistry } from './registry';
import { type RunningSimulator, startSimulator } from './server';
import { simTransportSettings } from './testing';

describe('the simulator control API (/_sim/)', () => {
  let sim: RunningSimulator;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sim.url}/_sim${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary control API answers
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  beforeEach(async () => {
    const registry = new SimRegistry().openCater('/waimai/poi/queryPoiInfo', ({ ePoiId }) => ({ ePoiId }));
    sim = await startSimulator({ registry });
  });
  afterEach(() => sim.close());

  it('binds a Meituan store, so the open-cater gateway accepts its token', async () => {
    const bound = await api('POST', '/meituan/bind', { ePoiId: 'SH001', appAuthToken: 'token-sh001' });
    expect(bound).toMatchObject({ status: 201, body: { binding: { ePoiId: 'SH001', appAuthToken: 'token-sh001' } } });
    const transport = new OpenCaterTransport(simTransportSettings(sim.url).openCater, { now: Date.now });
    expect(await transport.call('/waimai/poi/queryPoiInfo', undefined, 'token-sh001')).toEqual({ ePoiId: 'SH001' });
    expect((await api('GET', '/meituan/bindings')).body.bindings).toHaveLength(1);
    expect((await api('POST', '/meituan/unbind', { ePoiId: 'SH001' })).body).toEqual({ unbound: true });
    await expect(transport.call('/waimai/poi/queryPoiInfo', undefined, 'token-sh001')).rejects.toMatchObject({
      code: 'OP_TOKEN_INVALID',
    });
  });

  it('injects faults, lists the calls received, and resets', async () => {
    sim.state.meituan.bind('SH001', 't');
    const fault = await api('POST', '/faults', { platform: 'meituan-open-cater', kind: 'rate-limit', count: 2 });
    expect(fault).toMatchObject({ status: 201, body: { fault: { kind: 'rate-limit', remaining: 2 } } });
    const transport = new OpenCaterTransport(simTransportSettings(sim.url).openCater, { now: Date.now });
    for (let i = 0; i < 3; i++) await transport.call('/waimai/poi/queryPoiInfo', undefined, 't').catch(() => undefined);
    const calls = (await api('GET', '/calls?platform=meituan-open-cater&target=/waimai/poi/queryPoiInfo')).body.calls;
    expect(calls.map((c: { fault?: string }) => c.fault ?? null)).toEqual(['rate-limit', 'rate-limit', null]);
    expect((await api('GET', `/calls?after=${calls[1].seq}`)).body.calls).toHaveLength(1);
    expect((await api('GET', '/faults')).body.faults).toEqual([]);

    await api('POST', '/reset');
    expect(sim.state.calls).toEqual([]);
    expect(sim.state.meituan.list()).toEqual([]);
  });

  it('changes settings, and refuses malformed requests with a 400', async () => {
    expect((await api('POST', '/settings', { elemeAccessTokenSeconds: 2 })).body.settings).toMatchObject({
      elemeAccessTokenSeconds: 2,
      timestampToleranceSeconds: 600,
    });
    expect((await api('POST', '/faults', { platform: 'meituan', kind: 'rate-limit' })).status).toBe(400);
    expect((await api('POST', '/faults', { platform: 'eleme', kind: 'flood' })).status).toBe(400);
    expect((await api('POST', '/meituan/bind', { store: 'x' })).status).toBe(400);
    expect((await api('GET', '/nothing')).status).toBe(404);
  });
});
