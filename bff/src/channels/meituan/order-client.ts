import type { CancelReason } from 'shared-types';
import { jsonNumber } from '../../lib/json-exact';
import type { CatalogLookup } from '../../modules/catalog/pricing/lookup';
import {
  type PlatformCall,
  type PlatformOrderRef,
  type PlatformOrderWriter,
  PlatformRefusal,
} from '../../modules/orders/topics';
import { notConfigured, PlatformError, toDeliveryFailure } from '../platform-error';
import type { OpenCaterTransport } from './open-cater-transport';
import type { WaimaiopenTransport } from './waimaiopen-transport';

/**
 * Merchant cancel reasons (spec delivery-platforms.md §1.4: merchant codes 2001–2016, e.g. 2008
 * busy, 2009 sold out, 2011 closed). Only these three are known; `other` has no code we can name.
 */
const REASONS: Record<Exclude<CancelReason, 'other'>, { code: number; text: string }> = {
  sold_out: { code: 2009, text: '商品已售完' },
  busy: { code: 2008, text: '商家太忙' },
  closed: { code: 2011, text: '店铺已打烊' },
};

/**
 * Writes order status back to Meituan on the gateway the order came through. open-cater `biz`
 * follows the SDK's field types exactly: `Long` order ids are bare JSON numbers written from the
 * id string (`{"orderId":27061900338318741}`), the String ones (`preparationMealComplete`,
 * `agreeRefund`) are quoted — the two sign differently.
 */
export class MeituanOrderClient implements PlatformOrderWriter {
  constructor(
    private readonly openCater: OpenCaterTransport,
    private readonly waimaiopen: WaimaiopenTransport,
    private readonly catalog: CatalogLookup,
    private readonly defaultGateway: 'open-cater' | 'waimaiopen',
  ) {}

  async send(order: PlatformOrderRef, call: PlatformCall): Promise<void> {
    try {
      if ((order.gateway ?? this.defaultGateway) === 'waimaiopen') await this.legacy(order, call);
      else await this.cater(order, call);
    } catch (err) {
      if (err instanceof PlatformError && !err.retryable) throw new PlatformRefusal(err.message);
      throw toDeliveryFailure(err);
    }
  }

  private reason(call: PlatformCall & { op: 'cancel' }) {
    if (call.reason === 'other') throw new PlatformRefusal('Meituan has no cancel reason code for "other"');
    const r = REASONS[call.reason];
    return { code: r.code, text: call.remark ? `${r.text}：${call.remark}` : r.text };
  }

  private async cater(order: PlatformOrderRef, call: PlatformCall): Promise<void> {
    const token = (await this.catalog.binding(order.storeId, 'meituan'))?.token;
    if (!token) throw notConfigured('meituan', `the store-map binding (appAuthToken) of store ${order.storeId}`);
    const id = order.channelOrderId;
    const long = jsonNumber(id);
    switch (call.op) {
      case 'confirm':
        await this.openCater.call('/waimai/order/confirm', { orderId: long }, token);
        return;
      case 'ready':
        await this.openCater.call('/waimai/order/preparationMealComplete', { orderId: id }, token);
        return;
      case 'cancel': {
        const r = this.reason(call);
        await this.openCater.call('/waimai/order/cancel', { orderId: long, reason: r.text, reasonCode: r.code }, token);
        return;
      }
      case 'refund':
        if (call.decision === 'agree') {
          await this.openCater.call(
            '/waimai/order/agreeRefund',
            { orderId: id, reason: call.reason ?? '同意退款' },
            token,
          );
        } else {
          await this.openCater.call('/waimai/order/rejectRefund', { orderId: long, reason: call.reason ?? '' }, token);
        }
        return;
      case 'delivering':
        await this.openCater.call(
          '/waimai/order/delivering',
          { orderId: long, courierName: call.courierName, courierPhone: call.courierPhone },
          token,
        );
        return;
      case 'delivered':
        await this.openCater.call('/waimai/order/delivered', { orderId: long }, token);
        return;
    }
  }

  private async legacy(order: PlatformOrderRef, call: PlatformCall): Promise<void> {
    const order_id = order.channelOrderId;
    switch (call.op) {
      case 'confirm':
        await this.waimaiopen.call('POST', 'order/confirm', { order_id });
        return;
      case 'ready':
        await this.waimaiopen.call('POST', 'order/preparationMealComplete', { order_id });
        return;
      case 'cancel': {
        const r = this.reason(call);
        await this.waimaiopen.call('POST', 'order/cancel', { order_id, reason: r.text, reason_code: r.code });
        return;
      }
      case 'refund':
        await this.waimaiopen.call('POST', call.decision === 'agree' ? 'order/refund/agree' : 'order/refund/reject', {
          order_id,
          reason: call.reason ?? (call.decision === 'agree' ? '同意退款' : ''),
        });
        return;
      case 'delivering':
        await this.waimaiopen.call('POST', 'order/delivering', {
          order_id,
          courier_name: call.courierName,
          courier_phone: call.courierPhone,
        });
        return;
      case 'delivered':
        await this.waimaiopen.call('POST', 'order/arrived', { order_id });
        return;
    }
  }
}
