import { openCaterSign, WAIMAIOPEN_DOUBLE_ENCODED, waimaiopenSig } from 'bff/channels/meituan/sign';
import { SIMULATOR_DEFAULTS } from 'shared-types';
import { jsonNumber, stringifyJsonExact } from '../json';
import type { SimState } from '../state';
import {
  meituanOrderBook,
  openCaterOrderJson,
  rememberMeituanOrder,
  type SimMeituanOrder,
  waimaiopenOrderFields,
} from './orders';

export type MeituanPushType =
  | 'new-order'
  | 'confirmed'
  | 'completed'
  | 'cancel'
  | 'refund'
  | 'refund-status'
  | 'logistics';

export type MeituanGatewayName = 'open-cater' | 'waimaiopen';

export interface MeituanPushTarget {
  /** Where the pushes are posted (the BFF). */
  postBase: string;
  /**
   * The callback base as configured in Meituan's console (the BFF's PUBLIC_BASE_URL): waimaiopen
   * signs the URL exactly as configured, which behind a proxy differs from where it is posted.
   */
  callbackBase?: string;
  developerId?: string;
  signKey?: string;
  appId?: string;
  appSecret?: string;
  /** A running simulator's state: pushed orders are remembered there, so its order APIs know them. */
  state?: SimState;
}

export interface PushOptions {
  gateway?: MeituanGatewayName;
  /** open-cater only: the newer `msgType`/`msgId`/`message` envelope instead of the classic one. */
  envelope?: 'classic' | 'message';
  msgId?: string;
  /** Sign wrongly, as an attacker or a misconfigured platform would. */
  badSignature?: boolean;
  /** The signed `timestamp` (unix seconds), for a push built long ago or replayed; now by default. */
  timestamp?: number;
}

export interface PushReply {
  status: number;
  body: unknown;
  text: string;
}

/** Java's URLEncoder (what Meituan encodes with): space as `+`, `*-._` kept. */
export function javaUrlEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function form(fields: Record<string, string>, doubleEncode: boolean): string {
  return Object.entries(fields)
    .map(([k, v]) => {
      const once = doubleEncode && WAIMAIOPEN_DOUBLE_ENCODED.has(k) ? javaUrlEncode(v) : v;
      return `${javaUrlEncode(k)}=${javaUrlEncode(once)}`;
    })
    .join('&');
}

/** The JSON field the classic open-cater envelope carries each push in. */
const FIELD: Record<MeituanPushType, string> = {
  'new-order': 'order',
  confirmed: 'order',
  completed: 'order',
  cancel: 'orderCancel',
  refund: 'orderRefund',
  'refund-status': 'orderRefund',
  logistics: 'shippingStatus',
};

/**
 * Sends pushes to our webhooks signed as Meituan does on each gateway: open-cater SHA-1 over the
 * form fields (classic or `msgType` envelope), waimaiopen MD5 over the configured callback URL with
 * the listed fields double-encoded in the body.
 */
export class MeituanPusher {
  constructor(private readonly target: MeituanPushTarget) {}

  private creds() {
    const d = SIMULATOR_DEFAULTS.meituan;
    return {
      developerId: this.target.developerId ?? d.developerId,
      signKey: this.target.signKey ?? d.signKey,
      appId: this.target.appId ?? d.appId,
      appSecret: this.target.appSecret ?? d.appSecret,
    };
  }

  /** The body and headers of a push, without sending it (for bursts, replays and benchmarks). */
  build(
    type: MeituanPushType,
    ePoiId: string,
    payload: { json: string; flat: Record<string, string> },
    options: PushOptions = {},
  ): { url: string; body: string } {
    const c = this.creds();
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const url = `${this.target.postBase}/webhooks/meituan/${type}`;
    if ((options.gateway ?? 'open-cater') === 'waimaiopen') {
      const callback = `${this.target.callbackBase ?? this.target.postBase}/webhooks/meituan/${type}`;
      const fields: Record<string, string> = { app_id: c.appId, timestamp, ...payload.flat };
      fields.sig = waimaiopenSig(callback, fields, options.badSignature ? `${c.appSecret}x` : c.appSecret);
      return { url, body: form(fields, true) };
    }
    const fields: Record<string, string> =
      options.envelope === 'message'
        ? {
            developerId: c.developerId,
            businessId: '2',
            ePoiId,
            msgType: '210001',
            msgId: options.msgId ?? `${Date.now()}${Math.floor(Math.random() * 1e6)}`,
            timestamp,
            message: payload.json,
          }
        : { developerId: c.developerId, ePoiId, timestamp, [FIELD[type]]: payload.json };
    fields.sign = openCaterSign(options.badSignature ? `${c.signKey}x` : c.signKey, fields);
    return { url, body: form(fields, false) };
  }

  async send(request: { url: string; body: string }): Promise<PushReply> {
    const res = await fetch(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: request.body,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body, text };
  }

  order(type: 'new-order' | 'confirmed' | 'completed', o: SimMeituanOrder, options: PushOptions = {}) {
    const status = type === 'new-order' ? 2 : type === 'confirmed' ? 4 : 8;
    if (this.target.state) rememberMeituanOrder(this.target.state, o);
    return this.send(
      this.build(
        type,
        o.ePoiId,
        { json: openCaterOrderJson(o, status), flat: waimaiopenOrderFields(o, status) },
        options,
      ),
    );
  }

  cancel(o: SimMeituanOrder, reasonCode: number, reason: string, options: PushOptions = {}) {
    const json = stringifyJsonExact({ orderId: jsonNumber(o.orderId), reasonCode, reason });
    const flat = { order_id: o.orderId, reason_code: String(reasonCode), reason, deal_op_type: '1' };
    return this.send(this.build('cancel', o.ePoiId, { json, flat }, options));
  }

  refund(
    o: SimMeituanOrder,
    notifyType: 'apply' | 'agree' | 'reject' | 'cancelRefund',
    reason: string,
    options: PushOptions & { refundId?: string } = {},
  ) {
    const refundId = options.refundId ?? '60000000001';
    const record = this.target.state ? meituanOrderBook(this.target.state).get(o.orderId) : undefined;
    if (record && notifyType === 'apply') record.refund = 'applied';
    const json = stringifyJsonExact({
      orderId: jsonNumber(o.orderId),
      notifyType,
      reason,
      refundId: jsonNumber(refundId),
    });
    const flat = {
      order_id: o.orderId,
      notify_type: notifyType,
      refund_id: refundId,
      ctime: String(Math.floor(Date.now() / 1000)),
      reason,
      res_type: notifyType === 'agree' ? '2' : notifyType === 'reject' ? '1' : '0',
      is_appeal: '0',
    };
    return this.send(this.build('refund', o.ePoiId, { json, flat }, options));
  }

  /** A Meituan rider update: 10 assigned, 15 at the store, 20 picked up, 40 delivered, 100 cancelled. */
  logistics(
    o: SimMeituanOrder,
    status: number,
    at: number,
    rider = { name: '李骑手', phone: '13900001111' },
    options: PushOptions = {},
  ) {
    const json = stringifyJsonExact({
      orderId: jsonNumber(o.orderId),
      shippingStatus: status,
      time: at,
      dispatcherName: rider.name,
      dispatcherMobile: rider.phone,
    });
    const flat = {
      order_id: o.orderId,
      wm_order_id_view: o.orderIdView,
      logistics_status: String(status),
      time: String(at),
      dispatcher_name: rider.name,
      dispatcher_mobile: rider.phone,
    };
    return this.send(this.build('logistics', o.ePoiId, { json, flat }, options));
  }
}
