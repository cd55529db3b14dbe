import { type Database, isMysqlDb, upsertAdd } from 'db';
import type { Kysely, Transaction } from 'kysely';
import type { Channel } from 'shared-types';
import { CHANNEL_MEASURES, type FactLine, type FactOrder, type OrderFact, type RollupDelta } from './facts';
import { periodColumns } from './periods';

type Db = Kysely<Database> | Transaction<Database>;

/** The order columns an order's contribution is computed from. */
const FACT_COLUMNS = [
  'id',
  'brand_id',
  'store_id',
  'business_date',
  'channel',
  'status',
  'items_total',
  'packaging_fee',
  'delivery_fee',
  'discount_platform',
  'discount_merchant',
  'paid_total',
  'merchant_income',
  'refund_amount',
  'cancel_reason',
  'accepted_at',
  'ready_at',
  'promised_at',
] as const;

export interface OrderForFact {
  order: FactOrder & { id: string; brand_id: string };
  lines: FactLine[];
  costs: Map<string, number>;
  wasPlaced: boolean;
}

/**
 * The rollup tables' queries. Reports are a read model: to count an order it reads the order, its
 * lines, whether it was ever placed (its events) and its SKUs' cost, inside the transaction that
 * updates the rollups.
 */
export class RollupRepo {
  constructor(readonly db: Kysely<Database>) {}

  async orderForFact(trx: Db, orderId: string): Promise<OrderForFact | undefined> {
    const order = await trx.selectFrom('orders').select(FACT_COLUMNS).where('id', '=', orderId).executeTakeFirst();
    if (!order) return undefined;
    const [withLines] = await this.withLines(trx, [normalize(order)]);
    return withLines;
  }

  /** The orders of some stores' business days, ready to count (rebuilds only). */
  async ordersOfDays(trx: Db, storeId: string, from: string, to: string): Promise<OrderForFact[]> {
    const rows = await trx
      .selectFrom('orders')
      .select(FACT_COLUMNS)
      .where('store_id', '=', storeId)
      .where('business_date', '>=', from)
      .where('business_date', '<=', to)
      .execute();
    return this.withLines(trx, rows.map(normalize));
  }

  private async withLines(trx: Db, orders: OrderForFact['order'][]): Promise<OrderForFact[]> {
    if (orders.length === 0) return [];
    const ids = orders.map((o) => o.id);
    const lines = await trx
      .selectFrom('order_line')
      .select(['order_id', 'sku_code', 'quantity', 'line_total'])
      .where('order_id', 'in', ids)
      .orderBy('order_id')
      .orderBy('line_no')
      .execute();
    const placed = new Set(
      (
        await trx
          .selectFrom('order_event')
          .select('order_id')
          .where('order_id', 'in', ids)
          .where('to_status', '=', 'placed')
          .execute()
      ).map((r) => r.order_id),
    );
    const codes = [...new Set(lines.flatMap((l) => (l.sku_code ? [l.sku_code] : [])))];
    const brandIds = [...new Set(orders.map((o) => o.brand_id))];
    const costs = new Map<string, number>();
    if (codes.length > 0) {
      const skus = await trx
        .selectFrom('sku')
        .select(['brand_id', 'code', 'cost'])
        .where('brand_id', 'in', brandIds)
        .where('code', 'in', codes)
        .execute();
      for (const s of skus) costs.set(`${s.brand_id}:${s.code}`, Number(s.cost));
    }
    return orders.map((order) => ({
      order,
      lines: lines
        .filter((l) => l.order_id === order.id)
        .map((l) => ({ sku_code: l.sku_code, quantity: Number(l.quantity), line_total: Number(l.line_total) })),
      costs: new Map(codes.map((c) => [c, costs.get(`${order.brand_id}:${c}`) ?? 0])),
      wasPlaced: order.status !== 'pending_payment' && (order.status !== 'cancelled' || placed.has(order.id)),
    }));
  }

  /** The order's last-counted contribution, locked until the caller commits (MySQL). */
  async fact(trx: Db, orderId: string): Promise<OrderFact | null> {
    let q = trx.selectFrom('report_order_fact').select('fact').where('order_id', '=', orderId);
    if (isMysqlDb(trx)) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    return row ? (JSON.parse(row.fact) as OrderFact) : null;
  }

  async saveFact(trx: Db, orderId: string, fact: OrderFact, exists: boolean, now: number): Promise<void> {
    if (exists) {
      await trx
        .updateTable('report_order_fact')
        .set({ fact: JSON.stringify(fact), updated_at: now })
        .where('order_id', '=', orderId)
        .execute();
      return;
    }
    await trx
      .insertInto('report_order_fact')
      .values({
        order_id: orderId,
        store_id: fact.storeId,
        business_date: fact.businessDate,
        channel: fact.channel,
        fact: JSON.stringify(fact),
        updated_at: now,
      })
      .execute();
  }

  /** Adds a difference to the rollups: the channel row first, then cancel reasons and SKUs in key order. */
  async add(trx: Db, delta: RollupDelta): Promise<void> {
    const key = {
      store_id: delta.key.storeId,
      business_date: delta.key.businessDate,
      channel: delta.key.channel,
      ...periodColumns(delta.key.businessDate),
    };
    await upsertAdd(
      trx,
      'report_channel_day',
      [{ ...key, ...delta.measures }],
      ['store_id', 'business_date', 'channel'],
      [...CHANNEL_MEASURES],
    );
    const cancels = Object.entries(delta.cancels).sort(([a], [b]) => (a < b ? -1 : 1));
    await upsertAdd(
      trx,
      'report_cancel_day',
      cancels.map(([reason, orders]) => ({ ...key, reason, orders })),
      ['store_id', 'business_date', 'channel', 'reason'],
      ['orders'],
    );
    const skus = Object.entries(delta.skus).sort(([a], [b]) => (a < b ? -1 : 1));
    await upsertAdd(
      trx,
      'report_sku_day',
      skus.map(([sku_code, s]) => ({ ...key, sku_code, ...s })),
      ['store_id', 'business_date', 'channel', 'sku_code'],
      ['quantity', 'revenue', 'cost_total'],
    );
  }

  /** Forgets the rollups and facts of one store's days (a rebuild recounts them). */
  async clearDays(trx: Db, storeId: string, from: string, to: string): Promise<void> {
    for (const table of ['report_channel_day', 'report_cancel_day', 'report_sku_day', 'report_order_fact'] as const) {
      await trx
        .deleteFrom(table)
        .where('store_id', '=', storeId)
        .where('business_date', '>=', from)
        .where('business_date', '<=', to)
        .execute();
    }
  }
}

function normalize<T extends { channel: string }>(row: T): T & { channel: Channel } {
  // The channel column is text in the database; only the four channels are ever written to it.
  return row as T & { channel: Channel };
}
