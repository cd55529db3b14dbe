import type { CancelReason, OrderStatus, OrderView } from 'shared-types';
import type { Clock } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import type { StaffPrincipal } from '../../lib/principal';
import type { DeliveryService } from '../delivery/service';
import type { Actor } from './model';
import type { OrderRow } from './repo';
import { isOwnChannel, isPlatform, type OrderService } from './service';
import { planStaffAction, type StaffAction } from './status';
import type { PlatformCall } from './topics';

export interface ActionDetails {
  reason?: CancelReason;
  remark?: string;
  courierName?: string;
  courierPhone?: string;
}

/**
 * The kitchen's actions on an order (accept, start, ready, hand over, delivered, cancel) and the
 * answer to a platform refund request. Each is idempotent: a repeat answers the order as it is; an
 * action the order's status does not allow is 409 ORDER_STATE and changes nothing. What the
 * platform must hear is queued with the transition.
 */
export class KitchenActions {
  constructor(
    private readonly orders: OrderService,
    private readonly delivery: DeliveryService,
    private readonly clock: Clock,
  ) {}

  /** A kitchen action by staff: idempotent (a repeat answers the order as it is), 409 when illegal. */
  async staffAction(
    orderId: string,
    action: StaffAction,
    staff: StaffPrincipal,
    details: ActionDetails = {},
  ): Promise<OrderView> {
    let order = await this.orders.get(orderId);
    await staff.assertStore(order.store_id);
    for (let attempt = 0; attempt < 3; attempt++) {
      const status = order.status as OrderStatus;
      const plan = planStaffAction(action, status, order.fulfillment, order.delivery_mode);
      if (!plan) {
        throw new AppError('ORDER_STATE', 409, `cannot ${action} an order that is ${status}`, { status, action });
      }
      if (plan.to === null) return this.orders.view(order, 'staff');
      if (action === 'cancel' && order.channel === 'meituan' && details.reason === 'other') {
        throw new AppError(
          'CANCEL_REASON_UNSUPPORTED',
          422,
          'Meituan orders are cancelled with a reason it knows: sold_out, busy or closed',
        );
      }
      if (action === 'delivered' && !details.courierPhone) {
        const rider = (await this.delivery.viewsFor([order.id])).get(order.id);
        details = { ...details, courierPhone: rider?.riderPhone ?? undefined };
      }
      const calls = this.callsFor(order, action, details);
      const actor: Actor = { source: 'staff', id: staff.id };
      const moved = await this.orders.move(order, {
        to: plan.to,
        from: [status],
        actor,
        reason: action === 'cancel' ? (details.remark ?? details.reason ?? null) : null,
        set: action === 'cancel' ? { cancel_reason: details.reason ?? 'other' } : undefined,
        calls,
      });
      if (moved) {
        await this.afterStaffMove(order, plan.to, details);
        return this.orders.view(await this.orders.get(orderId), 'staff');
      }
      order = await this.orders.get(orderId);
    }
    throw new AppError('CONFLICT', 409, 'the order changed while this was being done; try again');
  }

  private callsFor(order: OrderRow, action: StaffAction, d: ActionDetails): PlatformCall[] {
    if (!isPlatform(order.channel)) return [];
    switch (action) {
      case 'accept':
        return [{ op: 'confirm' }];
      case 'ready':
        return [{ op: 'ready' }];
      case 'cancel':
        return [{ op: 'cancel', reason: d.reason ?? 'other', ...(d.remark ? { remark: d.remark } : {}) }];
      case 'handover':
        return order.delivery_mode === 'self'
          ? [{ op: 'delivering', courierName: d.courierName ?? '', courierPhone: d.courierPhone ?? '' }]
          : [];
      case 'delivered':
        return [{ op: 'delivered', ...(d.courierPhone ? { courierPhone: d.courierPhone } : {}) }];
      default:
        return [];
    }
  }

  /** Own riders' moves go on the delivery timeline; own-channel orders complete at handover. */
  private async afterStaffMove(
    order: OrderRow,
    to: OrderStatus,
    d: { courierName?: string; courierPhone?: string },
  ): Promise<void> {
    const now = this.clock.now();
    if (order.delivery_mode === 'self' && (to === 'delivering' || to === 'delivered')) {
      await this.delivery.recordRider({
        orderId: order.id,
        status: to === 'delivering' ? 'picked_up' : 'delivered',
        riderName: d.courierName ?? null,
        riderPhone: d.courierPhone ?? null,
        source: 'staff',
        dedupeKey: `staff:${to}`,
        at: now,
      });
    }
    if (isOwnChannel(order.channel) && (to === 'picked_up' || to === 'served' || to === 'delivered')) {
      const fresh = await this.orders.get(order.id);
      await this.orders.move(fresh, { to: 'completed', from: [to], actor: { source: 'system', id: 'handover' } });
    }
  }

  /** The platform asked to refund: staff agree (the order is refunded) or reject. */
  async decideRefund(orderId: string, decision: 'agree' | 'reject', staff: StaffPrincipal, reason?: string) {
    const order = await this.orders.get(orderId);
    await staff.assertStore(order.store_id);
    if (order.refund_state === (decision === 'agree' ? 'agreed' : 'rejected')) return this.orders.view(order, 'staff');
    if (order.refund_state !== 'requested' || !isPlatform(order.channel)) {
      throw new AppError('ORDER_STATE', 409, 'this order has no refund request waiting for an answer', {
        refund: order.refund_state,
      });
    }
    const actor: Actor = { source: 'staff', id: staff.id };
    const call: PlatformCall = { op: 'refund', decision, ...(reason ? { reason } : {}) };
    if (decision === 'agree') {
      await this.orders.move(order, {
        to: 'refunded',
        from: [order.status as OrderStatus],
        actor,
        type: 'refund.agreed',
        reason: reason ?? null,
        set: { refund_state: 'agreed' },
        calls: [call],
      });
    } else {
      await this.orders.note(order, 'refund.rejected', actor, reason ?? null, { refund_state: 'rejected' }, call);
    }
    return this.orders.view(await this.orders.get(orderId), 'staff');
  }
}
