import { demoIds, demoStores } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../../sim/src/server';
import { wechatLogin } from '../../../../sim/src/wechat/code2session';
import { payAndNotify } from '../../../../sim/src/wechatpay/cashier';
import { wechatPay } from '../../../../sim/src/wechatpay/pay';
import { ManualClock } from '../../lib/clock';
import { startTestApp, type TestApp } from '../../testing';

const SH001 = demoIds.store('SH001');
const HZ001 = demoIds.store('HZ001');
const sh001 = demoStores.find((s) => s.code === 'SH001')!;
/** 23:30 on Tuesday 10 March 2026 in Shanghai: every demo store closed (10:00–22:00). */
const LATE = Date.UTC(2026, 2, 10, 15, 30);
/** A Shanghai wall-clock time on 11 March 2026 (+ `days`), as UTC epoch ms. */
const tomorrow = (hour: number, minute = 0, days = 0) => Date.UTC(2026, 2, 11 + days, hour - 8, minute);
const noodles = { skuCode: 'N001-L', quantity: 1, addons: ['SPICY-1'] };

describe.each(storageTargets())('the storefront: hours, ordering ahead, cancelling, photos, on $dialect', (target) => {
  let sim: RunningSimulator;
  let app: TestApp;
  let member: string;
  const clock = new ManualClock(LATE);
  let keySeq = 0;

  beforeAll(async () => {
    sim = await startSimulator({ now: () => clock.now() });
    app = await startTestApp(target, { clock, env: { SIM_BASE_URL: sim.url } });
    const code = wechatLogin(sim.state).issueCode({ openid: 'o-storefront' });
    member = (await app.request('POST', '/api/mp/auth/login', { body: { code } })).body.token;
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  const quote = (body: Record<string, unknown>) =>
    app.request('POST', '/api/mp/orders/quote', { token: member, body: { lines: [noodles], ...body } });
  const place = (body: Record<string, unknown>) =>
    app.request('POST', '/api/mp/orders', {
      token: member,
      body: { lines: [noodles], ...body },
      headers: { 'idempotency-key': `storefront-${target.dialect}-${++keySeq}` },
    });

  it('tells members a closed store’s next opening and how far ahead it takes orders', async () => {
    const { stores } = (await app.request('GET', '/api/mp/stores')).body;
    const sh = stores.find((s: { id: string }) => s.id === SH001);
    const hz = stores.find((s: { id: string }) => s.id === HZ001);
    expect(sh).toMatchObject({ openNow: false, nextOpenAt: new Date(tomorrow(10)).toISOString(), preorderDays: 2 });
    expect(hz).toMatchObject({ openNow: false, preorderDays: 0 });
    clock.set(tomorrow(12));
    const open = (await app.request('GET', '/api/mp/stores')).body.stores.find((s: { id: string }) => s.id === SH001);
    expect(open).toMatchObject({ openNow: true, nextOpenAt: null });
    clock.set(LATE);
  });

  it('takes a pickup order for tomorrow from a closed store that allows it, and only within its hours and days', async () => {
    expect((await quote({ storeId: SH001, fulfillment: 'pickup' })).body.error.code).toBe('STORE_CLOSED');
    const ahead = await quote({
      storeId: SH001,
      fulfillment: 'pickup',
      pickupAt: new Date(tomorrow(12)).toISOString(),
    });
    expect(ahead.status).toBe(200);
    expect(ahead.body.promisedAt).toBe(new Date(tomorrow(12)).toISOString());

    const refusals = [
      { storeId: SH001, fulfillment: 'pickup', pickupAt: new Date(tomorrow(8)).toISOString() },
      { storeId: SH001, fulfillment: 'pickup', pickupAt: new Date(tomorrow(12, 0, 2)).toISOString() },
      { storeId: SH001, fulfillment: 'pickup', pickupAt: new Date(LATE + 5 * 60_000).toISOString() },
      { storeId: HZ001, fulfillment: 'pickup', pickupAt: new Date(tomorrow(12)).toISOString() },
    ];
    for (const body of refusals) {
      const refused = await quote(body);
      expect([refused.status, refused.body.error.code]).toEqual([422, 'PICKUP_TIME_UNAVAILABLE']);
    }
    const delivery = await quote({
      storeId: SH001,
      fulfillment: 'dine_in',
      pickupAt: new Date(tomorrow(12)).toISOString(),
    });
    expect(delivery.status).toBe(400);
  });

  it('shows the member the store to collect from, with the contact phone they left', async () => {
    const placed = await place({
      storeId: SH001,
      fulfillment: 'pickup',
      pickupAt: new Date(tomorrow(11, 30)).toISOString(),
      contactPhone: '13800001111',
    });
    expect(placed.status).toBe(201);
    const order = (await app.request('GET', `/api/mp/orders/${placed.body.order.id}`, { token: member })).body;
    expect(order.store).toEqual({
      name: sh001.name,
      address: sh001.address,
      phone: sh001.phone,
      lat: sh001.lat,
      lng: sh001.lng,
      timezone: 'Asia/Shanghai',
    });
    expect(order.promisedAt).toBe(new Date(tomorrow(11, 30)).toISOString());
    expect(order.recipient).toMatchObject({ phone: '13800001111' });
  });

  it('lets the member cancel a paid order until the store accepts it, refunding it', async () => {
    clock.set(tomorrow(12));
    const first = await place({ storeId: SH001, fulfillment: 'pickup' });
    await payAndNotify(sim.state, first.body.payment, { deliverTo: app.url });
    const cancelled = await app.request('POST', `/api/mp/orders/${first.body.order.id}/cancel`, {
      token: member,
      body: {},
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'member' });
    await app.container.outbox.drain();
    const refund = [...wechatPay(sim.state).refunds.values()].find((r) => r.outTradeNo === first.body.order.id);
    expect(refund).toMatchObject({ status: 'PROCESSING' });
    const row = await app.container.services.orderFlow.orders.get(first.body.order.id);
    expect(row.stock_state).toBe('released');

    const second = await place({ storeId: SH001, fulfillment: 'pickup' });
    await payAndNotify(sim.state, second.body.payment, { deliverTo: app.url });
    const clerk = await app.login('clerk-sh001');
    await app.request('POST', `/api/staff/orders/${second.body.order.id}/accept`, { token: clerk });
    const late = await app.request('POST', `/api/mp/orders/${second.body.order.id}/cancel`, {
      token: member,
      body: {},
    });
    expect([late.status, late.body.error.code]).toEqual([409, 'ORDER_STATE']);
    const still = await app.request('GET', `/api/mp/orders/${second.body.order.id}`, { token: member });
    expect(still.body.status).toBe('accepted');
    clock.set(LATE);
  });

  it('lists the store’s SKUs for 沽清 in menu order, each with its category', async () => {
    const clerk = await app.login('clerk-sh001');
    const { items } = (await app.request('GET', `/api/staff/stores/${SH001}/stock`, { token: clerk })).body;
    const categories = items.map((i: { category: string }) => i.category);
    const order = [...new Set(categories)];
    expect(order.slice(0, 3)).toEqual(['招牌面', '下饭盖饭', '小吃凉菜']);
    // Each category's SKUs come together, not scattered.
    expect(order.length).toBe(categories.filter((c: string, i: number) => c !== categories[i - 1]).length);
    expect(items[0]).toMatchObject({ name: '红烧牛肉面', category: '招牌面' });
  });

  it('serves every demo dish’s photo from the BFF, and stores an admin’s upload once', async () => {
    const menu = (await app.request('GET', `/api/mp/stores/${SH001}/menu`, { token: member })).body;
    const products = menu.categories.flatMap((c: { products: { imageUrl: string | null }[] }) => c.products);
    expect(products.length).toBeGreaterThan(20);
    expect(products.every((p: { imageUrl: string | null }) => p.imageUrl?.startsWith('/media/'))).toBe(true);
    const art = await app.request('GET', products[0].imageUrl);
    expect(art.status).toBe(200);
    expect(art.headers.get('content-type')).toBe('image/svg+xml');
    expect(art.headers.get('cache-control')).toContain('immutable');
    expect(art.text).toContain('示意图');

    const hq = await app.login('hq');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    const up = await app.request('POST', '/api/admin/media', { token: hq, raw: png, contentType: 'image/png' });
    expect(up.status).toBe(201);
    const again = await app.request('POST', '/api/admin/media', { token: hq, raw: png, contentType: 'image/png' });
    expect(again.body).toEqual(up.body);
    const served = await fetch(app.url + up.body.url);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);

    const svg = await app.request('POST', '/api/admin/media', {
      token: hq,
      raw: '<svg/>',
      contentType: 'image/svg+xml',
    });
    expect([svg.status, svg.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const clerk = await app.login('clerk-sh001');
    const byClerk = await app.request('POST', '/api/admin/media', { token: clerk, raw: png, contentType: 'image/png' });
    expect(byClerk.status).toBe(403);
    expect((await app.request('GET', '/media/01NOSUCHMEDIA0000000000000')).status).toBe(404);
  });
});
