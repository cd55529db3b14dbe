import { demoIds } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock';
import { startTestApp, type TestApp } from '../../testing';
import { HZ001, orderDriver, SH001, SH002 } from './reports.fixture';

// 2026-12-01 11:00 in Shanghai: every order below falls on business day 2026-12-01 unless moved.
const START = Date.parse('2026-12-01T03:00:00Z');
const MIN = 60_000;
const A = 'N004-L';
const B = 'N008';
const DAY = 'from=2026-12-01&to=2026-12-01';

describe.each(storageTargets())('reports on $dialect: every figure to the fen', (target) => {
  let app: TestApp;
  let hq: string;
  let clerk: string;
  const clock = new ManualClock(START);

  beforeAll(async () => {
    app = await startTestApp(target, { clock });
    const { db } = app.container;
    // Known costs for the two SKUs the orders use.
    for (const [code, cost] of [
      [A, 600],
      [B, 450],
    ] as const) {
      const r = await db.updateTable('sku').set({ cost }).where('code', '=', code).executeTakeFirst();
      expect(Number(r.numUpdatedRows)).toBe(1);
    }
    clerk = await app.login('clerk-sh001');
    const d = orderDriver(app);

    // Meituan M1: discounts by both payers, packaging, delivery; accepted, ready 10 min later (on time).
    const m1 = await d.place(
      {
        storeId: SH001,
        channel: 'meituan',
        id: '9100000000000000001',
        lines: [
          { sku: A, qty: 2, unit: 1800 },
          { sku: B, qty: 1, unit: 1900 },
        ],
        packaging: 200,
        deliveryFee: 500,
        discountPlatform: 300,
        discountMerchant: 700,
        merchantIncome: 4100,
        promisedInMin: 30,
      },
      clock.now(),
    );
    await d.staff(clerk, m1, 'accept');
    clock.advance(10 * MIN);
    await d.staff(clerk, m1, 'ready');

    // Meituan M2: completed, then 8.00 元 refunded in part.
    await d.place(
      {
        storeId: SH001,
        channel: 'meituan',
        id: '9100000000000000002',
        lines: [{ sku: A, qty: 1, unit: 1800 }],
        packaging: 100,
        merchantIncome: 1600,
      },
      clock.now(),
    );
    await d.platformMove('meituan', '9100000000000000002', 'completed');
    await d.platformRefund('meituan', '9100000000000000002', true, 800);

    // Ele.me E1: accepted, ready 40 min later against a 30 min promise (late), then refunded in full.
    const e1 = await d.place(
      {
        storeId: SH001,
        channel: 'eleme',
        id: '9200000000000000001',
        lines: [{ sku: B, qty: 2, unit: 1900 }],
        packaging: 200,
        deliveryFee: 600,
        discountPlatform: 500,
        discountMerchant: 400,
        merchantIncome: 2900,
        promisedInMin: 30,
      },
      clock.now(),
    );
    await d.staff(clerk, e1, 'accept');
    clock.advance(40 * MIN);
    await d.staff(clerk, e1, 'ready');
    await d.platformRefund('eleme', '9200000000000000001', false, null);

    // Ele.me E2: cancelled by the customer.
    await d.place(
      { storeId: SH001, channel: 'eleme', id: '9200000000000000002', lines: [{ sku: A, qty: 1, unit: 1800 }] },
      clock.now(),
    );
    await d.platformMove('eleme', '9200000000000000002', 'cancelled', 'eleme:14 顾客不想要了');

    // Mini-program W1 paid; W2 never paid (counts for nothing); dine-in D1 paid.
    await d.place(
      { storeId: SH001, channel: 'miniapp', id: 'w1', lines: [{ sku: A, qty: 1, unit: 1800 }], packaging: 100 },
      clock.now(),
    );
    const w2 = await d.place(
      { storeId: SH001, channel: 'miniapp', id: 'w2', lines: [{ sku: B, qty: 5, unit: 1900 }] },
      clock.now(),
      false,
    );
    await d.abandon(w2);
    await d.place(
      { storeId: SH001, channel: 'dinein', id: 'd1', lines: [{ sku: B, qty: 1, unit: 1900 }] },
      clock.now(),
    );

    // Other stores: SH002 (Shanghai) and HZ001 (Hangzhou).
    await d.place(
      { storeId: SH002, channel: 'meituan', id: '9100000000000000003', lines: [{ sku: A, qty: 1, unit: 1800 }] },
      clock.now(),
    );
    await d.place(
      { storeId: HZ001, channel: 'eleme', id: '9200000000000000003', lines: [{ sku: B, qty: 3, unit: 1900 }] },
      clock.now(),
    );

    // The next day (Shanghai): a second mini-program order at SH001.
    clock.set(Date.parse('2026-12-02T02:00:00Z'));
    await d.place(
      { storeId: SH001, channel: 'miniapp', id: 'w3', lines: [{ sku: A, qty: 1, unit: 2500 }] },
      clock.now(),
    );
    await d.settle();
    const unapplied = await app.container.db
      .selectFrom('outbox')
      .select(['last_error'])
      .where('topic', '=', 'orders.changed')
      .where('status', '!=', 'done')
      .execute();
    expect(unapplied).toEqual([]);
    hq = await app.login('hq');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  const get = async (path: string, token = hq) => {
    const res = await app.request('GET', path, { token });
    expect(res.status, res.text).toBe(200);
    return res.body;
  };

  it('channel mix: orders, gross, discounts by payer, packaging, delivery fee and merchant income per store × channel', async () => {
    const body = await get(`/api/admin/reports/channel-mix?${DAY}&storeId=${SH001}`);
    const row = (channel: string) => body.rows.find((r: { channel: string }) => r.channel === channel);
    const key = { period: '2026-12-01', storeId: SH001, storeCode: 'SH001' };
    expect(row('meituan')).toMatchObject({
      ...key,
      orders: 2,
      gross: 8100,
      itemsTotal: 7300,
      packagingFee: 300,
      deliveryFee: 500,
      discountPlatform: 300,
      discountMerchant: 700,
      paid: 7100,
      merchantIncome: 5700,
    });
    expect(row('eleme')).toMatchObject({
      ...key,
      orders: 1,
      gross: 4600,
      itemsTotal: 3800,
      packagingFee: 200,
      deliveryFee: 600,
      discountPlatform: 500,
      discountMerchant: 400,
      paid: 3700,
      merchantIncome: 2900,
    });
    expect(row('miniapp')).toMatchObject({ ...key, orders: 1, gross: 1900, itemsTotal: 1800, paid: 1900 });
    expect(row('dinein')).toMatchObject({ ...key, orders: 1, gross: 1900, paid: 1900, merchantIncome: 1900 });
    expect(body.rows).toHaveLength(4);
    expect(body.totals.all).toMatchObject({ orders: 5, gross: 16500, paid: 14600, merchantIncome: 12400 });
  });

  it('groups by month across days and by store for the brand', async () => {
    const body = await get('/api/admin/reports/channel-mix?from=2026-12-01&to=2026-12-31&groupBy=month');
    const mine = body.rows.filter((r: { storeId: string }) => r.storeId === SH001);
    expect(mine.find((r: { channel: string }) => r.channel === 'miniapp')).toMatchObject({
      period: '2026-12',
      orders: 2,
      paid: 4400,
    });
    expect(body.rows.map((r: { storeCode: string }) => r.storeCode).sort()).toEqual(
      ['HZ001', 'SH001', 'SH001', 'SH001', 'SH001', 'SH002'].sort(),
    );
    const week = await get('/api/admin/reports/channel-mix?from=2026-12-01&to=2026-12-02&groupBy=week');
    expect(new Set(week.rows.map((r: { period: string }) => r.period))).toEqual(new Set(['2026-11-30']));
  });

  it('channel KPIs: average ticket, gross margin from SKU cost, refunds, cancels with reasons', async () => {
    const body = await get(`/api/admin/reports/channel-kpis?${DAY}&storeId=${SH001}`);
    const row = (channel: string) => body.rows.find((r: { channel: string }) => r.channel === channel);
    expect(row('meituan')).toEqual({
      period: '2026-12-01',
      channel: 'meituan',
      orders: 2,
      paid: 7100,
      averageTicket: 3550,
      itemRevenue: 6600,
      cost: 2250,
      grossMargin: 4350,
      grossMarginBp: 6591,
      refundOrders: 1,
      refundAmount: 800,
      refundRateBp: 5000,
      cancelled: 0,
      cancelRateBp: 0,
      cancelReasons: [],
    });
    expect(row('eleme')).toEqual({
      period: '2026-12-01',
      channel: 'eleme',
      orders: 1,
      paid: 3700,
      averageTicket: 3700,
      itemRevenue: 3400,
      cost: 900,
      grossMargin: 2500,
      grossMarginBp: 7353,
      refundOrders: 1,
      refundAmount: 3700,
      refundRateBp: 10000,
      cancelled: 1,
      cancelRateBp: 5000,
      cancelReasons: [{ reason: 'eleme:14', orders: 1 }],
    });
    // The unpaid mini-program order is neither an order nor a cancellation.
    expect(row('miniapp')).toMatchObject({ orders: 1, cancelled: 0, cost: 600, grossMargin: 1200 });
  });

  it('product performance per SKU and channel', async () => {
    const body = await get(`/api/admin/reports/products?${DAY}&storeId=${SH001}&channel=meituan`);
    expect(body.rows).toEqual([
      expect.objectContaining({
        skuCode: A,
        productCode: 'N004',
        quantity: 3,
        revenue: 5400,
        cost: 1800,
        margin: 3600,
      }),
      expect.objectContaining({ skuCode: B, productCode: 'N008', quantity: 1, revenue: 1900, cost: 450, margin: 1450 }),
    ]);
  });

  it('operations: prep time accepted → ready and orders ready after their promise', async () => {
    const body = await get(`/api/admin/reports/operations?${DAY}&storeId=${SH001}`);
    const row = (channel: string) => body.rows.find((r: { channel: string }) => r.channel === channel);
    expect(row('meituan')).toMatchObject({ prepOrders: 1, averagePrepSeconds: 600, promisedOrders: 1, lateOrders: 0 });
    expect(row('eleme')).toMatchObject({ prepOrders: 1, averagePrepSeconds: 2400, promisedOrders: 1, lateOrders: 1 });
  });

  it('a rebuild of the range from the orders gives the same figures', async () => {
    const before = await get('/api/admin/reports/channel-kpis?from=2026-12-01&to=2026-12-02');
    await app.container.db.updateTable('report_channel_day').set({ orders: 999 }).execute();
    const stores = [SH001, SH002, HZ001, demoIds.store('HZ002')];
    expect(await app.container.services.reports.rollups.rebuild(stores, '2026-12-01', '2026-12-02')).toBe(10);
    expect(await get('/api/admin/reports/channel-kpis?from=2026-12-01&to=2026-12-02')).toEqual(before);
    // Counting an order again changes nothing.
    const any = await app.container.db.selectFrom('orders').select('id').execute();
    for (const o of any) await app.container.services.reports.rollups.recount(o.id);
    expect(await get('/api/admin/reports/channel-kpis?from=2026-12-01&to=2026-12-02')).toEqual(before);
  });

  it('CSV export is UTF-8 with a BOM and the same rows', async () => {
    const res = await fetch(`${app.url}/api/admin/reports/products?${DAY}&storeId=${SH001}&format=csv`, {
      headers: { authorization: `Bearer ${hq}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('period,channel,skuCode,productCode,name,quantity,revenue,cost,margin,marginBp');
    expect(lines).toContain('2026-12-01,meituan,N004-L,N004,重庆小面（大碗）,3,5400,1800,3600,6667');
  });
});
