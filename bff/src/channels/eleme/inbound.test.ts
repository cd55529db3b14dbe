import { demoIds } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elemeOrderBook, failedPushes, makeElemeOrder, oOrderJson } from '../../../../sim/src/eleme/orders';
import { ElemePusher } from '../../../../sim/src/eleme/push';
import { type RunningSimulator, startSimulator } from '../../../../sim/src/server';
import { putStoreOnPlatforms } from '../../modules/stock/testing';
import { startTestApp, type TestApp } from '../../testing';

const SH002 = demoIds.store('SH002');
const shop = { shopId: '100002', openId: 'SH002' };

describe.each(storageTargets())('Ele.me pushes and write-backs on $dialect', (target) => {
  let sim: RunningSimulator;
  let app: TestApp;
  let pusher: ElemePusher;
  let manager: string;

  beforeAll(async () => {
    sim = await startSimulator();
    app = await startTestApp(target, { env: { SIM_BASE_URL: sim.url } });
    await putStoreOnPlatforms(app.container.db, app.container.secrets, SH002, 'SH002', '100002');
    pusher = new ElemePusher({ postBase: app.url, state: sim.state });
    manager = await app.login('rm-sh');
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  const drain = () => app.container.outbox.drain();
  const flow = () => app.container.services.orderFlow;
  const orderOf = async (id: string) => (await flow().orders.findByChannelId('eleme', id))!;
  const count = async (table: 'orders' | 'push_inbox') =>
    Number(
      (
        await app.container.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const act = async (id: string, action: string, body: unknown = {}) =>
    app.request('POST', `/api/staff/orders/${(await orderOf(id)).id}/${action}`, { token: manager, body });

  it('turns a type-10 push into an order on the queue, exact to the fen and the digit', async () => {
    const o = makeElemeOrder({ ...shop, daySn: 8 });
    const res = await pusher.newOrder(o);
    expect([res.status, res.body]).toEqual([200, { message: 'ok' }]);
    await drain();
    const queue = await app.request('GET', `/api/staff/stores/${SH002}/queue`, { token: manager });
    const order = queue.body.orders.find((q: { channelOrderId: string }) => q.channelOrderId === o.id);
    expect(order).toMatchObject({
      channel: 'eleme',
      daySeq: 8,
      remark: '多加醋 [需要餐具]',
      recipient: { name: '陈女士', phone: '13800138000,1234' },
      amounts: { items: 2970 + 1320, packaging: 200, deliveryFee: 400, discountMerchant: 300, discountPlatform: 500 },
    });
    expect(order.amounts.paid).toBe(2970 + 1320 + 200 + 400 - 800);
    expect(order.lines.map((l: { skuCode: string; specText: string }) => [l.skuCode, l.specText])).toEqual([
      ['R001-R', '标准'],
      ['T002', ''],
    ]);
  });

  it('records a repeated requestId once and refuses a bad signature, writing nothing', async () => {
    const o = makeElemeOrder(shop);
    const push = pusher.build(10, o.shopId, oOrderJson(o));
    for (let i = 0; i < 5; i++) await pusher.send(10, push);
    await drain();
    expect(await flow().orders.findByChannelId('eleme', o.id)).toBeDefined();
    const before = { orders: await count('orders'), inbox: await count('push_inbox') };
    await pusher.send(10, push);
    const bad = await pusher.newOrder(makeElemeOrder(shop), { badSignature: true });
    expect(bad.status).toBe(401);
    const unknownShop = await pusher.newOrder(makeElemeOrder({ shopId: '999999', openId: 'X' }));
    expect(unknownShop.status).toBe(404);
    await drain();
    expect({ orders: await count('orders'), inbox: await count('push_inbox') }).toEqual(before);
  });

  it('answers the URL check without verifying', async () => {
    expect((await app.request('GET', '/webhooks/eleme')).body).toEqual({ message: 'ok' });
  });

  it('confirms, reports meal ready and cancels through the Lite actions, signed', async () => {
    const o = makeElemeOrder(shop);
    await pusher.newOrder(o);
    await drain();
    await act(o.id, 'accept');
    await act(o.id, 'ready');
    const gone = makeElemeOrder(shop);
    await pusher.newOrder(gone);
    await drain();
    await act(gone.id, 'cancel', { reason: 'busy', remark: '厨房爆单' });
    await drain();
    expect(
      elemeOrderBook(sim.state)
        .get(o.id)
        ?.ops.map((x) => x.action),
    ).toEqual(['eleme.order.confirmOrderLite', 'eleme.order.setOrderPrepared']);
    expect(elemeOrderBook(sim.state).get(gone.id)?.ops[0]?.params).toMatchObject({
      orderId: gone.id,
      type: 'restaurantTooBusy',
      remark: '厨房爆单',
    });
    expect(sim.state.callsTo('eleme', 'eleme.order.confirmOrderLite').every((c) => c.signatureValid)).toBe(true);
  });

  it('follows the rider and the refund flow from the pushes', async () => {
    const o = makeElemeOrder(shop);
    await pusher.newOrder(o);
    await drain();
    await act(o.id, 'accept');
    const t = Date.now();
    await pusher.delivery(o, 53, t);
    await pusher.delivery(o, 54, t + 60_000);
    await pusher.delivery(o, 55, t + 120_000);
    await drain();
    const view = await flow().orders.view(await orderOf(o.id), 'staff');
    expect(view.status).toBe('delivering');
    expect(view.delivery?.timeline.map((e) => e.status)).toEqual(['assigned', 'at_store', 'picked_up']);
    expect(view.delivery?.riderName).toBe('赵骑手');
    await pusher.refund(o, 30, '送错了');
    await drain();
    expect((await orderOf(o.id)).refund_state).toBe('requested');
    const rejected = await act(o.id, 'refund/reject', { reason: '已出餐' });
    expect(rejected.body.refund).toEqual({ state: 'rejected', reason: '送错了' });
    await drain();
    expect(elemeOrderBook(sim.state).get(o.id)?.refund).toBe('rejected');
  });

  it('hands delivery to the store when Ele.me says so (type 71), and reports the store’s rider', async () => {
    const o = makeElemeOrder(shop);
    await pusher.newOrder(o);
    await drain();
    await act(o.id, 'accept');
    await pusher.delivery(o, 71, Date.now());
    await drain();
    expect((await orderOf(o.id)).delivery_mode).toBe('self');
    await act(o.id, 'ready');
    await act(o.id, 'handover', { courierName: '店员', courierPhone: '13955556666' });
    await act(o.id, 'delivered');
    await drain();
    expect(
      elemeOrderBook(sim.state)
        .get(o.id)
        ?.ops.map((x) => [x.action, x.params.phone]),
    ).toEqual([
      ['eleme.order.confirmOrderLite', undefined],
      ['eleme.order.setOrderPrepared', undefined],
      ['eleme.order.startDeliveryBySelf', '13955556666'],
      ['eleme.order.completeDeliveryBySelf', '13955556666'],
    ]);
  });

  it('pulls the pushes Ele.me failed to deliver, without doubling the ones that did arrive', async () => {
    failedPushes(sim.state).length = 0;
    const lost = makeElemeOrder(shop);
    await pusher.newOrder(lost, { undelivered: true });
    const arrived = makeElemeOrder(shop);
    const push = pusher.build(10, arrived.shopId, oOrderJson(arrived));
    await pusher.send(10, push);
    failedPushes(sim.state).push({ msgId: 'retry-of-arrived', type: 10, content: push.body });
    const result = await app.container.services.orderChannels.elemePull.pullOnce();
    expect(result).toEqual({ pulled: 2, recorded: 1 });
    await drain();
    expect(await flow().orders.findByChannelId('eleme', lost.id)).toBeDefined();
    expect(failedPushes(sim.state)).toEqual([]);
    expect(sim.state.callsTo('eleme', 'eleme.msgNew.getPushFailMsg')[0]?.signatureValid).toBe(true);
  });
});
