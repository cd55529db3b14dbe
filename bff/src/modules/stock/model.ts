import type { StockItemTable } from 'db';
import type { Selectable } from 'kysely';
import type { StockPolicy, StockRowView, StockState } from 'shared-types';

export type StockItemRow = Selectable<StockItemTable>;

/** A stock row as it stands at a moment: the daily reset and an expired `until` applied. */
export interface EffectiveRow {
  id: string;
  level: 'sku' | 'product';
  code: string;
  quantity: number | null;
  dailyLimit: number | null;
  soldOut: boolean;
  soldOutUntil: number | null;
  updatedAt: number;
}

/** Whether a daily-limit row still holds an earlier business day's count. */
export function isStaleDay(row: Pick<StockItemRow, 'daily_limit' | 'business_date'>, today: string): boolean {
  return row.daily_limit !== null && (row.business_date === null || row.business_date < today);
}

/** Whether a sold-out mark's `until` has passed. */
export function isExpiredMark(row: Pick<StockItemRow, 'sold_out' | 'sold_out_until'>, now: number): boolean {
  return row.sold_out === 1 && row.sold_out_until !== null && row.sold_out_until <= now;
}

/**
 * Evaluates a row lazily: the stored values may lag the clock (the reset at local midnight or the
 * end of a sold-out mark is written by a scheduled job), but what it means now never does.
 */
export function effectiveRow(row: StockItemRow, now: number, today: string): EffectiveRow {
  const marked = row.sold_out === 1 && !isExpiredMark(row, now);
  return {
    id: row.id,
    level: row.level,
    code: row.code,
    quantity: isStaleDay(row, today) ? row.daily_limit : row.quantity,
    dailyLimit: row.daily_limit,
    soldOut: marked,
    soldOutUntil: marked ? row.sold_out_until : null,
    updatedAt: row.updated_at,
  };
}

export function rowAvailable(row: EffectiveRow | undefined): boolean {
  return !row || (!row.soldOut && (row.quantity === null || row.quantity > 0));
}

/** What a SKU can sell: its own row and its product's row together. */
export interface SkuStock {
  quantity: number | null;
  soldOut: boolean;
  reason: 'marked' | 'quantity' | null;
  soldOutUntil: number | null;
  dailyLimit: number | null;
}

export function skuStock(sku: EffectiveRow | undefined, product: EffectiveRow | undefined): SkuStock {
  const rows = [sku, product].filter((r): r is EffectiveRow => r !== undefined);
  const counted = rows.filter((r) => r.quantity !== null);
  const quantity = counted.length === 0 ? null : Math.min(...counted.map((r) => r.quantity as number));
  const marked = rows.filter((r) => r.soldOut);
  const until = marked.some((r) => r.soldOutUntil === null)
    ? null
    : marked.length > 0
      ? Math.max(...marked.map((r) => r.soldOutUntil as number))
      : null;
  const limiting = counted.find((r) => r.quantity === quantity);
  return {
    quantity,
    soldOut: marked.length > 0 || quantity === 0,
    reason: marked.length > 0 ? 'marked' : quantity === 0 ? 'quantity' : null,
    soldOutUntil: until,
    dailyLimit: limiting?.dailyLimit ?? null,
  };
}

/** The stock number a platform shows for a SKU, by the brand's policy. */
export function shownQuantity(stock: SkuStock, policy: StockPolicy['platformStock']): number {
  if (stock.soldOut) return 0;
  const real = stock.quantity ?? policy.unlimitedAs;
  return policy.show === 'capped' && policy.cap !== null ? Math.min(real, policy.cap) : real;
}

/** A row's own contribution to what platforms show: used to decide whether a change must be pushed. */
export function shownByRow(row: EffectiveRow | undefined, policy: StockPolicy['platformStock']): number {
  return shownQuantity(skuStock(row, undefined), policy);
}

export function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function stateOf(row: EffectiveRow): StockState {
  return {
    quantity: row.quantity,
    dailyLimit: row.dailyLimit,
    soldOut: row.soldOut,
    soldOutUntil: row.soldOutUntil === null ? null : iso(row.soldOutUntil),
  };
}

/** The row as stored (for the history: what a person or the system actually wrote). */
export function storedState(row: StockItemRow): StockState {
  return {
    quantity: row.quantity,
    dailyLimit: row.daily_limit,
    soldOut: row.sold_out === 1,
    soldOutUntil: row.sold_out_until === null ? null : iso(row.sold_out_until),
  };
}

export function rowView(row: EffectiveRow): StockRowView {
  return { level: row.level, code: row.code, ...stateOf(row), updatedAt: iso(row.updatedAt) };
}

export const skuKey = (code: string) => `sku:${code}`;
export const productKey = (code: string) => `product:${code}`;
