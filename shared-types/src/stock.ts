import { z } from 'zod';
import { IsoTime, Ulid } from './common';
import { Channel } from './enums';

/** The largest count a store may keep for one SKU or product. */
export const MAX_STOCK_QUANTITY = 1_000_000;

export const StockLevel = z.enum(['sku', 'product']);
export type StockLevel = z.infer<typeof StockLevel>;

/**
 * A staff change to one SKU's (or product's) stock: exactly one of `quantity` (set; null makes it
 * unlimited), `add` (restock), or `soldOut` (86, with an optional `until`). `dailyLimit` (每日沽清)
 * goes alone (today's quantity becomes the limit) or with `quantity` (today's quantity); null stops
 * the daily reset.
 */
export const StockUpdateRequest = z
  .object({
    quantity: z
      .number()
      .int('quantity must be a whole number')
      .min(0, 'quantity cannot be negative')
      .max(MAX_STOCK_QUANTITY)
      .nullable()
      .optional(),
    add: z
      .number()
      .int('add must be a whole number')
      .min(1, 'add must be at least 1 (to lower the count, set quantity)')
      .max(MAX_STOCK_QUANTITY)
      .optional(),
    soldOut: z.boolean().optional(),
    until: IsoTime.optional(),
    dailyLimit: z
      .number()
      .int('dailyLimit must be a whole number')
      .min(1, 'dailyLimit must be at least 1 (to stop selling, mark the dish sold out)')
      .max(MAX_STOCK_QUANTITY)
      .nullable()
      .optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const actions = (['quantity', 'add', 'soldOut'] as const).filter((k) => v[k] !== undefined);
    if (actions.length > 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'give exactly one of quantity, add or soldOut',
        path: [actions[1] as string],
      });
    }
    if (actions.length === 0 && v.dailyLimit === undefined) {
      ctx.addIssue({ code: 'custom', message: 'give one of quantity, add, soldOut or dailyLimit', path: [] });
    }
    if (v.until !== undefined && v.soldOut !== true) {
      ctx.addIssue({ code: 'custom', message: 'until goes with soldOut: true', path: ['until'] });
    }
    if (v.dailyLimit !== undefined && (v.add !== undefined || v.soldOut !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'dailyLimit goes alone or with quantity', path: ['dailyLimit'] });
    }
  });
export type StockUpdateRequest = z.infer<typeof StockUpdateRequest>;

/** One stock row as stored (a SKU's own, or its product's), evaluated now. */
export const StockRowView = z.object({
  level: StockLevel,
  code: z.string(),
  /** Left to sell; null = unlimited. */
  quantity: z.number().int().nullable(),
  dailyLimit: z.number().int().nullable(),
  /** The manual mark (86) as it stands now (an `until` in the past no longer counts). */
  soldOut: z.boolean(),
  soldOutUntil: IsoTime.nullable(),
  updatedAt: IsoTime,
});
export type StockRowView = z.infer<typeof StockRowView>;

/** What a store can sell of one SKU right now, from its own row and its product's. */
export const StockSkuView = z.object({
  skuCode: z.string(),
  productCode: z.string(),
  name: z.string(),
  specText: z.string(),
  /** The menu category the dish is in (the list comes in menu order). */
  category: z.string(),
  /** Left to sell: the lower of the SKU's and its product's counts; null = unlimited. */
  quantity: z.number().int().nullable(),
  soldOut: z.boolean(),
  /** Why it cannot be sold: marked sold out, or its count is at zero. */
  soldOutReason: z.enum(['marked', 'quantity']).nullable(),
  soldOutUntil: IsoTime.nullable(),
  dailyLimit: z.number().int().nullable(),
  sku: StockRowView.nullable(),
  product: StockRowView.nullable(),
});
export type StockSkuView = z.infer<typeof StockSkuView>;

export const StockListResponse = z.object({
  storeId: Ulid,
  /** The store-local business date the counts belong to. */
  businessDate: z.string(),
  /** One entry per SKU the store carries. */
  items: z.array(StockSkuView),
  /** Product-level rows (a product row covers all of the product's SKUs). */
  products: z.array(StockRowView),
});
export type StockListResponse = z.infer<typeof StockListResponse>;

export const StockUpdateResponse = z.object({
  row: StockRowView,
  /** The SKUs the change touched, as they stand after it. */
  items: z.array(StockSkuView),
});
export type StockUpdateResponse = z.infer<typeof StockUpdateResponse>;

/** The stored state of a row, before and after a change, in the history. */
export const StockState = z.object({
  quantity: z.number().int().nullable(),
  dailyLimit: z.number().int().nullable(),
  soldOut: z.boolean(),
  soldOutUntil: IsoTime.nullable(),
});
export type StockState = z.infer<typeof StockState>;

export const StockChangeAction = z.enum([
  'set_quantity',
  'add',
  'mark_sold_out',
  'unmark_sold_out',
  'set_daily_limit',
  'daily_reset',
  'sold_out_expired',
]);
export type StockChangeAction = z.infer<typeof StockChangeAction>;

export const StockChangeView = z.object({
  id: Ulid,
  level: StockLevel,
  code: z.string(),
  action: StockChangeAction,
  before: StockState.nullable(),
  after: StockState,
  source: z.enum(['staff', 'system']),
  staffId: z.string().nullable(),
  staffName: z.string().nullable(),
  at: IsoTime,
});
export type StockChangeView = z.infer<typeof StockChangeView>;

export const StockHistoryQuery = z
  .object({
    /** Only changes of this SKU or product code. */
    code: z.string().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** Cursor: changes older than this change id. */
    before: Ulid.optional(),
  })
  .strict();
export type StockHistoryQuery = z.infer<typeof StockHistoryQuery>;

export const StockHistoryResponse = z.object({
  changes: z.array(StockChangeView),
  /** Pass as `before` for the next page; null at the end. */
  nextBefore: Ulid.nullable(),
});
export type StockHistoryResponse = z.infer<typeof StockHistoryResponse>;

const LocalTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be HH:MM local time');

/** A time of day with a kitchen limit per slot (lunch, dinner), in the store's local time. */
export const CapacityPeriod = z
  .object({
    name: z.string().min(1).max(32),
    start: LocalTime,
    end: LocalTime,
    /** At most this many items per slot; null or absent = no item limit. */
    maxItems: z.number().int('maxItems must be a whole number').min(0).max(100_000).nullable().optional(),
    /** At most this many orders per slot; null or absent = no order limit. */
    maxOrders: z.number().int('maxOrders must be a whole number').min(0).max(100_000).nullable().optional(),
  })
  .strict();
export type CapacityPeriod = z.infer<typeof CapacityPeriod>;

export const CapacitySettings = z
  .object({
    slotMinutes: z
      .number()
      .int()
      .refine((m) => [5, 10, 15, 20, 30, 60].includes(m), 'slotMinutes must be one of 5, 10, 15, 20, 30, 60'),
    /** Times of day without a period have no limit. */
    periods: z.array(CapacityPeriod).max(24),
  })
  .strict();
export type CapacitySettings = z.infer<typeof CapacitySettings>;

export const CapacitySlotView = z.object({
  start: IsoTime,
  period: z.string(),
  maxItems: z.number().int().nullable(),
  maxOrders: z.number().int().nullable(),
  items: z.number().int(),
  orders: z.number().int(),
  /** Platform orders pushed it past its limit. */
  overloaded: z.boolean(),
});
export type CapacitySlotView = z.infer<typeof CapacitySlotView>;

export const CapacityResponse = CapacitySettings.extend({
  storeId: Ulid,
  updatedAt: IsoTime.nullable(),
  /** Today's limited slots with their load. */
  date: z.string(),
  slots: z.array(CapacitySlotView),
});
export type CapacityResponse = z.infer<typeof CapacityResponse>;

export const StockShortagePolicy = z.enum(['auto_cancel', 'accept_and_alert']);
export type StockShortagePolicy = z.infer<typeof StockShortagePolicy>;

/** A brand's stock policies (HQ). */
export const StockPolicy = z
  .object({
    /** A platform order that finds too little stock: cancel it ("sold out") or accept it and alert the store. */
    shortagePolicy: StockShortagePolicy,
    /** On refund, stock goes back to the pool or counts as waste. */
    refundedStock: z.enum(['return', 'waste']),
    /** What stock number platforms show. */
    platformStock: z
      .object({
        show: z.enum(['actual', 'capped']),
        /** With `capped`: platforms show at most this many. */
        cap: z.number().int().min(1).max(MAX_STOCK_QUANTITY).nullable(),
        /** Shown for unlimited SKUs where a platform needs a number. */
        unlimitedAs: z.number().int().min(1).max(MAX_STOCK_QUANTITY),
      })
      .strict(),
  })
  .strict();
export type StockPolicy = z.infer<typeof StockPolicy>;

export const StockPolicyUpdate = StockPolicy.partial().strict();
export type StockPolicyUpdate = z.infer<typeof StockPolicyUpdate>;

export const ShortageView = z.object({
  skuCode: z.string(),
  requested: z.number().int(),
  available: z.number().int(),
  reason: z.enum(['sold_out', 'insufficient', 'unknown_sku']),
});
export type ShortageView = z.infer<typeof ShortageView>;

export const StockAlertView = z.object({
  id: Ulid,
  storeId: Ulid,
  orderId: z.string(),
  channel: Channel,
  kind: z.enum(['shortage', 'overloaded']),
  /** The brand's shortage policy when the alert was raised (shortage alerts). */
  policy: StockShortagePolicy.nullable(),
  shortages: z.array(ShortageView),
  slotStart: IsoTime.nullable(),
  createdAt: IsoTime,
  acknowledgedAt: IsoTime.nullable(),
  acknowledgedBy: z.string().nullable(),
});
export type StockAlertView = z.infer<typeof StockAlertView>;

export const StockAlertQuery = z
  .object({
    /** `true`: only alerts nobody acknowledged yet. */
    open: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type StockAlertQuery = z.infer<typeof StockAlertQuery>;

export const StockAlertListResponse = z.object({ alerts: z.array(StockAlertView) });
export type StockAlertListResponse = z.infer<typeof StockAlertListResponse>;

/** A reservation from the store's own POS / dine-in terminal (and the orders flow's shape of it). */
export const ReservationRequest = z
  .object({
    /** Our order id (a ULID made before the order), so a retry reserves under the same id. */
    orderId: Ulid,
    channel: Channel,
    lines: z
      .array(
        z
          .object({
            lineId: z.string().min(1).max(64),
            skuCode: z.string().min(1).max(64),
            quantity: z.number().int().min(1).max(999),
          })
          .strict(),
      )
      .min(1)
      .max(100),
    /** When the kitchen should have it ready; now when absent. */
    readyAt: IsoTime.optional(),
  })
  .strict();
export type ReservationRequest = z.infer<typeof ReservationRequest>;

export const ReservationResponse = z.object({
  ok: z.boolean(),
  shortages: z.array(ShortageView),
  slotStart: IsoTime.nullable(),
  overloaded: z.boolean(),
  replayed: z.boolean(),
  /** For platform orders that came up short: what the brand wants done with them. */
  shortagePolicy: StockShortagePolicy.nullable(),
});
export type ReservationResponse = z.infer<typeof ReservationResponse>;

/**
 * A manager's (store_manager and above) manual override of the order's state machine: the stock is
 * committed or released whatever state the order is in, and the reason is kept on the order.
 */
export const ReservationOverride = z.object({ reason: z.string().trim().min(4).max(200) }).strict();
export type ReservationOverride = z.infer<typeof ReservationOverride>;

export const ReservationCommitRequest = z.object({ override: ReservationOverride.optional() }).strict();
export type ReservationCommitRequest = z.infer<typeof ReservationCommitRequest>;

export const ReservationReleaseRequest = z
  .object({ reason: z.enum(['cancelled', 'timeout', 'refunded']), override: ReservationOverride.optional() })
  .strict();
export type ReservationReleaseRequest = z.infer<typeof ReservationReleaseRequest>;
