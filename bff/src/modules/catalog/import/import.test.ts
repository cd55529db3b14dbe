import { demoIds } from 'db';
import { storageTargets } from 'db/testing';
import type { CatalogImportJson } from 'shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../testing';
import { parseCsv } from './import-parse';

const CSV = [
  'category_code,category_name,product_code,product_name,description,unit,tags,spec,sku_code,price,cost,packaging_fee,box_count,stores',
  'SOUP,汤品,P100,"老鸭汤, 慢炖",鸭子炖足三小时,碗,招牌|新品,份量:大份/温度:热,P100-L-H,28.00,9.5,1,1,*',
  'SOUP,汤品,P100,"老鸭汤, 慢炖",鸭子炖足三小时,碗,招牌|新品,份量:小份/温度:热,P100-S-H,18,6,1,1,*',
  'SOUP,汤品,P101,紫菜蛋花汤,,碗,,,P101,6.5,1.2,0.5,1,SH001|HZ001',
  'NOODLES,招牌面,N001,红烧牛肉面,慢炖四小时的牛腱，红油汤底,份,招牌,份量:大碗,N001-L,33,11.5,1,1,',
  'NOODLES,招牌面,N001,红烧牛肉面,慢炖四小时的牛腱，红油汤底,份,招牌,份量:小碗,N001-S,29,10,1,1,',
].join('\r\n');

describe.each(storageTargets())('catalog import on $dialect', (storage) => {
  let app: TestApp;
  let hq: string;
  beforeAll(async () => {
    app = await startTestApp(storage, { redis: storage.dialect === 'mysql' });
    hq = await app.login('hq');
  });
  afterAll(async () => {
    await app?.close();
  });

  const importFile = (raw: string, contentType = 'text/csv') =>
    app.request('POST', '/api/admin/catalog/import', { token: hq, raw, contentType });
  const snapshot = async () => {
    const db = app.database.db;
    const n = async (t: 'product' | 'sku' | 'category' | 'store_product' | 'catalog_import') =>
      Number(
        (
          await db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const prices = await db.selectFrom('sku').select(['code', 'base_price', 'status']).orderBy('code').execute();
    return {
      products: await n('product'),
      skus: await n('sku'),
      categories: await n('category'),
      listings: await n('store_product'),
      imports: await n('catalog_import'),
      prices,
    };
  };

  it('reads RFC 4180 CSV: quotes, commas and CRLF inside fields', () => {
    expect(parseCsv('a,b\r\n"x, ""y""","line\nbreak"\r\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', 'line\nbreak'],
    ]);
  });

  it('refuses a file with bad rows, listing every row error, and imports nothing', async () => {
    const before = await snapshot();
    const bad = [
      CSV.split('\r\n')[0],
      'SOUP,汤品,P200,好汤,,碗,,份量:大份,P200-L,12.345,,,,',
      'SOUP,汤品,P201,另一个汤,,碗,,,N002-L,10,,,,',
      'SOUP,别的名字,P202,第三个汤,,碗,,,P202,10,,,x,NOPE',
      ',汤品,P203,,,,,,P203,,,,,',
    ].join('\n');
    const res = await importFile(bad);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('IMPORT_INVALID');
    const errors = res.body.error.details.errors as { row: number; column: string }[];
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 2, column: 'price' }),
        expect.objectContaining({ row: 3, column: 'sku_code' }),
        expect.objectContaining({ row: 4, column: 'category_name' }),
        expect.objectContaining({ row: 4, column: 'box_count' }),
        expect.objectContaining({ row: 4, column: 'stores' }),
        expect.objectContaining({ row: 5, column: 'category_code' }),
        expect.objectContaining({ row: 5, column: 'product_name' }),
        expect.objectContaining({ row: 5, column: 'price' }),
      ]),
    );
    expect(await snapshot()).toEqual(before);
  });

  it('imports a CSV export: new categories, dishes with specs, listings, and updates by code', async () => {
    const res = await importFile(CSV);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      replayed: false,
      rows: 5,
      created: { categories: 1, products: 2, skus: 3 },
      updated: { categories: 1, products: 1, skus: 2 },
      listings: 6,
    });
    const skus = await app.database.db
      .selectFrom('sku')
      .select(['code', 'spec_text', 'base_price', 'packaging_fee', 'box_count'])
      .where('code', 'in', ['P100-L-H', 'P100-S-H', 'P101', 'N001-L'])
      .orderBy('code')
      .execute();
    expect(skus).toEqual([
      { code: 'N001-L', spec_text: '大碗', base_price: 3300, packaging_fee: 100, box_count: 1 },
      { code: 'P100-L-H', spec_text: '大份/热', base_price: 2800, packaging_fee: 100, box_count: 1 },
      { code: 'P100-S-H', spec_text: '小份/热', base_price: 1800, packaging_fee: 100, box_count: 1 },
      { code: 'P101', spec_text: '', base_price: 650, packaging_fee: 50, box_count: 1 },
    ]);
    const menu = await app.request('GET', `/api/mp/stores/${demoIds.store('SH001')}/menu`);
    const soup = menu.body.categories.find((c: { code: string }) => c.code === 'SOUP');
    expect(soup.products.map((p: { name: string }) => p.name)).toEqual(['老鸭汤, 慢炖', '紫菜蛋花汤']);
    const sh002 = await app.request('GET', `/api/mp/stores/${demoIds.store('SH002')}/menu`);
    const soup2 = sh002.body.categories.find((c: { code: string }) => c.code === 'SOUP');
    expect(soup2.products.map((p: { code: string }) => p.code)).toEqual(['P100']);
  });

  it('answers the same file a second time from the first import without applying it again', async () => {
    const before = await snapshot();
    const res = await importFile(CSV);
    expect(res.status).toBe(200);
    expect(res.body.replayed).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  it('imports the JSON format and reports its errors by SKU and field', async () => {
    const doc: CatalogImportJson = {
      format: 'heyi-catalog/1',
      categories: [
        {
          code: 'SOUP',
          name: '汤品',
          products: [
            {
              code: 'P102',
              name: '番茄蛋汤',
              unit: '碗',
              stores: '*',
              skus: [{ code: 'P102', price: 8, packagingFee: '0.50', boxCount: 1 }],
            },
          ],
        },
      ],
    };
    const ok = await importFile(JSON.stringify(doc), 'application/json');
    expect(ok.status).toBe(200);
    expect(ok.body.created).toMatchObject({ products: 1, skus: 1 });

    const before = await snapshot();
    const broken = structuredClone(doc);
    const product = broken.categories[0]?.products[0] as CatalogImportJson['categories'][0]['products'][0];
    product.code = 'P103';
    product.skus = [
      { code: 'P103', spec: { 份量: '大' }, price: -1, packagingFee: '0.50', boxCount: 1 },
      { code: 'P102', spec: { 份量: '小' }, price: 8, packagingFee: '0.50', boxCount: 1 },
    ];
    const res = await importFile(JSON.stringify(broken), 'application/json');
    expect(res.status).toBe(422);
    expect(res.body.error.details.errors).toEqual([
      expect.objectContaining({ row: 1, column: 'skus[].price' }),
      expect.objectContaining({ row: 2, column: 'skus[].code' }),
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses amounts beyond what money can hold, naming the row and field, instead of failing', async () => {
    const before = await snapshot();
    const header = (CSV.split('\r\n')[0] as string).trim();
    const csv = `${header}\r\nSOUP,汤品,P104,酸辣汤,,碗,,,P104,100000000000000000000,1,0,1,`;
    const fromCsv = await importFile(csv);
    expect(fromCsv.status).toBe(422);
    expect(fromCsv.body.error.details.errors).toEqual([
      expect.objectContaining({ row: 2, column: 'price', message: expect.stringContaining('out of range') }),
    ]);
    const doc = (price: number, cost: number) =>
      JSON.stringify({
        format: 'heyi-catalog/1',
        categories: [
          {
            code: 'SOUP',
            name: '汤品',
            products: [{ code: 'P104', name: '酸辣汤', skus: [{ code: 'P104', price, cost }] }],
          },
        ],
      });
    for (const [price, cost, column] of [
      [1e15, 1, 'skus[].price'],
      [1e20, 1, 'skus[].price'],
      [8, 1e15, 'skus[].cost'],
    ] as const) {
      const res = await importFile(doc(price, cost), 'application/json');
      expect(res.status, `${price} / ${cost}`).toBe(422);
      expect(res.body.error.details.errors).toEqual([expect.objectContaining({ row: 1, column })]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses other content types and unknown columns', async () => {
    expect((await importFile('x', 'text/plain')).status).toBe(415);
    const res = await importFile('category_code,colour\nA,red');
    expect(res.status).toBe(422);
    expect(res.body.error.details.errors).toContainEqual(expect.objectContaining({ row: 1, column: 'colour' }));
  });
});
