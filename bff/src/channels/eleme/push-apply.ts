import type { CatalogLookup } from '../../modules/catalog/pricing/lookup';
import type { DeliveryService } from '../../modules/delivery/service';
import type { ApplyOutcome, InboxRow } from '../../modules/orders/inbox';
import type { Actor } from '../../modules/orders/model';
import type { PlatformEvents } from '../../modules/orders/platform-events';
import { PlatformIngest } from '../../modules/orders/platform-ingest';
import type { OrderService } from '../../modules/orders/service';
import type { StoreService } from '../../modules/stores/service';
import {
  CANCEL_FLOW,
  CANCELLED,
  ElemeEnvelope,
  type EventMessage,
  elemeNewOrder,
  parseWith,
  REFUND_FLOW,
  readElemeMessage,
  riderStatusOf,
} from './push-order';

/** Applies a recorded Ele.me push (by push or by the compensation pull) to the order flow. */
export class ElemePushApplier {
  constructor(
    private readonly ingest: PlatformIngest,
    private readonly orders: OrderService,
    private readonly events: PlatformEvents,
    private readonly catalog: CatalogLookup,
    private readonly delivery: DeliveryService,
    private readonly stores: StoreService,
    private readonly parseJson: (text: string) => unknown,
  ) {}

  async apply(row: InboxRow): Promise<ApplyOutcome> {
    const envelope = parseWith(ElemeEnvelope, this.parseJson(row.body), 'envelope');
    const meta = JSON.parse(row.meta) as { brandId: string };
    const type = envelope.type;
    const read = readElemeMessage(type, envelope.message, this.parseJson);
    const actor: Actor = { source: 'platform', id: row.id };
    if (read.order) {
      const store = await this.stores.get(row.store_id);
      const existing = await this.orders.findByChannelId('eleme', read.order.id);
      if (existing) {
        await this.ingest.resume(existing);
      } else {
        await this.ingest.ingest(
          await elemeNewOrder(read.order, {
            brandId: meta.brandId,
            storeId: store.id,
            timeZone: store.timezone,
            catalog: this.catalog,
            platformDelivers: await this.delivery.platformDelivers(store.id, 'eleme'),
          }),
          actor,
        );
      }
      return { status: 'applied' };
    }
    if (!read.event) return { status: 'ignored', note: `message type ${type}` };
    return this.applyEvent(type, read.event, actor, row);
  }

  private async applyEvent(type: number, e: EventMessage, actor: Actor, row: InboxRow): Promise<ApplyOutcome> {
    const what = `type ${type}`;
    if (type === 12)
      return PlatformIngest.outcome(await this.events.platformMove('eleme', e.orderId, 'accepted', actor), what);
    if (type === 18)
      return PlatformIngest.outcome(await this.events.platformMove('eleme', e.orderId, 'completed', actor), what);
    if (CANCELLED.has(type) || (type === 23 && CANCEL_FLOW[type])) {
      const result = await this.events.platformMove('eleme', e.orderId, 'cancelled', actor, {
        reason: e.reason ?? what,
        set: { cancel_reason: `eleme:${type} ${e.reason ?? ''}`.trim().slice(0, 255) },
      });
      return PlatformIngest.outcome(result, what);
    }
    if (type === 45) {
      const order = await this.orders.findByChannelId('eleme', e.orderId);
      if (!order) return PlatformIngest.outcome('no-order', what);
      await this.orders.note(order, 'reminder', actor, 'the customer is asking after the order');
      return { status: 'applied' };
    }
    const flow = type in CANCEL_FLOW ? CANCEL_FLOW : type in REFUND_FLOW ? REFUND_FLOW : null;
    if (flow) {
      const state = flow[type];
      if (!state) return { status: 'ignored', note: `${what}: arbitration` };
      const result = await this.events.platformRefund('eleme', e.orderId, state, actor, {
        reason: e.reason ?? null,
        partial: e.refundType === 'part',
        amount: e.totalPrice ?? null,
      });
      return PlatformIngest.outcome(result, what);
    }
    if (type === 71) {
      const result = await this.events.platformRider(
        'eleme',
        e.orderId,
        {
          status: 'waiting',
          source: 'platform',
          dedupeKey: `el:71:${row.id}`,
          at: Number(row.received_at),
          mode: 'self',
        },
        actor,
      );
      return PlatformIngest.outcome(result, what);
    }
    const status = riderStatusOf(type);
    if (!status) return { status: 'ignored', note: what };
    const at = e.updateAt ?? (e.updateTime ? e.updateTime * 1000 : Number(row.received_at));
    const result = await this.events.platformRider(
      'eleme',
      e.orderId,
      {
        status,
        riderName: e.name ?? null,
        riderPhone: e.phone ?? null,
        source: 'platform',
        dedupeKey: `el:${type}:${at}`,
        at,
      },
      actor,
    );
    return PlatformIngest.outcome(result, what);
  }
}
