import { demoIds, demoStores } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../../sim/src/server';
import { wechatLogin } from '../../../../sim/src/wechat/code2session';
import { completeRefund, payAndNotify } from '../../../../sim/src/wechatpay/cashier';
import { wechatPay } from '../../../../sim/src/wechatpay/pay';
import { ManualClock } from '../../lib/clock';
import { startTestApp, type TestApp } from '../../testing';

const SH001 = demoIds.store('SH001');
const store = demoStores.find((s) => s.code === 'SH001')!;
/** 12:00 on a weekday in Shanghai: the store and its delivery zones are open. */
const NOON = Date.UTC(2026, 2, 10, 4, 0);
const noodles = { skuCode: 'N001-L', quantity: 2, addons: ['SPICY-1', 'ADD-EGG'] };

describe.each(storageTargets())('mini-program orders paid with WeChat Pay on $dialect', (target) => {
  let sim: RunningSimulator;
  let app: TestApp;
  let member: string;
  let clerk: string;
  const clock = new ManualClock(NOON);
  let keySeq = 0;
  const key = () => `test-order-key-${++keySeq}-${target.dialect}`;

  beforeAll(async () => {
    sim = await startSimulator({ now: () => clock.now() });
    app = await startTestApp(target, { clock, env: { SIM_BASE_URL: sim.url } });
    member = await login('o-member-1');
    clerk = await app.login('clerk-sh001');
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  async function login(openid: string): Promise<string> {
    const code = wechatLogin(sim.state).issueCode({ openid });
    const res = await app.request('POST', '/api/mp/auth/login', { body: { code } });
    expect(res.status).toBe(200);
    return res.body.token;
  }
  const place = (body: unknown, k = key(), token = member) =>
    app.request('POST', '/api/mp/orders', { token, body, headers: { 'idempotency-key': k } });
  const drain = () => app.container.outbox.drain();
  const queueIds = async () =>
    (await app.request('GET', `/api/staff/stores/${SH001}/queue`, { token: clerk })).body.orders.map(
      (o: { id: string }) => o.id,
    );

  it('signs a member in with a wx.login code, keeping WeChat’s session key to itself', async () => {
    const code = wechatLogin(sim.state).issueCode({ openid: 'o-login', unionid: 'u-login' });
    const first = await app.request('POST', '/api/mp/auth/login', { body: { code } });
    expect(first.status).toBe(200);
    expect(first.body.member).toMatchObject({ hasUnionId: true });
    expect(first.text).not.toContain('session_key');
    expect(first.text).not.toContain(wechatLogin(sim.state).exchanges.at(-1)?.sessionKey);
    const reused = await app.request('POST', '/api/mp/auth/login', { body: { code } });
    expect([reused.status, reused.body.error.code]).toEqual([401, 'WECHAT_LOGIN_FAILED']);
    const again = await app.request('POST', '/api/mp/auth/login', {
      body: { code: wechatLogin(sim.state).issueCode({ openid: 'o-login' }) },
    });
    expect(again.body.member.id).toBe(first.body.member.id);
    const stored = await app.container.db.selectFrom('member_wechat_session').selectAll().execute();
    const keys = wechatLogin(sim.state).exchanges.map((e) => e.sessionKey);
    expect(stored.every((s) => !keys.includes(s.session_key_enc))).toBe(true);
  });

  it('refuses a member token once its member is blocked', async () => {
    const token = await login('o-to-block');
    expect((await app.request('GET', '/api/mp/orders', { token })).status).toBe(200);
    await app.container.db
      .updateTable('member')
      .set({ status: 'blocked' })
      .where('openid', '=', 'o-to-block')
      .execute();
    const refused = await app.request('GET', '/api/mp/orders', { token });
    expect([refused.status, refused.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('quotes from the server’s own prices, checking each add-on group’s choices', async () => {
    const quote = await app.request('POST', '/api/mp/orders/quote', {
      token: member,
      body: { storeId: SH001, fulfillment: 'pickup', lines: [noodles] },
    });
    expect(quote.status).toBe(200);
    expect(quote.body.lines[0]).toMatchObject({ unitPrice: 3200, lineTotal: (3200 + 200) * 2, packagingFee: 200 });
    expect(quote.body.amounts).toEqual({ items: 6800, packaging: 200, deliveryFee: 0, discount: 0, total: 7000 });
    const noSpice = await app.request('POST', '/api/mp/orders/quote', {
      token: member,
      body: { storeId: SH001, fulfillment: 'pickup', lines: [{ skuCode: 'N001-L', quantity: 1 }] },
    });
    expect([noSpice.status, noSpice.body.error.code]).toEqual([422, 'ADDON_CHOICES']);
    expect(noSpice.body.error.message).toContain('辣度');
  });

  it('places an order once per Idempotency-Key, unpaid and off the kitchen queue until paid', async () => {
    const body = { storeId: SH001, fulfillment: 'pickup', lines: [noodles], remark: '少辣' };
    expect((await app.request('POST', '/api/mp/orders', { token: member, body })).status).toBe(400);
    const k = key();
    const first = await place(body, k);
    expect(first.status).toBe(201);
    expect(first.body.order).toMatchObject({ status: 'pending_payment', channel: 'miniapp', amounts: { paid: 7000 } });
    expect(first.body.payment).toMatchObject({ signType: 'RSA', package: expect.stringMatching(/^prepay_id=wx/) });
    const again = await place(body, k);
    expect(again.body.order.id).toBe(first.body.order.id);
    expect(await queueIds()).not.toContain(first.body.order.id);

    const statuses = await payAndNotify(sim.state, first.body.payment, { deliverTo: app.url, times: 3 });
    expect(statuses).toEqual([204, 204, 204]);
    await drain();
    expect(await queueIds()).toContain(first.body.order.id);
    const mine = await app.request('GET', `/api/mp/orders/${first.body.order.id}`, { token: member });
    expect(mine.body.status).toBe('placed');
    expect(mine.body.events.filter((e: { type: string }) => e.type === 'paid')).toHaveLength(1);
    expect(mine.body.amounts.merchantIncome).toBeNull();
    const other = await login('o-someone-else');
    expect((await app.request('GET', `/api/mp/orders/${first.body.order.id}`, { token: other })).status).toBe(404);
  });

  it('refuses a forged or altered payment notification and changes nothing', async () => {
    const placed = await place({ storeId: SH001, fulfillment: 'pickup', lines: [noodles] });
    expect(await payAndNotify(sim.state, placed.body.payment, { deliverTo: app.url, badSignature: true })).toEqual([
      401,
    ]);
    const kept = () => app.container.db.selectFrom('payment_notification').select('id').execute();
    const before = await kept();
    const forged: ((r: Record<string, unknown>) => void)[] = [
      (r) => (r.amount = { ...(r.amount as object), total: 1 }),
      (r) => (r.mchid = '1900000999'),
      (r) => (r.appid = 'wx0000000000000bad'),
      (r) => (r.out_trade_no = 'HY00000000000000000000000000'),
    ];
    for (const alter of forged) {
      expect(await payAndNotify(sim.state, placed.body.payment, { deliverTo: app.url, alter })).toEqual([400]);
    }
    // A refused notification is not kept: only accepted ones are.
    expect(await kept()).toEqual(before);
    const order = await app.request('GET', `/api/mp/orders/${placed.body.order.id}`, { token: member });
    expect(order.body.status).toBe('pending_payment');
  });

  it('keeps no Idempotency-Key record for a refused order', async () => {
    const records = () => app.container.db.selectFrom('idempotency_record').select('idem_key').execute();
    const before = await records();
    const refused = [
      { storeId: SH001, fulfillment: 'pickup', lines: [{ ...noodles, addons: ['SPICY-1', 'SPICY-2'] }] },
      { storeId: SH001, fulfillment: 'delivery', lines: [noodles] },
      { storeId: SH001, fulfillment: 'dine_in', lines: [noodles], tableCode: 'not-a-table-code' },
    ];
    for (const body of refused) {
      const res = await place(body);
      expect(Math.floor(res.status / 100), JSON.stringify(res.body)).toBe(4);
    }
    expect(await records()).toEqual(before);
  });

  it('gives an unpaid order up when its payment window closes, closing the payment and releasing its stock', async () => {
    const placed = await place({ storeId: SH001, fulfillment: 'pickup', lines: [noodles] });
    const id = placed.body.order.id;
    clock.advance(16 * 60_000);
    await drain();
    const order = await app.request('GET', `/api/mp/orders/${id}`, { token: member });
    expect(order.body.status).toBe('cancelled');
    expect(order.body.events.at(-1)).toMatchObject({ source: 'system', reason: 'timeout' });
    expect(wechatPay(sim.state).transactions.get(id)?.state).toBe('CLOSED');
    const row = await app.container.services.orderFlow.orders.get(id);
    expect(row.stock_state).toBe('released');
    clock.set(NOON);
  });

  it('routes a delivery order to the store’s own riders inside a zone, and refuses one outside', async () => {
    const near = { name: '李', phone: '13800000000', address: '南京西路 1 号', lat: store.lat + 0.01, lng: store.lng };
    const quote = await app.request('POST', '/api/mp/orders/quote', {
      token: member,
      body: { storeId: SH001, fulfillment: 'delivery', lines: [noodles], address: near },
    });
    expect(quote.body).toMatchObject({
      amounts: { deliveryFee: 500 },
      deliveryZone: { name: '3 公里内', minutes: 30 },
    });
    const far = { ...near, lat: store.lat + 0.2 };
    const refused = await place({ storeId: SH001, fulfillment: 'delivery', lines: [noodles], address: far });
    expect([refused.status, refused.body.error.code]).toEqual([422, 'DELIVERY_OUT_OF_RANGE']);
  });

  it('shows the member their own rider’s progress, and completes the order at the door', async () => {
    const near = { name: '李', phone: '13800000000', address: '南京西路 1 号', lat: store.lat + 0.01, lng: store.lng };
    const placed = await place({ storeId: SH001, fulfillment: 'delivery', lines: [noodles], address: near });
    await payAndNotify(sim.state, placed.body.payment, { deliverTo: app.url });
    const id = placed.body.order.id;
    for (const action of ['accept', 'ready']) {
      expect((await app.request('POST', `/api/staff/orders/${id}/${action}`, { token: clerk })).status).toBe(200);
    }
    const out = await app.request('POST', `/api/staff/orders/${id}/handover`, {
      token: clerk,
      body: { courierName: '店员小王', courierPhone: '13911112222' },
    });
    expect(out.body.status).toBe('delivering');
    const onTheWay = await app.request('GET', `/api/mp/orders/${id}`, { token: member });
    expect(onTheWay.body.delivery).toMatchObject({
      mode: 'self',
      status: 'picked_up',
      riderName: '店员小王',
      zoneName: '3 公里内',
      timeline: [{ status: 'picked_up', source: 'staff' }],
    });
    await app.request('POST', `/api/staff/orders/${id}/delivered`, { token: clerk });
    const done = await app.request('GET', `/api/mp/orders/${id}`, { token: member });
    expect(done.body.status).toBe('completed');
    expect(done.body.delivery.timeline.map((t: { status: string }) => t.status)).toEqual(['picked_up', 'delivered']);
  });

  it('takes a dine-in order for the table of the scanned code, without packaging', async () => {
    const manager = await app.login('sm-sh001');
    const table = await app.request('GET', `/api/staff/stores/${SH001}/dinein/tables/A12`, { token: manager });
    const resolved = await app.request('GET', `/api/mp/dinein/tables/${table.body.code}`);
    expect(resolved.body).toMatchObject({ storeId: SH001, tableNo: 'A12' });
    const forged = await app.request('GET', `/api/mp/dinein/tables/${table.body.code.replace('A12', 'A13')}`);
    expect(forged.status).toBe(404);
    const placed = await place({
      storeId: SH001,
      fulfillment: 'dine_in',
      tableCode: table.body.code,
      lines: [noodles],
    });
    expect(placed.body.order).toMatchObject({
      channel: 'dinein',
      tableNo: 'A12',
      amounts: { packaging: 0, paid: 6800 },
    });
    const wrong = await place({
      storeId: SH001,
      fulfillment: 'dine_in',
      tableCode: table.body.code,
      tableNo: '7',
      lines: [noodles],
    });
    expect(wrong.body.error.code).toBe('TABLE_CODE_INVALID');
  });

  it('gives the money back when the store cancels a paid order', async () => {
    const placed = await place({ storeId: SH001, fulfillment: 'pickup', lines: [noodles] });
    await payAndNotify(sim.state, placed.body.payment, { deliverTo: app.url });
    const cancelled = await app.request('POST', `/api/staff/orders/${placed.body.order.id}/cancel`, {
      token: clerk,
      body: { reason: 'sold_out' },
    });
    expect(cancelled.body.status).toBe('cancelled');
    await drain();
    const refund = [...wechatPay(sim.state).refunds.values()].find((r) => r.outTradeNo === placed.body.order.id);
    expect(refund).toMatchObject({ amount: 7000, status: 'PROCESSING' });
    expect(await completeRefund(sim.state, refund!.outRefundNo, { deliverTo: app.url })).toEqual([204]);
    const payment = await app.container.services.payments.paymentOf(placed.body.order.id);
    expect(payment?.status).toBe('refunded');
  });

  it('takes orders at night once a manager opens the store late, promising the next slot tonight', async () => {
    const late = Date.UTC(2026, 2, 10, 15, 30); // 23:30 in Shanghai, after the demo's 22:00 close
    clock.set(late);
    const quoteNow = () =>
      app.request('POST', '/api/mp/orders/quote', {
        token: member,
        body: { storeId: SH001, fulfillment: 'pickup', lines: [noodles] },
      });
    expect((await quoteNow()).body.error.code).toBe('STORE_CLOSED');
    // The kitchen screen reads the store too (and the stock module keeps it briefly).
    const nightClerk = await app.login('clerk-sh001');
    expect((await app.request('GET', `/api/staff/stores/${SH001}/stock`, { token: nightClerk })).status).toBe(200);
    const manager = await app.login('sm-sh001');
    const allDay = [{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }];
    const patched = await app.request('PATCH', `/api/staff/stores/${SH001}`, {
      token: manager,
      body: { businessHours: allDay },
    });
    expect(patched.status).toBe(200);
    const quote = await quoteNow();
    expect(quote.status).toBe(200);
    const promised = Date.parse(quote.body.promisedAt);
    expect(promised).toBeGreaterThan(late);
    expect(promised - late).toBeLessThan(60 * 60_000);
    const back = [{ days: [1, 2, 3, 4, 5, 6, 7], open: '10:00', close: '22:00' }];
    await app.request('PATCH', `/api/staff/stores/${SH001}`, { token: manager, body: { businessHours: back } });
    clock.set(NOON);
  });
});
