import type { CancelReason } from 'shared-types';

/** Outbox topics of the order flow. Payloads are JSON; handlers are idempotent. */
export const ORDER_TOPICS = {
  /** A status write-back to the platform the order came from (aggregate `order:<id>`, so in order). */
  platform: 'orders.platform',
  /** Tell the stock pool what became of an order's reservation (commit or release). */
  stock: 'orders.stock',
  /** An unpaid own-channel order's payment window closed. */
  paymentTimeout: 'orders.payment-timeout',
  /** A paid own-channel order was cancelled: its payment goes back to the member. */
  refundPayment: 'orders.refund-payment',
  /**
   * An order was created or changed (status, amounts, refund). Queued in the transaction of every
   * order write, aggregate `orders.changed:<store>`; the reports module recounts the order from it.
   */
  changed: 'orders.changed',
} as const;

/** The `orders.changed` event of one order write. */
export function orderChanged(order: { id: string; store_id: string }) {
  return {
    topic: ORDER_TOPICS.changed,
    payload: { orderId: order.id },
    aggregateId: `orders.changed:${order.store_id}`,
  };
}

/** What we tell a platform about one of its orders. */
export type PlatformCall =
  | { op: 'confirm' }
  | { op: 'ready' }
  | { op: 'cancel'; reason: CancelReason; remark?: string }
  | { op: 'refund'; decision: 'agree' | 'reject'; reason?: string }
  | { op: 'delivering'; courierName: string; courierPhone: string }
  | { op: 'delivered'; courierPhone?: string };

/** The order's platform identity, as the channel clients need it. */
export interface PlatformOrderRef {
  orderId: string;
  storeId: string;
  channel: 'meituan' | 'eleme';
  /** The platform's order id, exactly as it sent it (digits beyond 2^53). */
  channelOrderId: string;
  /** Meituan: the gateway the order came through. */
  gateway: string | null;
}

/**
 * Write-backs to one platform. The channel adapters implement this (channels depend on modules,
 * never the reverse); the outbox handler picks the one for the order's channel. A failure the
 * platform will never accept throws `PlatformRefusal`; anything else is retried.
 */
export interface PlatformOrderWriter {
  send(order: PlatformOrderRef, call: PlatformCall): Promise<void>;
}

/** The platform said no for good (invalid request, order state): retrying cannot help. */
export class PlatformRefusal extends Error {}
