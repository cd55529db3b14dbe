import type {
  ChannelKpiResponse,
  ChannelMixResponse,
  NewDishQuery,
  OperationsResponse,
  PriceDisciplineQuery,
  PriceDisciplineResponse,
  ProductResponse,
  ReportQuery,
  SoldOutResponse,
  StockState,
  StorePriceAdjustmentView,
  StoreView,
} from 'shared-types';
import type { Clock } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import { localParts, localToEpoch, nextDate } from '../../lib/local-time';
import type { StaffPrincipal } from '../../lib/principal';
import { adjustmentInRangeUnit } from '../catalog/pricing/pricing';
import type { ReportQueryRepo } from './query-repo';
import { reportStores, type StoreLister } from './scope';

/** What the price-discipline report needs from the catalog. */
export interface PriceAdjustments {
  adjustmentsAt(
    brandId: string,
    storeIds: string[],
  ): Promise<{ row: { basePrice: number; productName: string }; view: StorePriceAdjustmentView }[]>;
}

/** a / b in basis points, rounded; null when b is 0. */
export const bp = (a: number, b: number) => (b === 0 ? null : Math.round((a * 10000) / b));

const storeKey = (s: StoreView) => ({ storeId: s.id, storeCode: s.code, storeName: s.name });

/** The reports. Each starts from `reportStores` (scope) and reads only the rollups (or, for prices, the catalog). */
export class ReportService {
  constructor(
    private readonly repo: ReportQueryRepo,
    private readonly stores: StoreLister,
    private readonly prices: PriceAdjustments,
    private readonly clock: Clock,
  ) {}

  private async range(staff: StaffPrincipal, q: ReportQuery) {
    const stores = await reportStores(staff, q, this.stores);
    const byId = new Map(stores.map((s) => [s.id, s]));
    const range = { storeIds: stores.map((s) => s.id), from: q.from, to: q.to, groupBy: q.groupBy, channel: q.channel };
    return { stores, byId, range };
  }

  async channelMix(staff: StaffPrincipal, q: ReportQuery): Promise<ChannelMixResponse> {
    const { byId, range } = await this.range(staff, q);
    const rows = (await this.repo.channelMix(range)).flatMap((r) => {
      const store = byId.get(r.storeId);
      if (!store) return [];
      const { storeId: _, ...sums } = r;
      return [{ ...sums, ...storeKey(store), gross: r.itemsTotal + r.packagingFee + r.deliveryFee }];
    });
    const zero = () => ({
      orders: 0,
      gross: 0,
      itemsTotal: 0,
      packagingFee: 0,
      deliveryFee: 0,
      discountPlatform: 0,
      discountMerchant: 0,
      paid: 0,
      merchantIncome: 0,
    });
    type Sums = ReturnType<typeof zero>;
    const add = (into: Sums, r: Sums) => {
      for (const k of Object.keys(into) as (keyof Sums)[]) into[k] += r[k];
    };
    const all = zero();
    const byChannel = new Map<string, Sums>();
    for (const r of rows) {
      add(all, r);
      const c = byChannel.get(r.channel) ?? zero();
      add(c, r);
      byChannel.set(r.channel, c);
    }
    return {
      report: 'channel-mix',
      from: q.from,
      to: q.to,
      groupBy: q.groupBy,
      rows: rows.map(({ period, storeId, storeCode, storeName, channel, ...s }) => ({
        period,
        storeId,
        storeCode,
        storeName,
        channel,
        ...s,
      })),
      totals: {
        byChannel: [...byChannel.entries()].map(([channel, s]) => ({ channel: channel as never, ...s })),
        all,
      },
    };
  }

  async channelKpis(staff: StaffPrincipal, q: ReportQuery): Promise<ChannelKpiResponse> {
    const { range } = await this.range(staff, q);
    const [sums, cancels] = await Promise.all([this.repo.kpis(range), this.repo.cancelReasons(range)]);
    return {
      report: 'channel-kpis',
      from: q.from,
      to: q.to,
      groupBy: q.groupBy,
      rows: sums.map((s) => {
        const itemRevenue = s.itemsTotal - s.discountMerchant;
        const grossMargin = itemRevenue - s.cost;
        return {
          period: s.period,
          channel: s.channel,
          orders: s.orders,
          paid: s.paid,
          averageTicket: s.orders === 0 ? 0 : Math.round(s.paid / s.orders),
          itemRevenue,
          cost: s.cost,
          grossMargin,
          grossMarginBp: bp(grossMargin, itemRevenue),
          refundOrders: s.refundOrders,
          refundAmount: s.refundAmount,
          refundRateBp: bp(s.refundOrders, s.orders),
          cancelled: s.cancelled,
          cancelRateBp: bp(s.cancelled, s.orders + s.cancelled),
          cancelReasons: cancels
            .filter((c) => c.period === s.period && c.channel === s.channel && c.orders !== 0)
            .map((c) => ({ reason: c.reason, orders: c.orders })),
        };
      }),
    };
  }

  private async productRows(brandId: string, sums: Awaited<ReturnType<ReportQueryRepo['skus']>>) {
    const names = await this.repo.skuNames(brandId, [...new Set(sums.map((s) => s.skuCode))]);
    return sums.map((s) => {
      const label = names.get(s.skuCode);
      const margin = s.revenue - s.cost;
      return {
        period: s.period,
        channel: s.channel,
        skuCode: s.skuCode,
        productCode: label?.productCode ?? null,
        name: label?.name ?? s.skuCode,
        quantity: s.quantity,
        revenue: s.revenue,
        cost: s.cost,
        margin,
        marginBp: bp(margin, s.revenue),
      };
    });
  }

  async products(staff: StaffPrincipal, q: ReportQuery): Promise<ProductResponse> {
    const { range } = await this.range(staff, q);
    const rows = (await this.productRows(staff.brandId, await this.repo.skus(range))).filter((r) => r.quantity !== 0);
    return { report: 'products', from: q.from, to: q.to, groupBy: q.groupBy, product: null, rows };
  }

  /** One product on every channel from its launch date (the day it was created, in the first store's timezone). */
  async newDish(staff: StaffPrincipal, q: NewDishQuery): Promise<ProductResponse> {
    const stores = await reportStores(staff, q, this.stores);
    const product = await this.repo.product(staff.brandId, q.productCode);
    if (!product) throw new AppError('NOT_FOUND', 404, 'no product with this code');
    const tz = stores[0]?.timezone ?? 'Asia/Shanghai';
    const launchDate = localParts(product.createdAt, tz).date;
    const to = q.to ?? localParts(this.clock.now(), tz).date;
    if (to < launchDate) throw new AppError('VALIDATION_FAILED', 400, 'to is before the launch date');
    const from = Date.parse(to) - Date.parse(launchDate) > 366 * 86_400_000 ? shiftDays(to, -366) : launchDate;
    const range = { storeIds: stores.map((s) => s.id), from, to, groupBy: q.groupBy };
    const rows = await this.productRows(staff.brandId, await this.repo.skus(range, product.skuCodes));
    return {
      report: 'new-dish',
      from,
      to,
      groupBy: q.groupBy,
      product: { code: product.code, name: product.name, launchDate },
      rows: rows.filter((r) => r.quantity !== 0),
    };
  }

  async priceDiscipline(staff: StaffPrincipal, q: PriceDisciplineQuery): Promise<PriceDisciplineResponse> {
    const stores = await reportStores(staff, q, this.stores);
    const adjustments =
      stores.length === 0
        ? []
        : await this.prices.adjustmentsAt(
            staff.brandId,
            stores.map((s) => s.id),
          );
    const byId = new Map(stores.map((s) => [s.id, s]));
    const rows = adjustments.flatMap(({ row, view }) => {
      const store = byId.get(view.storeId);
      if (!store) return [];
      const storePrice = view.prices.miniapp;
      return [
        {
          ...storeKey(store),
          skuCode: view.skuCode,
          productName: row.productName,
          basePrice: row.basePrice,
          storePrice,
          distanceBp: bp(storePrice - row.basePrice, row.basePrice),
          range: view.range?.kind ? { kind: view.range.kind, min: view.range.min, max: view.range.max } : null,
          position: positionOf(view, row.basePrice),
        },
      ];
    });
    return {
      report: 'price-discipline',
      stores: stores.map((s) => {
        const mine = rows.filter((r) => r.storeId === s.id);
        const distances = mine.map((r) => Math.abs(r.distanceBp ?? 0));
        return {
          ...storeKey(s),
          adjustedSkus: mine.length,
          averageDistanceBp:
            distances.length === 0 ? 0 : Math.round(distances.reduce((a, b) => a + b, 0) / distances.length),
          maxDistanceBp: Math.max(0, ...distances),
          atEdge: mine.filter((r) => r.position === 'at_edge').length,
          nearEdge: mine.filter((r) => r.position === 'near_edge').length,
          outside: mine.filter((r) => r.position === 'outside').length,
        };
      }),
      rows,
    };
  }

  async operations(staff: StaffPrincipal, q: ReportQuery): Promise<OperationsResponse> {
    const { byId, range } = await this.range(staff, q);
    const sums = await this.repo.kpis(range, true);
    return {
      report: 'operations',
      from: q.from,
      to: q.to,
      groupBy: q.groupBy,
      rows: sums.flatMap((s) => {
        const store = byId.get(s.storeId);
        if (!store || (s.prepOrders === 0 && s.promisedOrders === 0 && s.orders === 0)) return [];
        return [
          {
            period: s.period,
            ...storeKey(store),
            channel: s.channel,
            prepOrders: s.prepOrders,
            averagePrepSeconds: s.prepOrders === 0 ? null : Math.round(s.prepMs / s.prepOrders / 1000),
            promisedOrders: s.promisedOrders,
            lateOrders: s.lateOrders,
            lateRateBp: bp(s.lateOrders, s.promisedOrders),
          },
        ];
      }),
    };
  }

  /**
   * Minutes each stock row was sold out within the range, from the stock history: marked sold out
   * (until its `until`, if any) or counted at zero by a recorded change. Counts emptied by sales
   * are not in the history and so not here.
   */
  async soldOut(staff: StaffPrincipal, q: ReportQuery): Promise<SoldOutResponse> {
    const { stores, byId } = await this.range(staff, q);
    const bounds = new Map(
      stores.map((s) => [
        s.id,
        {
          start: localToEpoch(q.from, 0, s.timezone),
          end: Math.min(localToEpoch(nextDate(q.to), 0, s.timezone), this.clock.now()),
        },
      ]),
    );
    const until = Math.max(0, ...[...bounds.values()].map((b) => b.end));
    const changes = await this.repo.stockChanges(
      stores.map((s) => s.id),
      until,
    );
    const timeline = new Map<
      string,
      { storeId: string; level: 'sku' | 'product'; code: string; at: number; state: StockState }[]
    >();
    for (const c of changes) {
      const key = `${c.store_id}\u0000${c.level}\u0000${c.code}`;
      const list = timeline.get(key) ?? [];
      list.push({
        storeId: c.store_id,
        level: c.level,
        code: c.code,
        at: Number(c.at),
        state: JSON.parse(c.after_state),
      });
      timeline.set(key, list);
    }
    const rows: SoldOutResponse['rows'] = [];
    for (const list of timeline.values()) {
      const first = list[0];
      const store = first && byId.get(first.storeId);
      const b = first && bounds.get(first.storeId);
      if (!first || !store || !b) continue;
      let ms = 0;
      list.forEach((c, i) => {
        const next = list[i + 1]?.at ?? b.end;
        let end = next;
        if (c.state.quantity !== 0) {
          if (!c.state.soldOut) return;
          if (c.state.soldOutUntil) end = Math.min(end, Date.parse(c.state.soldOutUntil));
        }
        ms += Math.max(0, Math.min(end, b.end) - Math.max(c.at, b.start));
      });
      const minutes = Math.round(ms / 60_000);
      if (minutes > 0) rows.push({ ...storeKey(store), level: first.level, code: first.code, minutes });
    }
    rows.sort((a, b) => b.minutes - a.minutes || a.storeCode.localeCompare(b.storeCode));
    return { report: 'sold-out', from: q.from, to: q.to, rows };
  }
}

function positionOf(view: StorePriceAdjustmentView, basePrice: number) {
  if (view.position === 'outside') return 'outside' as const;
  if (view.position === 'min' || view.position === 'max') return 'at_edge' as const;
  const range = view.range;
  if (!range?.kind || range.max === range.min) return 'inside' as const;
  const value = adjustmentInRangeUnit({ kind: view.kind, value: view.value }, range, basePrice);
  const fifth = (range.max - range.min) / 5;
  return value !== 0 && (value - range.min <= fifth || range.max - value <= fifth)
    ? ('near_edge' as const)
    : ('inside' as const);
}

function shiftDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
