import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type { StockChangeAction, StockUpdateRequest, StockUpdateResponse } from 'shared-types';
import { AppError } from '../../lib/errors';
import type { CatalogLookup } from '../catalog/pricing/lookup';
import { normalizeRow } from './changes';
import type { SceneBuilder } from './context';
import { effectiveRow, rowView, type StockItemRow, storedState } from './model';
import type { StockPropagation } from './propagation';
import type { StockItemRepo } from './repo';
import type { StockSchedules } from './schedules';
import { inTransaction } from './tx';
import { effectiveRows, skuView } from './views';

export interface StockAdjustment {
  brandId: string;
  storeId: string;
  level: 'sku' | 'product';
  code: string;
  change: StockUpdateRequest;
  staff: { id: string; name: string };
  /** The request's Idempotency-Key: a retried `add` is applied once. */
  requestKey?: string;
}

/** A retried request found its first attempt already applied: nothing more to write. */
class AlreadyApplied extends Error {}

/** Staff changes to a store's stock: set, restock, sold out (86) with an optional end, daily limit. */
export class StockAdjustments {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly items: StockItemRepo,
    private readonly scenes: SceneBuilder,
    private readonly catalog: CatalogLookup,
    private readonly propagation: StockPropagation,
    private readonly schedules: StockSchedules,
  ) {}

  async apply(input: StockAdjustment): Promise<StockUpdateResponse> {
    const store = await this.scenes.store(input.storeId, input.brandId);
    const skus = await this.resolve(input);
    const key = { storeId: store.id, level: input.level, code: input.code };
    const scene = await this.scenes.build(store, {
      skuCodes: skus.map((s) => s.code),
      productCodes: input.level === 'product' ? [input.code] : [],
    });
    const { now, today } = scene;
    const change = input.change;
    const until = change.until === undefined ? null : Date.parse(change.until);
    if (until !== null && until <= now) {
      throw new AppError('VALIDATION_FAILED', 400, 'until must be in the future');
    }
    const tracker = scene.tracker();
    let row: StockItemRow;
    try {
      row = await inTransaction(this.db, async (trx) => {
        if (input.requestKey && (await this.items.changeByRequestKey(trx, store.id, input.requestKey))) {
          throw new AlreadyApplied();
        }
        // Created inside the transaction: a refused change leaves no row behind.
        await this.items.ensure(trx, key, store.brand_id, now);
        const found = (await this.items.byKey(trx, key)) as StockItemRow;
        const locked = (await this.items.lockById(trx, found.id)) as StockItemRow;
        const current = await normalizeRow(trx, this.items, locked, { brandId: store.brand_id, now, today, tracker });
        if (change.add !== undefined) {
          if (!(await this.items.add(trx, current.id, change.add, input.staff.id, now))) {
            throw new AppError(
              'STOCK_NOT_COUNTED',
              409,
              `${input.code} is unlimited; set a quantity before adding to it`,
            );
          }
        } else {
          await this.items.write(trx, current.id, valuesFor(change, current, until, today, input.staff.id), now);
        }
        const after = (await this.items.byId(trx, current.id)) as StockItemRow;
        const recorded = await this.items.recordChange(trx, {
          brandId: store.brand_id,
          storeId: store.id,
          level: input.level,
          code: input.code,
          action: actionOf(change),
          before: storedState(current),
          after: storedState(after),
          source: 'staff',
          staffId: input.staff.id,
          staffName: input.staff.name,
          requestKey: input.requestKey ?? null,
          at: now,
        });
        // Another process applied the same request first: roll this one back.
        if (!recorded) throw new AlreadyApplied();
        const was = effectiveRow(current, now, today);
        const is = effectiveRow(after, now, today);
        tracker.row(input.level, input.code, was, is);
        if (after.sold_out === 1 && after.sold_out_until !== null) {
          await this.schedules.expireMarkAt(trx, store.id, after.id, after.sold_out_until, now);
        }
        if (after.daily_limit !== null) await this.schedules.resetDailyFrom(trx, store, now);
        await this.propagation.markInTransaction(
          trx,
          store.id,
          scene.platforms,
          [...tracker.visible],
          tracker.urgent,
          now,
        );
        return after;
      });
    } catch (err) {
      if (!(err instanceof AlreadyApplied)) throw err;
      row = (await this.items.byKey(this.db, key)) as StockItemRow;
    }
    if (tracker.changed) {
      await this.propagation.afterCommit(tracker.notice(store.id, `staff:${actionOf(change)}`), now);
    }
    const rows = effectiveRows(
      await this.items.rowsFor(
        this.db,
        store.id,
        skus.map((s) => s.code),
        skus.map((s) => s.productCode),
      ),
      now,
      today,
    );
    return { row: rowView(effectiveRow(row, now, today)), items: skus.map((s) => skuView(rows, s)) };
  }

  /** The SKUs the code names at this store; refuses unknown codes and what the store does not sell. */
  private async resolve(input: StockAdjustment) {
    const skus =
      input.level === 'sku'
        ? [...(await this.catalog.skusByCodes(input.brandId, [input.code])).values()]
        : await this.catalog.skusOfProducts(input.brandId, [input.code]);
    if (skus.length === 0) {
      throw new AppError(
        'UNKNOWN_SKU',
        404,
        `there is no ${input.level === 'sku' ? 'SKU' : 'product'} ${input.code} on the menu`,
      );
    }
    const carried = await this.catalog.pricedSkus(
      input.brandId,
      input.storeId,
      'miniapp',
      skus.map((s) => s.code),
    );
    if (carried.size === 0) {
      throw new AppError('SKU_NOT_CARRIED', 422, `this store does not sell ${input.code}`, { code: input.code });
    }
    return skus.filter((s) => carried.has(s.code));
  }
}

function actionOf(change: StockUpdateRequest): StockChangeAction {
  if (change.add !== undefined) return 'add';
  if (change.soldOut !== undefined) return change.soldOut ? 'mark_sold_out' : 'unmark_sold_out';
  if (change.quantity !== undefined) return change.dailyLimit !== undefined ? 'set_daily_limit' : 'set_quantity';
  return 'set_daily_limit';
}

function valuesFor(
  change: StockUpdateRequest,
  row: StockItemRow,
  until: number | null,
  today: string,
  staffId: string,
) {
  const values: Partial<
    Pick<StockItemRow, 'quantity' | 'daily_limit' | 'business_date' | 'sold_out' | 'sold_out_until' | 'updated_by'>
  > = { updated_by: staffId };
  if (change.quantity !== undefined) {
    values.quantity = change.quantity;
    if (change.dailyLimit !== undefined) {
      values.daily_limit = change.dailyLimit;
      values.business_date = change.dailyLimit === null ? null : today;
    } else if (row.daily_limit !== null) {
      values.business_date = today;
    }
  } else if (change.soldOut !== undefined) {
    values.sold_out = change.soldOut ? 1 : 0;
    values.sold_out_until = change.soldOut ? until : null;
  } else if (change.dailyLimit !== undefined) {
    values.daily_limit = change.dailyLimit;
    if (change.dailyLimit === null) values.business_date = null;
    else {
      // A new daily limit starts today's count at the limit (沽清 set for today).
      values.quantity = change.dailyLimit;
      values.business_date = today;
    }
  }
  return values;
}
