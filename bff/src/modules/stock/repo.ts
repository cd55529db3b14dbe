import { affected, insertIfAbsent, newId } from 'db';
import { sql } from 'kysely';
import type { StockChangeAction, StockState } from 'shared-types';
import type { StockItemRow } from './model';
import { type Db, locking } from './tx';

export interface ItemKey {
  storeId: string;
  level: 'sku' | 'product';
  code: string;
}

export interface ChangeRecord {
  brandId: string;
  storeId: string;
  level: 'sku' | 'product';
  code: string;
  action: StockChangeAction;
  before: StockState | null;
  after: StockState;
  source: 'staff' | 'system';
  staffId: string | null;
  staffName: string | null;
  requestKey: string | null;
  at: number;
}

/** Stock rows and their history. Every method takes the handle to run on (the pool or a transaction). */
export class StockItemRepo {
  /** Every stock row of a store. */
  listForStore(db: Db, storeId: string): Promise<StockItemRow[]> {
    return db.selectFrom('stock_item').selectAll().where('store_id', '=', storeId).execute();
  }

  /** The rows of these SKUs and products at a store. */
  async rowsFor(db: Db, storeId: string, skuCodes: string[], productCodes: string[]): Promise<StockItemRow[]> {
    if (skuCodes.length === 0 && productCodes.length === 0) return [];
    return db
      .selectFrom('stock_item')
      .selectAll()
      .where('store_id', '=', storeId)
      .where((eb) =>
        eb.or([
          ...(skuCodes.length ? [eb.and([eb('level', '=', 'sku'), eb('code', 'in', skuCodes)])] : []),
          ...(productCodes.length ? [eb.and([eb('level', '=', 'product'), eb('code', 'in', productCodes)])] : []),
        ]),
      )
      .execute();
  }

  byId(db: Db, id: string): Promise<StockItemRow | undefined> {
    return db.selectFrom('stock_item').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The row, locked against concurrent writers until the transaction ends. */
  lockById(db: Db, id: string): Promise<StockItemRow | undefined> {
    return locking(db, db.selectFrom('stock_item').selectAll().where('id', '=', id)).executeTakeFirst();
  }

  lockByIds(db: Db, ids: string[]): Promise<StockItemRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return locking(db, db.selectFrom('stock_item').selectAll().where('id', 'in', ids).orderBy('id')).execute();
  }

  byKey(db: Db, key: ItemKey): Promise<StockItemRow | undefined> {
    return db
      .selectFrom('stock_item')
      .selectAll()
      .where('store_id', '=', key.storeId)
      .where('level', '=', key.level)
      .where('code', '=', key.code)
      .executeTakeFirst();
  }

  /** Creates the row (unlimited, on sale) if the store has none for this SKU or product yet. */
  async ensure(db: Db, key: ItemKey, brandId: string, now: number): Promise<void> {
    await insertIfAbsent(
      db,
      'stock_item',
      {
        id: newId(now),
        brand_id: brandId,
        store_id: key.storeId,
        level: key.level,
        code: key.code,
        quantity: null,
        daily_limit: null,
        business_date: null,
        sold_out: 0,
        sold_out_until: null,
        version: 0,
        updated_by: null,
        created_at: now,
        updated_at: now,
      },
      ['store_id', 'level', 'code'],
    );
  }

  /** Starts a new business day for a daily-limit row; false when another writer already did. */
  async resetDay(db: Db, id: string, today: string, now: number): Promise<boolean> {
    const result = await db
      .updateTable('stock_item')
      .set((eb) => ({
        quantity: eb.ref('daily_limit'),
        business_date: today,
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', id)
      .where('daily_limit', 'is not', null)
      .where((eb) => eb.or([eb('business_date', 'is', null), eb('business_date', '<', today)]))
      .executeTakeFirst();
    return affected(result) === 1;
  }

  /** Clears a sold-out mark whose `until` has passed; false when it was already cleared or moved. */
  async clearExpiredMark(db: Db, id: string, now: number): Promise<boolean> {
    const result = await db
      .updateTable('stock_item')
      .set((eb) => ({ sold_out: 0, sold_out_until: null, version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', id)
      .where('sold_out', '=', 1)
      .where('sold_out_until', 'is not', null)
      .where('sold_out_until', '<=', now)
      .executeTakeFirst();
    return affected(result) === 1;
  }

  /**
   * Takes `n` from a counted row only if it has `n` and is not marked sold out: the single statement
   * that makes overselling impossible, however many processes reserve at once.
   */
  async take(db: Db, id: string, n: number, now: number): Promise<boolean> {
    const result = await db
      .updateTable('stock_item')
      .set((eb) => ({ quantity: eb('quantity', '-', n), version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', id)
      .where('quantity', '>=', n)
      .where('sold_out', '=', 0)
      .executeTakeFirst();
    return affected(result) === 1;
  }

  /** Gives `n` back to a counted row, unless the day it was taken from has since been reset. */
  async giveBack(db: Db, id: string, n: number, reservedDate: string | null, now: number): Promise<boolean> {
    const result = await db
      .updateTable('stock_item')
      .set((eb) => ({ quantity: eb('quantity', '+', n), version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', id)
      .where('quantity', 'is not', null)
      .where((eb) =>
        eb.or([
          eb('daily_limit', 'is', null),
          ...(reservedDate === null ? [] : [eb('business_date', '=', reservedDate)]),
        ]),
      )
      .executeTakeFirst();
    return affected(result) === 1;
  }

  /** Adds to a counted row (restock); false when the row is unlimited. */
  async add(db: Db, id: string, n: number, staffId: string | null, now: number): Promise<boolean> {
    const result = await db
      .updateTable('stock_item')
      .set((eb) => ({
        quantity: eb('quantity', '+', n),
        version: eb('version', '+', 1),
        updated_by: staffId,
        updated_at: now,
      }))
      .where('id', '=', id)
      .where('quantity', 'is not', null)
      .executeTakeFirst();
    return affected(result) === 1;
  }

  async write(
    db: Db,
    id: string,
    values: Partial<
      Pick<StockItemRow, 'quantity' | 'daily_limit' | 'business_date' | 'sold_out' | 'sold_out_until' | 'updated_by'>
    >,
    now: number,
  ): Promise<void> {
    await db
      .updateTable('stock_item')
      .set((eb) => ({ ...values, version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', id)
      .execute();
  }

  /** Rows whose sold-out `until` has passed, or whose daily count belongs to an earlier day. */
  staleRows(db: Db, storeId: string, now: number, today: string): Promise<StockItemRow[]> {
    return db
      .selectFrom('stock_item')
      .selectAll()
      .where('store_id', '=', storeId)
      .where((eb) =>
        eb.or([
          eb.and([eb('sold_out', '=', 1), eb('sold_out_until', 'is not', null), eb('sold_out_until', '<=', now)]),
          eb.and([
            eb('daily_limit', 'is not', null),
            eb.or([eb('business_date', 'is', null), eb('business_date', '<', today)]),
          ]),
        ]),
      )
      .orderBy('id')
      .execute();
  }

  async hasDailyLimits(db: Db, storeId: string): Promise<boolean> {
    const row = await db
      .selectFrom('stock_item')
      .select(sql<number>`1`.as('one'))
      .where('store_id', '=', storeId)
      .where('daily_limit', 'is not', null)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  // ── history ──

  /** Writes a history entry; false when a staff request with the same key was already applied. */
  async recordChange(db: Db, change: ChangeRecord): Promise<boolean> {
    const row = {
      id: newId(change.at),
      brand_id: change.brandId,
      store_id: change.storeId,
      level: change.level,
      code: change.code,
      action: change.action,
      before_state: change.before === null ? null : JSON.stringify(change.before),
      after_state: JSON.stringify(change.after),
      source: change.source,
      staff_id: change.staffId,
      staff_name: change.staffName,
      request_key: change.requestKey,
      at: change.at,
    };
    if (change.requestKey === null) {
      await db.insertInto('stock_change').values(row).execute();
      return true;
    }
    return insertIfAbsent(db, 'stock_change', row, ['store_id', 'request_key']);
  }

  async changeByRequestKey(db: Db, storeId: string, requestKey: string) {
    return db
      .selectFrom('stock_change')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('request_key', '=', requestKey)
      .executeTakeFirst();
  }

  history(db: Db, storeId: string, options: { code?: string; before?: string; limit: number }) {
    let q = db.selectFrom('stock_change').selectAll().where('store_id', '=', storeId);
    if (options.code) q = q.where('code', '=', options.code);
    if (options.before) q = q.where('id', '<', options.before);
    return q.orderBy('id', 'desc').limit(options.limit).execute();
  }
}
