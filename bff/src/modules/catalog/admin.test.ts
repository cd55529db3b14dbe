import { demoIds, seedId } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock';
import { startTestApp, type TestApp } from '../../testing';

const START = Date.parse('2026-11-28T04:00:00Z'); // 12:00 in Shanghai
const SH001 = demoIds.store('SH001');
const SH002 = demoIds.store('SH002');
const NOODLES = seedId('category', 'NOODLES');

describe.each(storageTargets())('catalog administration on $dialect', (storage) => {
  let app: TestApp;
  let hq: string;
  let manager: string;
  let clerk: string;
  beforeAll(async () => {
    app = await startTestApp(storage, { redis: storage.dialect === 'mysql', clock: new ManualClock(START) });
    [hq, manager, clerk] = await Promise.all([app.login('hq'), app.login('sm-sh001'), app.login('clerk-sh001')]);
  });
  afterAll(async () => {
    await app?.close();
  });

  const count = async (table: 'product' | 'sku' | 'category' | 'spec_group') =>
    Number(
      (
        await app.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  describe('products and the SKUs their spec groups generate', () => {
    it('generates one SKU per spec combination, each with its own code and price', async () => {
      const res = await app.request('POST', '/api/admin/catalog/products', {
        token: hq,
        body: {
          categoryId: NOODLES,
          code: 'N900',
          name: '干拌牛肉面',
          basePrice: 2600,
          cost: 900,
          packagingFee: 100,
          boxCount: 1,
          tags: ['新品'],
          availability: [{ days: [1, 2, 3, 4, 5], start: '11:00', end: '14:00' }],
          specGroups: [
            {
              name: '份量',
              options: [
                { name: '大碗', codeSuffix: 'L' },
                { name: '小碗', codeSuffix: 'S', priceDelta: -400 },
              ],
            },
            {
              name: '面型',
              options: [
                { name: '细面', codeSuffix: 'T' },
                { name: '宽面', codeSuffix: 'W', priceDelta: 100 },
              ],
            },
          ],
          skus: [{ options: ['小碗', '宽面'], code: 'N900-KIDS', basePrice: 1900 }],
        },
      });
      expect(res.status).toBe(201);
      expect(res.body.skus.map((s: { code: string; basePrice: number }) => [s.code, s.basePrice])).toEqual([
        ['N900-L-T', 2600],
        ['N900-L-W', 2700],
        ['N900-S-T', 2200],
        ['N900-KIDS', 1900],
      ]);
      expect(res.body.skus[1]).toMatchObject({ specText: '大碗/宽面', packagingFee: 100, boxCount: 1 });
    });

    it('refuses a SKU code another product uses with 409 and writes nothing', async () => {
      const before = await Promise.all([count('product'), count('sku'), count('spec_group')]);
      const res = await app.request('POST', '/api/admin/catalog/products', {
        token: hq,
        body: {
          categoryId: NOODLES,
          code: 'N901',
          name: '复制的牛肉面',
          basePrice: 3200,
          specGroups: [{ name: '份量', options: [{ name: '大碗', codeSuffix: 'L' }] }],
          skus: [{ options: ['大碗'], code: 'N001-L' }],
        },
      });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'SKU_CODE_TAKEN', details: { codes: ['N001-L'] } });
      expect(await Promise.all([count('product'), count('sku'), count('spec_group')])).toEqual(before);
    });

    it('refuses a spec group with no options with 422 and writes nothing', async () => {
      const before = await Promise.all([count('product'), count('sku')]);
      const res = await app.request('POST', '/api/admin/catalog/products', {
        token: hq,
        body: {
          categoryId: NOODLES,
          code: 'N902',
          name: '没有规格的面',
          basePrice: 2000,
          specGroups: [{ name: '辣度', options: [] }],
        },
      });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('SPEC_GROUP_EMPTY');
      expect(res.body.error.message).toContain('辣度');
      expect(await Promise.all([count('product'), count('sku')])).toEqual(before);
    });

    it('regenerates SKUs when the spec groups change, archiving those no longer generated', async () => {
      const product = (await app.request('GET', '/api/admin/catalog/products', { token: hq })).body.products.find(
        (p: { code: string }) => p.code === 'N900',
      );
      const res = await app.request('PUT', `/api/admin/catalog/products/${product.id}/specs`, {
        token: hq,
        body: { basePrice: 2800, specGroups: [{ name: '份量', options: [{ name: '大碗', codeSuffix: 'L' }] }] },
      });
      expect(res.status).toBe(200);
      const active = res.body.skus.filter((s: { status: string }) => s.status === 'active');
      expect(active.map((s: { code: string }) => s.code)).toEqual(['N900-L']);
      expect(res.body.skus.filter((s: { status: string }) => s.status === 'archived')).toHaveLength(4);
    });

    it('refuses a duplicate category code and an add-on group without options', async () => {
      const cat = await app.request('POST', '/api/admin/catalog/categories', {
        token: hq,
        body: { code: 'NOODLES', name: '又一个面' },
      });
      expect(cat.status).toBe(409);
      expect(cat.body.error.code).toBe('CODE_TAKEN');
      const addon = await app.request('POST', '/api/admin/catalog/addon-groups', {
        token: hq,
        body: { code: 'EMPTY', name: '空', options: [] },
      });
      expect(addon.status).toBe(400);
      expect(addon.body.error.code).toBe('VALIDATION_FAILED');
    });

    it('refuses unknown fields (strict bodies)', async () => {
      const res = await app.request('POST', '/api/admin/catalog/categories', {
        token: hq,
        body: { code: 'X1', name: '未知', colour: 'red' },
      });
      expect(res.status).toBe(400);
    });
  });

  describe('store price adjustments', () => {
    const sku = seedId('sku', 'N002-L'); // 招牌面: −5% … +8%

    it('refuses an adjustment outside the category range with 422 PRICE_OUT_OF_RANGE and changes nothing', async () => {
      const res = await app.request('PUT', `/api/admin/catalog/stores/${SH001}/prices/${sku}`, {
        token: manager,
        body: { kind: 'percent', value: 900 },
      });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({
        code: 'PRICE_OUT_OF_RANGE',
        details: { value: 900, min: -500, max: 800 },
      });
      const rows = await app.database.db
        .selectFrom('store_price_adjustment')
        .selectAll()
        .where('sku_id', '=', sku)
        .execute();
      expect(rows).toEqual([]);
    });

    it('lets the store manager adjust inside the range and shows the price per channel', async () => {
      const res = await app.request('PUT', `/api/admin/catalog/stores/${SH001}/prices/${sku}`, {
        token: manager,
        body: { kind: 'amount', value: -100 },
      });
      expect(res.status).toBe(200);
      // 3400 base; delivery platforms +10% → 3740, then −100
      expect(res.body.prices).toEqual({ miniapp: 3300, dinein: 3300, meituan: 3640, eleme: 3640 });
      expect(res.body.position).toBe('inside');
    });

    it('shows HQ every store whose adjustment sits on an edge of its range', async () => {
      await app.request('PUT', `/api/admin/catalog/stores/${SH002}/prices/${seedId('sku', 'N003-L')}`, {
        token: hq,
        body: { kind: 'percent', value: 800 },
      });
      const res = await app.request('GET', '/api/admin/catalog/price-edges', { token: hq });
      expect(res.status).toBe(200);
      expect(res.body.edges).toContainEqual(
        expect.objectContaining({ storeCode: 'SH002', skuCode: 'N003-L', position: 'max', categoryCode: 'NOODLES' }),
      );
      expect(res.body.edges.find((e: { skuCode: string }) => e.skuCode === 'N002-L')).toBeUndefined();
    });
  });

  describe('who may change what', () => {
    it('refuses a store manager another store’s prices (403) and HQ-level data (403)', async () => {
      const other = await app.request('PUT', `/api/admin/catalog/stores/${SH002}/prices/${seedId('sku', 'N002-L')}`, {
        token: manager,
        body: { kind: 'amount', value: -100 },
      });
      expect(other.status).toBe(403);
      expect(other.body.error.code).toBe('OUT_OF_SCOPE');
      const category = await app.request('POST', '/api/admin/catalog/categories', {
        token: manager,
        body: { code: 'SM1', name: '店长的分类' },
      });
      expect(category.status).toBe(403);
      const rule = await app.request('PUT', '/api/admin/catalog/channel-prices', {
        token: manager,
        body: { channel: 'meituan', target: { scope: 'menu' }, kind: 'percent', value: 2000 },
      });
      expect(rule.status).toBe(403);
      const publish = await app.request('POST', '/api/admin/catalog/publish', { token: manager, body: {} });
      expect(publish.status).toBe(403);
    });

    it('keeps clerks out of the catalog entirely', async () => {
      for (const [method, path, body] of [
        ['GET', '/api/admin/catalog/categories', undefined],
        ['PUT', `/api/admin/catalog/stores/${SH001}/prices/${seedId('sku', 'N002-L')}`, { kind: 'amount', value: 0 }],
        ['PATCH', `/api/admin/catalog/stores/${SH001}/products/${seedId('product', 'N001')}`, { hidden: true }],
      ] as const) {
        const res = await app.request(method, path, { token: clerk, body });
        expect(res.status, `${method} ${path}`).toBe(403);
      }
    });

    it('lets a store hide products only as its menu mode allows', async () => {
      const product = seedId('product', 'N004');
      const path = `/api/admin/catalog/stores/${SH001}/products/${product}`;
      // SH001 is mixed and has no template: nothing is required, so it may hide.
      const hidden = await app.request('PATCH', path, { token: manager, body: { hidden: true } });
      expect(hidden.status).toBe(200);
      expect(hidden.body.products.find((p: { code: string }) => p.code === 'N004')).toMatchObject({ hidden: true });
      const listing = await app.request('PATCH', path, { token: manager, body: { listed: false } });
      expect(listing.status).toBe(403);

      await app.request('PUT', `/api/admin/catalog/stores/${SH001}/menu-settings`, { token: hq, body: { mode: 'hq' } });
      const refused = await app.request('PATCH', path, { token: manager, body: { hidden: false } });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('MENU_MODE_FORBIDS');
      await app.request('PUT', `/api/admin/catalog/stores/${SH001}/menu-settings`, {
        token: hq,
        body: { mode: 'mixed' },
      });
      await app.request('PATCH', path, { token: manager, body: { hidden: false } });
    });

    it('keeps a mixed-mode store from hiding what its template requires', async () => {
      const products = ['N001', 'N002', 'R001'].map((c) => ({
        productId: seedId('product', c),
        required: c === 'N001',
      }));
      const template = await app.request('POST', '/api/admin/catalog/templates', {
        token: hq,
        body: { code: 'SH-LUNCH', name: '上海午市', products },
      });
      expect(template.status).toBe(201);
      const push = await app.request('POST', `/api/admin/catalog/templates/${template.body.id}/push`, {
        token: hq,
        body: { regionId: demoIds.region('sh') },
      });
      expect(push.body.storeIds.sort()).toEqual([SH001, SH002].sort());
      const menu = await app.request('GET', `/api/admin/catalog/stores/${SH002}/menu`, { token: hq });
      const listed = menu.body.products
        .filter((p: { listed: boolean }) => p.listed)
        .map((p: { code: string }) => p.code);
      expect(listed.sort()).toEqual(['N001', 'N002', 'R001']);
      const refused = await app.request(
        'PATCH',
        `/api/admin/catalog/stores/${SH001}/products/${seedId('product', 'N001')}`,
        {
          token: manager,
          body: { hidden: true },
        },
      );
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('MENU_MODE_FORBIDS');
      const allowed = await app.request(
        'PATCH',
        `/api/admin/catalog/stores/${SH001}/products/${seedId('product', 'N002')}`,
        {
          token: manager,
          body: { hidden: true },
        },
      );
      expect(allowed.status).toBe(200);
    });
  });
});
