import { affected, type Database, insertIfAbsent, newId, type OrdersTable } from 'db';
import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { OrderStatus } from 'shared-types';
import type { Actor, NewOrder } from './model';
import { EMPTY_FLAGS } from './model';

export type OrderRow = Selectable<OrdersTable>;
export type LineRow = Selectable<Database['order_line']>;
export type EventRow = Selectable<Database['order_event']>;
export type Db = Kysely<Database> | Transaction<Database>;

export interface NewEvent {
  orderId: string;
  type: string;
  from: OrderStatus | null;
  to: OrderStatus | null;
  actor: Actor;
  reason?: string | null;
  data?: unknown;
  at: number;
}

/** Kysely queries for the order tables only. */
export class OrderRepo {
  constructor(readonly db: Kysely<Database>) {}

  /**
   * Inserts the order with its lines unless (channel, channel order id) — or the placement key —
   * already exists. Answers whether this call created it. Runs inside the caller's transaction.
   */
  async insert(trx: Transaction<Database>, id: string, order: NewOrder, businessDate: string, now: number) {
    const created = await insertIfAbsent(
      trx,
      'orders',
      {
        id,
        brand_id: order.brandId,
        store_id: order.storeId,
        channel: order.channel,
        channel_order_id: order.channelOrderId ?? id,
        display_id: order.displayId,
        gateway: order.gateway,
        business_date: businessDate,
        day_seq: order.daySeq,
        fulfillment: order.fulfillment,
        delivery_mode: order.deliveryMode,
        status: order.status,
        member_id: order.memberId,
        placement_key: order.placementKey,
        items_total: order.amounts.items,
        packaging_fee: order.amounts.packaging,
        delivery_fee: order.amounts.deliveryFee,
        discount_platform: order.amounts.discountPlatform,
        discount_merchant: order.amounts.discountMerchant,
        paid_total: order.amounts.paid,
        merchant_income: order.amounts.merchantIncome,
        remark: order.remark,
        table_no: order.tableNo,
        recipient_name: order.recipient?.name ?? null,
        recipient_phone: order.recipient?.phone ?? null,
        recipient_address: order.recipient?.address ?? null,
        recipient_lat: order.recipient?.lat ?? null,
        recipient_lng: order.recipient?.lng ?? null,
        logistics_code: order.logisticsCode,
        flags: JSON.stringify({
          ...EMPTY_FLAGS,
          unmappedLines: order.lines.some((l) => l.unmapped),
          degraded: order.degraded,
        }),
        refund_state: null,
        refund_reason: null,
        cancel_reason: null,
        stock_state: 'none',
        placed_at: order.placedAt,
        promised_at: order.promisedAt,
        pay_by: order.payBy,
        accepted_at: null,
        ready_at: null,
        completed_at: null,
        cancelled_at: null,
        version: 0,
        created_at: now,
        updated_at: now,
      },
      ['channel', 'channel_order_id'],
    );
    if (!created) return false;
    if (order.lines.length > 0) {
      await trx
        .insertInto('order_line')
        .values(
          order.lines.map((l, i) => ({
            id: newId(now),
            order_id: id,
            line_no: i + 1,
            sku_code: l.skuCode,
            platform_item_id: l.platformItemId,
            platform_sku_id: l.platformSkuId,
            name: l.name.slice(0, 255),
            spec_text: l.specText.slice(0, 191),
            addons: JSON.stringify(l.addons),
            quantity: l.quantity,
            unit_price: l.unitPrice,
            addons_price: l.addonsPrice,
            packaging_fee: l.packagingFee,
            box_count: l.boxCount,
            line_total: l.lineTotal,
            unmapped: l.unmapped ? 1 : 0,
            stock_short: 0,
          })),
        )
        .execute();
    }
    return true;
  }

  /** The next 流水号 of the store's business day; the row lock is held until the caller commits. */
  async nextDaySeq(trx: Transaction<Database>, storeId: string, businessDate: string): Promise<number> {
    await insertIfAbsent(trx, 'store_day_seq', { store_id: storeId, business_date: businessDate, last_seq: 0 }, [
      'store_id',
      'business_date',
    ]);
    await trx
      .updateTable('store_day_seq')
      .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
      .where('store_id', '=', storeId)
      .where('business_date', '=', businessDate)
      .execute();
    const row = await trx
      .selectFrom('store_day_seq')
      .select('last_seq')
      .where('store_id', '=', storeId)
      .where('business_date', '=', businessDate)
      .executeTakeFirstOrThrow();
    return Number(row.last_seq);
  }

  async setDaySeq(trx: Transaction<Database>, orderId: string, daySeq: number): Promise<void> {
    await trx.updateTable('orders').set({ day_seq: daySeq }).where('id', '=', orderId).execute();
  }

  get(id: string, db: Db = this.db): Promise<OrderRow | undefined> {
    return db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byChannelId(channel: string, channelOrderId: string, db: Db = this.db): Promise<OrderRow | undefined> {
    return db
      .selectFrom('orders')
      .selectAll()
      .where('channel', '=', channel as OrderRow['channel'])
      .where('channel_order_id', '=', channelOrderId)
      .executeTakeFirst();
  }

  byPlacementKey(key: string): Promise<OrderRow | undefined> {
    return this.db.selectFrom('orders').selectAll().where('placement_key', '=', key).executeTakeFirst();
  }

  /**
   * Moves the order from one of `from` to `to` with extra column changes, only if it is still in
   * one of `from` (the conditional UPDATE is what makes concurrent actions safe). Answers whether
   * this call moved it.
   */
  async move(
    trx: Db,
    orderId: string,
    from: readonly OrderStatus[],
    to: OrderStatus,
    set: Updateable<OrdersTable>,
    now: number,
  ): Promise<boolean> {
    const result = await trx
      .updateTable('orders')
      .set((eb) => ({ ...set, status: to, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', orderId)
      .where('status', 'in', [...from])
      .executeTakeFirst();
    return affected(result) === 1;
  }

  /** Changes columns only while the order is at `version` (optimistic, for non-status updates). */
  async update(trx: Db, orderId: string, set: Updateable<OrdersTable>, now: number, version?: number) {
    let q = trx
      .updateTable('orders')
      .set((eb) => ({ ...set, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', orderId);
    if (version !== undefined) q = q.where('version', '=', version);
    return affected(await q.executeTakeFirst()) === 1;
  }

  /** Moves the stock bookkeeping from one state to the next, once. */
  async moveStockState(orderId: string, from: string, to: string, now: number, set: Updateable<OrdersTable> = {}) {
    const result = await this.db
      .updateTable('orders')
      .set((eb) => ({ ...set, stock_state: to, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', orderId)
      .where('stock_state', '=', from)
      .executeTakeFirst();
    return affected(result) === 1;
  }

  async markShortLines(trx: Db, orderId: string, skuCodes: string[]): Promise<void> {
    if (skuCodes.length === 0) return;
    await trx
      .updateTable('order_line')
      .set({ stock_short: 1 })
      .where('order_id', '=', orderId)
      .where('sku_code', 'in', skuCodes)
      .execute();
  }

  async insertEvent(db: Db, e: NewEvent): Promise<void> {
    await db
      .insertInto('order_event')
      .values({
        id: newId(e.at),
        order_id: e.orderId,
        type: e.type,
        from_status: e.from,
        to_status: e.to,
        source: e.actor.source,
        actor: e.actor.id,
        reason: e.reason ?? null,
        data: e.data === undefined ? null : JSON.stringify(e.data),
        at: e.at,
      })
      .execute();
  }

  async lines(orderIds: string[]): Promise<LineRow[]> {
    if (orderIds.length === 0) return [];
    return this.db
      .selectFrom('order_line')
      .selectAll()
      .where('order_id', 'in', orderIds)
      .orderBy('order_id')
      .orderBy('line_no')
      .execute();
  }

  async events(orderIds: string[]): Promise<EventRow[]> {
    if (orderIds.length === 0) return [];
    return this.db
      .selectFrom('order_event')
      .selectAll()
      .where('order_id', 'in', orderIds)
      .orderBy('at')
      .orderBy('id')
      .execute();
  }

  /** The store's orders in these statuses, or of this business day; soonest promise first. */
  async forStore(storeId: string, filter: { statuses?: readonly OrderStatus[]; businessDate?: string }) {
    let q = this.db.selectFrom('orders').selectAll().where('store_id', '=', storeId);
    if (filter.statuses) q = q.where('status', 'in', [...filter.statuses]);
    if (filter.businessDate) q = q.where('business_date', '=', filter.businessDate);
    const rows = await q.orderBy('placed_at').limit(500).execute();
    // Soonest promise first; orders without one (ASAP) by arrival, after those that are due.
    return rows.sort((a, b) => (a.promised_at ?? a.placed_at) - (b.promised_at ?? b.placed_at));
  }

  /**
   * Platform orders created before `before` that never reached the stock pool although they have a
   * line it counts: what a push applied half-way by an earlier version left behind.
   */
  unaccountedPlatformOrders(before: number, limit: number): Promise<OrderRow[]> {
    return this.db
      .selectFrom('orders as o')
      .selectAll('o')
      .where('o.channel', 'in', ['meituan', 'eleme'])
      .where('o.stock_state', '=', 'none')
      .where('o.created_at', '<', before)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('order_line as l')
            .select('l.id')
            .whereRef('l.order_id', '=', 'o.id')
            .where('l.sku_code', 'is not', null)
            .where('l.unmapped', '=', 0)
            .where('l.quantity', '>', 0),
        ),
      )
      .orderBy('o.created_at')
      .limit(limit)
      .execute();
  }

  forMember(memberId: string, limit = 50): Promise<OrderRow[]> {
    return this.db
      .selectFrom('orders')
      .selectAll()
      .where('member_id', '=', memberId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  }
}
