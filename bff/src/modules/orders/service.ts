import { type Database, newId, type OrdersTable } from 'db';
import type { Kysely, Updateable } from 'kysely';
import type { Channel, OrderStatus, OrderView } from 'shared-types';
import type { Cache } from '../../cache';
import type { Clock } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import { type LiveEvent, storeLiveChannel } from '../../lib/live';
import { localParts } from '../../lib/local-time';
import type { Logger } from '../../logger';
import { enqueue, type OutboxMessage } from '../../sync/outbox';
import type { DeliveryService } from '../delivery/service';
import type { StoreService } from '../stores/service';
import type { Actor, NewOrder } from './model';
import type { OrderRepo, OrderRow } from './repo';
import { isFinal } from './status';
import { ORDER_TOPICS, orderChanged, type PlatformCall } from './topics';
import type { OrderViews } from './views';

const OWN_CHANNELS: readonly Channel[] = ['miniapp', 'dinein'];
export const isOwnChannel = (channel: Channel) => OWN_CHANNELS.includes(channel);
export const isPlatform = (channel: Channel): channel is 'meituan' | 'eleme' => !isOwnChannel(channel);

export interface Move {
  to: OrderStatus;
  /** Statuses the move is allowed from; the conditional UPDATE checks them again. */
  from: readonly OrderStatus[];
  actor: Actor;
  type?: string;
  reason?: string | null;
  set?: Updateable<OrdersTable>;
  /** Write-backs to the order's platform, queued in the same transaction. */
  calls?: PlatformCall[];
  data?: unknown;
}

/**
 * The one order flow: creation from any channel, the status machine with an event per
 * transition, staff actions, platform events, and what each change owes the stock pool and the
 * platforms (queued in the outbox in the same transaction).
 */
export class OrderService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: OrderRepo,
    private readonly views: OrderViews,
    private readonly delivery: DeliveryService,
    private readonly stores: StoreService,
    private readonly cache: Cache,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly wake: () => Promise<void>,
  ) {}

  /** Records a new order once: a second call with the same (channel, order id) answers the first. */
  async create(
    order: NewOrder,
    actor: Actor,
    /** Follow-up work queued in the same transaction when the order is new (e.g. its payment timeout). */
    follow: (orderId: string) => OutboxMessage[] = () => [],
  ): Promise<{ order: OrderRow; created: boolean }> {
    const store = await this.stores.get(order.storeId);
    const now = this.clock.now();
    const businessDate = localParts(order.placedAt, store.timezone).date;
    const id = newId(now);
    const created = await this.db.transaction().execute(async (trx) => {
      const inserted = await this.repo.insert(trx, id, order, businessDate, now);
      if (!inserted) return false;
      if (order.daySeq === null && isOwnChannel(order.channel)) {
        await this.repo.setDaySeq(trx, id, await this.repo.nextDaySeq(trx, order.storeId, businessDate));
      }
      await this.repo.insertEvent(trx, { orderId: id, type: 'created', from: null, to: order.status, actor, at: now });
      if (order.fulfillment === 'delivery' && order.deliveryMode) {
        await this.delivery.openForOrder(
          trx,
          {
            orderId: id,
            storeId: order.storeId,
            mode: order.deliveryMode,
            logisticsCode: order.logisticsCode,
            zoneName: order.zoneName,
          },
          now,
        );
      }
      for (const message of follow(id)) await enqueue(trx, message, now);
      await enqueue(trx, orderChanged({ id, store_id: order.storeId }), now);
      return true;
    });
    const row = created
      ? await this.repo.get(id)
      : order.placementKey
        ? await this.repo.byPlacementKey(order.placementKey)
        : await this.repo.byChannelId(order.channel, order.channelOrderId ?? id);
    if (!row) throw new Error(`order ${order.channel}:${order.channelOrderId ?? id} vanished after insert`);
    if (created) await this.wake();
    if (created && row.status !== 'pending_payment') await this.publish(row, 'order.created');
    return { order: row, created };
  }

  async get(orderId: string): Promise<OrderRow> {
    const row = await this.repo.get(orderId);
    if (!row) throw new AppError('NOT_FOUND', 404, 'order not found');
    return row;
  }

  find(orderId: string): Promise<OrderRow | undefined> {
    return this.repo.get(orderId);
  }

  /** The order an own-channel placement key already made, if any (a retried place is the same order). */
  findByPlacementKey(key: string): Promise<OrderRow | undefined> {
    return this.repo.byPlacementKey(key);
  }

  /** A member's recent orders, newest first. */
  forMember(memberId: string): Promise<OrderRow[]> {
    return this.repo.forMember(memberId);
  }

  findByChannelId(channel: Channel, channelOrderId: string): Promise<OrderRow | undefined> {
    return this.repo.byChannelId(channel, channelOrderId);
  }

  /**
   * Moves an order with one event row, the platform write-backs and the stock follow-up, all in
   * one transaction. Answers whether this call moved it (false: it was no longer in `from`).
   */
  async move(order: OrderRow, m: Move): Promise<boolean> {
    const now = this.clock.now();
    const stamps: Updateable<OrdersTable> = {};
    if (m.to === 'accepted') stamps.accepted_at = now;
    if (m.to === 'ready') stamps.ready_at = now;
    if (m.to === 'completed') stamps.completed_at = now;
    if (m.to === 'cancelled') stamps.cancelled_at = now;
    const messages: OutboxMessage[] = [orderChanged(order)];
    if (isPlatform(order.channel)) {
      for (const call of m.calls ?? []) {
        messages.push({
          topic: ORDER_TOPICS.platform,
          payload: { orderId: order.id, call },
          aggregateId: `order:${order.id}`,
          dedupeKey: `platform:${call.op}:${order.id}`,
        });
      }
    }
    if (m.to === 'cancelled' || m.to === 'refunded' || order.stock_state === 'reserved') {
      messages.push({
        topic: ORDER_TOPICS.stock,
        payload: { orderId: order.id },
        aggregateId: `stock:${order.id}`,
        dedupeKey: `stock:${order.id}:${m.to}`,
      });
    }
    if (m.to === 'cancelled' && isOwnChannel(order.channel) && order.status !== 'pending_payment') {
      messages.push({
        topic: ORDER_TOPICS.refundPayment,
        payload: { orderId: order.id, reason: m.reason ?? 'cancelled' },
        dedupeKey: `refund-payment:${order.id}`,
      });
    }
    const moved = await this.db.transaction().execute(async (trx) => {
      if (!(await this.repo.move(trx, order.id, m.from, m.to, { ...stamps, ...m.set }, now))) return false;
      await this.repo.insertEvent(trx, {
        orderId: order.id,
        type: m.type ?? 'status',
        from: order.status as OrderStatus,
        to: m.to,
        actor: m.actor,
        reason: m.reason ?? null,
        data: m.data,
        at: now,
      });
      for (const message of messages) await enqueue(trx, message, now);
      return true;
    });
    if (moved) {
      await this.wake();
      await this.publish({ ...order, status: m.to }, 'order.status');
    }
    return moved;
  }

  /**
   * Records a fact about an order that is not a transition (refund requested or answered, a
   * reminder, an alert), with column changes and, for platform orders, a write-back.
   */
  async note(
    order: OrderRow,
    type: string,
    actor: Actor,
    reason: string | null,
    set?: Updateable<OrdersTable>,
    call?: PlatformCall,
  ): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      if (set) await this.repo.update(trx, order.id, set, now);
      await this.repo.insertEvent(trx, { orderId: order.id, type, from: null, to: null, actor, reason, at: now });
      if (set) await enqueue(trx, orderChanged(order), now);
      if (call && isPlatform(order.channel)) {
        const message = {
          topic: ORDER_TOPICS.platform,
          payload: { orderId: order.id, call },
          aggregateId: `order:${order.id}`,
          dedupeKey: `platform:${call.op}:${type}:${order.id}:${order.version}`,
        };
        await enqueue(trx, message, now);
      }
    });
    if (call || set) await this.wake();
    await this.publish(order, `order.${type}`);
  }

  // ── own channels ──

  /** Payment confirmed: the order reaches the kitchen. Safe to call again. */
  async markPaid(orderId: string, actor: Actor): Promise<'placed' | 'already' | 'too-late'> {
    const order = await this.get(orderId);
    if (order.status !== 'pending_payment') return order.status === 'cancelled' ? 'too-late' : 'already';
    const moved = await this.move(order, { to: 'placed', from: ['pending_payment'], actor, type: 'paid' });
    if (moved) await this.publish({ ...order, status: 'placed' }, 'order.created');
    if (moved) return 'placed';
    const now = await this.get(orderId);
    return now.status === 'cancelled' ? 'too-late' : 'already';
  }

  /** Queues giving a paid own-channel order's money back. */
  async requestRefund(orderId: string, reason: string): Promise<void> {
    await enqueue(
      this.db,
      { topic: ORDER_TOPICS.refundPayment, payload: { orderId, reason }, dedupeKey: `refund-payment:${orderId}` },
      this.clock.now(),
    );
    await this.wake();
  }

  /** An unplaced own-channel order is given up (timeout, failed placement, the member cancelled). */
  async abandonUnpaid(orderId: string, actor: Actor, reason: string): Promise<boolean> {
    const order = await this.get(orderId);
    if (order.status !== 'pending_payment') return false;
    return this.move(order, {
      to: 'cancelled',
      from: ['pending_payment'],
      actor,
      reason,
      set: { cancel_reason: reason.slice(0, 255) },
    });
  }

  // ── views and live ──

  view(order: OrderRow, audience: 'staff' | 'member'): Promise<OrderView> {
    return this.views.one(order, audience);
  }

  viewsOf(orders: OrderRow[], audience: 'staff' | 'member'): Promise<OrderView[]> {
    return this.views.build(orders, audience);
  }

  /** Tells every kitchen screen of the store (on any BFF process) that an order changed. */
  async publish(order: Pick<OrderRow, 'id' | 'store_id' | 'status'>, type: string): Promise<void> {
    const event: LiveEvent = {
      type,
      storeId: order.store_id,
      at: this.clock.now(),
      data: { orderId: order.id, status: order.status },
    };
    try {
      await this.cache.publish(storeLiveChannel(order.store_id), JSON.stringify(event));
    } catch (err) {
      // Screens re-read the queue when they reconnect; a lost live event is not a lost order.
      this.logger.warn({ err, orderId: order.id }, 'live event not published');
    }
  }

  isFinal(order: OrderRow): boolean {
    return isFinal(order.status as OrderStatus);
  }
}
