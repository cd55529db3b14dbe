import { z } from 'zod';
import { Fen, IsoTime, PlatformId, Ulid } from './common';
import { DeliveryMode, DeliveryView } from './delivery';
import { Channel } from './enums';

/**
 * One order model for every channel. Own-channel orders start unpaid (`pending_payment`) and reach
 * the kitchen as `placed` once paid; platform orders arrive `placed`.
 *   placed → accepted → preparing → ready → (delivering → delivered) | picked_up | served → completed
 * with `cancelled`, and `refunded` / `partially_refunded`.
 */
export const OrderStatus = z.enum([
  'pending_payment',
  'placed',
  'accepted',
  'preparing',
  'ready',
  'delivering',
  'delivered',
  'picked_up',
  'served',
  'completed',
  'cancelled',
  'refunded',
  'partially_refunded',
]);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** Each status's name as staff read it (the kitchen queue, the back office). */
export const ORDER_STATUS_NAMES: Record<OrderStatus, string> = {
  pending_payment: '待支付',
  placed: '待接单',
  accepted: '已接单',
  preparing: '制作中',
  ready: '已出餐',
  delivering: '配送中',
  delivered: '已送达',
  picked_up: '已取餐',
  served: '已上桌',
  completed: '已完成',
  cancelled: '已取消',
  refunded: '已退款',
  partially_refunded: '部分退款',
};

export const Fulfillment = z.enum(['delivery', 'pickup', 'dine_in']);
export type Fulfillment = z.infer<typeof Fulfillment>;

/** Who caused a change: a staff member, a platform push, the system (timers, policies) or the member. */
export const EventSource = z.enum(['staff', 'platform', 'system', 'member']);
export type EventSource = z.infer<typeof EventSource>;

/** Why staff cancel an order; each maps to the platform's own reason code. */
export const CancelReason = z.enum(['sold_out', 'busy', 'closed', 'other']);
export type CancelReason = z.infer<typeof CancelReason>;

export const OrderAddonView = z.object({
  /** Our add-on option code; null when a platform sent only a name (口味 text). */
  code: z.string().nullable(),
  name: z.string(),
  /** Price per unit of the line, in fen. */
  price: Fen,
});
export type OrderAddonView = z.infer<typeof OrderAddonView>;

export const OrderLineView = z.object({
  id: Ulid,
  lineNo: z.number().int(),
  /** Our SKU code; null when the platform line could not be mapped (`unmapped`). */
  skuCode: z.string().nullable(),
  name: z.string(),
  specText: z.string(),
  addons: z.array(OrderAddonView),
  quantity: z.number().int(),
  /** Price of one unit before add-ons, in fen. */
  unitPrice: Fen,
  /** Packaging for the whole line, in fen. */
  packagingFee: Fen,
  /** (unit price + add-ons) × quantity, in fen. */
  lineTotal: Fen,
  unmapped: z.boolean(),
  stockShort: z.boolean(),
  /** The platform's own id of the line's spec, when it came from a platform. */
  platformSkuId: z.string().nullable(),
});
export type OrderLineView = z.infer<typeof OrderLineView>;

/** Amounts in fen. Discounts are split by who pays for them. */
export const OrderAmounts = z.object({
  items: Fen,
  packaging: Fen,
  deliveryFee: Fen,
  discountPlatform: Fen,
  discountMerchant: Fen,
  /** What the customer paid. */
  paid: Fen,
  /** What the store receives, when the platform says (staff views only). */
  merchantIncome: Fen.nullable(),
});
export type OrderAmounts = z.infer<typeof OrderAmounts>;

export const OrderFlags = z.object({
  /** Some lines did not map to our SKUs: kept, shown, not counted against stock. */
  unmappedLines: z.boolean(),
  /** Stock was short when the order arrived (platform orders are recorded anyway). */
  stockShort: z.boolean(),
  shortages: z.array(z.object({ skuCode: z.string(), requested: z.number(), available: z.number() })),
  /** The kitchen slot was already full. */
  overloaded: z.boolean(),
  /** The platform marked the data incomplete (re-query). */
  degraded: z.boolean(),
  /** A write-back to the platform failed for good and needs a person. */
  syncFailed: z.boolean(),
});
export type OrderFlags = z.infer<typeof OrderFlags>;

export const RefundState = z.enum(['requested', 'agreed', 'rejected', 'cancelled']);
export type RefundState = z.infer<typeof RefundState>;

export const OrderEventView = z.object({
  type: z.string(),
  fromStatus: OrderStatus.nullable(),
  toStatus: OrderStatus.nullable(),
  source: EventSource,
  reason: z.string().nullable(),
  at: IsoTime,
});
export type OrderEventView = z.infer<typeof OrderEventView>;

export const OrderView = z.object({
  id: Ulid,
  storeId: Ulid,
  channel: Channel,
  /** The platform's order id (a string: it exceeds 2^53), or ours for own channels. */
  channelOrderId: PlatformId,
  /** The number the customer sees (Meituan's orderIdView), when different. */
  displayId: z.string().nullable(),
  /** 流水号 for the store's business day. */
  daySeq: z.number().int().nullable(),
  businessDate: z.string(),
  fulfillment: Fulfillment,
  deliveryMode: DeliveryMode.nullable(),
  status: OrderStatus,
  placedAt: IsoTime,
  promisedAt: IsoTime.nullable(),
  /** Own channels: the order is cancelled if not paid by then. */
  payBy: IsoTime.nullable(),
  remark: z.string(),
  tableNo: z.string().nullable(),
  recipient: z
    .object({
      name: z.string(),
      /** As the platform gave it: a privacy number or a masked phone. */
      phone: z.string(),
      address: z.string(),
    })
    .nullable(),
  amounts: OrderAmounts,
  lines: z.array(OrderLineView),
  delivery: DeliveryView.nullable(),
  flags: OrderFlags,
  refund: z.object({ state: RefundState, reason: z.string().nullable() }).nullable(),
  cancelReason: z.string().nullable(),
  /** Where to collect the order or whom to call: its store. */
  store: z
    .object({
      name: z.string(),
      address: z.string(),
      phone: z.string().nullable(),
      lat: z.number().nullable(),
      lng: z.number().nullable(),
      timezone: z.string(),
    })
    .nullable(),
  events: z.array(OrderEventView),
});
export type OrderView = z.infer<typeof OrderView>;

export const QueueResponse = z.object({ storeId: Ulid, orders: z.array(OrderView) });
export type QueueResponse = z.infer<typeof QueueResponse>;

export const QueueQuery = z
  .object({
    /** `active` (default): what the kitchen still has to do; `all`: today's orders too. */
    view: z.enum(['active', 'today']).default('active'),
  })
  .strict();
export type QueueQuery = z.infer<typeof QueueQuery>;

/** Body of staff actions that take none (`{}` or no body at all). */
export const EmptyActionRequest = z.object({}).strict();

export const CancelOrderRequest = z
  .object({
    reason: CancelReason,
    remark: z.string().trim().max(200).optional(),
  })
  .strict();
export type CancelOrderRequest = z.infer<typeof CancelOrderRequest>;

/** Handing the order over; for self-delivery orders, the rider who takes it. */
export const HandoverRequest = z
  .object({
    courierName: z.string().trim().min(1).max(32).optional(),
    courierPhone: z.string().trim().min(3).max(32).optional(),
  })
  .strict();
export type HandoverRequest = z.infer<typeof HandoverRequest>;

export const RejectRefundRequest = z.object({ reason: z.string().trim().min(1).max(200) }).strict();
export type RejectRefundRequest = z.infer<typeof RejectRefundRequest>;

// ── mini-program ──

export const CartLine = z
  .object({
    skuCode: z.string().trim().min(1).max(64),
    quantity: z.number().int().min(1).max(99),
    /** Add-on option codes; each product's groups bound how many of each group. */
    addons: z.array(z.string().trim().min(1).max(64)).max(20).optional(),
  })
  .strict();
export type CartLine = z.infer<typeof CartLine>;

export const DeliveryAddress = z
  .object({
    name: z.string().trim().min(1).max(32),
    phone: z.string().trim().min(5).max(20),
    address: z.string().trim().min(1).max(200),
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
  })
  .strict();
export type DeliveryAddress = z.infer<typeof DeliveryAddress>;

export const CheckoutRequest = z
  .object({
    storeId: Ulid,
    fulfillment: Fulfillment,
    lines: z.array(CartLine).min(1).max(50),
    /** Dine-in: the scanned table code (the table number is taken from it, never from the client). */
    tableCode: z.string().trim().min(1).max(32).optional(),
    /** Dine-in: if sent, must match the table of `tableCode`. */
    tableNo: z.string().trim().min(1).max(16).optional(),
    address: DeliveryAddress.optional(),
    remark: z.string().trim().max(200).optional(),
    /**
     * Pickup only: when the member will collect (预约自取), within the store's hours and its
     * `preorderDays`. Absent: as soon as the kitchen can.
     */
    pickupAt: IsoTime.optional(),
    /** Pickup and dine-in: a phone the store may call about the order. */
    contactPhone: z
      .string()
      .trim()
      .regex(/^\+?[\d\s-]{5,20}$/)
      .optional(),
  })
  .strict();
export type CheckoutRequest = z.infer<typeof CheckoutRequest>;

export const QuoteLine = z.object({
  skuCode: z.string(),
  name: z.string(),
  specText: z.string(),
  quantity: z.number().int(),
  unitPrice: Fen,
  addons: z.array(OrderAddonView),
  packagingFee: Fen,
  lineTotal: Fen,
});
export type QuoteLine = z.infer<typeof QuoteLine>;

export const QuoteResponse = z.object({
  storeId: Ulid,
  fulfillment: Fulfillment,
  lines: z.array(QuoteLine),
  amounts: z.object({ items: Fen, packaging: Fen, deliveryFee: Fen, discount: Fen, total: Fen }),
  /** When the kitchen can have it ready (pickup, dine-in) or at the door (delivery), given its load. */
  promisedAt: IsoTime,
  tableNo: z.string().nullable(),
  deliveryZone: z.object({ name: z.string(), minutes: z.number().int() }).nullable(),
});
export type QuoteResponse = z.infer<typeof QuoteResponse>;

/** What `wx.requestPayment` takes (appId is signed into paySign but not passed). */
export const RequestPaymentParams = z.object({
  timeStamp: z.string(),
  nonceStr: z.string(),
  package: z.string(),
  signType: z.literal('RSA'),
  paySign: z.string(),
});
export type RequestPaymentParams = z.infer<typeof RequestPaymentParams>;

export const PlaceOrderResponse = z.object({ order: OrderView, payment: RequestPaymentParams });
export type PlaceOrderResponse = z.infer<typeof PlaceOrderResponse>;

export const MemberOrderList = z.object({ orders: z.array(OrderView) });
export type MemberOrderList = z.infer<typeof MemberOrderList>;

export const DineInTableView = z.object({
  storeId: Ulid,
  storeName: z.string(),
  tableNo: z.string(),
  code: z.string(),
});
export type DineInTableView = z.infer<typeof DineInTableView>;
