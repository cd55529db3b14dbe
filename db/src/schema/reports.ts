/**
 * Report rollups (issue 13). Reports read these, never the orders: each order write updates them
 * in its own transaction, by the difference between the order's new and last-counted
 * contribution (`report_order_fact`).
 */

/** What one order last contributed to the rollups (JSON `OrderFact`), so a change applies a difference. */
export interface ReportOrderFactTable {
  order_id: string;
  store_id: string;
  business_date: string;
  channel: string;
  fact: string;
  updated_at: number;
}

/** Columns every rollup row carries: the store, its business day (store timezone) and the periods. */
interface PeriodKey {
  store_id: string;
  business_date: string;
  channel: string;
  /** The Monday of the ISO week of `business_date`. */
  week_start: string;
  /** `YYYY-MM` of `business_date`. */
  month: string;
}

/** Sums per store, business day and channel. Money in fen; times in ms. */
export interface ReportChannelDayTable extends PeriodKey {
  /** Placed orders not cancelled. The amounts below sum these. */
  orders: number;
  cancelled: number;
  items_total: number;
  packaging_fee: number;
  delivery_fee: number;
  discount_platform: number;
  discount_merchant: number;
  paid_total: number;
  merchant_income: number;
  /** Σ quantity × SKU cost of the orders' lines. */
  cost_total: number;
  refund_orders: number;
  refund_amount: number;
  /** Orders with both accepted and ready times, and the sum of ready − accepted. */
  prep_orders: number;
  prep_ms: number;
  /** Orders with a promised time and a ready time, and those ready after the promise. */
  promised_orders: number;
  late_orders: number;
}

export interface ReportSkuDayTable extends PeriodKey {
  sku_code: string;
  quantity: number;
  revenue: number;
  cost_total: number;
}

export interface ReportCancelDayTable extends PeriodKey {
  reason: string;
  orders: number;
}

export interface ReportTables {
  report_order_fact: ReportOrderFactTable;
  report_channel_day: ReportChannelDayTable;
  report_sku_day: ReportSkuDayTable;
  report_cancel_day: ReportCancelDayTable;
}
