import { randomUUID } from 'node:crypto';
import { elemePushSignature } from 'bff/channels/eleme/sign';
import { SIMULATOR_DEFAULTS } from 'shared-types';
import { jsonNumber, stringifyJsonExact } from '../json';
import type { SimState } from '../state';
import {
  COMPENSATED_TYPES,
  elemeOrderBook,
  failedPushes,
  oOrderJson,
  rememberElemeOrder,
  type SimElemeOrder,
} from './orders';

export interface ElemePushTarget {
  /** Where pushes are posted (the BFF); they go to `<postBase>/webhooks/eleme`. */
  postBase: string;
  appId?: string;
  appSecret?: string;
  /** A running simulator's state: pushed orders are remembered, failed pushes kept for the pull. */
  state?: SimState;
}

export interface ElemePushOptions {
  badSignature?: boolean;
  /** Reuse a requestId (Ele.me's retry of the same push). */
  requestId?: string;
  /** Do not deliver: only keep it for the compensation pull (a push Ele.me failed to make). */
  undelivered?: boolean;
  /** The signed `timestamp` (ms), for a push built long ago or replayed; now by default. */
  timestamp?: number;
}

export interface ElemePushReply {
  status: number;
  body: unknown;
  requestId: string;
}

/**
 * Sends Ele.me pushes to our webhook as Ele.me does (spec delivery-platforms.md §2.2): one JSON
 * envelope per message, `message` a JSON string, `userId`/`shopId`/`appId` bare numbers (userId
 * above 2^53), MD5 signature over the seven fields. A push not answered `{"message":"ok"}` is
 * kept for `eleme.msgNew.getPushFailMsg`, as the platform's compensation channel does.
 */
export class ElemePusher {
  constructor(private readonly target: ElemePushTarget) {}

  build(
    type: number,
    shopId: string,
    message: string,
    options: ElemePushOptions = {},
  ): { requestId: string; body: string } {
    const appId = this.target.appId ?? SIMULATOR_DEFAULTS.eleme.appId;
    const secret = this.target.appSecret ?? SIMULATOR_DEFAULTS.eleme.appSecret;
    const requestId = options.requestId ?? randomUUID().replace(/-/g, '');
    const push = {
      requestId,
      type,
      appId: jsonNumber(appId),
      message,
      shopId: jsonNumber(shopId),
      timestamp: options.timestamp ?? Date.now(),
      userId: jsonNumber('1152921504606846976'),
    };
    const signature = elemePushSignature(push, options.badSignature ? `${secret}x` : secret);
    return { requestId, body: stringifyJsonExact({ ...push, signature }) };
  }

  async send(
    type: number,
    push: { requestId: string; body: string },
    options: ElemePushOptions = {},
  ): Promise<ElemePushReply> {
    let status = 0;
    let body: unknown = null;
    if (!options.undelivered) {
      try {
        const res = await fetch(`${this.target.postBase}/webhooks/eleme`, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: push.body,
        });
        status = res.status;
        const text = await res.text();
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      } catch {
        status = 0;
      }
    }
    const ok = status === 200 && (body as { message?: unknown } | null)?.message === 'ok';
    if (!ok && this.target.state && COMPENSATED_TYPES.has(type)) {
      failedPushes(this.target.state).push({ msgId: `fail-${push.requestId}`, type, content: push.body });
    }
    return { status, body, requestId: push.requestId };
  }

  /** Type 10: a new order (the message is the whole OOrder). */
  newOrder(o: SimElemeOrder, options: ElemePushOptions = {}) {
    if (this.target.state) rememberElemeOrder(this.target.state, o);
    return this.send(10, this.build(10, o.shopId, oOrderJson(o), options), options);
  }

  /** 12 accepted, 14/15/17 cancelled or invalid, 18 settled. */
  status(o: SimElemeOrder, type: 12 | 14 | 15 | 17 | 18, options: ElemePushOptions = {}) {
    const state = { 12: 'valid', 14: 'invalid', 15: 'invalid', 17: 'invalid', 18: 'settled' }[type];
    const message = stringifyJsonExact({
      orderId: o.id,
      state,
      shopId: jsonNumber(o.shopId),
      updateTime: Math.floor(Date.now() / 1000),
      role: 1,
    });
    return this.send(type, this.build(type, o.shopId, message, options), options);
  }

  /** 30 the customer asks for a refund, 31 withdraws it, 33 agreed … */
  refund(o: SimElemeOrder, type: 20 | 21 | 30 | 31 | 32 | 33, reason: string, options: ElemePushOptions = {}) {
    const record = this.target.state ? elemeOrderBook(this.target.state).get(o.id) : undefined;
    if (record && (type === 20 || type === 30)) record.refund = 'applied';
    const message = stringifyJsonExact({
      orderId: o.id,
      refundStatus: type === 30 || type === 20 ? 'applied' : 'noRefund',
      reason,
      goodsList: [],
      refundType: 'normal',
      totalPrice: 0,
      updateTime: Math.floor(Date.now() / 1000),
    });
    return this.send(type, this.build(type, o.shopId, message, options), options);
  }

  /** 52 waiting for a rider, 53 assigned, 54 at the store, 55 picked up, 56 delivered, 57+ cancelled/failed. */
  delivery(
    o: SimElemeOrder,
    type: number,
    at: number,
    rider = { name: '赵骑手', phone: '13700002222' },
    options: ElemePushOptions = {},
  ) {
    const states: Record<number, string> = {
      52: 'tobeAssignedCourier',
      53: 'tobeFetched',
      54: 'arrived',
      55: 'delivering',
      56: 'completed',
    };
    const message = stringifyJsonExact({
      orderId: o.id,
      state: states[type] ?? 'exception',
      subState: 'none',
      name: rider.name,
      phone: rider.phone,
      updateAt: at,
    });
    return this.send(type, this.build(type, o.shopId, message, options), options);
  }
}
