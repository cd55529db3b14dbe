import type { CancelReason } from 'shared-types';
import {
  type PlatformCall,
  type PlatformOrderRef,
  type PlatformOrderWriter,
  PlatformRefusal,
} from '../../modules/orders/topics';
import { PlatformError, toDeliveryFailure } from '../platform-error';
import type { ElemeOAuth } from './oauth';
import type { ElemeTransport } from './transport';

/** Our cancel reasons as Ele.me's `cancelOrderLite` types (spec delivery-platforms.md §2.4). */
const CANCEL_TYPE: Record<CancelReason, string> = {
  sold_out: 'foodSoldOut',
  busy: 'restaurantTooBusy',
  closed: 'restaurantClosed',
  other: 'others',
};

/**
 * Writes order status back to Ele.me (the "Lite" order actions). Order ids go as strings, as
 * Ele.me sends them; the self-use app's token comes from the shared OAuth cache.
 */
export class ElemeOrderClient implements PlatformOrderWriter {
  constructor(
    private readonly transport: ElemeTransport,
    private readonly oauth: ElemeOAuth,
  ) {}

  async send(order: PlatformOrderRef, call: PlatformCall): Promise<void> {
    const { action, params } = this.request(order.channelOrderId, call);
    try {
      await this.oauth.withToken((token) => this.transport.call(action, params, token));
    } catch (err) {
      if (err instanceof PlatformError && !err.retryable) throw new PlatformRefusal(err.message);
      throw toDeliveryFailure(err);
    }
  }

  request(orderId: string, call: PlatformCall): { action: string; params: Record<string, unknown> } {
    switch (call.op) {
      case 'confirm':
        return { action: 'eleme.order.confirmOrderLite', params: { orderId } };
      case 'ready':
        return { action: 'eleme.order.setOrderPrepared', params: { orderId } };
      case 'cancel':
        return {
          action: 'eleme.order.cancelOrderLite',
          params: { orderId, type: CANCEL_TYPE[call.reason], remark: call.remark ?? '' },
        };
      case 'refund':
        return call.decision === 'agree'
          ? { action: 'eleme.order.agreeRefundLite', params: { orderId } }
          : { action: 'eleme.order.disagreeRefundLite', params: { orderId, reason: call.reason ?? '' } };
      case 'delivering':
        return { action: 'eleme.order.startDeliveryBySelf', params: { orderId, phone: call.courierPhone } };
      case 'delivered':
        return { action: 'eleme.order.completeDeliveryBySelf', params: { orderId, phone: call.courierPhone ?? '' } };
    }
  }
}
