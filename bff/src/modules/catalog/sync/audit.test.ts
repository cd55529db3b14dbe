import { demoIds, seedId } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elemeMenu } from '../../../../../sim/src/eleme/catalog';
import { meituanMenu } from '../../../../../sim/src/meituan/catalog';
import { openCaterSign, verifyOpenCaterSign } from '../../../channels/meituan/sign';
import { type SyncFixture, shopOf, startSyncFixture } from '../testing/sync-fixture';

interface Finding {
  kind: string;
  storeCode: string;
  platform: string | null;
  code: string | null;
  message: string;
}

describe.each(storageTargets())('store binding and the consistency audit on $dialect', (storage) => {
  let f: SyncFixture;
  beforeAll(async () => {
    f = await startSyncFixture(storage);
    const res = await f.app.request('POST', '/api/admin/catalog/publish', { token: f.hq, body: {} });
    expect(res.status).toBe(200);
    await f.drain();
  });
  afterAll(async () => {
    await f?.close();
  });

  const audit = async (token = f.hq, query = '') => {
    const res = await f.app.request('GET', `/api/admin/catalog/audit${query}`, { token });
    expect(res.status, res.text).toBe(200);
    return res.body.findings as Finding[];
  };

  describe('Meituan store binding', () => {
    it('hands out a store-map link signed by the SHA-1 rule, with a millisecond timestamp and no charset', async () => {
      const res = await f.app.request(
        'POST',
        `/api/admin/catalog/stores/${demoIds.store('HZ002')}/bindings/meituan/storemap-url`,
        {
          token: f.hq,
        },
      );
      const url = new URL(res.body.url);
      expect(url.pathname).toBe('/meituan/open-erp/storemap');
      const params = Object.fromEntries(url.searchParams);
      expect(params).toMatchObject({
        developerId: '106001',
        businessId: '2',
        ePoiId: 'HZ002',
        timestamp: String(f.clock.now()),
      });
      expect(params.charset).toBeUndefined();
      expect(verifyOpenCaterSign('sim-meituan-open-cater-sign-key', params)).toBe(true);
    });

    it('keeps the appAuthToken from the bind callback encrypted, and refuses an unsigned callback', async () => {
      const row = await f.app.database.db
        .selectFrom('store_channel_binding')
        .selectAll()
        .where('store_id', '=', demoIds.store('SH001'))
        .where('platform', '=', 'meituan')
        .executeTakeFirstOrThrow();
      const token = f.sim.state.meituan.byEPoiId('SH001')?.appAuthToken as string;
      expect(row.auth_token_enc).toMatch(/^v1\./);
      expect(row.auth_token_enc).not.toContain(token);
      expect(f.app.container.secrets.open(row.auth_token_enc as string)).toBe(token);

      const fields = {
        developerId: '106001',
        ePoiId: 'SH001',
        appAuthToken: 'forged',
        businessId: '2',
        timestamp: '1',
      };
      const forged = await f.app.request('POST', '/webhooks/meituan/bind', {
        raw: new URLSearchParams({ ...fields, sign: openCaterSign('not-the-key', fields) }).toString(),
        contentType: 'application/x-www-form-urlencoded',
      });
      expect(forged.status).toBe(401);
      expect(forged.body.error.code).toBe('SIGNATURE_INVALID');
      const after = await f.app.database.db
        .selectFrom('store_channel_binding')
        .select('auth_token_enc')
        .where('store_id', '=', demoIds.store('SH001'))
        .where('platform', '=', 'meituan')
        .executeTakeFirstOrThrow();
      expect(after.auth_token_enc).toBe(row.auth_token_enc);

      const probe = await f.app.request('POST', '/webhooks/meituan/bind');
      expect(probe.body).toEqual({ data: 'success' });
    });
  });

  describe('audit', () => {
    it('finds the demo’s seeded pitfalls: a price outside its range and a mis-linked mapping', async () => {
      const findings = await audit();
      expect(findings).toContainEqual(
        expect.objectContaining({ kind: 'price_out_of_range', storeCode: 'HZ001', code: 'R012-X', platform: null }),
      );
      expect(findings).toContainEqual(
        expect.objectContaining({
          kind: 'mapping_conflict',
          storeCode: 'SH001',
          platform: 'meituan',
          code: 'T003,T004',
        }),
      );
      expect(findings).toContainEqual(
        expect.objectContaining({ kind: 'stale_mapping', storeCode: 'SH001', code: 'T004' }),
      );
      expect(findings.filter((x) => x.kind === 'drift' || x.kind === 'name_mismatch')).toEqual([]);
    });

    it('reads each platform back and finds drift, renamed dishes, missing specs and add-ons, and strangers', async () => {
      const mt = meituanMenu(f.sim.state).store('SH001');
      const edit = (body: object, path = '/meituan/merchant/dish') =>
        fetch(`${f.sim.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
      expect((await edit({ ePoiId: 'SH001', eDishCode: 'N003', skuId: 'N003-L', price: 45 })).status).toBe(200);
      expect((await edit({ ePoiId: 'SH001', eDishCode: 'N004', dishName: '重庆小面（加辣）' })).status).toBe(200);
      const n001 = mt.dishes.get('N001');
      if (n001) n001.skus = n001.skus.filter((s) => s.skuId !== 'N001-S');
      const n005 = mt.dishes.get('N005');
      if (n005) n005.properties = [];

      const el = elemeMenu(f.sim.state);
      const item = el.shopItems(shopOf('SH002')).find((i) => i.specs[0]?.extendCode === 'R003-R');
      expect((await edit({ itemId: item?.id, name: '麻婆豆腐盖饭' }, '/eleme/merchant/item')).status).toBe(200);
      const stranger = el.shopCategories(shopOf('SH002'))[0];
      el.saveItem(stranger?.id, { name: '老板私房菜', specs: [{ name: '份', price: 66, packingFee: 0 }] });

      const findings = await audit();
      const pick = (kind: string, storeCode: string, platform: string) =>
        findings
          .filter((x) => x.kind === kind && x.storeCode === storeCode && x.platform === platform)
          .map((x) => x.code);
      expect(pick('drift', 'SH001', 'meituan')).toEqual(['N003']);
      expect(findings.find((x) => x.kind === 'drift')?.message).toContain('N003-L price 4500 fen');
      expect(pick('name_mismatch', 'SH001', 'meituan')).toEqual(['N004']);
      expect(pick('missing_spec', 'SH001', 'meituan')).toEqual(['N001']);
      // One finding per add-on group missing (辣度 and 加料).
      expect(pick('missing_addon', 'SH001', 'meituan')).toEqual(['N005', 'N005']);
      expect(pick('name_mismatch', 'SH002', 'eleme')).toEqual(['R003']);
      expect(findings.filter((x) => x.kind === 'extra_on_platform' && x.storeCode === 'SH002')).toEqual([
        expect.objectContaining({ platform: 'eleme', message: expect.stringContaining('老板私房菜') }),
      ]);
    });

    it('shows a store manager only their own store', async () => {
      const findings = await audit(await f.app.login('sm-sh001'));
      expect(new Set(findings.map((x) => x.storeCode))).toEqual(new Set(['SH001']));
    });

    it('is brought back in step by publishing: the platform gets our menu again', async () => {
      // The platform copy changed behind our back; the diff is against what it accepted, so
      // republishing the changed dishes means making them differ from what was accepted: HQ edits.
      for (const code of ['N003', 'N004', 'N001', 'N005']) {
        await f.app.request('PATCH', `/api/admin/catalog/products/${seedId('product', code)}`, {
          token: f.hq,
          body: { description: `${code} 重新发布` },
        });
      }
      await f.app.request('POST', '/api/admin/catalog/publish', {
        token: f.hq,
        body: { storeId: demoIds.store('SH001') },
      });
      await f.drain();
      const findings = await audit(f.hq, `?storeId=${demoIds.store('SH001')}&platform=meituan`);
      expect(
        findings.filter((x) => ['drift', 'name_mismatch', 'missing_spec', 'missing_addon'].includes(x.kind)),
      ).toEqual([]);
      await f.expectMeituanEqualsOurs('SH001');
    });
  });
});

describe.each(storageTargets())('menu sync on the legacy waimaiopen gateway on $dialect', (storage) => {
  let f: SyncFixture;
  beforeAll(async () => {
    f = await startSyncFixture(storage, { MEITUAN_GATEWAY: 'waimaiopen' });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('publishes with valid signatures, holds our menu, then sends one price call per store', async () => {
    const res = await f.app.request('POST', '/api/admin/catalog/publish', {
      token: f.hq,
      body: { regionId: demoIds.region('hz') },
    });
    expect(res.status).toBe(200);
    await f.drain();
    const calls = f.sim.state.callsTo('meituan-waimaiopen');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.signatureValid === true)).toBe(true);
    await f.expectMeituanEqualsOurs('HZ001');
    await f.expectMeituanEqualsOurs('HZ002');

    const before = f.sim.state.calls.length;
    await f.app.request('PATCH', `/api/admin/catalog/skus/${seedId('sku', 'D004')}`, {
      token: f.hq,
      body: { basePrice: 600 },
    });
    await f.app.request('POST', '/api/admin/catalog/publish', {
      token: f.hq,
      body: { regionId: demoIds.region('hz') },
    });
    await f.drain();
    const sent = f.sim.state.calls.slice(before).map((c) => `${c.platform} ${c.target}`);
    expect(sent.filter((t) => t.startsWith('meituan'))).toEqual([
      'meituan-waimaiopen food/sku/price',
      'meituan-waimaiopen food/sku/price',
    ]);
    expect(meituanMenu(f.sim.state).store('HZ001').dishes.get('D004')?.skus[0]?.price).toBe(6.6);

    const findings = (
      await f.app.request('GET', `/api/admin/catalog/audit?platform=meituan&storeId=${demoIds.store('HZ002')}`, {
        token: f.hq,
      })
    ).body.findings;
    expect(findings.filter((x: Finding) => x.kind !== 'not_published')).toEqual([]);
  });
});
