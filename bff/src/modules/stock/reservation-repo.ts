import { affected, insertIfAbsent, type StockOrderTable, type StockReservationTable, type StockSlotTable } from 'db';
import type { Insertable, Selectable } from 'kysely';
import type { Db } from './tx';

export type StockOrderRow = Selectable<StockOrderTable>;
export type ReservationRow = Selectable<StockReservationTable>;
export type SlotRow = Selectable<StockSlotTable>;

/** Reservations (per order and per line) and kitchen slot loads. */
export class ReservationRepo {
  order(db: Db, orderId: string): Promise<StockOrderRow | undefined> {
    return db.selectFrom('stock_order').selectAll().where('order_id', '=', orderId).executeTakeFirst();
  }

  async insertOrder(db: Db, row: Insertable<StockOrderTable>): Promise<void> {
    await db.insertInto('stock_order').values(row).execute();
  }

  async updateOrderSlot(
    db: Db,
    orderId: string,
    values: { slotStart: number | null; addItems: number; addOrders: number; overloaded: boolean },
    now: number,
  ): Promise<void> {
    await db
      .updateTable('stock_order')
      .set((eb) => ({
        slot_start: values.slotStart,
        slot_items: eb('slot_items', '+', values.addItems),
        slot_orders: eb('slot_orders', '+', values.addOrders),
        overloaded: values.overloaded ? 1 : eb.ref('overloaded'),
        updated_at: now,
      }))
      .where('order_id', '=', orderId)
      .execute();
  }

  /** Marks the order released once; true for the caller that did it. */
  async releaseOrder(db: Db, orderId: string, now: number): Promise<boolean> {
    const result = await db
      .updateTable('stock_order')
      .set({ status: 'released', updated_at: now })
      .where('order_id', '=', orderId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return affected(result) === 1;
  }

  lines(db: Db, orderId: string): Promise<ReservationRow[]> {
    return db.selectFrom('stock_reservation').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
  }

  async insertLines(db: Db, rows: Insertable<StockReservationTable>[]): Promise<void> {
    if (rows.length) await db.insertInto('stock_reservation').values(rows).execute();
  }

  /** A platform order line found less than it asked for. */
  async setCovered(
    db: Db,
    id: string,
    covered: number,
    reason: NonNullable<ReservationRow['short_reason']>,
    now: number,
  ): Promise<void> {
    await db
      .updateTable('stock_reservation')
      .set({ covered, short_reason: reason, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  /** Held lines of an order become sales. */
  async commitLines(db: Db, orderId: string, now: number): Promise<number> {
    const result = await db
      .updateTable('stock_reservation')
      .set({ status: 'committed', updated_at: now })
      .where('order_id', '=', orderId)
      .where('status', '=', 'held')
      .executeTakeFirst();
    return affected(result);
  }

  /** Moves one live line to released or wasted; true for the caller that did it. */
  async endLine(db: Db, id: string, status: 'released' | 'wasted', now: number): Promise<boolean> {
    const result = await db
      .updateTable('stock_reservation')
      .set({ status, updated_at: now })
      .where('id', '=', id)
      .where('status', 'in', ['held', 'committed'])
      .executeTakeFirst();
    return affected(result) === 1;
  }

  // ── kitchen slots ──

  slot(db: Db, storeId: string, slotStart: number): Promise<SlotRow | undefined> {
    return db
      .selectFrom('stock_slot')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('slot_start', '=', slotStart)
      .executeTakeFirst();
  }

  /** Creates a slot's load row if it has none; a plain read first, as the row is hot once it exists. */
  async ensureSlot(db: Db, storeId: string, slotStart: number, now: number): Promise<void> {
    if (await this.slot(db, storeId, slotStart)) return;
    await insertIfAbsent(
      db,
      'stock_slot',
      { store_id: storeId, slot_start: slotStart, items: 0, orders: 0, version: 0, updated_at: now },
      ['store_id', 'slot_start'],
    );
  }

  slotsBetween(db: Db, storeId: string, from: number, to: number): Promise<SlotRow[]> {
    return db
      .selectFrom('stock_slot')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('slot_start', '>=', from)
      .where('slot_start', '<', to)
      .execute();
  }

  /**
   * Counts an order into its slot only if the slot stays within its limits (`null` = no limit);
   * the conditional UPDATE is what keeps two processes from both taking the last room.
   */
  async fillSlot(
    db: Db,
    key: { storeId: string; slotStart: number },
    add: { items: number; orders: number },
    limits: { maxItems: number | null; maxOrders: number | null } | null,
    now: number,
  ): Promise<boolean> {
    let q = db
      .updateTable('stock_slot')
      .set((eb) => ({
        items: eb('items', '+', add.items),
        orders: eb('orders', '+', add.orders),
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('store_id', '=', key.storeId)
      .where('slot_start', '=', key.slotStart);
    if (limits?.maxItems != null) q = q.where('items', '<=', limits.maxItems - add.items);
    if (limits?.maxOrders != null) q = q.where('orders', '<=', limits.maxOrders - add.orders);
    return affected(await q.executeTakeFirst()) === 1;
  }

  async emptySlot(
    db: Db,
    key: { storeId: string; slotStart: number },
    remove: { items: number; orders: number },
    now: number,
  ): Promise<void> {
    await db
      .updateTable('stock_slot')
      .set((eb) => ({
        items: eb('items', '-', remove.items),
        orders: eb('orders', '-', remove.orders),
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('store_id', '=', key.storeId)
      .where('slot_start', '=', key.slotStart)
      .where('items', '>=', remove.items)
      .where('orders', '>=', remove.orders)
      .execute();
  }
}
