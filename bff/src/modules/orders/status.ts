import type { DeliveryMode, Fulfillment, OrderStatus } from 'shared-types';

/**
 * The order status machine (DESIGN §3), as pure functions so every path (staff action, platform
 * push, payment, timer) asks the same rules:
 *
 *   pending_payment → placed → accepted → preparing → ready → (delivering → delivered) | picked_up | served → completed
 *   with cancelled, refunded and partially_refunded.
 */

/** How far along the main path a status is; terminal side states have no rank. */
const RANK: Partial<Record<OrderStatus, number>> = {
  pending_payment: 0,
  placed: 1,
  accepted: 2,
  preparing: 3,
  ready: 4,
  delivering: 5,
  picked_up: 6,
  served: 6,
  delivered: 6,
  completed: 7,
  partially_refunded: 8,
};

export function rankOf(status: OrderStatus): number | undefined {
  return RANK[status];
}

export const FINAL_STATUSES: readonly OrderStatus[] = ['cancelled', 'refunded'];

/** Statuses the kitchen still has work on (shown on the queue by default). */
export const KITCHEN_STATUSES: readonly OrderStatus[] = ['placed', 'accepted', 'preparing', 'ready', 'delivering'];

export function isFinal(status: OrderStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** The status a handover leads to, given how the order reaches the customer. */
export function handoverTarget(fulfillment: Fulfillment): OrderStatus {
  if (fulfillment === 'pickup') return 'picked_up';
  if (fulfillment === 'dine_in') return 'served';
  return 'delivering';
}

export type StaffAction = 'accept' | 'start' | 'ready' | 'handover' | 'delivered' | 'cancel';

export interface StaffActionPlan {
  /** Where the order goes, or null when it is already there (an idempotent repeat). */
  to: OrderStatus | null;
}

/** Staff may move an order only one legal step (or a short-cut the kitchen really takes: accept → ready). */
const STAFF_FROM: Record<Exclude<StaffAction, 'handover' | 'cancel'>, readonly OrderStatus[]> = {
  accept: ['placed'],
  start: ['accepted'],
  ready: ['accepted', 'preparing'],
  delivered: ['delivering'],
};

function staffTarget(action: StaffAction, fulfillment: Fulfillment): OrderStatus {
  switch (action) {
    case 'accept':
      return 'accepted';
    case 'start':
      return 'preparing';
    case 'ready':
      return 'ready';
    case 'handover':
      return handoverTarget(fulfillment);
    case 'delivered':
      return 'delivered';
    case 'cancel':
      return 'cancelled';
  }
}

/**
 * What a staff action does to an order in `status`: a transition, nothing (already done — the
 * retry of an action that succeeded), or null when it is not allowed (409 ORDER_STATE).
 */
export function planStaffAction(
  action: StaffAction,
  status: OrderStatus,
  fulfillment: Fulfillment,
  deliveryMode: DeliveryMode | null,
): StaffActionPlan | null {
  const target = staffTarget(action, fulfillment);
  if (action === 'cancel') {
    if (status === 'cancelled') return { to: null };
    if (['placed', 'accepted', 'preparing', 'ready'].includes(status)) return { to: 'cancelled' };
    return null;
  }
  if (isFinal(status)) return null;
  if (action === 'delivered' && !(fulfillment === 'delivery' && deliveryMode === 'self')) return null;
  const current = rankOf(status) ?? -1;
  const wanted = rankOf(target) ?? 0;
  if (status === target || (current >= wanted && current < 8 && onSamePath(status, fulfillment))) return { to: null };
  if (action === 'handover') return status === 'ready' ? { to: target } : null;
  return STAFF_FROM[action].includes(status) ? { to: target } : null;
}

/** Whether a status past the kitchen belongs to this fulfillment's path (a repeat check). */
function onSamePath(status: OrderStatus, fulfillment: Fulfillment): boolean {
  if (status === 'picked_up') return fulfillment === 'pickup';
  if (status === 'served') return fulfillment === 'dine_in';
  if (status === 'delivering' || status === 'delivered') return fulfillment === 'delivery';
  return true;
}

/**
 * Whether a platform (or payment, or timer) may move the order to `to`. Platforms are the source
 * of truth for their orders, so they may skip steps forward (a "completed" push for an order we
 * still show as placed), but never move one backwards, and nothing leaves a final state.
 */
export function platformMayMove(from: OrderStatus, to: OrderStatus): boolean {
  if (from === to || isFinal(from)) return false;
  if (to === 'cancelled') return from !== 'completed' && from !== 'partially_refunded';
  if (to === 'refunded') return true;
  if (to === 'partially_refunded') return from === 'completed';
  const a = rankOf(from);
  const b = rankOf(to);
  return a !== undefined && b !== undefined && b > a;
}
