import { demoIds } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMeituanOrder, meituanOrderBook } from '../../../../sim/src/meituan/orders';
import { MeituanPusher } from '../../../../sim/src/meituan/push';
import { type RunningSimulator, startSimulator } from '../../../../sim/src/server';
import { ManualClock } from '../../lib/clock';
import { MEITUAN_TEST_TOKEN, putStoreOnPlatforms } from '../../modules/stock/testing';
import { startTestApp, type TestApp } from '../../testing';

const SH001 = demoIds.store('SH001');

describe.each(storageTargets())('Meituan write-backs on $dialect', (target) => {
  let sim: RunningSimulator;
  let app: TestApp;
  let pusher: MeituanPusher;
  let clerk: string;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    sim = await startSimulator();
    app = await startTestApp(target, { clock, env: { SIM_BASE_URL: sim.url } });
    await putStoreOnPlatforms(app.container.db, app.container.secrets, SH001, 'SH001', '100001');
    sim.state.meituan.bind('SH001', MEITUAN_TEST_TOKEN);
    pusher = new MeituanPusher({
      postBase: app.url,
      callbackBase: app.container.config.publicBaseUrl,
      state: sim.state,
    });
    clerk = await app.login('clerk-sh001');
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  const drain = () => app.container.outbox.drain();
  const orderOf = async (orderId: string) =>
    (await app.container.services.orderFlow.orders.findByChannelId('meituan', orderId))!;
  const act = async (orderId: string, action: string, body: unknown = {}) =>
    app.request('POST', `/api/staff/orders/${(await orderOf(orderId)).id}/${action}`, { token: clerk, body });

  it('confirms and reports meal ready on open-cater, signed, with the order id as a Long and then as a String', async () => {
    const o = makeMeituanOrder({ ePoiId: 'SH001' });
    await pusher.order('new-order', o);
    await drain();
    expect((await act(o.orderId, 'accept')).status).toBe(200);
    expect((await act(o.orderId, 'ready')).status).toBe(200);
    await drain();
    const calls = sim.state.calls.filter(
      (c) => c.platform === 'meituan-open-cater' && JSON.stringify(c.params).includes(o.orderId),
    );
    expect(calls.map((c) => [c.target, c.signatureValid, (c.answer as { code: string }).code])).toEqual([
      ['/waimai/order/confirm', true, 'OP_SUCCESS'],
      ['/waimai/order/preparationMealComplete', true, 'OP_SUCCESS'],
    ]);
    expect(meituanOrderBook(sim.state).get(o.orderId)).toMatchObject({ status: 4, mealReady: true });
  });

  it('writes back on the legacy gateway an order that came through it', async () => {
    const o = makeMeituanOrder({ ePoiId: 'SH001' });
    await pusher.order('new-order', o, { gateway: 'waimaiopen' });
    await drain();
    await act(o.orderId, 'accept');
    await act(o.orderId, 'ready');
    await drain();
    const ops = meituanOrderBook(sim.state)
      .get(o.orderId)
      ?.ops.map((x) => [x.op, x.gateway]);
    expect(ops).toEqual([
      ['confirm', 'waimaiopen'],
      ['ready', 'waimaiopen'],
    ]);
    expect(sim.state.callsTo('meituan-waimaiopen', 'order/confirm').at(-1)?.signatureValid).toBe(true);
  });

  it('cancels on Meituan with its reason code for "sold out"', async () => {
    const o = makeMeituanOrder({ ePoiId: 'SH001' });
    await pusher.order('new-order', o);
    await drain();
    expect((await act(o.orderId, 'cancel', { reason: 'sold_out' })).body.status).toBe('cancelled');
    await drain();
    const record = meituanOrderBook(sim.state).get(o.orderId);
    expect(record?.status).toBe(9);
    expect(record?.ops[0]?.detail).toMatchObject({ reasonCode: 2009, reason: '商品已售完' });
    const other = makeMeituanOrder({ ePoiId: 'SH001' });
    await pusher.order('new-order', other);
    await drain();
    const refused = await act(other.orderId, 'cancel', { reason: 'other' });
    expect([refused.status, refused.body.error.code]).toEqual([422, 'CANCEL_REASON_UNSUPPORTED']);
  });

  it('answers a refund request the customer made on Meituan', async () => {
    const o = makeMeituanOrder({ ePoiId: 'SH001' });
    await pusher.order('new-order', o);
    await drain();
    await act(o.orderId, 'accept');
    await pusher.refund(o, 'apply', '不想要了');
    await drain();
    expect((await orderOf(o.orderId)).refund_state).toBe('requested');
    const agreed = await act(o.orderId, 'refund/agree');
    expect(agreed.body).toMatchObject({ status: 'refunded', refund: { state: 'agreed' } });
    await drain();
    expect(meituanOrderBook(sim.state).get(o.orderId)?.refund).toBe('agreed');
    expect(sim.state.callsTo('meituan-open-cater', '/waimai/order/agreeRefund').at(-1)?.signatureValid).toBe(true);
  });

  it('reports the store’s own rider on a self-delivered Meituan order', async () => {
    const o = makeMeituanOrder({ ePoiId: 'SH001', logisticsCode: '0000' });
    await pusher.order('new-order', o);
    await drain();
    await act(o.orderId, 'accept');
    await act(o.orderId, 'ready');
    const out = await act(o.orderId, 'handover', { courierName: '店员小王', courierPhone: '13911112222' });
    expect(out.body).toMatchObject({ status: 'delivering', deliveryMode: 'self' });
    await act(o.orderId, 'delivered');
    await drain();
    const record = meituanOrderBook(sim.state).get(o.orderId);
    expect(record?.ops.map((x) => x.op)).toEqual(['confirm', 'ready', 'delivering', 'delivered']);
    expect(record?.delivering).toEqual({ courierName: '店员小王', courierPhone: '13911112222' });
  });

  it('retries a write-back Meituan could not take until it goes through, in order', async () => {
    const o = makeMeituanOrder({ ePoiId: 'SH001' });
    await pusher.order('new-order', o);
    await drain();
    sim.state.faults.add({
      platform: 'meituan-open-cater',
      target: '/waimai/order/confirm',
      kind: 'server-error',
      count: 2,
    });
    await act(o.orderId, 'accept');
    await act(o.orderId, 'ready');
    await drain();
    expect(meituanOrderBook(sim.state).get(o.orderId)?.ops).toEqual([]);
    for (let i = 0; i < 3; i++) {
      clock.advance(10_000);
      await drain();
    }
    expect(
      meituanOrderBook(sim.state)
        .get(o.orderId)
        ?.ops.map((x) => x.op),
    ).toEqual(['confirm', 'ready']);
  });
});
