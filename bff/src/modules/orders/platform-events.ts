import type { OrdersTable } from 'db';
import type { Updateable } from 'kysely';
import type { OrderStatus } from 'shared-types';
import type { DeliveryService, RiderUpdate } from '../delivery/service';
import type { Actor } from './model';
import type { OrderService } from './service';
import { platformMayMove } from './status';

/** What applying a platform event did: moved the order, nothing new, or its order is not here yet. */
export type PlatformApply = 'applied' | 'unchanged' | 'no-order';

/**
 * Events the platforms report about their orders (confirmed, completed, cancelled, refund requests
 * and answers, the rider), applied to the one order flow with the platform as their source.
 */
export class PlatformEvents {
  constructor(
    private readonly orders: OrderService,
    private readonly delivery: DeliveryService,
  ) {}

  /**
   * A platform says its order is now `to` (confirmed, completed, cancelled …). Platforms may skip
   * forward but never move an order backwards; an order we have not seen yet answers `no-order`
   * so the push can wait for it.
   */
  async platformMove(
    channel: 'meituan' | 'eleme',
    channelOrderId: string,
    to: OrderStatus,
    actor: Actor,
    extra: { reason?: string | null; set?: Updateable<OrdersTable>; type?: string } = {},
  ): Promise<PlatformApply> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const order = await this.orders.findByChannelId(channel, channelOrderId);
      if (!order) return 'no-order';
      const from = order.status as OrderStatus;
      if (!platformMayMove(from, to)) return 'unchanged';
      if (await this.orders.move(order, { to, from: [from], actor, ...extra })) return 'applied';
    }
    return 'unchanged';
  }

  /** The customer or the platform's service asked for a refund, withdrew it, or it was decided. */
  async platformRefund(
    channel: 'meituan' | 'eleme',
    channelOrderId: string,
    state: 'requested' | 'agreed' | 'rejected' | 'cancelled',
    actor: Actor,
    detail: { reason: string | null; partial: boolean; amount?: number | null },
  ): Promise<PlatformApply> {
    const order = await this.orders.findByChannelId(channel, channelOrderId);
    if (!order) return 'no-order';
    if (state === 'agreed') {
      const to: OrderStatus = detail.partial ? 'partially_refunded' : 'refunded';
      if (platformMayMove(order.status as OrderStatus, to)) {
        const moved = await this.orders.move(order, {
          to,
          from: [order.status as OrderStatus],
          actor,
          type: 'refund.agreed',
          reason: detail.reason,
          set: {
            refund_state: 'agreed',
            refund_reason: detail.reason?.slice(0, 255) ?? null,
            ...(detail.amount != null ? { refund_amount: detail.amount } : {}),
          },
        });
        return moved ? 'applied' : 'unchanged';
      }
    }
    if (order.refund_state === state) return 'unchanged';
    await this.orders.note(order, `refund.${state}`, actor, detail.reason, {
      refund_state: state,
      refund_reason: detail.reason?.slice(0, 255) ?? null,
    });
    return 'applied';
  }

  /** The rider moved: record it on the timeline and move the order when the food leaves or arrives. */
  async platformRider(
    channel: 'meituan' | 'eleme',
    channelOrderId: string,
    update: Omit<RiderUpdate, 'orderId'>,
    actor: Actor,
  ): Promise<PlatformApply> {
    const order = await this.orders.findByChannelId(channel, channelOrderId);
    if (!order) return 'no-order';
    const { recorded } = await this.delivery.recordRider({ ...update, orderId: order.id });
    if (update.mode && update.mode !== order.delivery_mode) {
      // The platform handed delivery to the store (Ele.me type 71): the kitchen now sends its own rider.
      const reason = update.mode === 'self' ? 'the platform asks the store to deliver' : 'the platform delivers';
      await this.orders.note(order, 'delivery.mode', actor, reason, { delivery_mode: update.mode });
    }
    const to: OrderStatus | null =
      update.status === 'picked_up' ? 'delivering' : update.status === 'delivered' ? 'delivered' : null;
    if (to && platformMayMove(order.status as OrderStatus, to)) {
      await this.orders.move(order, { to, from: [order.status as OrderStatus], actor, type: 'rider' });
    } else if (recorded) {
      await this.orders.publish(order, 'delivery.status');
    }
    return recorded ? 'applied' : 'unchanged';
  }
}
