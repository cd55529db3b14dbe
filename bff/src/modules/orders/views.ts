import type { DeliveryView, OrderEventView, OrderLineView, OrderStatus, OrderView, RefundState } from 'shared-types';
import type { DeliveryService } from '../delivery/service';
import type { StoreService } from '../stores/service';
import { parseFlags } from './model';
import type { EventRow, LineRow, OrderRepo, OrderRow } from './repo';

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/** Builds the API view of orders, loading their lines, events and deliveries in three queries. */
export class OrderViews {
  constructor(
    private readonly repo: OrderRepo,
    private readonly delivery: DeliveryService,
    private readonly stores: StoreService,
  ) {}

  async build(rows: OrderRow[], audience: 'staff' | 'member'): Promise<OrderView[]> {
    const ids = rows.map((r) => r.id);
    const [lines, events, deliveries, stores] = await Promise.all([
      this.repo.lines(ids),
      this.repo.events(ids),
      this.delivery.viewsFor(ids),
      this.storesOf(rows),
    ]);
    const linesOf = group(lines);
    const eventsOf = group(events);
    return rows.map((r) => ({
      ...toView(r, linesOf.get(r.id) ?? [], eventsOf.get(r.id) ?? [], deliveries.get(r.id) ?? null, audience),
      store: stores.get(r.store_id) ?? null,
    }));
  }

  /** Where to collect or ask about each order: its store's name, address, phone and clock. */
  private async storesOf(rows: OrderRow[]): Promise<Map<string, OrderView['store']>> {
    const out = new Map<string, OrderView['store']>();
    for (const id of new Set(rows.map((r) => r.store_id))) {
      const s = await this.stores.find(id);
      if (s)
        out.set(id, { name: s.name, address: s.address, phone: s.phone, lat: s.lat, lng: s.lng, timezone: s.timezone });
    }
    return out;
  }

  async one(row: OrderRow, audience: 'staff' | 'member'): Promise<OrderView> {
    const [view] = await this.build([row], audience);
    return view as OrderView;
  }
}

function group<T extends { order_id: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.order_id) ?? [];
    list.push(r);
    out.set(r.order_id, list);
  }
  return out;
}

function lineView(l: LineRow): OrderLineView {
  return {
    id: l.id,
    lineNo: l.line_no,
    skuCode: l.sku_code,
    name: l.name,
    specText: l.spec_text,
    addons: JSON.parse(l.addons),
    quantity: l.quantity,
    unitPrice: Number(l.unit_price),
    packagingFee: Number(l.packaging_fee),
    lineTotal: Number(l.line_total),
    unmapped: l.unmapped === 1,
    stockShort: l.stock_short === 1,
    platformSkuId: l.platform_sku_id,
  };
}

function eventView(e: EventRow): OrderEventView {
  return {
    type: e.type,
    fromStatus: e.from_status as OrderStatus | null,
    toStatus: e.to_status as OrderStatus | null,
    source: e.source,
    reason: e.reason,
    at: new Date(Number(e.at)).toISOString(),
  };
}

function toView(
  r: OrderRow,
  lines: LineRow[],
  events: EventRow[],
  delivery: DeliveryView | null,
  audience: 'staff' | 'member',
): Omit<OrderView, 'store'> {
  const flags = parseFlags(r.flags);
  return {
    id: r.id,
    storeId: r.store_id,
    channel: r.channel,
    channelOrderId: r.channel_order_id,
    displayId: r.display_id,
    daySeq: r.day_seq,
    businessDate: r.business_date,
    fulfillment: r.fulfillment,
    deliveryMode: r.delivery_mode,
    status: r.status as OrderStatus,
    placedAt: new Date(Number(r.placed_at)).toISOString(),
    promisedAt: iso(r.promised_at),
    payBy: iso(r.pay_by),
    remark: r.remark,
    tableNo: r.table_no,
    recipient:
      r.recipient_name !== null || r.recipient_phone !== null || r.recipient_address !== null
        ? { name: r.recipient_name ?? '', phone: r.recipient_phone ?? '', address: r.recipient_address ?? '' }
        : null,
    amounts: {
      items: Number(r.items_total),
      packaging: Number(r.packaging_fee),
      deliveryFee: Number(r.delivery_fee),
      discountPlatform: Number(r.discount_platform),
      discountMerchant: Number(r.discount_merchant),
      paid: Number(r.paid_total),
      merchantIncome: audience === 'staff' && r.merchant_income !== null ? Number(r.merchant_income) : null,
    },
    lines: lines.map(lineView),
    delivery,
    flags,
    refund: r.refund_state ? { state: r.refund_state as RefundState, reason: r.refund_reason } : null,
    cancelReason: r.cancel_reason,
    events: events.map(eventView),
  };
}
