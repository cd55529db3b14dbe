/**
 * Tables for orders, members, payments and delivery (issue 5). One order model for every channel;
 * platform ids are strings (they exceed 2^53); money is fen.
 */

export interface OrdersTable {
  id: string;
  brand_id: string;
  store_id: string;
  channel: 'miniapp' | 'dinein' | 'meituan' | 'eleme';
  /** The platform's order id as text, or our own id for own channels. Unique with `channel`. */
  channel_order_id: string;
  /** The number the customer sees (Meituan orderIdView), when it differs. */
  display_id: string | null;
  /** Meituan: the gateway the order came through (writes go back the same way). */
  gateway: string | null;
  /** The store's business day (local date) the order belongs to. */
  business_date: string;
  day_seq: number | null;
  fulfillment: 'delivery' | 'pickup' | 'dine_in';
  delivery_mode: 'self' | 'platform' | null;
  status: string;
  member_id: string | null;
  /** Own channels: `<member>:<Idempotency-Key>`, so a retried placement finds its order. */
  placement_key: string | null;
  items_total: number;
  packaging_fee: number;
  delivery_fee: number;
  discount_platform: number;
  discount_merchant: number;
  paid_total: number;
  merchant_income: number | null;
  remark: string;
  table_no: string | null;
  recipient_name: string | null;
  /** As the platform gave it (privacy number or masked); never a real number from us. */
  recipient_phone: string | null;
  recipient_address: string | null;
  recipient_lat: number | null;
  recipient_lng: number | null;
  logistics_code: string | null;
  /** JSON: OrderFlags. */
  flags: string;
  refund_state: string | null;
  refund_reason: string | null;
  /** Fen refunded, when the platform said (partial refunds); a full refund is `paid_total`. */
  refund_amount: number | null;
  cancel_reason: string | null;
  /** none → reserved → committed | released: how far the stock pool has been told. */
  stock_state: string;
  placed_at: number;
  promised_at: number | null;
  pay_by: number | null;
  accepted_at: number | null;
  ready_at: number | null;
  completed_at: number | null;
  cancelled_at: number | null;
  /** Bumped on every change, so conditional updates always change a column. */
  version: number;
  created_at: number;
  updated_at: number;
}

export interface OrderLineTable {
  id: string;
  order_id: string;
  line_no: number;
  sku_code: string | null;
  platform_item_id: string | null;
  platform_sku_id: string | null;
  name: string;
  spec_text: string;
  /** JSON: [{code|null, name, price}] per unit. */
  addons: string;
  quantity: number;
  unit_price: number;
  addons_price: number;
  packaging_fee: number;
  box_count: number;
  line_total: number;
  unmapped: number;
  stock_short: number;
}

/** One row per status transition (and per notable fact: refund requested, alert), with its source. */
export interface OrderEventTable {
  id: string;
  order_id: string;
  type: string;
  from_status: string | null;
  to_status: string | null;
  source: 'staff' | 'platform' | 'system' | 'member';
  /** Staff id, push inbox id, or job name. */
  actor: string | null;
  reason: string | null;
  data: string | null;
  at: number;
}

/** Own channels' 流水号 counter per store and business day. */
export interface StoreDaySeqTable {
  store_id: string;
  business_date: string;
  last_seq: number;
}

/**
 * Every platform push, recorded before we answer the platform: the raw body and what is needed to
 * verify it again. Applied from here by the outbox worker; the dedupe key is unique.
 */
export interface PushInboxTable {
  id: string;
  platform: 'meituan' | 'eleme';
  push_type: string;
  dedupe_key: string;
  store_id: string;
  /** The platform's order id the push is about, when it has one. */
  order_key: string | null;
  body: string;
  /** JSON: content type, the callback URL verified against, the gateway. */
  meta: string;
  /** received → applied | parked (waiting for its order) | ignored. */
  status: string;
  note: string | null;
  received_at: number;
  applied_at: number | null;
}

export interface MemberTable {
  id: string;
  brand_id: string;
  openid: string;
  unionid: string | null;
  status: 'active' | 'blocked';
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

/** WeChat's session_key per member, sealed at rest; overwritten on every sign-in. Never sent out. */
export interface MemberWechatSessionTable {
  member_id: string;
  session_key_enc: string;
  updated_at: number;
}

export interface PaymentTable {
  id: string;
  order_id: string;
  brand_id: string;
  member_id: string;
  method: 'wechatpay';
  out_trade_no: string;
  amount: number;
  /** pending → paid | closed; paid → refunding → refunded. */
  status: string;
  prepay_id: string | null;
  prepay_at: number | null;
  transaction_id: string | null;
  payer_openid: string | null;
  paid_at: number | null;
  closed_at: number | null;
  out_refund_no: string | null;
  refunded_at: number | null;
  version: number;
  created_at: number;
  updated_at: number;
}

/** WeChat Pay notifications as received (deduplicated by their id), for audit and replay. */
export interface PaymentNotificationTable {
  id: string;
  event_type: string;
  out_trade_no: string | null;
  body: string;
  received_at: number;
}

export interface DeliverySettingsTable {
  store_id: string;
  self_enabled: number;
  meituan_platform: number;
  eleme_platform: number;
  updated_by: string | null;
  updated_at: number;
}

export interface DeliveryZoneTable {
  id: string;
  store_id: string;
  name: string;
  radius_m: number;
  fee: number;
  min_order: number;
  minutes: number;
  /** JSON: BusinessHours; `[]` means the store's hours. */
  hours: string;
  sort_order: number;
}

/** The delivery of one order and where its rider is now. */
export interface OrderDeliveryTable {
  order_id: string;
  store_id: string;
  mode: 'self' | 'platform';
  status: string;
  rider_name: string | null;
  rider_phone: string | null;
  logistics_code: string | null;
  zone_name: string | null;
  /** Rank of the latest status, so a late push never moves the rider backwards. */
  status_rank: number;
  updated_at: number;
}

export interface DeliveryEventTable {
  id: string;
  order_id: string;
  status: string;
  rider_name: string | null;
  rider_phone: string | null;
  source: 'staff' | 'platform' | 'system';
  /** One row per platform event (e.g. `mt:20:1719000000`). */
  dedupe_key: string;
  at: number;
}

export interface OrderTables {
  orders: OrdersTable;
  order_line: OrderLineTable;
  order_event: OrderEventTable;
  store_day_seq: StoreDaySeqTable;
  push_inbox: PushInboxTable;
  member: MemberTable;
  member_wechat_session: MemberWechatSessionTable;
  payment: PaymentTable;
  payment_notification: PaymentNotificationTable;
  delivery_settings: DeliverySettingsTable;
  delivery_zone: DeliveryZoneTable;
  order_delivery: OrderDeliveryTable;
  delivery_event: DeliveryEventTable;
}
