import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signWechatpayResponse, verifyRequestAuthorization } from 'bff/channels/wechat/wechatpay/crypto';
import { SIMULATOR_DEFAULTS } from 'shared-types';
import { type RouteContext, registerRoute } from '../registry';
import type { SimState } from '../state';
import { WECHATPAY_TEST_KEYS } from './test-keys';

/**
 * WeChat Pay v3 as a direct merchant's mini-program meets it (spec wechat.md §6), under
 * `<sim>/wechatpay`: JSAPI prepay, query and close by out_trade_no, refunds; every request's
 * signature checked with the merchant's public key, every answer and notification signed with
 * the simulator's own "WeChat Pay" key (published test keys, `test-keys.ts`), notifications
 * encrypted with the APIv3 key. `payAndNotify` is the cashier: the member pays, WeChat Pay tells
 * the merchant.
 */

const MOUNT = '/wechatpay';

export interface SimTransaction {
  appid: string;
  mchid: string;
  description: string;
  outTradeNo: string;
  amount: number;
  payerOpenid: string;
  notifyUrl: string;
  attach: string | undefined;
  timeExpire: string | undefined;
  prepayId: string;
  /** The prepay request body as sent, to tell a repeat from a changed request. */
  request: string;
  state: 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';
  transactionId: string | null;
  successTime: string | null;
}

export interface SimRefund {
  outRefundNo: string;
  outTradeNo: string;
  refundId: string;
  amount: number;
  notifyUrl: string | undefined;
  status: 'PROCESSING' | 'SUCCESS';
}

export interface WechatPaySimState {
  transactions: Map<string, SimTransaction>;
  refunds: Map<string, SimRefund>;
  /** Notifications sent, with the merchant's answer. */
  notifications: { eventType: string; outTradeNo: string; status: number; body: string }[];
}

export function wechatPay(state: SimState): WechatPaySimState {
  return state.ext('wechatpay', () => ({ transactions: new Map(), refunds: new Map(), notifications: [] }));
}

export const settings = () => ({
  appId: SIMULATOR_DEFAULTS.wechat.appId,
  mchId: SIMULATOR_DEFAULTS.wechatPay.mchId,
  apiV3Key: SIMULATOR_DEFAULTS.wechatPay.apiV3Key,
});

function answer(res: ServerResponse, state: SimState, status: number, body: unknown): void {
  const text = body === null ? '' : JSON.stringify(body);
  const headers = signWechatpayResponse({
    body: text,
    privateKey: WECHATPAY_TEST_KEYS.platformPrivateKey,
    serial: WECHATPAY_TEST_KEYS.platformPublicKeyId,
    timestamp: Math.floor(state.now() / 1000),
  });
  res.writeHead(status, {
    ...headers,
    ...(text ? { 'content-type': 'application/json' } : {}),
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

const fail = (res: ServerResponse, state: SimState, status: number, code: string, message: string) =>
  answer(res, state, status, { code, message });

/** Checks the merchant's request signature the way WeChat Pay does; answers 401 SIGN_ERROR otherwise. */
function signed(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): boolean {
  const target = ctx.url.pathname.slice(MOUNT.length) + ctx.url.search;
  const fields = verifyRequestAuthorization(
    req.headers.authorization,
    { method: req.method ?? 'GET', url: target, body: ctx.body },
    WECHATPAY_TEST_KEYS.merchantPublicKey,
  );
  const ok =
    fields !== null &&
    fields.mchid === settings().mchId &&
    fields.serial_no === WECHATPAY_TEST_KEYS.merchantSerial &&
    Math.abs(Number(fields.timestamp) - Math.floor(ctx.state.now() / 1000)) <= 300;
  if (!ok) fail(res, ctx.state, 401, 'SIGN_ERROR', '签名错误');
  return ok;
}

export function transactionBody(t: SimTransaction) {
  return {
    appid: t.appid,
    mchid: t.mchid,
    out_trade_no: t.outTradeNo,
    ...(t.transactionId ? { transaction_id: t.transactionId } : {}),
    trade_type: 'JSAPI',
    trade_state: t.state,
    trade_state_desc: t.state === 'SUCCESS' ? '支付成功' : t.state === 'CLOSED' ? '已关闭' : '未支付',
    bank_type: 'OTHERS',
    ...(t.attach ? { attach: t.attach } : {}),
    ...(t.successTime ? { success_time: t.successTime } : {}),
    payer: { openid: t.payerOpenid },
    amount: {
      total: t.amount,
      payer_total: t.state === 'SUCCESS' ? t.amount : 0,
      currency: 'CNY',
      payer_currency: 'CNY',
    },
  };
}

/** Query and close, at paths named by the out_trade_no. */
const BY_OUT_TRADE_NO = `${MOUNT}/v3/pay/transactions/out-trade-no/:outTradeNo`;

registerRoute('GET', BY_OUT_TRADE_NO, (req, res, ctx) => {
  if (!signed(req, res, ctx)) return;
  const t = wechatPay(ctx.state).transactions.get(ctx.params.outTradeNo ?? '');
  if (!t || ctx.url.searchParams.get('mchid') !== t.mchid)
    return fail(res, ctx.state, 404, 'ORDER_NOT_EXIST', '订单不存在');
  answer(res, ctx.state, 200, transactionBody(t));
});

registerRoute('POST', `${BY_OUT_TRADE_NO}/close`, (req, res, ctx) => {
  if (!signed(req, res, ctx)) return;
  const t = wechatPay(ctx.state).transactions.get(ctx.params.outTradeNo ?? '');
  if (!t) return fail(res, ctx.state, 404, 'ORDER_NOT_EXIST', '订单不存在');
  if (t.state === 'SUCCESS' || t.state === 'REFUND') return fail(res, ctx.state, 400, 'ORDER_PAID', '订单已支付');
  t.state = 'CLOSED';
  answer(res, ctx.state, 204, null);
});

registerRoute('POST', `${MOUNT}/v3/pay/transactions/jsapi`, (req, res, ctx) => {
  if (!signed(req, res, ctx)) return;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(ctx.body) as Record<string, unknown>;
  } catch {
    return fail(res, ctx.state, 400, 'PARAM_ERROR', '请求体不是JSON');
  }
  const s = settings();
  const amount = (body.amount ?? {}) as { total?: unknown; currency?: unknown };
  const payer = (body.payer ?? {}) as { openid?: unknown };
  const outTradeNo = String(body.out_trade_no ?? '');
  if (body.appid !== s.appId || body.mchid !== s.mchId)
    return fail(res, ctx.state, 400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
  if (!/^[0-9A-Za-z_\-*|]{6,32}$/.test(outTradeNo))
    return fail(res, ctx.state, 400, 'PARAM_ERROR', '/out_trade_no不合法');
  if (!Number.isInteger(amount.total) || (amount.total as number) <= 0)
    return fail(res, ctx.state, 400, 'PARAM_ERROR', '/amount/total不合法');
  if (typeof payer.openid !== 'string' || !payer.openid)
    return fail(res, ctx.state, 400, 'PARAM_ERROR', '/payer/openid不能为空');
  const notifyUrl = String(body.notify_url ?? '');
  if (!/^https?:\/\/[^?]+$/.test(notifyUrl)) return fail(res, ctx.state, 400, 'PARAM_ERROR', 'notify_url不合法');
  const sim = wechatPay(ctx.state);
  const known = sim.transactions.get(outTradeNo);
  if (known) {
    if (known.state === 'CLOSED') return fail(res, ctx.state, 400, 'ORDER_CLOSED', '订单已关闭');
    if (known.request !== ctx.body) return fail(res, ctx.state, 403, 'OUT_TRADE_NO_USED', '商户订单号重复');
    return answer(res, ctx.state, 200, { prepay_id: known.prepayId });
  }
  const t: SimTransaction = {
    appid: s.appId,
    mchid: s.mchId,
    description: String(body.description ?? ''),
    outTradeNo,
    amount: amount.total as number,
    payerOpenid: payer.openid,
    notifyUrl,
    attach: typeof body.attach === 'string' ? body.attach : undefined,
    timeExpire: typeof body.time_expire === 'string' ? body.time_expire : undefined,
    prepayId: `wx${randomBytes(15).toString('hex')}`,
    request: ctx.body,
    state: 'NOTPAY',
    transactionId: null,
    successTime: null,
  };
  sim.transactions.set(outTradeNo, t);
  answer(res, ctx.state, 200, { prepay_id: t.prepayId });
});

registerRoute('POST', `${MOUNT}/v3/refund/domestic/refunds`, (req, res, ctx) => {
  if (!signed(req, res, ctx)) return;
  const body = JSON.parse(ctx.body) as Record<string, unknown>;
  const sim = wechatPay(ctx.state);
  const t = sim.transactions.get(String(body.out_trade_no ?? ''));
  if (t?.state !== 'SUCCESS') return fail(res, ctx.state, 400, 'NOT_ENOUGH', '订单未支付或已退款');
  const outRefundNo = String(body.out_refund_no ?? '');
  const amount = (body.amount ?? {}) as { refund?: unknown; total?: unknown };
  if (amount.total !== t.amount || !Number.isInteger(amount.refund) || (amount.refund as number) > t.amount) {
    return fail(res, ctx.state, 400, 'PARAM_ERROR', '/amount不合法');
  }
  const refund = sim.refunds.get(outRefundNo) ?? {
    outRefundNo,
    outTradeNo: t.outTradeNo,
    refundId: `5030${randomBytes(10).toString('hex')}`,
    amount: amount.refund as number,
    notifyUrl: typeof body.notify_url === 'string' ? body.notify_url : undefined,
    status: 'PROCESSING' as const,
  };
  sim.refunds.set(outRefundNo, refund);
  answer(res, ctx.state, 200, {
    refund_id: refund.refundId,
    out_refund_no: outRefundNo,
    transaction_id: t.transactionId,
    out_trade_no: t.outTradeNo,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    status: refund.status,
    create_time: new Date(ctx.state.now()).toISOString(),
    amount: {
      total: t.amount,
      refund: refund.amount,
      payer_total: t.amount,
      payer_refund: refund.amount,
      currency: 'CNY',
    },
  });
});
