import type { ElemeOAuth } from 'bff/channels/eleme/oauth';
import { ElemeStockClient } from 'bff/channels/eleme/stock-client';
import { ElemeTransport } from 'bff/channels/eleme/transport';
import { PlatformError } from 'bff/channels/platform-error';
import { jsonNumber as bffJsonNumber } from 'bff/lib/json-exact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../server';
import { simTransportSettings, TestClock } from '../testing';
import { elemeShown } from './stock';

const ITEM = '213529700000000017'; // Ele.me ids are longs; this one is past 2^53
const SPEC_A = '9007199254740993';
const SPEC_B = '72970000222';
const store = { storeId: 'store-1', storeCode: 'SH001', platformStoreId: '100001', token: null };

describe('Ele.me stock and shelf state in the simulator', () => {
  let sim: RunningSimulator;
  let clock: TestClock;
  let client: ElemeStockClient;
  let transport: ElemeTransport;

  beforeEach(async () => {
    clock = new TestClock();
    sim = await startSimulator({ now: clock.now });
    const { eleme } = simTransportSettings(sim.url, 2_000);
    transport = new ElemeTransport(eleme, clock);
    // The app's token (its OAuth flow is tested in eleme-oauth.test.ts).
    const token = sim.state.eleme.issue('client_credentials').access_token;
    const oauth = { withToken: <T>(call: (t: string) => Promise<T>) => call(token) } as unknown as ElemeOAuth;
    const logger = { warn: () => undefined } as unknown as ConstructorParameters<typeof ElemeStockClient>[2];
    client = new ElemeStockClient(transport, oauth, logger);
  });
  afterEach(() => sim.close());

  it('shows per spec what the signed shelf and stock calls said, with long ids kept exact', async () => {
    await client.send(store, [
      { skuCode: 'N001-L', platformItemId: ITEM, platformSkuId: SPEC_A, onSale: false, stock: 0, unlimited: false },
      { skuCode: 'N001-S', platformItemId: ITEM, platformSkuId: SPEC_B, onSale: true, stock: 7, unlimited: false },
    ]);
    expect(elemeShown(sim.state, SPEC_A)).toMatchObject({ itemId: ITEM, shelf: 'off', stock: 0 });
    expect(elemeShown(sim.state, SPEC_B)).toMatchObject({ itemId: ITEM, shelf: 'on', stock: 7 });
    const calls = sim.state.callsTo('eleme').filter((c) => c.target.startsWith('eleme.product'));
    expect(calls.map((c) => [c.target, c.signatureValid])).toEqual([
      ['eleme.product.item.batchOffShelf', true],
      ['eleme.product.item.batchUpdateStock', true],
      ['eleme.product.item.batchOnShelf', true],
    ]);
  });

  it('refuses a negative stock or a spec list without specs, changing nothing', async () => {
    const token = sim.state.eleme.issue('client_credentials').access_token;
    const code = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => (e instanceof PlatformError ? e.code : e),
      );
    expect(
      await code(transport.call('eleme.product.item.batchUpdateStock', { stockMap: { [SPEC_A]: -1 } }, token)),
    ).toBe('VALIDATION_FAILED');
    expect(
      await code(
        transport.call(
          'eleme.product.item.batchOffShelf',
          { specIds: [{ itemId: bffJsonNumber(ITEM), itemSpecIds: [] }] },
          token,
        ),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(elemeShown(sim.state, SPEC_A)).toBeUndefined();
  });
});
