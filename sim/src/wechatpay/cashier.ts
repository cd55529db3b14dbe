import { randomBytes } from 'node:crypto';
import type { SimState } from '../state';
import { encryptResource, type RequestPaymentParams, signWechatpayResponse, verifyPaySign } from './crypto';
import { type SimTransaction, settings, transactionBody, wechatPay } from './pay';
import { WECHATPAY_TEST_KEYS } from './test-keys';

/**
 * WeChat Pay's cashier and notifier: the member pays (the `wx.requestPayment` parameters are
 * checked as WeChat does), and the merchant is told with a signed, encrypted notification —
 * as many times as a test wants, or forged, to see it refused.
 */

export interface NotifyOptions {
  /** Where notifications really go (the notify_url's origin is replaced): a test BFF's own URL. */
  deliverTo?: string;
  /** How many times the same notification is sent (WeChat Pay sends duplicates). */
  times?: number;
  /** Sign with a key WeChat Pay does not have. */
  badSignature?: boolean;
  /** Report another amount than the one paid (a forged notification). */
  amount?: number;
  /** Change the decrypted resource before it is encrypted and signed (another mchid, appid, out_trade_no). */
  alter?: (resource: Record<string, unknown>) => void;
}

async function notify(
  state: SimState,
  url: string,
  eventType: string,
  resource: Record<string, unknown>,
  originalType: string,
  outTradeNo: string,
  options: NotifyOptions,
): Promise<number[]> {
  const target = options.deliverTo ? options.deliverTo + new URL(url).pathname : url;
  const body = JSON.stringify({
    id: `EV-${randomBytes(8).toString('hex')}`,
    create_time: new Date(state.now()).toISOString(),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: eventType === 'TRANSACTION.SUCCESS' ? '支付成功' : '退款成功',
    resource: encryptResource(JSON.stringify(resource), settings().apiV3Key, {
      associatedData: originalType,
      originalType,
    }),
  });
  const statuses: number[] = [];
  for (let i = 0; i < (options.times ?? 1); i++) {
    const headers = signWechatpayResponse({
      body,
      privateKey: options.badSignature
        ? WECHATPAY_TEST_KEYS.merchantPrivateKey
        : WECHATPAY_TEST_KEYS.platformPrivateKey,
      serial: WECHATPAY_TEST_KEYS.platformPublicKeyId,
      timestamp: Math.floor(state.now() / 1000),
    });
    const res = await fetch(target, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    });
    statuses.push(res.status);
    wechatPay(state).notifications.push({ eventType, outTradeNo, status: res.status, body: await res.text() });
  }
  return statuses;
}

/**
 * The cashier: the member confirms `wx.requestPayment` (its paySign is checked against the
 * merchant's key and the prepay's appid), the transaction succeeds, and WeChat Pay notifies the
 * merchant. Answers the merchant's HTTP statuses.
 */
export async function payAndNotify(
  state: SimState,
  params: RequestPaymentParams,
  options: NotifyOptions = {},
): Promise<number[]> {
  const sim = wechatPay(state);
  const prepayId = params.package.replace(/^prepay_id=/, '');
  const t = [...sim.transactions.values()].find((x) => x.prepayId === prepayId);
  if (!t) throw new Error(`no prepay ${prepayId}`);
  if (!verifyPaySign(t.appid, params, WECHATPAY_TEST_KEYS.merchantPublicKey)) throw new Error('支付验证签名失败');
  if (t.state === 'CLOSED') throw new Error('the payment was closed');
  if (t.state === 'NOTPAY') {
    t.state = 'SUCCESS';
    t.transactionId = `4200${randomBytes(12).toString('hex').slice(0, 24)}`;
    t.successTime = new Date(state.now()).toISOString().replace('Z', '+00:00');
  }
  const resource = transactionBody(t);
  if (options.amount !== undefined) resource.amount = { ...resource.amount, total: options.amount };
  options.alter?.(resource);
  return notify(state, t.notifyUrl, 'TRANSACTION.SUCCESS', resource, 'transaction', t.outTradeNo, options);
}

/** Finishes a refund and notifies the merchant. */
export async function completeRefund(
  state: SimState,
  outRefundNo: string,
  options: NotifyOptions = {},
): Promise<number[]> {
  const sim = wechatPay(state);
  const refund = sim.refunds.get(outRefundNo);
  if (!refund) throw new Error(`no refund ${outRefundNo}`);
  const t = sim.transactions.get(refund.outTradeNo) as SimTransaction;
  refund.status = 'SUCCESS';
  t.state = 'REFUND';
  if (!refund.notifyUrl) return [];
  const resource = {
    mchid: t.mchid,
    transaction_id: t.transactionId,
    out_trade_no: t.outTradeNo,
    refund_id: refund.refundId,
    out_refund_no: refund.outRefundNo,
    refund_status: 'SUCCESS',
    success_time: new Date(state.now()).toISOString(),
    user_received_account: '支付用户零钱',
    amount: { total: t.amount, refund: refund.amount, payer_total: t.amount, payer_refund: refund.amount },
  };
  return notify(state, refund.notifyUrl, 'REFUND.SUCCESS', resource, 'refund', t.outTradeNo, options);
}
