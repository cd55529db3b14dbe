/**
 * Stock and kitchen capacity, per store (issue 4). A store's SKU with no `stock_item` row (neither
 * for itself nor for its product) is unlimited and on sale.
 */

/**
 * A counted or flagged SKU (`level` 'sku', `code` = SKU code) or product (`level` 'product', `code`
 * = product code; covers every SKU of the product) at one store.
 */
export interface StockItemTable {
  id: string;
  brand_id: string;
  store_id: string;
  level: 'sku' | 'product';
  code: string;
  /** What is left to sell; null = unlimited. Never below zero. */
  quantity: number | null;
  /** 每日沽清: when set, `quantity` starts each business day (store timezone) at this number. */
  daily_limit: number | null;
  /** The store-local business date (`YYYY-MM-DD`) `quantity` belongs to, for daily-limit rows. */
  business_date: string | null;
  /** Manual sold-out mark (86), 0/1. */
  sold_out: number;
  /** The mark clears itself at this time (epoch ms); null = until unmarked. */
  sold_out_until: number | null;
  /** Bumped by every change, so conditional UPDATEs always change a column. */
  version: number;
  updated_by: string | null;
  created_at: number;
  updated_at: number;
}

/** An order's reservation: the capacity slot it was counted in. */
export interface StockOrderTable {
  order_id: string;
  brand_id: string;
  store_id: string;
  channel: 'miniapp' | 'dinein' | 'meituan' | 'eleme';
  mode: 'strict' | 'record';
  slot_start: number | null;
  /** Items and orders (0/1) this order added to its slot. */
  slot_items: number;
  slot_orders: number;
  /** 0/1: a platform order pushed its slot past the limit. */
  overloaded: number;
  status: 'active' | 'released';
  created_at: number;
  updated_at: number;
}

/** One order line's hold on the pool; unique per (order_id, line_id). */
export interface StockReservationTable {
  id: string;
  order_id: string;
  line_id: string;
  brand_id: string;
  store_id: string;
  channel: 'miniapp' | 'dinein' | 'meituan' | 'eleme';
  mode: 'strict' | 'record';
  sku_code: string;
  requested: number;
  /** How many of `requested` the pool covers (less only for short `record` lines). */
  covered: number;
  short_reason: 'sold_out' | 'insufficient' | 'unknown_sku' | null;
  /** The counted rows `covered` was deducted from (null: that level is unlimited or absent). */
  sku_item_id: string | null;
  product_item_id: string | null;
  /** Business date of daily-limit rows when deducted: a release after the daily reset returns nothing. */
  reserved_date: string | null;
  status: 'held' | 'committed' | 'released' | 'wasted';
  created_at: number;
  updated_at: number;
}

/** Kitchen load of one capacity slot of a store. */
export interface StockSlotTable {
  store_id: string;
  slot_start: number;
  items: number;
  orders: number;
  version: number;
  updated_at: number;
}

/** A store's kitchen capacity settings. */
export interface StockCapacityTable {
  store_id: string;
  slot_minutes: number;
  /** JSON CapacityPeriod[] (shared-types). */
  periods: string;
  updated_by: string | null;
  updated_at: number;
}

/** A brand's stock policies. */
export interface StockPolicyTable {
  brand_id: string;
  shortage_policy: 'auto_cancel' | 'accept_and_alert';
  refunded_stock: 'return' | 'waste';
  /** What stock number platforms show: the real quantity or at most `platform_cap`. */
  platform_show: 'actual' | 'capped';
  platform_cap: number | null;
  /** The number shown for unlimited SKUs where a platform needs one. */
  platform_unlimited_as: number;
  updated_by: string | null;
  updated_at: number;
}

/** History of stock changes: who changed what, before and after (JSON StockState). */
export interface StockChangeTable {
  id: string;
  brand_id: string;
  store_id: string;
  level: 'sku' | 'product';
  code: string;
  action: string;
  before_state: string | null;
  after_state: string;
  source: 'staff' | 'system';
  staff_id: string | null;
  staff_name: string | null;
  /** Idempotency-Key of the staff request, unique per store: a retried `add` is applied once. */
  request_key: string | null;
  at: number;
}

/** A platform order that found too little stock, or pushed a slot past its limit. */
export interface StockAlertTable {
  id: string;
  brand_id: string;
  store_id: string;
  order_id: string;
  channel: string;
  kind: 'shortage' | 'overloaded';
  policy: 'auto_cancel' | 'accept_and_alert' | null;
  /** JSON: shortages, slot. */
  details: string;
  created_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
}

/**
 * Whether a platform still has to be sent a SKU's current state (`pending` 0/1). `token` changes
 * with every mark, so a push clears only what it has read.
 */
export interface StockSyncDirtyTable {
  store_id: string;
  platform: 'meituan' | 'eleme';
  sku_code: string;
  pending: number;
  token: string;
  changed_at: number;
}

/** Per (store, platform): whether a stock push is queued and not yet started. */
export interface StockPushStateTable {
  store_id: string;
  platform: 'meituan' | 'eleme';
  scheduled_at: number | null;
  seq: number;
  updated_at: number;
}

export interface StockTables {
  stock_item: StockItemTable;
  stock_order: StockOrderTable;
  stock_reservation: StockReservationTable;
  stock_slot: StockSlotTable;
  stock_capacity: StockCapacityTable;
  stock_policy: StockPolicyTable;
  stock_change: StockChangeTable;
  stock_alert: StockAlertTable;
  stock_sync_dirty: StockSyncDirtyTable;
  stock_push_state: StockPushStateTable;
}
