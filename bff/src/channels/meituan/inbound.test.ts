import { demoIds } from 'db';
import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMeituanOrder, openCaterOrderJson } from '../../../../sim/src/meituan/orders';
import { MeituanPusher } from '../../../../sim/src/meituan/push';
import { startTestApp, type TestApp } from '../../testing';

const SH001 = demoIds.store('SH001');

describe.each(storageTargets())('Meituan pushes on $dialect', (target) => {
  let app: TestApp;
  let pusher: MeituanPusher;
  let clerk: string;
  beforeAll(async () => {
    app = await startTestApp(target);
    pusher = new MeituanPusher({ postBase: app.url, callbackBase: app.container.config.publicBaseUrl });
    clerk = await app.login('clerk-sh001');
  });
  afterAll(async () => {
    await app?.close();
  });

  const drain = () => app.container.outbox.drain();
  const count = async (table: 'orders' | 'push_inbox' | 'order_event') =>
    Number(
      (
        await app.container.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const queue = async () =>
    (await app.request('GET', `/api/staff/stores/${SH001}/queue`, { token: clerk })).body.orders;

  it('turns an open-cater new-order push into an order on the kitchen queue, ids and money exact', async () => {
    const o = makeMeituanOrder({ ePoiId: 'SH001', daySeq: 12 });
    const res = await pusher.order('new-order', o);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: 'OK' });
    await drain();
    const order = (await queue()).find((q: { channelOrderId: string }) => q.channelOrderId === o.orderId);
    expect(order).toMatchObject({
      channel: 'meituan',
      channelOrderId: o.orderId,
      displayId: o.orderIdView,
      daySeq: 12,
      status: 'placed',
      fulfillment: 'delivery',
      deliveryMode: 'platform',
      recipient: { phone: '18449039731_7333', address: '人民广场地铁站2号口 (人民大道120号)' },
      amounts: {
        items: 3520 + 2 * 660,
        packaging: 100,
        deliveryFee: 500,
        discountPlatform: 300,
        discountMerchant: 200,
        paid: 3520 + 1320 + 100 + 500 - 500,
      },
    });
    expect(o.orderId.length).toBeGreaterThan(16);
    expect(BigInt(o.orderId)).toBeGreaterThan(2n ** 53n);
    expect(order.lines.map((l: { skuCode: string; addons: { name: string }[] }) => [l.skuCode, l.addons])).toEqual([
      ['N001-L', [{ code: null, name: '微辣', price: 0 }]],
      ['D003', []],
    ]);
  });

  it('records the same push ten times as one order with one set of events', async () => {
    const o = makeMeituanOrder({ ePoiId: 'SH001', daySeq: 13 });
    const before = { orders: await count('orders'), inbox: await count('push_inbox') };
    for (let i = 0; i < 10; i++) expect((await pusher.order('new-order', o)).status).toBe(200);
    await drain();
    expect(await count('orders')).toBe(before.orders + 1);
    expect(await count('push_inbox')).toBe(before.inbox + 1);
    const row = await app.container.services.orderFlow.orders.findByChannelId('meituan', o.orderId);
    const view = await app.container.services.orderFlow.orders.view(row!, 'staff');
    expect(view.events.map((e) => e.type)).toEqual(['created']);
  });

  it('refuses a bad signature, an unknown store and a malformed body, writing nothing', async () => {
    const before = { orders: await count('orders'), inbox: await count('push_inbox') };
    const bad = await pusher.order('new-order', makeMeituanOrder({ ePoiId: 'SH001' }), { badSignature: true });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ data: 'ng', error: { msg: 'signature does not match' } });
    const unknown = await pusher.order('new-order', makeMeituanOrder({ ePoiId: 'NOPE9' }));
    expect(unknown.status).toBe(404);
    const legacyBad = await pusher.order('new-order', makeMeituanOrder({ ePoiId: 'SH001' }), {
      gateway: 'waimaiopen',
      badSignature: true,
    });
    expect(legacyBad.status).toBe(401);
    const malformed = await pusher.send(pusher.build('new-order', 'SH001', { json: '{"orderId":1,', flat: {} }));
    expect(malformed.status).toBe(400);
    // Signed correctly, but an amount no fen count can hold: refused as malformed, not a server error.
    const huge = openCaterOrderJson(makeMeituanOrder({ ePoiId: 'SH001' })).replace(/"total":[^,]+/, '"total":1e300');
    expect(huge).toContain('"total":1e300');
    const absurd = await pusher.send(pusher.build('new-order', 'SH001', { json: huge, flat: {} }));
    expect(absurd.status).toBe(400);
    expect(absurd.body).toMatchObject({ data: 'ng' });
    await drain();
    expect({ orders: await count('orders'), inbox: await count('push_inbox') }).toEqual(before);
  });

  it('answers the console’s probes without verifying', async () => {
    const get = await app.request('GET', '/webhooks/meituan/new-order');
    expect(get.body).toEqual({ data: 'ok' });
    const empty = await app.request('POST', '/webhooks/meituan/cancel', {
      raw: '',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect([empty.status, empty.body]).toEqual([200, { data: 'ok' }]);
  });

  it('accepts the legacy waimaiopen push with its double-encoded fields, signed over the configured URL', async () => {
    const o = makeMeituanOrder({ ePoiId: 'SH001', daySeq: 14, caution: '少放盐 100% 不要葱+蒜' });
    const res = await pusher.order('new-order', o, { gateway: 'waimaiopen' });
    expect([res.status, res.body]).toEqual([200, { data: 'ok' }]);
    await drain();
    const row = await app.container.services.orderFlow.orders.findByChannelId('meituan', o.orderId);
    expect(row).toMatchObject({ gateway: 'waimaiopen', remark: '少放盐 100% 不要葱+蒜', day_seq: 14 });
  });

  it('deduplicates the newer envelope on msgId and answers it in its own shape', async () => {
    const o = makeMeituanOrder({ ePoiId: 'SH001' });
    const first = await pusher.order('new-order', o, { envelope: 'message', msgId: 'm-1' });
    expect(first.body).toEqual({ code: 0, message: 'success' });
    const before = await count('push_inbox');
    await pusher.order('new-order', o, { envelope: 'message', msgId: 'm-1' });
    expect(await count('push_inbox')).toBe(before);
  });

  it('applies a cancel that arrives before its order once the order arrives', async () => {
    const o = makeMeituanOrder({ ePoiId: 'SH001' });
    expect((await pusher.cancel(o, 1101, '用户取消')).status).toBe(200);
    await drain();
    expect(await app.container.services.orderFlow.orders.findByChannelId('meituan', o.orderId)).toBeUndefined();
    await pusher.order('new-order', o);
    await drain();
    const row = await app.container.services.orderFlow.orders.findByChannelId('meituan', o.orderId);
    const view = await app.container.services.orderFlow.orders.view(row!, 'staff');
    expect(view.status).toBe('cancelled');
    expect(view.events.map((e) => [e.toStatus, e.source])).toEqual([
      ['placed', 'platform'],
      ['cancelled', 'platform'],
    ]);
  });

  it('follows the rider from the pushes and shows the timeline on the queue', async () => {
    const o = makeMeituanOrder({ ePoiId: 'SH001' });
    await pusher.order('new-order', o);
    const t = Math.floor(Date.now() / 1000);
    await pusher.logistics(o, 10, t);
    await pusher.logistics(o, 15, t + 300);
    await pusher.logistics(o, 15, t + 300);
    await drain();
    const order = (await queue()).find((q: { channelOrderId: string }) => q.channelOrderId === o.orderId);
    expect(order.delivery).toMatchObject({ mode: 'platform', status: 'at_store', riderName: '李骑手' });
    expect(order.delivery.timeline.map((e: { status: string }) => e.status)).toEqual(['assigned', 'at_store']);
    await pusher.logistics(o, 20, t + 600);
    await drain();
    const row = await app.container.services.orderFlow.orders.findByChannelId('meituan', o.orderId);
    expect(row?.status).toBe('delivering');
  });
});
