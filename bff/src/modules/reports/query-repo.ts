import type { Database } from 'db';
import { type Kysely, sql } from 'kysely';
import type { Channel, ReportGroupBy } from 'shared-types';

export interface DayRange {
  storeIds: string[];
  from: string;
  to: string;
  groupBy: ReportGroupBy;
  channel?: Channel;
}

const PERIOD: Record<ReportGroupBy, 'business_date' | 'week_start' | 'month'> = {
  day: 'business_date',
  week: 'week_start',
  month: 'month',
};

const n = (v: unknown) => Number(v ?? 0);

/**
 * Reads of the rollup tables only (never the orders), always for an explicit list of stores: the
 * caller's scope has already been applied to that list, so no query here can see another store.
 */
export class ReportQueryRepo {
  constructor(private readonly db: Kysely<Database>) {}

  private channelDays(r: DayRange) {
    let q = this.db
      .selectFrom('report_channel_day as d')
      .where('d.store_id', 'in', r.storeIds)
      .where('d.business_date', '>=', r.from)
      .where('d.business_date', '<=', r.to);
    if (r.channel) q = q.where('d.channel', '=', r.channel);
    return q;
  }

  /** Sums per period × store × channel. */
  async channelMix(r: DayRange) {
    if (r.storeIds.length === 0) return [];
    const period = sql.ref<string>(`d.${PERIOD[r.groupBy]}`);
    const rows = await this.channelDays(r)
      .select([
        period.as('period'),
        'd.store_id',
        'd.channel',
        (eb) => eb.fn.sum<number>('d.orders').as('orders'),
        (eb) => eb.fn.sum<number>('d.items_total').as('items_total'),
        (eb) => eb.fn.sum<number>('d.packaging_fee').as('packaging_fee'),
        (eb) => eb.fn.sum<number>('d.delivery_fee').as('delivery_fee'),
        (eb) => eb.fn.sum<number>('d.discount_platform').as('discount_platform'),
        (eb) => eb.fn.sum<number>('d.discount_merchant').as('discount_merchant'),
        (eb) => eb.fn.sum<number>('d.paid_total').as('paid_total'),
        (eb) => eb.fn.sum<number>('d.merchant_income').as('merchant_income'),
      ])
      .groupBy([period, 'd.store_id', 'd.channel'])
      .orderBy('period')
      .orderBy('d.store_id')
      .orderBy('d.channel')
      .execute();
    return rows.map((x) => ({
      period: String(x.period),
      storeId: x.store_id,
      channel: x.channel as Channel,
      orders: n(x.orders),
      itemsTotal: n(x.items_total),
      packagingFee: n(x.packaging_fee),
      deliveryFee: n(x.delivery_fee),
      discountPlatform: n(x.discount_platform),
      discountMerchant: n(x.discount_merchant),
      paid: n(x.paid_total),
      merchantIncome: n(x.merchant_income),
    }));
  }

  /** KPI sums per period × channel (optionally per store) over the stores given. */
  async kpis(r: DayRange, byStore = false) {
    if (r.storeIds.length === 0) return [];
    const period = sql.ref<string>(`d.${PERIOD[r.groupBy]}`);
    const rows = await this.channelDays(r)
      .select([
        period.as('period'),
        byStore ? sql.ref<string>('d.store_id').as('store_id') : sql.lit('').as('store_id'),
        'd.channel',
        (eb) => eb.fn.sum<number>('d.orders').as('orders'),
        (eb) => eb.fn.sum<number>('d.cancelled').as('cancelled'),
        (eb) => eb.fn.sum<number>('d.items_total').as('items_total'),
        (eb) => eb.fn.sum<number>('d.discount_merchant').as('discount_merchant'),
        (eb) => eb.fn.sum<number>('d.paid_total').as('paid_total'),
        (eb) => eb.fn.sum<number>('d.cost_total').as('cost_total'),
        (eb) => eb.fn.sum<number>('d.refund_orders').as('refund_orders'),
        (eb) => eb.fn.sum<number>('d.refund_amount').as('refund_amount'),
        (eb) => eb.fn.sum<number>('d.prep_orders').as('prep_orders'),
        (eb) => eb.fn.sum<number>('d.prep_ms').as('prep_ms'),
        (eb) => eb.fn.sum<number>('d.promised_orders').as('promised_orders'),
        (eb) => eb.fn.sum<number>('d.late_orders').as('late_orders'),
      ])
      .groupBy(byStore ? [period, 'd.store_id', 'd.channel'] : [period, 'd.channel'])
      .orderBy('period')
      .orderBy('d.channel')
      .execute();
    return rows.map((x) => ({
      period: String(x.period),
      storeId: String(x.store_id),
      channel: x.channel as Channel,
      orders: n(x.orders),
      cancelled: n(x.cancelled),
      itemsTotal: n(x.items_total),
      discountMerchant: n(x.discount_merchant),
      paid: n(x.paid_total),
      cost: n(x.cost_total),
      refundOrders: n(x.refund_orders),
      refundAmount: n(x.refund_amount),
      prepOrders: n(x.prep_orders),
      prepMs: n(x.prep_ms),
      promisedOrders: n(x.promised_orders),
      lateOrders: n(x.late_orders),
    }));
  }

  async cancelReasons(r: DayRange) {
    if (r.storeIds.length === 0) return [];
    const period = sql.ref<string>(`c.${PERIOD[r.groupBy]}`);
    let q = this.db
      .selectFrom('report_cancel_day as c')
      .where('c.store_id', 'in', r.storeIds)
      .where('c.business_date', '>=', r.from)
      .where('c.business_date', '<=', r.to);
    if (r.channel) q = q.where('c.channel', '=', r.channel);
    const rows = await q
      .select([period.as('period'), 'c.channel', 'c.reason', (eb) => eb.fn.sum<number>('c.orders').as('orders')])
      .groupBy([period, 'c.channel', 'c.reason'])
      .orderBy('c.reason')
      .execute();
    return rows.map((x) => ({
      period: String(x.period),
      channel: x.channel as Channel,
      reason: x.reason,
      orders: n(x.orders),
    }));
  }

  /** Sums per period × channel × SKU; `skuCodes` narrows to some SKUs. */
  async skus(r: DayRange, skuCodes?: string[]) {
    if (r.storeIds.length === 0 || skuCodes?.length === 0) return [];
    const period = sql.ref<string>(`s.${PERIOD[r.groupBy]}`);
    let q = this.db
      .selectFrom('report_sku_day as s')
      .where('s.store_id', 'in', r.storeIds)
      .where('s.business_date', '>=', r.from)
      .where('s.business_date', '<=', r.to);
    if (r.channel) q = q.where('s.channel', '=', r.channel);
    if (skuCodes) q = q.where('s.sku_code', 'in', skuCodes);
    const rows = await q
      .select([
        period.as('period'),
        's.channel',
        's.sku_code',
        (eb) => eb.fn.sum<number>('s.quantity').as('quantity'),
        (eb) => eb.fn.sum<number>('s.revenue').as('revenue'),
        (eb) => eb.fn.sum<number>('s.cost_total').as('cost_total'),
      ])
      .groupBy([period, 's.channel', 's.sku_code'])
      .orderBy('period')
      .orderBy('s.channel')
      .orderBy('s.sku_code')
      .execute();
    return rows.map((x) => ({
      period: String(x.period),
      channel: x.channel as Channel,
      skuCode: x.sku_code,
      quantity: n(x.quantity),
      revenue: n(x.revenue),
      cost: n(x.cost_total),
    }));
  }

  /** Names of SKUs (by code) and their products, for labelling rows. */
  async skuNames(brandId: string, codes: string[]) {
    if (codes.length === 0) return new Map<string, { productCode: string; name: string }>();
    const rows = await this.db
      .selectFrom('sku')
      .innerJoin('product', 'product.id', 'sku.product_id')
      .select(['sku.code as skuCode', 'sku.spec_text', 'product.code as productCode', 'product.name'])
      .where('sku.brand_id', '=', brandId)
      .where('sku.code', 'in', codes)
      .execute();
    return new Map(
      rows.map((r) => [
        r.skuCode,
        { productCode: r.productCode, name: r.spec_text ? `${r.name}（${r.spec_text}）` : r.name },
      ]),
    );
  }

  /** A product's SKU codes and when it was created (its launch). */
  async product(brandId: string, code: string) {
    const product = await this.db
      .selectFrom('product')
      .select(['id', 'code', 'name', 'created_at'])
      .where('brand_id', '=', brandId)
      .where('code', '=', code)
      .executeTakeFirst();
    if (!product) return undefined;
    const skus = await this.db.selectFrom('sku').select('code').where('product_id', '=', product.id).execute();
    return { ...product, createdAt: Number(product.created_at), skuCodes: skus.map((s) => s.code) };
  }

  /** Stock history of the stores, oldest first, up to `until` (epoch ms). */
  stockChanges(storeIds: string[], until: number) {
    if (storeIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('stock_change')
      .select(['store_id', 'level', 'code', 'after_state', 'at'])
      .where('store_id', 'in', storeIds)
      .where('at', '<', until)
      .orderBy('at')
      .orderBy('id')
      .execute();
  }
}
