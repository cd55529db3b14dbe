import { affected, type Database, insertIfAbsent, newId } from 'db';
import type { Kysely, Selectable, Transaction } from 'kysely';

export type ZoneRow = Selectable<Database['delivery_zone']>;
export type SettingsRow = Selectable<Database['delivery_settings']>;
export type OrderDeliveryRow = Selectable<Database['order_delivery']>;
export type DeliveryEventRow = Selectable<Database['delivery_event']>;
type Db = Kysely<Database> | Transaction<Database>;

/** Queries for the delivery tables only: templates per store, and each order's rider record. */
export class DeliveryRepo {
  constructor(private readonly db: Kysely<Database>) {}

  settings(storeId: string): Promise<SettingsRow | undefined> {
    return this.db.selectFrom('delivery_settings').selectAll().where('store_id', '=', storeId).executeTakeFirst();
  }

  zones(storeId: string): Promise<ZoneRow[]> {
    return this.db
      .selectFrom('delivery_zone')
      .selectAll()
      .where('store_id', '=', storeId)
      .orderBy('sort_order')
      .execute();
  }

  /** Replaces the store's template in one transaction. */
  async saveSettings(settings: SettingsRow, zones: Omit<ZoneRow, 'id'>[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('delivery_settings').where('store_id', '=', settings.store_id).execute();
      await trx.insertInto('delivery_settings').values(settings).execute();
      await trx.deleteFrom('delivery_zone').where('store_id', '=', settings.store_id).execute();
      if (zones.length > 0) {
        await trx
          .insertInto('delivery_zone')
          .values(zones.map((z) => ({ ...z, id: newId(settings.updated_at) })))
          .execute();
      }
    });
  }

  async createForOrder(trx: Db, row: OrderDeliveryRow): Promise<void> {
    await insertIfAbsent(trx, 'order_delivery', row, ['order_id']);
  }

  get(orderId: string): Promise<OrderDeliveryRow | undefined> {
    return this.db.selectFrom('order_delivery').selectAll().where('order_id', '=', orderId).executeTakeFirst();
  }

  async forOrders(orderIds: string[]): Promise<OrderDeliveryRow[]> {
    if (orderIds.length === 0) return [];
    return this.db.selectFrom('order_delivery').selectAll().where('order_id', 'in', orderIds).execute();
  }

  async eventsFor(orderIds: string[]): Promise<DeliveryEventRow[]> {
    if (orderIds.length === 0) return [];
    return this.db
      .selectFrom('delivery_event')
      .selectAll()
      .where('order_id', 'in', orderIds)
      .orderBy('at')
      .orderBy('id')
      .execute();
  }

  /** Records one rider event; false when this event was already recorded (a repeated push). */
  insertEvent(row: Omit<DeliveryEventRow, 'id'>): Promise<boolean> {
    return insertIfAbsent(this.db, 'delivery_event', { ...row, id: newId(row.at) }, ['order_id', 'dedupe_key']);
  }

  /** Sets the rider's current state if the record is still as we read it. */
  async moveCurrent(
    current: OrderDeliveryRow,
    next: Pick<OrderDeliveryRow, 'status' | 'status_rank' | 'rider_name' | 'rider_phone' | 'updated_at'> &
      Partial<Pick<OrderDeliveryRow, 'mode'>>,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('order_delivery')
      .set(next)
      .where('order_id', '=', current.order_id)
      .where('status', '=', current.status)
      .where('updated_at', '=', current.updated_at)
      .where('mode', '=', current.mode)
      .executeTakeFirst();
    return affected(result) === 1;
  }
}
