import { demoIds } from 'db';
import type { Channel } from 'shared-types';
import type { TestApp } from '../../testing';
import type { Actor, NewOrder, NewOrderLine } from '../orders/model';

export const SH001 = demoIds.store('SH001');
export const SH002 = demoIds.store('SH002');
export const HZ001 = demoIds.store('HZ001');

const platform: Actor = { source: 'platform', id: 'reports-test' };

export interface LineSpec {
  sku: string;
  qty: number;
  unit: number;
}

export interface OrderSpec {
  storeId: string;
  channel: Channel;
  id: string;
  lines: LineSpec[];
  packaging?: number;
  deliveryFee?: number;
  discountPlatform?: number;
  discountMerchant?: number;
  merchantIncome?: number | null;
  promisedInMin?: number | null;
}

function line(l: LineSpec): NewOrderLine {
  return {
    skuCode: l.sku,
    platformItemId: null,
    platformSkuId: null,
    name: l.sku,
    specText: '',
    addons: [],
    quantity: l.qty,
    unitPrice: l.unit,
    addonsPrice: 0,
    packagingFee: 0,
    boxCount: 0,
    lineTotal: l.qty * l.unit,
    unmapped: false,
  };
}

/** A new order with known amounts; paid = items + packaging + delivery − discounts. */
export function newOrder(s: OrderSpec, now: number): NewOrder {
  const items = s.lines.reduce((sum, l) => sum + l.qty * l.unit, 0);
  const packaging = s.packaging ?? 0;
  const deliveryFee = s.deliveryFee ?? 0;
  const discountPlatform = s.discountPlatform ?? 0;
  const discountMerchant = s.discountMerchant ?? 0;
  const paid = items + packaging + deliveryFee - discountPlatform - discountMerchant;
  const own = s.channel === 'miniapp' || s.channel === 'dinein';
  return {
    brandId: demoIds.brand,
    storeId: s.storeId,
    channel: s.channel,
    channelOrderId: own ? null : s.id,
    displayId: null,
    gateway: null,
    fulfillment: s.channel === 'dinein' ? 'dine_in' : own ? 'pickup' : 'delivery',
    deliveryMode: own ? null : 'platform',
    status: own ? 'pending_payment' : 'placed',
    placedAt: now,
    promisedAt: s.promisedInMin == null ? null : now + s.promisedInMin * 60_000,
    payBy: own ? now + 15 * 60_000 : null,
    daySeq: own ? null : 1,
    memberId: null,
    placementKey: own ? `reports-test:${s.id}` : null,
    amounts: {
      items,
      packaging,
      deliveryFee,
      discountPlatform,
      discountMerchant,
      paid,
      merchantIncome: s.merchantIncome === undefined ? paid : s.merchantIncome,
    },
    remark: '',
    tableNo: s.channel === 'dinein' ? 'A1' : null,
    recipient: null,
    logisticsCode: null,
    degraded: false,
    zoneName: null,
    lines: s.lines.map(line),
  };
}

/** Drives orders through the real order flow (services and staff routes), as pushes and payments do. */
export function orderDriver(app: TestApp) {
  const flow = app.container.services.orderFlow;
  return {
    /** A platform order arrives (what a push applies), or an own-channel order is placed and paid. */
    async place(s: OrderSpec, now: number, paid = true): Promise<string> {
      const order = newOrder(s, now);
      if (order.channelOrderId !== null) {
        await flow.ingest.ingest(order, platform);
        const row = await flow.orders.findByChannelId(s.channel, s.id);
        if (!row) throw new Error(`order ${s.id} not ingested`);
        return row.id;
      }
      const { order: row } = await flow.orders.create(order, { source: 'member', id: null });
      if (paid) await flow.orders.markPaid(row.id, { source: 'system', id: 'wechatpay' });
      return row.id;
    },
    async staff(token: string, orderId: string, action: string, body: unknown = {}) {
      const res = await app.request('POST', `/api/staff/orders/${orderId}/${action}`, { token, body });
      if (res.status !== 200) throw new Error(`${action} ${orderId}: ${res.status} ${res.text}`);
    },
    platformMove: (channel: 'meituan' | 'eleme', id: string, to: 'completed' | 'cancelled', reason?: string) =>
      flow.platform.platformMove(channel, id, to, platform, {
        ...(reason ? { reason, set: { cancel_reason: reason } } : {}),
      }),
    platformRefund: (channel: 'meituan' | 'eleme', id: string, partial: boolean, amount: number | null) =>
      flow.platform.platformRefund(channel, id, 'agreed', platform, { reason: '测试退款', partial, amount }),
    abandon: (orderId: string) =>
      flow.orders.abandonUnpaid(orderId, { source: 'member', id: null }, 'member cancelled'),
    /** Applies every queued `orders.changed` event (and whatever else is due). */
    settle: () => app.container.outbox.drain(),
  };
}
