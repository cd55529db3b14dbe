import { demoIds } from 'db';
import { type StorageTarget, storageTargets } from 'db/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElemeOrder } from '../../../../sim/src/eleme/orders';
import { ElemePusher } from '../../../../sim/src/eleme/push';
import {
  DEFAULT_LINES,
  makeMeituanOrder,
  openCaterOrderJson,
  type SimOrderLine,
} from '../../../../sim/src/meituan/orders';
import { MeituanPusher } from '../../../../sim/src/meituan/push';
import { startTestApp, type TestApp } from '../../testing';

const SH001 = demoIds.store('SH001');
const SH002 = demoIds.store('SH002');

/**
 * A push whose first apply fails half-way (the database refuses one write, as it does in an outage
 * or when the process dies) must be finished by the retry: every acknowledged order has its stock
 * accounted exactly once. The failure is made real with a trigger that refuses the write.
 */
describe.each(storageTargets())(
  'a push applied again after a partial failure, on $dialect',
  (target: StorageTarget) => {
    let app: TestApp;
    let meituan: MeituanPusher;
    let eleme: ElemePusher;
    let manager: string;
    beforeAll(async () => {
      app = await startTestApp(target);
      meituan = new MeituanPusher({ postBase: app.url, callbackBase: app.container.config.publicBaseUrl });
      eleme = new ElemePusher({ postBase: app.url });
      manager = await app.login('rm-sh');
    });
    afterAll(async () => {
      await app?.close();
    });

    const db = () => app.container.db;
    const flow = () => app.container.services.orderFlow;

    /** The database refuses every new reservation line, as if the stock write hit an outage. */
    const refuseReservationLines = () =>
      sql
        .raw(
          target.dialect === 'sqlite'
            ? `CREATE TRIGGER refuse_reservation BEFORE INSERT ON stock_reservation BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`
            : `CREATE TRIGGER refuse_reservation BEFORE INSERT ON stock_reservation FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'`,
        )
        .execute(db());
    /** The database refuses to mark an order reserved: the stock pool holds its lines, the order does not know. */
    const refuseReservedMark = () =>
      sql
        .raw(
          target.dialect === 'sqlite'
            ? `CREATE TRIGGER refuse_reservation BEFORE UPDATE OF stock_state ON orders WHEN NEW.stock_state = 'reserved' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`
            : `CREATE TRIGGER refuse_reservation BEFORE UPDATE ON orders FOR EACH ROW BEGIN IF NEW.stock_state = 'reserved' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'; END IF; END`,
        )
        .execute(db());
    const recover = () => sql.raw('DROP TRIGGER IF EXISTS refuse_reservation').execute(db());

    /** Runs the outbox, then once more with every retry due now (instead of after its backoff). */
    const drainWithRetries = async () => {
      await app.container.outbox.drain();
      await db()
        .updateTable('outbox')
        .set({ next_attempt_at: 0, locked_until: null })
        .where('status', '=', 'pending')
        .execute();
      await app.container.outbox.drain();
    };

    const count = (storeId: string, sku: string, quantity: number) =>
      app.request('PUT', `/api/staff/stores/${storeId}/stock/${sku}`, { token: manager, body: { quantity } });
    const left = async (storeId: string, sku: string) => {
      const res = await app.request('GET', `/api/staff/stores/${storeId}/stock`, { token: manager });
      return res.body.items.find((i: { skuCode: string }) => i.skuCode === sku)?.quantity as number;
    };
    const reservations = (orderId: string) =>
      db()
        .selectFrom('stock_reservation')
        .select(['sku_code', 'requested', 'covered', 'status'])
        .where('order_id', '=', orderId)
        .orderBy('sku_code')
        .execute();
    const inboxOf = (orderKey: string) =>
      db().selectFrom('push_inbox').select(['status']).where('order_key', '=', orderKey).execute();

    it('reserves a Meituan order on the retry when the stock step failed after the order was written', async () => {
      expect((await count(SH001, 'D003', 50)).status).toBe(200);
      expect((await count(SH001, 'N001-L', 50)).status).toBe(200);
      const o = makeMeituanOrder({ ePoiId: 'SH001' });
      await refuseReservationLines();
      try {
        expect((await meituan.order('new-order', o)).status).toBe(200);
        await app.container.outbox.drain();
        // The first apply wrote the order and failed in the stock step.
        const half = await flow().orders.findByChannelId('meituan', o.orderId);
        expect(half?.stock_state).toBe('none');
        expect(await inboxOf(o.orderId)).toEqual([{ status: 'received' }]);
      } finally {
        await recover();
      }
      await drainWithRetries();
      const order = await flow().orders.findByChannelId('meituan', o.orderId);
      expect(order?.stock_state).toBe('reserved');
      expect(await reservations(order!.id)).toEqual([
        { sku_code: 'D003', requested: 2, covered: 2, status: 'held' },
        { sku_code: 'N001-L', requested: 1, covered: 1, status: 'held' },
      ]);
      expect([await left(SH001, 'D003'), await left(SH001, 'N001-L')]).toEqual([48, 49]);
      expect(await inboxOf(o.orderId)).toEqual([{ status: 'applied' }]);

      // The platform redelivers and confirms: nothing is counted twice.
      await meituan.order('new-order', o);
      await meituan.order('confirmed', o);
      await drainWithRetries();
      expect([await left(SH001, 'D003'), await left(SH001, 'N001-L')]).toEqual([48, 49]);
      expect((await reservations(order!.id)).map((r) => r.status)).toEqual(['committed', 'committed']);
    });

    it('records an Ele.me reservation the order did not learn of, so that accepting it commits the stock', async () => {
      expect((await count(SH002, 'T002', 20)).status).toBe(200);
      const o = makeElemeOrder({ shopId: '100002', openId: 'SH002' });
      await refuseReservedMark();
      try {
        expect((await eleme.newOrder(o)).status).toBe(200);
        await app.container.outbox.drain();
        const half = await flow().orders.findByChannelId('eleme', o.id);
        expect(half?.stock_state).toBe('none');
        // The stock pool took the lines; the order was never marked.
        expect((await reservations(half!.id)).map((r) => r.status)).toEqual(['held', 'held']);
      } finally {
        await recover();
      }
      await drainWithRetries();
      const order = await flow().orders.findByChannelId('eleme', o.id);
      expect(order?.stock_state).toBe('reserved');
      const accepted = await app.request('POST', `/api/staff/orders/${order!.id}/accept`, { token: manager });
      expect(accepted.status).toBe(200);
      await drainWithRetries();
      expect((await flow().orders.get(order!.id)).stock_state).toBe('committed');
      expect((await reservations(order!.id)).map((r) => r.status)).toEqual(['committed', 'committed']);
      expect(await left(SH002, 'T002')).toBe(19);
    });

    it('gives a refunded order’s stock back exactly once, however often the refund is pushed', async () => {
      expect((await count(SH001, 'D003', 30)).status).toBe(200);
      const o = makeMeituanOrder({ ePoiId: 'SH001' });
      await meituan.order('new-order', o);
      await drainWithRetries();
      expect(await left(SH001, 'D003')).toBe(28);
      await meituan.refund(o, 'apply', '不想要了');
      await meituan.refund(o, 'agree', '不想要了');
      await meituan.refund(o, 'agree', '不想要了', { refundId: '60000000002' });
      await drainWithRetries();
      await meituan.refund(o, 'agree', '不想要了', { refundId: '60000000003' });
      await drainWithRetries();
      const order = await flow().orders.findByChannelId('meituan', o.orderId);
      expect([order?.status, order?.stock_state]).toEqual(['refunded', 'released']);
      expect(await left(SH001, 'D003')).toBe(30);
    });

    it('closes a push recorded before quantity 0 was refused at the door, instead of retrying it forever', async () => {
      // The case, recorded as an earlier version did: a line of quantity 0 beside a real SKU × 2.
      const [noodle, soyMilk] = DEFAULT_LINES as [SimOrderLine, SimOrderLine];
      const o = makeMeituanOrder({ ePoiId: 'SH001', lines: [{ ...noodle, quantity: 0 }, soyMilk] });
      const push = meituan.build('new-order', 'SH001', { json: openCaterOrderJson(o), flat: {} });
      await flow().inbox.record({
        platform: 'meituan',
        pushType: 'new-order',
        dedupeKey: `new-order:${o.orderId}`,
        storeId: SH001,
        orderKey: o.orderId,
        body: push.body,
        meta: {
          pushType: 'new-order',
          gateway: 'open-cater',
          decoding: 'single',
          callbackUrl: `${app.container.config.publicBaseUrl}/webhooks/meituan/new-order`,
          brandId: demoIds.brand,
        },
      });
      await app.container.outbox.drain();
      const [row] = await db()
        .selectFrom('push_inbox')
        .select(['status', 'note'])
        .where('order_key', '=', o.orderId)
        .execute();
      expect(row?.status).toBe('ignored');
      expect(row?.note).toContain('quantity must be at least 1');
      expect(await flow().orders.findByChannelId('meituan', o.orderId)).toBeUndefined();
      const open = await db()
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('status', '=', 'pending')
        .where('topic', '=', 'orders.push.meituan')
        .executeTakeFirstOrThrow();
      expect(Number(open.n)).toBe(0);
    });

    it('accounts, on the next repair pass, an order an earlier version left unreserved', async () => {
      expect((await count(SH001, 'D003', 40)).status).toBe(200);
      const o = makeMeituanOrder({ ePoiId: 'SH001' });
      await refuseReservationLines();
      try {
        await meituan.order('new-order', o);
        await app.container.outbox.drain();
      } finally {
        await recover();
      }
      // What the old applier did on the retry: it saw the order, skipped the stock and closed the push.
      await db().updateTable('push_inbox').set({ status: 'applied' }).where('order_key', '=', o.orderId).execute();
      await db().updateTable('outbox').set({ status: 'done' }).where('status', '=', 'pending').execute();
      const stranded = await flow().orders.findByChannelId('meituan', o.orderId);
      expect(stranded?.stock_state).toBe('none');

      const repaired = await flow().stockFlow.repairUnaccounted(app.container.clock.now() + 1);
      expect(repaired).toBeGreaterThanOrEqual(1);
      expect((await flow().orders.get(stranded!.id)).stock_state).toBe('reserved');
      expect(await left(SH001, 'D003')).toBe(38);
      expect(await flow().stockFlow.repairUnaccounted(app.container.clock.now() + 1)).toBe(0);
      expect(await left(SH001, 'D003')).toBe(38);
    });
  },
);
