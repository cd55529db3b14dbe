import { ElemeOAuth } from 'bff/channels/eleme/oauth';
import { ElemeTransport } from 'bff/channels/eleme/transport';
import { PlatformError } from 'bff/channels/platform-error';
import { cacheTargets } from 'bff/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimError, SimRegistry } from './registry';
import { type RunningSimulator, startSimulator } from './server';
import { simTransportSettings, TestClock } from './testing';

type Cache = ReturnType<ReturnType<typeof cacheTargets>[number]['create']>;

describe.each(cacheTargets())('Ele.me OAuth token against the simulator ($kind cache)', (target) => {
  let sim: RunningSimulator;
  let clock: TestClock;
  let cache: Cache;
  let transport: ElemeTransport;
  let attempts: number;

  const oauth = (settings = simTransportSettings(sim.url).eleme) =>
    new ElemeOAuth(settings, cache, clock, { pollMs: 10 });
  const getOrder = (auth: ElemeOAuth) =>
    auth.withToken((token) => transport.call('eleme.order.getOrder', { orderId: '1' }, token));

  beforeEach(async () => {
    clock = new TestClock();
    attempts = 0;
    const registry = new SimRegistry()
      .eleme('eleme.order.getOrder', ({ token }) => ({ token }))
      .eleme('eleme.order.rejectsEveryToken', () => {
        attempts++;
        throw new SimError('UNAUTHORIZED', 'token无效');
      });
    // One clock for both sides: moving it expires the token for the BFF and the platform alike.
    sim = await startSimulator({ registry, now: clock.now, settings: { elemeAccessTokenSeconds: 3600 } });
    cache = target.create();
    transport = new ElemeTransport(simTransportSettings(sim.url).eleme, clock);
  });
  afterEach(async () => {
    await sim.close();
    await cache.close();
  });

  it('fetches the token once for every caller of every process, and caches it', async () => {
    const processes = [oauth(), oauth()];
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => processes[i % 2]!.accessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(sim.state.eleme.issued).toEqual({ client_credentials: 1, refresh_token: 0 });
    const [call] = sim.state.callsTo('eleme-oauth', 'token');
    expect(call).toMatchObject({ signatureValid: true, params: { grant_type: 'client_credentials' } });
    expect(await getOrder(processes[0]!)).toEqual({ token: tokens[0] });
    expect(sim.state.callsTo('eleme-oauth')).toHaveLength(1);
  });

  it('renews with the refresh token once the token expires, and then uses the new one', async () => {
    const auth = oauth();
    const first = await auth.accessToken();
    clock.advance(3_600_000 - 60_000); // inside the renewal margin (10% of an hour, at most five minutes)
    const second = await auth.accessToken();
    expect(second).not.toBe(first);
    expect(sim.state.eleme.issued).toEqual({ client_credentials: 1, refresh_token: 1 });
    expect(sim.state.callsTo('eleme-oauth')[1]?.params).toMatchObject({ grant_type: 'refresh_token', scope: 'all' });
    clock.advance(120_000); // the first token has now expired on the platform too
    expect(await getOrder(auth)).toEqual({ token: second });
  });

  it('falls back to client_credentials when the refresh token is refused', async () => {
    const auth = oauth();
    await auth.accessToken();
    clock.advance(4 * 3_600_000);
    sim.state.eleme.clear(); // the platform no longer knows the refresh token either
    await auth.accessToken();
    expect(sim.state.callsTo('eleme-oauth').map((c) => c.status)).toEqual([200, 400, 200]);
    expect(sim.state.eleme.issued.client_credentials).toBe(1);
  });

  it('fetches a new token once when Ele.me answers UNAUTHORIZED, and calls again', async () => {
    const auth = oauth();
    const revoked = await auth.accessToken();
    sim.state.eleme.revoke(revoked);
    const result = await getOrder(auth);
    expect(result).not.toEqual({ token: revoked });
    expect(
      sim.state.callsTo('eleme', 'eleme.order.getOrder').map((c) => (c.answer as { error: unknown }).error),
    ).toEqual([{ code: 'UNAUTHORIZED', message: 'token无效或已过期' }, null]);
  });

  it('gives up after the one retry when the new token is refused too', async () => {
    const auth = oauth();
    const err = await auth
      .withToken((token) => transport.call('eleme.order.rejectsEveryToken', {}, token))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect((err as PlatformError).code).toBe('UNAUTHORIZED');
    expect(attempts).toBe(2);
  });

  it('raises a PlatformError when the app credentials are wrong', async () => {
    const err = await oauth({ ...simTransportSettings(sim.url).eleme, appSecret: 'wrong' })
      .accessToken()
      .catch((e) => e);
    expect(err).toMatchObject({ platform: 'eleme', code: 'invalid_client', httpStatus: 401 });
    expect(sim.state.callsTo('eleme-oauth')[0]?.signatureValid).toBe(false);
  });
});
