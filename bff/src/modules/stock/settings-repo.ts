import { insertIfAbsent, newId, type StockAlertTable, upsert } from 'db';
import type { Selectable } from 'kysely';
import type { CapacityPeriod, StockPolicy } from 'shared-types';
import type { Db } from './tx';

export type StockAlertRow = Selectable<StockAlertTable>;

export interface StoredCapacity {
  slotMinutes: number;
  periods: CapacityPeriod[];
  updatedAt: number;
}

/** Capacity settings per store, stock policies per brand, and the alerts staff read. */
export class StockSettingsRepo {
  async capacity(db: Db, storeId: string): Promise<StoredCapacity | null> {
    const row = await db.selectFrom('stock_capacity').selectAll().where('store_id', '=', storeId).executeTakeFirst();
    if (!row) return null;
    return { slotMinutes: row.slot_minutes, periods: JSON.parse(row.periods), updatedAt: row.updated_at };
  }

  async saveCapacity(
    db: Db,
    storeId: string,
    value: { slotMinutes: number; periods: CapacityPeriod[] },
    staffId: string,
    now: number,
  ): Promise<void> {
    await upsert(
      db,
      'stock_capacity',
      {
        store_id: storeId,
        slot_minutes: value.slotMinutes,
        periods: JSON.stringify(value.periods),
        updated_by: staffId,
        updated_at: now,
      },
      ['store_id'],
      ['slot_minutes', 'periods', 'updated_by', 'updated_at'],
    );
  }

  async policy(db: Db, brandId: string): Promise<StockPolicy | null> {
    const row = await db.selectFrom('stock_policy').selectAll().where('brand_id', '=', brandId).executeTakeFirst();
    if (!row) return null;
    return {
      shortagePolicy: row.shortage_policy,
      refundedStock: row.refunded_stock,
      platformStock: { show: row.platform_show, cap: row.platform_cap, unlimitedAs: row.platform_unlimited_as },
    };
  }

  async savePolicy(db: Db, brandId: string, policy: StockPolicy, staffId: string, now: number): Promise<void> {
    await upsert(
      db,
      'stock_policy',
      {
        brand_id: brandId,
        shortage_policy: policy.shortagePolicy,
        refunded_stock: policy.refundedStock,
        platform_show: policy.platformStock.show,
        platform_cap: policy.platformStock.cap,
        platform_unlimited_as: policy.platformStock.unlimitedAs,
        updated_by: staffId,
        updated_at: now,
      },
      ['brand_id'],
      [
        'shortage_policy',
        'refunded_stock',
        'platform_show',
        'platform_cap',
        'platform_unlimited_as',
        'updated_by',
        'updated_at',
      ],
    );
  }

  /** Raises an alert once per (order, kind); answers the new alert's id, or null for a repeat. */
  async raiseAlert(
    db: Db,
    alert: Omit<StockAlertRow, 'id' | 'acknowledged_at' | 'acknowledged_by'>,
  ): Promise<string | null> {
    const id = newId(alert.created_at);
    const inserted = await insertIfAbsent(
      db,
      'stock_alert',
      { ...alert, id, acknowledged_at: null, acknowledged_by: null },
      ['order_id', 'kind'],
    );
    return inserted ? id : null;
  }

  alerts(db: Db, storeId: string, options: { open: boolean; limit: number }): Promise<StockAlertRow[]> {
    let q = db.selectFrom('stock_alert').selectAll().where('store_id', '=', storeId);
    if (options.open) q = q.where('acknowledged_at', 'is', null);
    return q.orderBy('id', 'desc').limit(options.limit).execute();
  }

  alert(db: Db, storeId: string, id: string): Promise<StockAlertRow | undefined> {
    return db
      .selectFrom('stock_alert')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async acknowledgeAlert(db: Db, id: string, staffId: string, now: number): Promise<void> {
    await db
      .updateTable('stock_alert')
      .set({ acknowledged_at: now, acknowledged_by: staffId })
      .where('id', '=', id)
      .where('acknowledged_at', 'is', null)
      .execute();
  }
}
