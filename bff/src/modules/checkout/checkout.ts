import type { CheckoutRequest, PlaceOrderResponse, QuoteResponse } from 'shared-types';
import type { Clock } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import type { IdempotencyStore } from '../../lib/idempotency';
import type { MemberPrincipal } from '../../lib/principal';
import type { CatalogLookup } from '../catalog/pricing/lookup';
import type { DeliveryService, RoutedZone } from '../delivery/service';
import type { NewOrder } from '../orders/model';
import type { OrderService } from '../orders/service';
import { ORDER_TOPICS } from '../orders/topics';
import type { StockPort } from '../stock/contract';
import type { StoreRow } from '../stores/repo';
import { isOpenAt, parseBusinessHours, type StoreService } from '../stores/service';
import { type PricedCartLine, priceCart } from './cart';
import type { Placement } from './placement';
import { resolveTable, type TableCodes } from './table-code';

/** Time the kitchen needs at least, before the first slot an order may be counted in. */
const PREP_MS = 10 * 60_000;
/** How long a member has to pay before the order is given up and its stock released. */
export const PAY_WINDOW_MS = 15 * 60_000;

interface Priced {
  store: StoreRow;
  channel: 'miniapp' | 'dinein';
  lines: PricedCartLine[];
  items: number;
  packaging: number;
  deliveryFee: number;
  readyAt: number;
  promisedAt: number;
  tableNo: string | null;
  zone: RoutedZone | null;
}

/**
 * The mini-program's checkout: quote and place orders for pickup, self-delivery and dine-in.
 * Prices, packaging, the delivery fee, the zone and the promised time all come from the server;
 * the client sends codes, quantities and its address or scanned table code.
 */
export class Checkout {
  constructor(
    private readonly catalog: CatalogLookup,
    private readonly stock: StockPort,
    private readonly stores: StoreService,
    private readonly delivery: DeliveryService,
    private readonly orders: OrderService,
    private readonly placement: Placement,
    private readonly tables: TableCodes,
    private readonly idempotency: IdempotencyStore,
    private readonly clock: Clock,
  ) {}

  private async price(brandId: string, req: CheckoutRequest): Promise<Priced> {
    const store = await this.stores.find(req.storeId);
    if (!store || store.brand_id !== brandId || store.status !== 'active')
      throw new AppError('NOT_FOUND', 404, 'store not found');
    const now = this.clock.now();
    if (!isOpenAt(parseBusinessHours(store.business_hours), store.timezone, now)) {
      throw new AppError('STORE_CLOSED', 422, `${store.name} is closed now`);
    }
    let tableNo: string | null = null;
    if (req.fulfillment === 'dine_in') {
      if (!req.tableCode) throw new AppError('TABLE_CODE_INVALID', 422, 'dine-in orders need the scanned table code');
      const table = await resolveTable(this.tables, this.stores, req.tableCode);
      if (table.store.id !== store.id || (req.tableNo !== undefined && req.tableNo !== table.tableNo)) {
        throw new AppError('TABLE_CODE_INVALID', 422, 'the table code is for another store or table');
      }
      tableNo = table.tableNo;
    } else if (req.tableCode || req.tableNo) {
      throw new AppError('VALIDATION_FAILED', 400, 'a table goes only with dine-in orders');
    }
    if (req.fulfillment === 'delivery' && !req.address) {
      throw new AppError('VALIDATION_FAILED', 400, 'delivery orders need an address');
    }
    const channel = req.fulfillment === 'dine_in' ? 'dinein' : 'miniapp';
    const lines = await priceCart(this.catalog, {
      brandId,
      storeId: store.id,
      timeZone: store.timezone,
      channel,
      lines: req.lines,
      soldOut: await this.stock.soldOutSkuCodes(store.id),
      withPackaging: req.fulfillment !== 'dine_in',
      at: now,
    });
    const items = lines.reduce((sum, l) => sum + l.lineTotal, 0);
    const packaging = lines.reduce((sum, l) => sum + l.packagingFee, 0);
    const zone =
      req.fulfillment === 'delivery' && req.address
        ? await this.delivery.routeOwnDelivery(store, req.address, items, now)
        : null;
    const count = lines.reduce((sum, l) => sum + l.quantity, 0);
    const slot = await this.stock.nextSlotWithRoom(store.id, count, now + PREP_MS);
    if (slot === null) {
      throw new AppError('CAPACITY_FULL', 409, 'the kitchen is fully booked for today', { nextSlotStart: null });
    }
    const readyAt = Math.max(slot, now + PREP_MS);
    return {
      store,
      channel,
      lines,
      items,
      packaging,
      deliveryFee: zone?.fee ?? 0,
      readyAt,
      promisedAt: readyAt + (zone ? zone.minutes * 60_000 : 0),
      tableNo,
      zone,
    };
  }

  async quote(member: MemberPrincipal, req: CheckoutRequest): Promise<QuoteResponse> {
    const p = await this.price(member.brandId, req);
    return {
      storeId: p.store.id,
      fulfillment: req.fulfillment,
      lines: p.lines.map(({ sku: _sku, addonsPrice: _a, boxCount: _b, ...line }) => line),
      amounts: {
        items: p.items,
        packaging: p.packaging,
        deliveryFee: p.deliveryFee,
        discount: 0,
        total: p.items + p.packaging + p.deliveryFee,
      },
      promisedAt: new Date(p.promisedAt).toISOString(),
      tableNo: p.tableNo,
      deliveryZone: p.zone ? { name: p.zone.name, minutes: p.zone.minutes } : null,
    };
  }

  /**
   * Places an order under the client's Idempotency-Key: a retry answers the first result; a retry
   * after a crash finds the half-placed order by its placement key and finishes it.
   */
  async place(member: MemberPrincipal, req: CheckoutRequest, key: string | undefined): Promise<PlaceOrderResponse> {
    if (!key) throw new AppError('BAD_REQUEST', 400, 'placing an order needs an Idempotency-Key header');
    const result = await this.idempotency.run(`mp-order:${member.id}`, key, req, async () => {
      const placementKey = `${member.id}:${key}`.slice(0, 191);
      let order = await this.orders.findByPlacementKey(placementKey);
      let readyAt: number;
      if (order) {
        readyAt = Number(order.promised_at ?? order.placed_at);
      } else {
        const priced = await this.price(member.brandId, req);
        readyAt = priced.readyAt;
        ({ order } = await this.orders.create(
          this.newOrder(member, req, priced, placementKey),
          { source: 'member', id: member.id },
          (orderId) => [
            {
              topic: ORDER_TOPICS.paymentTimeout,
              payload: { orderId },
              dedupeKey: `payment-timeout:${orderId}`,
              delayMs: PAY_WINDOW_MS,
            },
          ],
        ));
      }
      if (order.status !== 'pending_payment') {
        throw new AppError('ORDER_STATE', 409, `this order is already ${order.status}`);
      }
      const payment = await this.placement.run({
        order,
        readyAt,
        description: `${order.day_seq ?? ''} ${order.channel === 'dinein' ? '堂食' : '小程序'}订单`.trim(),
      });
      const view = await this.orders.view(await this.orders.get(order.id), 'member');
      return { status: 201, body: { order: view, payment } };
    });
    return result.body as PlaceOrderResponse;
  }

  private newOrder(member: MemberPrincipal, req: CheckoutRequest, p: Priced, placementKey: string): NewOrder {
    const now = this.clock.now();
    return {
      brandId: member.brandId,
      storeId: p.store.id,
      channel: p.channel,
      channelOrderId: null,
      displayId: null,
      gateway: null,
      fulfillment: req.fulfillment,
      deliveryMode: req.fulfillment === 'delivery' ? 'self' : null,
      status: 'pending_payment',
      placedAt: now,
      promisedAt: p.promisedAt,
      payBy: now + PAY_WINDOW_MS,
      daySeq: null,
      memberId: member.id,
      placementKey,
      amounts: {
        items: p.items,
        packaging: p.packaging,
        deliveryFee: p.deliveryFee,
        discountPlatform: 0,
        discountMerchant: 0,
        paid: p.items + p.packaging + p.deliveryFee,
        merchantIncome: p.items + p.packaging + p.deliveryFee,
      },
      remark: req.remark ?? '',
      tableNo: p.tableNo,
      recipient: req.address
        ? {
            name: req.address.name,
            phone: req.address.phone,
            address: req.address.address,
            lat: req.address.lat,
            lng: req.address.lng,
          }
        : null,
      logisticsCode: null,
      degraded: false,
      zoneName: p.zone?.name ?? null,
      lines: p.lines.map((l) => ({
        skuCode: l.skuCode,
        platformItemId: null,
        platformSkuId: null,
        name: l.name,
        specText: l.specText,
        addons: l.addons,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        addonsPrice: l.addonsPrice,
        packagingFee: l.packagingFee,
        boxCount: l.boxCount,
        lineTotal: l.lineTotal,
        unmapped: false,
      })),
    };
  }
}
