import type { Channel } from 'shared-types';

/** The sums an order adds to `report_channel_day`. */
export const CHANNEL_MEASURES = [
  'orders',
  'cancelled',
  'items_total',
  'packaging_fee',
  'delivery_fee',
  'discount_platform',
  'discount_merchant',
  'paid_total',
  'merchant_income',
  'cost_total',
  'refund_orders',
  'refund_amount',
  'prep_orders',
  'prep_ms',
  'promised_orders',
  'late_orders',
] as const;
export type ChannelMeasure = (typeof CHANNEL_MEASURES)[number];
export type ChannelMeasures = Record<ChannelMeasure, number>;

export interface SkuMeasures {
  quantity: number;
  revenue: number;
  cost_total: number;
}

/** What one order contributes to the rollups. */
export interface OrderFact {
  storeId: string;
  businessDate: string;
  channel: Channel;
  measures: ChannelMeasures;
  /** The cancel reason key, when the order was cancelled after it was placed. */
  cancelReason: string | null;
  skus: Record<string, SkuMeasures>;
}

export interface FactOrder {
  store_id: string;
  business_date: string;
  channel: Channel;
  status: string;
  items_total: number;
  packaging_fee: number;
  delivery_fee: number;
  discount_platform: number;
  discount_merchant: number;
  paid_total: number;
  merchant_income: number | null;
  refund_amount: number | null;
  cancel_reason: string | null;
  accepted_at: number | null;
  ready_at: number | null;
  promised_at: number | null;
}

export interface FactLine {
  sku_code: string | null;
  quantity: number;
  line_total: number;
}

export const emptyMeasures = (): ChannelMeasures =>
  Object.fromEntries(CHANNEL_MEASURES.map((m) => [m, 0])) as ChannelMeasures;

/**
 * A cancel reason as a short key for grouping: the first word of what was recorded
 * (`sold_out`, `timeout`, `meituan:2008`, `eleme:14`), the free text after it dropped.
 */
export function cancelReasonKey(reason: string | null): string {
  const first = (reason ?? '').trim().split(/\s+/)[0] ?? '';
  return (first || 'unknown').slice(0, 64);
}

/**
 * An order's contribution. Orders that were never placed (own channels left unpaid) count for
 * nothing; cancelled orders count only as cancelled, with their reason; every other placed order
 * counts with its amounts, its lines' SKU cost, its refund, its prep time and whether it was ready
 * after the promised time.
 */
export function factOf(
  order: FactOrder,
  lines: FactLine[],
  costOf: (skuCode: string) => number,
  wasPlaced: boolean,
): OrderFact {
  const fact: OrderFact = {
    storeId: order.store_id,
    businessDate: order.business_date,
    channel: order.channel,
    measures: emptyMeasures(),
    cancelReason: null,
    skus: {},
  };
  if (!wasPlaced) return fact;
  const m = fact.measures;
  if (order.status === 'cancelled') {
    m.cancelled = 1;
    fact.cancelReason = cancelReasonKey(order.cancel_reason);
    return fact;
  }
  m.orders = 1;
  m.items_total = order.items_total;
  m.packaging_fee = order.packaging_fee;
  m.delivery_fee = order.delivery_fee;
  m.discount_platform = order.discount_platform;
  m.discount_merchant = order.discount_merchant;
  m.paid_total = order.paid_total;
  m.merchant_income = order.merchant_income ?? order.paid_total;
  for (const line of lines) {
    if (!line.sku_code) continue;
    const cost = costOf(line.sku_code) * line.quantity;
    m.cost_total += cost;
    const sku = fact.skus[line.sku_code] ?? { quantity: 0, revenue: 0, cost_total: 0 };
    fact.skus[line.sku_code] = sku;
    sku.quantity += line.quantity;
    sku.revenue += line.line_total;
    sku.cost_total += cost;
  }
  if (order.status === 'refunded') {
    m.refund_orders = 1;
    m.refund_amount = order.refund_amount ?? order.paid_total;
  } else if (order.status === 'partially_refunded') {
    m.refund_orders = 1;
    m.refund_amount = order.refund_amount ?? 0;
  }
  if (order.accepted_at !== null && order.ready_at !== null) {
    m.prep_orders = 1;
    m.prep_ms = Math.max(0, order.ready_at - order.accepted_at);
  }
  if (order.promised_at !== null && order.ready_at !== null) {
    m.promised_orders = 1;
    m.late_orders = order.ready_at > order.promised_at ? 1 : 0;
  }
  return fact;
}

export interface RollupDelta {
  key: { storeId: string; businessDate: string; channel: Channel };
  measures: ChannelMeasures;
  cancels: Record<string, number>;
  skus: Record<string, SkuMeasures>;
}

function sameKey(a: OrderFact, b: OrderFact): boolean {
  return a.storeId === b.storeId && a.businessDate === b.businessDate && a.channel === b.channel;
}

function signed(fact: OrderFact, sign: 1 | -1): RollupDelta {
  const measures = emptyMeasures();
  for (const k of CHANNEL_MEASURES) measures[k] = sign * fact.measures[k];
  const skus: Record<string, SkuMeasures> = {};
  for (const [code, s] of Object.entries(fact.skus)) {
    skus[code] = { quantity: sign * s.quantity, revenue: sign * s.revenue, cost_total: sign * s.cost_total };
  }
  return {
    key: { storeId: fact.storeId, businessDate: fact.businessDate, channel: fact.channel },
    measures,
    cancels: fact.cancelReason ? { [fact.cancelReason]: sign } : {},
    skus,
  };
}

function isZero(d: RollupDelta): boolean {
  return (
    CHANNEL_MEASURES.every((k) => d.measures[k] === 0) &&
    Object.values(d.cancels).every((n) => n === 0) &&
    Object.values(d.skus).every((s) => s.quantity === 0 && s.revenue === 0 && s.cost_total === 0)
  );
}

/** What to add to the rollups to go from the order's last-counted contribution to its new one. */
export function diffFacts(before: OrderFact | null, after: OrderFact): RollupDelta[] {
  if (!before) return isZero(signed(after, 1)) ? [] : [signed(after, 1)];
  if (!sameKey(before, after)) return [signed(before, -1), signed(after, 1)].filter((d) => !isZero(d));
  const plus = signed(after, 1);
  const minus = signed(before, -1);
  for (const k of CHANNEL_MEASURES) plus.measures[k] += minus.measures[k];
  for (const [reason, n] of Object.entries(minus.cancels)) plus.cancels[reason] = (plus.cancels[reason] ?? 0) + n;
  for (const [code, s] of Object.entries(minus.skus)) {
    const p = plus.skus[code] ?? { quantity: 0, revenue: 0, cost_total: 0 };
    plus.skus[code] = p;
    p.quantity += s.quantity;
    p.revenue += s.revenue;
    p.cost_total += s.cost_total;
  }
  for (const [reason, n] of Object.entries(plus.cancels)) if (n === 0) delete plus.cancels[reason];
  for (const [code, s] of Object.entries(plus.skus)) {
    if (s.quantity === 0 && s.revenue === 0 && s.cost_total === 0) delete plus.skus[code];
  }
  return isZero(plus) ? [] : [plus];
}
