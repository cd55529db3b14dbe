import { demoIds, seedDemo } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../testing';
import { demoMeituanToken } from '../testing';

/** The key testConfig gives the app: the seed can bind only when it is told the app's key. */
const APP_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

describe.each(storageTargets())('demo store bindings from the seed on $dialect', (storage) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(storage);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('binds nothing when the seed cannot know the app’s encryption key', async () => {
    expect(await app.database.db.selectFrom('store_channel_binding').selectAll().execute()).toEqual([]);
  });

  it('seals the simulator tokens with the app’s key, leaving HZ002 unbound on Meituan', async () => {
    await seedDemo(app.database.db, { DATA_ENCRYPTION_KEY: APP_KEY });
    const lookup = app.container.services.catalogLookup;
    expect(await lookup.binding(demoIds.store('SH001'), 'meituan')).toEqual({
      token: demoMeituanToken('SH001'),
      platformStoreId: null,
    });
    expect(await lookup.binding(demoIds.store('HZ002'), 'meituan')).toBeNull();
    expect(await lookup.binding(demoIds.store('HZ002'), 'eleme')).toEqual({ token: null, platformStoreId: '100004' });
    const hq = await app.login('hq');
    const status = await app.request('GET', '/api/admin/catalog/sync-status', { token: hq });
    const binding = (code: string, platform: string) =>
      status.body.targets.find(
        (t: { storeCode: string; platform: string }) => t.storeCode === code && t.platform === platform,
      ).binding;
    expect(binding('SH001', 'meituan')).toBe('bound');
    expect(binding('HZ002', 'meituan')).toBe('not_bound');
  });

  it('treats a token sealed under another key as not bound instead of failing', async () => {
    await app.database.db
      .updateTable('store_channel_binding')
      .set({ auth_token_enc: 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAA' })
      .where('store_id', '=', demoIds.store('SH002'))
      .where('platform', '=', 'meituan')
      .execute();
    const hq = await app.login('hq');
    const res = await app.request('POST', '/api/admin/catalog/publish', {
      token: hq,
      body: { storeId: demoIds.store('SH002') },
    });
    expect(res.status).toBe(200);
    expect(res.body.targets.find((t: { platform: string }) => t.platform === 'meituan').state).toBe('not_bound');
  });
});
