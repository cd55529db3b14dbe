import type { ServerResponse } from 'node:http';
import { type RequestPaymentParams, verifyPaySign } from 'bff/channels/wechat/wechatpay/crypto';
import { registerRoute } from '../registry';
import { payAndNotify } from './cashier';
import { wechatPay } from './pay';
import { WECHATPAY_TEST_KEYS } from './test-keys';

/**
 * `POST /wechatpay/_sim/pay`: the cashier over HTTP, for the H5 build of the mini-program (demos and
 * browser tests, where there is no `wx.requestPayment`) and for tests in another process. The body
 * is the `wx.requestPayment` parameters the BFF handed out; the member "pays" and WeChat Pay sends
 * the signed, encrypted notification to the merchant (`payAndNotify`).
 *
 * Answers 200 `{ statuses }` with the merchant's HTTP statuses for the notification, 400 when
 * WeChat would refuse to pay (bad body, unknown prepay, bad paySign, closed payment), 502 when the
 * merchant could not be reached.
 */

const FIELDS = ['timeStamp', 'nonceStr', 'package', 'signType', 'paySign'] as const;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

const refuse = (res: ServerResponse, code: string, message: string) => sendJson(res, 400, { error: { code, message } });

/** The body as requestPayment parameters, or null when it is not that shape. */
function parseParams(body: string): RequestPaymentParams | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const record = parsed as Record<string, unknown>;
  if (!FIELDS.every((field) => typeof record[field] === 'string' && record[field] !== '')) return null;
  if (record.signType !== 'RSA') return null;
  return {
    timeStamp: record.timeStamp as string,
    nonceStr: record.nonceStr as string,
    package: record.package as string,
    signType: 'RSA',
    paySign: record.paySign as string,
  };
}

registerRoute('POST', '/wechatpay/_sim/pay', async (_req, res, { state, body }) => {
  const params = parseParams(body);
  if (!params) {
    return refuse(
      res,
      'PARAM_ERROR',
      'body must be the wx.requestPayment parameters (timeStamp, nonceStr, package, signType RSA, paySign)',
    );
  }
  const prepayId = params.package.replace(/^prepay_id=/, '');
  const transaction = [...wechatPay(state).transactions.values()].find((t) => t.prepayId === prepayId);
  if (!transaction) return refuse(res, 'PREPAY_NOT_FOUND', `no prepay ${prepayId}`);
  if (!verifyPaySign(transaction.appid, params, WECHATPAY_TEST_KEYS.merchantPublicKey)) {
    return refuse(res, 'SIGN_ERROR', '支付验证签名失败');
  }
  if (transaction.state === 'CLOSED') return refuse(res, 'ORDER_CLOSED', '订单已关闭');
  try {
    const statuses = await payAndNotify(state, params);
    sendJson(res, 200, { outTradeNo: transaction.outTradeNo, statuses });
  } catch (err) {
    sendJson(res, 502, {
      error: { code: 'NOTIFY_FAILED', message: `the merchant could not be notified: ${String(err)}` },
    });
  }
});
