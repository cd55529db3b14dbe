import Taro from '@tarojs/taro';
import type { RequestPaymentParams } from 'shared-types';
import { formatFen } from 'shared-types/money';

/**
 * What only WeChat can do: give a login code and take a payment. The mini-program (weapp) asks
 * WeChat itself. The H5 build exists for demos and browser tests only and has no WeChat, so it
 * asks the platform simulators through the H5 server's `/sim/*` proxy (miniapp/e2e/serve-h5.mjs).
 *
 * The branch is chosen at build time: Taro replaces `process.env.TARO_ENV` with a constant, so the
 * weapp bundle carries no simulator code (and the H5 bundle no wx calls).
 */

/** The outcome of a payment attempt, as the member experienced it. */
export type PayOutcome = { kind: 'paid' } | { kind: 'cancelled' } | { kind: 'failed'; message: string };

/** H5 only: a stable simulated WeChat user per browser, so signing in again finds the same member. */
const H5_OPENID_KEY = 'heyi.h5.openid';

function h5OpenId(): string {
  const stored: unknown = Taro.getStorageSync(H5_OPENID_KEY);
  if (typeof stored === 'string' && stored) return stored;
  const openid = `oH5${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
  Taro.setStorageSync(H5_OPENID_KEY, openid);
  return openid;
}

/** A one-time login code, as `wx.login()` gives it. */
export async function loginCode(): Promise<string> {
  if (process.env.TARO_ENV === 'h5') {
    // Demo/test only: the WeChat simulator issues the code that its jscode2session will accept.
    const res = await Taro.request<{ code?: string }>({
      url: '/sim/wechat/_sim/login',
      method: 'POST',
      header: { 'Content-Type': 'application/json' },
      data: { openid: h5OpenId() },
      dataType: 'json',
    });
    if (res.statusCode !== 200 || typeof res.data?.code !== 'string') {
      throw new Error(`the WeChat simulator gave no login code (${res.statusCode})`);
    }
    return res.data.code;
  }
  const { code } = await Taro.login();
  if (!code) throw new Error('wx.login gave no code');
  return code;
}

/** What the cashier shows: who is paid and how much (fen). */
export interface PaySummary {
  payee: string;
  amount: number;
}

/** Asks the member to pay with the `wx.requestPayment` parameters the BFF signed. */
export async function payWithWechat(params: RequestPaymentParams, summary: PaySummary): Promise<PayOutcome> {
  if (process.env.TARO_ENV === 'h5') {
    // Demo/test only. WeChat's own cashier would ask the member to confirm the amount; the
    // simulated one does the same, so a person trying the demo sees that a payment happens.
    const { confirm } = await Taro.showModal({
      title: '微信支付（演示）',
      // The merchant is the brand: "合一小馆（人民广场店）" is paid as 合一小馆.
      content: `向 ${summary.payee.replace(/（.*）$/, '')} 支付 ${formatFen(summary.amount)}`,
      confirmText: '确认支付',
      cancelText: '取消',
    }).catch(() => ({ confirm: false }));
    if (!confirm) return { kind: 'cancelled' };
    // The WeChat Pay simulator's cashier "pays" and notifies the BFF.
    try {
      const res = await Taro.request<{ statuses?: number[]; error?: { message?: string } }>({
        url: '/sim/wechatpay/_sim/pay',
        method: 'POST',
        header: { 'Content-Type': 'application/json' },
        data: params,
        dataType: 'json',
      });
      if (res.statusCode === 200) {
        void Taro.showToast({ title: '支付成功', icon: 'success' }).catch(() => undefined);
        return { kind: 'paid' };
      }
      return { kind: 'failed', message: '支付失败，请稍后重试' };
    } catch {
      return { kind: 'failed', message: '网络连接失败，请检查网络后重试' };
    }
  }
  try {
    await Taro.requestPayment({ ...params });
    return { kind: 'paid' };
  } catch (err) {
    const errMsg = (err as { errMsg?: unknown } | null)?.errMsg;
    if (typeof errMsg === 'string' && errMsg.includes('cancel')) return { kind: 'cancelled' };
    return { kind: 'failed', message: '支付失败，请稍后重试' };
  }
}
