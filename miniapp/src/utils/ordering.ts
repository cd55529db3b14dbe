import type { StoreView } from 'shared-types';
import { closedText } from './hours';

/**
 * What the menu lets a diner do, from the store's state: order now, order ahead for pickup
 * (预约自取) while it is closed, or only look while it is closed and takes no orders ahead. Said up
 * front, so nobody fills a cart to learn at checkout that the store is closed.
 */
export interface OrderingState {
  kind: 'open' | 'ahead' | 'closed' | 'unknown';
  /** Dishes may go into the cart. */
  canAdd: boolean;
  /** The cart may go to checkout. */
  canCheckout: boolean;
  /** The banner under the store's name; null when open. */
  banner: string | null;
  /** The cart bar's button. */
  action: string;
}

export function orderingState(store: StoreView | null, dineIn: boolean, now: Date = new Date()): OrderingState {
  // Until the store list answers, the BFF's checkout is the judge.
  if (!store) return { kind: 'unknown', canAdd: true, canCheckout: true, banner: null, action: '去结算' };
  if (store.openNow) return { kind: 'open', canAdd: true, canCheckout: true, banner: null, action: '去结算' };
  const closed = closedText(store, now);
  if (store.preorderDays > 0 && !dineIn) {
    return { kind: 'ahead', canAdd: true, canCheckout: true, banner: `${closed}，现在可预约自取`, action: '去预约' };
  }
  return { kind: 'closed', canAdd: false, canCheckout: false, banner: `${closed}，暂不接单`, action: '休息中' };
}
