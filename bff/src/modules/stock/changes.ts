import type { Database } from 'db';
import type { Transaction } from 'kysely';
import type { StockPolicy } from 'shared-types';
import {
  type EffectiveRow,
  isExpiredMark,
  isStaleDay,
  rowAvailable,
  type StockItemRow,
  shownByRow,
  storedState,
} from './model';
import type { ChangeNotice } from './propagation';
import type { StockItemRepo } from './repo';

/** What a row means for selling: enough to tell whether a change is visible outside. */
export interface RowState {
  quantity: number | null;
  soldOut: boolean;
}

const asEffective = (s: RowState): EffectiveRow => ({
  id: '',
  level: 'sku',
  code: '',
  quantity: s.quantity,
  dailyLimit: null,
  soldOut: s.soldOut,
  soldOutUntil: null,
  updatedAt: 0,
});

/**
 * Collects, during one transaction, which SKUs now look different to a platform or a member
 * (their count shown, or whether they can be sold), so the change is propagated exactly there.
 */
export class ChangeTracker {
  readonly visible = new Set<string>();
  urgent = false;

  constructor(
    private readonly platformStock: StockPolicy['platformStock'],
    /** The SKU codes a row covers: itself, or every SKU of its product. */
    private readonly skusOf: (level: 'sku' | 'product', code: string) => string[],
  ) {}

  row(level: 'sku' | 'product', code: string, before: RowState, after: RowState): void {
    const b = asEffective(before);
    const a = asEffective(after);
    const flipped = rowAvailable(b) !== rowAvailable(a);
    if (!flipped && shownByRow(b, this.platformStock) === shownByRow(a, this.platformStock)) return;
    for (const sku of this.skusOf(level, code)) this.visible.add(sku);
    if (flipped) this.urgent = true;
  }

  get changed(): boolean {
    return this.visible.size > 0;
  }

  notice(storeId: string, reason: string): ChangeNotice {
    return { storeId, skuCodes: [...this.visible].sort(), availabilityChanged: this.urgent, reason };
  }
}

export interface NormalizeContext {
  brandId: string;
  now: number;
  today: string;
  tracker: ChangeTracker;
}

/**
 * Writes what time has done to a row: a new business day restores the daily limit, a passed
 * `until` lifts the sold-out mark. Conditional, so two processes never both do it; the row is
 * then re-read under lock (a plain read could show an old snapshot on MySQL).
 */
export async function normalizeRow(
  trx: Transaction<Database>,
  items: StockItemRepo,
  row: StockItemRow,
  ctx: NormalizeContext,
): Promise<StockItemRow> {
  if (!isStaleDay(row, ctx.today) && !isExpiredMark(row, ctx.now)) return row;
  const before = row;
  const reset = isStaleDay(row, ctx.today) && (await items.resetDay(trx, row.id, ctx.today, ctx.now));
  const expired = isExpiredMark(row, ctx.now) && (await items.clearExpiredMark(trx, row.id, ctx.now));
  const after = (await items.lockById(trx, row.id)) as StockItemRow;
  if (!reset && !expired) return after;
  await items.recordChange(trx, {
    brandId: ctx.brandId,
    storeId: row.store_id,
    level: row.level,
    code: row.code,
    action: reset ? 'daily_reset' : 'sold_out_expired',
    before: storedState(before),
    after: storedState(after),
    source: 'system',
    staffId: null,
    staffName: null,
    requestKey: null,
    at: ctx.now,
  });
  ctx.tracker.row(
    row.level,
    row.code,
    { quantity: before.quantity, soldOut: before.sold_out === 1 },
    { quantity: after.quantity, soldOut: after.sold_out === 1 },
  );
  return after;
}
