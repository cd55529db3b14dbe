import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedPushes, makeElemeOrder, oOrderJson, type SimElemeOrder } from '../../../sim/src/eleme/orders';
import { ElemePusher } from '../../../sim/src/eleme/push';
import {
  DEFAULT_LINES,
  makeMeituanOrder,
  openCaterOrderJson,
  waimaiopenOrderFields,
} from '../../../sim/src/meituan/orders';
import { MeituanPusher } from '../../../sim/src/meituan/push';
import { type RunningSimulator, startSimulator } from '../../../sim/src/server';
import { countRows, startTestApp, type TestApp } from '../testing';

const [NOODLE, SOY_MILK] = DEFAULT_LINES as [(typeof DEFAULT_LINES)[0], (typeof DEFAULT_LINES)[0]];
const DAY_S = 86_400;
const nowS = () => Math.floor(Date.now() / 1000);

/**
 * Signed pushes whose content cannot be true are refused in the platform's own error shape and
 * leave nothing behind: impossible quantities, prices and times, stale or future timestamps, and
 * an order of another store than the one the push was signed for.
 */
describe.each(storageTargets())('pushes the platforms could not have sent, on $dialect', (target) => {
  let sim: RunningSimulator;
  let app: TestApp;
  let meituan: MeituanPusher;
  let eleme: ElemePusher;
  beforeAll(async () => {
    sim = await startSimulator();
    app = await startTestApp(target, { env: { SIM_BASE_URL: sim.url } });
    meituan = new MeituanPusher({ postBase: app.url, callbackBase: app.container.config.publicBaseUrl });
    eleme = new ElemePusher({ postBase: app.url, state: sim.state });
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  const written = async () => {
    await app.container.outbox.drain();
    const db = app.container.db;
    return {
      orders: await countRows(db, 'orders'),
      inbox: await countRows(db, 'push_inbox'),
      events: await countRows(db, 'order_event'),
      reservations: await countRows(db, 'stock_reservation'),
    };
  };
  const refusedCount = async (platform: string, reason: string) => {
    const text = (await app.request('GET', '/metrics')).text;
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`heyi_push_refused_total{platform="${platform}",reason="${reason}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  it('refuses Meituan orders with a line of 0, −5 or 1e9, a negative price or ctime −1', async () => {
    const before = await written();
    const impossible = [
      // The case: one line of quantity 0 beside a real SKU × 2.
      makeMeituanOrder({ ePoiId: 'SH001', lines: [{ ...NOODLE, quantity: 0 }, SOY_MILK] }),
      makeMeituanOrder({ ePoiId: 'SH001', lines: [{ ...NOODLE, quantity: -5 }] }),
      makeMeituanOrder({ ePoiId: 'SH001', lines: [{ ...NOODLE, quantity: 1e9 }] }),
      makeMeituanOrder({ ePoiId: 'SH001', lines: [{ ...NOODLE, quantity: 1.5 }] }),
      makeMeituanOrder({ ePoiId: 'SH001', lines: [NOODLE, { ...SOY_MILK, price: -100 }] }),
      makeMeituanOrder({ ePoiId: 'SH001', ctime: -1 }),
      makeMeituanOrder({ ePoiId: 'SH001', ctime: nowS() + 2 * DAY_S }),
    ];
    for (const o of impossible) {
      for (const gateway of ['open-cater', 'waimaiopen'] as const) {
        const res = await meituan.order('new-order', o, { gateway });
        expect([res.status, res.body]).toMatchObject([400, { data: 'ng', error: { code: 400 } }]);
      }
    }
    expect(await written()).toEqual(before);
    expect(await refusedCount('meituan', 'malformed')).toBeGreaterThanOrEqual(impossible.length * 2);
    // A free gift (price 0) and a big but real basket are kept.
    const gift = makeMeituanOrder({ ePoiId: 'SH001', lines: [{ ...SOY_MILK, price: 0, quantity: 40 }] });
    expect((await meituan.order('new-order', gift)).status).toBe(200);
    await app.container.outbox.drain();
    expect(await app.container.services.orderFlow.orders.findByChannelId('meituan', gift.orderId)).toMatchObject({
      stock_state: 'reserved',
    });
  });

  it('refuses Ele.me orders with impossible dishes or times, and keeps discount baskets’ negative prices', async () => {
    const shop = { shopId: '100001', openId: 'SH001' };
    const line = { extendCode: 'T002', name: '双皮奶', spec: '', price: 1320 };
    const before = await written();
    const impossible: SimElemeOrder[] = [
      makeElemeOrder({ ...shop, lines: [{ ...line, quantity: 0 }] }),
      makeElemeOrder({ ...shop, lines: [{ ...line, quantity: -5 }] }),
      makeElemeOrder({ ...shop, lines: [{ ...line, quantity: 1e9 }] }),
      makeElemeOrder({ ...shop, lines: [{ ...line, quantity: 1, price: -100 }] }),
    ];
    for (const o of impossible) {
      const res = await eleme.newOrder(o);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ message: expect.stringContaining('dish') });
    }
    const noTime = oOrderJson(makeElemeOrder(shop)).replace(/"createdAt":"[^"]*"/, '"createdAt":"-1"');
    expect((await eleme.send(10, eleme.build(10, shop.shopId, noTime))).status).toBe(400);
    expect(await written()).toEqual(before);
  });

  it('refuses a push signed for one store that carries another store’s order', async () => {
    const before = await written();
    const theirs = makeMeituanOrder({ ePoiId: 'SH001' });
    const json = openCaterOrderJson(theirs);
    const mt = await meituan.send(meituan.build('new-order', 'SH002', { json, flat: waimaiopenOrderFields(theirs) }));
    expect([mt.status, mt.body]).toMatchObject([403, { data: 'ng', error: { code: 403 } }]);
    const el = makeElemeOrder({ shopId: '100001', openId: 'SH001' });
    const wrong = await eleme.send(10, eleme.build(10, '100002', oOrderJson(el)));
    expect([wrong.status, wrong.body]).toMatchObject([403, { message: expect.stringContaining('signed for 100002') }]);
    expect(await written()).toEqual(before);
    expect(await refusedCount('meituan', 'store_mismatch')).toBe(1);
    expect(await refusedCount('eleme', 'store_mismatch')).toBe(1);
  });

  it('never lets a push signed for one store cancel or refund another store’s order', async () => {
    const flow = app.container.services.orderFlow;
    const ours = makeMeituanOrder({ ePoiId: 'SH001' });
    const early = makeMeituanOrder({ ePoiId: 'SH001' });
    const el = makeElemeOrder({ shopId: '100001', openId: 'SH001' });
    await meituan.order('new-order', ours);
    await eleme.newOrder(el);
    await app.container.outbox.drain();
    const before = await written();
    const cancel = await meituan.cancel({ ...ours, ePoiId: 'SH002' }, 1101, '用户取消');
    expect([cancel.status, cancel.body]).toMatchObject([403, { data: 'ng', error: { code: 403 } }]);
    const refund = await eleme.refund({ ...el, shopId: '100002' }, 30, '不想要了');
    expect([refund.status, refund.body]).toMatchObject([403, { message: expect.stringContaining('not of shop') }]);
    expect(await written()).toEqual(before);

    // A cancel that arrives before its order cannot be told apart at the door: it waits, and is
    // dropped when the order turns out to be another store's.
    expect((await meituan.cancel({ ...early, ePoiId: 'SH002' }, 1101, '用户取消')).status).toBe(200);
    await meituan.order('new-order', early);
    await app.container.outbox.drain();
    await app.container.outbox.drain();
    expect((await flow.orders.findByChannelId('meituan', early.orderId))?.status).toBe('placed');
    const inbox = await app.container.db
      .selectFrom('push_inbox')
      .select(['push_type', 'status', 'note'])
      .where('order_key', '=', early.orderId)
      .orderBy('received_at')
      .execute();
    expect(inbox.map((r) => [r.push_type, r.status])).toEqual([
      ['cancel', 'ignored'],
      ['new-order', 'applied'],
    ]);
    expect(inbox[0]?.note).toContain('another store');
    expect((await flow.orders.findByChannelId('meituan', ours.orderId))?.status).toBe('placed');
    expect((await flow.orders.findByChannelId('eleme', el.id))?.refund_state).toBeNull();
  });

  it('refuses pushes signed years ago or in the future, and still takes a platform’s late retry', async () => {
    const before = await written();
    const replayed = makeMeituanOrder({ ePoiId: 'SH001', ctime: 1_500_000_000 });
    for (const gateway of ['open-cater', 'waimaiopen'] as const) {
      const res = await meituan.order('new-order', replayed, { gateway, timestamp: 1_500_000_000 });
      expect([res.status, res.body]).toMatchObject([
        400,
        { data: 'ng', error: { msg: expect.stringContaining('older') } },
      ]);
    }
    const ahead = await meituan.order('new-order', makeMeituanOrder({ ePoiId: 'SH001' }), {
      timestamp: nowS() + DAY_S,
    });
    expect(ahead.status).toBe(400);
    const oldEleme = await eleme.newOrder(makeElemeOrder({ shopId: '100001', openId: 'SH001' }), {
      timestamp: Date.parse('2017-06-01T00:00:00Z'),
    });
    expect([oldEleme.status, oldEleme.body]).toMatchObject([400, { message: expect.stringContaining('older') }]);
    expect(await written()).toEqual(before);
    expect(await refusedCount('meituan', 'stale')).toBe(3);
    expect(await refusedCount('eleme', 'stale')).toBe(1);

    // A redelivery keeps its signed timestamp: one built an hour ago is a true retry.
    const late = makeMeituanOrder({ ePoiId: 'SH001', ctime: nowS() - 3600 });
    expect((await meituan.order('new-order', late, { timestamp: nowS() - 3600 })).status).toBe(200);
    const lateEleme = makeElemeOrder({ shopId: '100001', openId: 'SH001' });
    expect((await eleme.newOrder(lateEleme, { timestamp: Date.now() - 3600_000 })).status).toBe(200);
    await app.container.outbox.drain();
    expect(await app.container.services.orderFlow.orders.findByChannelId('meituan', late.orderId)).toBeDefined();
    expect(await app.container.services.orderFlow.orders.findByChannelId('eleme', lateEleme.id)).toBeDefined();
    expect((await app.request('GET', '/metrics')).text).toMatch(
      /heyi_push_timestamp_age_seconds_count\{platform="eleme"\} [1-9]/,
    );
  });

  it('takes a message the compensation pull brings back days later: Ele.me itself handed it over', async () => {
    failedPushes(sim.state).length = 0;
    const lost = makeElemeOrder({ shopId: '100001', openId: 'SH001' });
    await eleme.newOrder(lost, { undelivered: true, timestamp: Date.now() - 3 * DAY_S * 1000 });
    expect(await app.container.services.orderChannels.elemePull.pullOnce()).toEqual({ pulled: 1, recorded: 1 });
    await app.container.outbox.drain();
    expect(await app.container.services.orderFlow.orders.findByChannelId('eleme', lost.id)).toBeDefined();
  });
});
