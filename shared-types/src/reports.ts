import { z } from 'zod';
import { Fen, Ulid } from './common';
import { Channel } from './enums';

/**
 * Reports (`GET /api/admin/reports/<name>`). Dates are business dates in each store's timezone;
 * money is fen; rates are basis points (1/10000) so every figure is an exact integer. Every report
 * answers JSON, or CSV (UTF-8 with a BOM) with `format=csv`.
 */

export const ReportName = z.enum([
  'channel-mix',
  'channel-kpis',
  'products',
  'new-dish',
  'price-discipline',
  'operations',
  'sold-out',
]);
export type ReportName = z.infer<typeof ReportName>;

export const ReportGroupBy = z.enum(['day', 'week', 'month']);
export type ReportGroupBy = z.infer<typeof ReportGroupBy>;

const BusinessDate = z.iso.date();

/** The filters every report takes. A store or region outside the caller's scope is 403. */
export const ReportQuery = z
  .object({
    from: BusinessDate,
    to: BusinessDate,
    groupBy: ReportGroupBy.default('day'),
    storeId: Ulid.optional(),
    regionId: Ulid.optional(),
    brandId: Ulid.optional(),
    channel: Channel.optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, {
    message: 'a report covers at most 367 days',
    path: ['to'],
  });
export type ReportQuery = z.infer<typeof ReportQuery>;

/** `new-dish`: a product from its launch date (the day it was created, or `from` when later). */
export const NewDishQuery = z
  .object({
    productCode: z.string().min(1).max(64),
    to: BusinessDate.optional(),
    storeId: Ulid.optional(),
    regionId: Ulid.optional(),
    brandId: Ulid.optional(),
    groupBy: ReportGroupBy.default('day'),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
export type NewDishQuery = z.infer<typeof NewDishQuery>;

/** `price-discipline` reads the price rules as they are now: no dates. */
export const PriceDisciplineQuery = z
  .object({
    storeId: Ulid.optional(),
    regionId: Ulid.optional(),
    brandId: Ulid.optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
export type PriceDisciplineQuery = z.infer<typeof PriceDisciplineQuery>;

const Count = z.number().int().min(0);
/** Basis points: 10000 = 100 %. Null when the base is zero. */
const Bp = z.number().int().nullable();

const StoreKey = { storeId: Ulid, storeCode: z.string(), storeName: z.string() };

export const ChannelMixRow = z.object({
  /** The day, the Monday of the week, or `YYYY-MM`. */
  period: z.string(),
  ...StoreKey,
  channel: Channel,
  orders: Count,
  /** Items + packaging + delivery fee, before discounts. */
  gross: Fen,
  itemsTotal: Fen,
  packagingFee: Fen,
  deliveryFee: Fen,
  discountPlatform: Fen,
  discountMerchant: Fen,
  paid: Fen,
  merchantIncome: Fen,
});
export type ChannelMixRow = z.infer<typeof ChannelMixRow>;
const ChannelMixTotals = ChannelMixRow.omit({
  period: true,
  storeId: true,
  storeCode: true,
  storeName: true,
  channel: true,
});
export const ChannelMixResponse = z.object({
  report: z.literal('channel-mix'),
  from: BusinessDate,
  to: BusinessDate,
  groupBy: ReportGroupBy,
  rows: z.array(ChannelMixRow),
  /** Per channel over every row, and over everything. */
  totals: z.object({ byChannel: z.array(ChannelMixTotals.extend({ channel: Channel })), all: ChannelMixTotals }),
});
export type ChannelMixResponse = z.infer<typeof ChannelMixResponse>;

export const CancelReasonCount = z.object({ reason: z.string(), orders: Count });

export const ChannelKpiRow = z.object({
  period: z.string(),
  channel: Channel,
  orders: Count,
  paid: Fen,
  /** paid / orders, rounded to the fen. */
  averageTicket: Fen,
  /** Items − merchant-paid discounts. */
  itemRevenue: Fen,
  cost: Fen,
  grossMargin: Fen,
  grossMarginBp: Bp,
  refundOrders: Count,
  refundAmount: Fen,
  refundRateBp: Bp,
  cancelled: Count,
  /** cancelled / (orders + cancelled). */
  cancelRateBp: Bp,
  cancelReasons: z.array(CancelReasonCount),
});
export type ChannelKpiRow = z.infer<typeof ChannelKpiRow>;
export const ChannelKpiResponse = z.object({
  report: z.literal('channel-kpis'),
  from: BusinessDate,
  to: BusinessDate,
  groupBy: ReportGroupBy,
  rows: z.array(ChannelKpiRow),
});
export type ChannelKpiResponse = z.infer<typeof ChannelKpiResponse>;

export const ProductRow = z.object({
  period: z.string(),
  channel: Channel,
  skuCode: z.string(),
  productCode: z.string().nullable(),
  name: z.string(),
  quantity: z.number().int(),
  revenue: Fen,
  cost: Fen,
  margin: Fen,
  marginBp: Bp,
});
export type ProductRow = z.infer<typeof ProductRow>;
export const ProductResponse = z.object({
  report: z.enum(['products', 'new-dish']),
  from: BusinessDate,
  to: BusinessDate,
  groupBy: ReportGroupBy,
  /** new-dish: the product and its launch date. */
  product: z.object({ code: z.string(), name: z.string(), launchDate: BusinessDate }).nullable(),
  rows: z.array(ProductRow),
});
export type ProductResponse = z.infer<typeof ProductResponse>;

export const PriceDisciplineRow = z.object({
  ...StoreKey,
  skuCode: z.string(),
  productName: z.string(),
  basePrice: Fen,
  /** The store's price for the mini-program after its adjustment. */
  storePrice: Fen,
  /** (store price − base) / base. */
  distanceBp: Bp,
  range: z.object({ kind: z.enum(['percent', 'amount']), min: z.number().int(), max: z.number().int() }).nullable(),
  /** inside / near_edge (within a fifth of the range from an edge) / at_edge / outside. */
  position: z.enum(['inside', 'near_edge', 'at_edge', 'outside']),
});
export type PriceDisciplineRow = z.infer<typeof PriceDisciplineRow>;
export const PriceDisciplineStore = z.object({
  ...StoreKey,
  adjustedSkus: Count,
  averageDistanceBp: z.number().int(),
  maxDistanceBp: z.number().int(),
  atEdge: Count,
  nearEdge: Count,
  outside: Count,
});
export const PriceDisciplineResponse = z.object({
  report: z.literal('price-discipline'),
  stores: z.array(PriceDisciplineStore),
  rows: z.array(PriceDisciplineRow),
});
export type PriceDisciplineResponse = z.infer<typeof PriceDisciplineResponse>;

export const OperationsRow = z.object({
  period: z.string(),
  ...StoreKey,
  channel: Channel,
  /** Orders with an accepted and a ready time. */
  prepOrders: Count,
  averagePrepSeconds: z.number().int().nullable(),
  /** Orders with a promised and a ready time, and those ready after the promise. */
  promisedOrders: Count,
  lateOrders: Count,
  lateRateBp: Bp,
});
export const OperationsResponse = z.object({
  report: z.literal('operations'),
  from: BusinessDate,
  to: BusinessDate,
  groupBy: ReportGroupBy,
  rows: z.array(OperationsRow),
});
export type OperationsResponse = z.infer<typeof OperationsResponse>;

export const SoldOutRow = z.object({
  ...StoreKey,
  level: z.enum(['sku', 'product']),
  code: z.string(),
  /** Minutes within the range the row was marked sold out or counted at zero. */
  minutes: Count,
});
export const SoldOutResponse = z.object({
  report: z.literal('sold-out'),
  from: BusinessDate,
  to: BusinessDate,
  rows: z.array(SoldOutRow),
});
export type SoldOutResponse = z.infer<typeof SoldOutResponse>;
