import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from 'db';
import type { RequestPaymentParams } from 'shared-types';
import { z } from 'zod';
import type { Config } from '../../../config';
import type { Clock } from '../../../lib/clock';
import type { PayGateway, PrepayRequest, RefundRequest, TransactionState } from '../../../modules/payments/gateway';
import { PayRefusal } from '../../../modules/payments/gateway';
import { httpFailure, PlatformError, platformFetch } from '../../platform-error';
import {
  authorizationHeader,
  newNonce,
  readSignatureHeaders,
  requestPaymentParams,
  verifyWechatpaySignature,
} from './crypto';

/** Everything the merchant side of WeChat Pay v3 needs. */
export interface WechatPaySettings {
  apiBase: string;
  appId: string;
  mchId: string;
  merchantSerial: string;
  merchantPrivateKey: string;
  apiV3Key: string;
  /** WeChat Pay verification keys by serial / public key id (both during a switch-over). */
  platformKeys: Record<string, string>;
  timeoutMs?: number;
}

/**
 * The settings from config, or — outside production, when no merchant key is configured — the
 * simulator's published test keys (`sim/src/wechatpay/keys/`, labelled as such there), so the
 * embedded default can take payments from the WeChat Pay simulator. Production without keys gets
 * null: payments are then refused with PAYMENT_UNAVAILABLE.
 */
export function wechatPaySettings(config: Config): WechatPaySettings | null {
  const p = config.wechatPay;
  const appId = config.wechat.appId;
  if (!appId || !p.mchId || !p.apiV3Key) return null;
  if (p.merchantPrivateKey && p.merchantSerial && p.publicKey && p.publicKeyId) {
    return {
      apiBase: p.apiBase,
      appId,
      mchId: p.mchId,
      merchantSerial: p.merchantSerial,
      merchantPrivateKey: p.merchantPrivateKey,
      apiV3Key: p.apiV3Key,
      platformKeys: { [p.publicKeyId]: p.publicKey },
    };
  }
  if (config.env === 'production' || p.merchantPrivateKey) return null;
  const dir = path.join(repoRoot, 'sim', 'src', 'wechatpay', 'keys');
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  const ids = JSON.parse(read('ids.json')) as { merchantSerial: string; platformPublicKeyId: string };
  return {
    apiBase: p.apiBase,
    appId,
    mchId: p.mchId,
    merchantSerial: ids.merchantSerial,
    merchantPrivateKey: read('merchant-private.pem'),
    apiV3Key: p.apiV3Key,
    platformKeys: { [ids.platformPublicKeyId]: read('platform-public.pem') },
  };
}

/** WeChat Pay codes worth trying again with the same parameters (spec §6.4). */
const RETRYABLE = new Set(['SYSTEMERROR', 'SYSTEM_ERROR', 'FREQUENCY_LIMITED', 'BANKERROR', 'NOT_ENOUGH']);

const Transaction = z.object({
  appid: z.string(),
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  trade_state: z.string(),
  success_time: z.string().optional(),
  payer: z.object({ openid: z.string().optional() }).optional(),
  amount: z.object({ total: z.number().int().optional() }).optional(),
});

/** Reads a decrypted transaction (notification plaintext or query answer) into our terms. */
export function transactionState(value: unknown): TransactionState {
  const t = Transaction.parse(value);
  return {
    appid: t.appid,
    mchid: t.mchid,
    outTradeNo: t.out_trade_no,
    transactionId: t.transaction_id ?? null,
    tradeState: t.trade_state,
    amountTotal: t.amount?.total ?? null,
    payerOpenid: t.payer?.openid ?? null,
    successTime: t.success_time ?? null,
  };
}

/** RFC 3339 in China time, as WeChat Pay's `time_expire` examples: `2015-05-20T13:29:35+08:00`. */
function rfc3339China(epochMs: number): string {
  return `${new Date(epochMs + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

/**
 * WeChat Pay v3 for a direct merchant's mini-program (spec wechat.md §6): every request signed
 * with the merchant key over the exact bytes sent, every answer verified against WeChat Pay's
 * key before it is believed.
 */
export class WechatPayClient implements PayGateway {
  readonly appId: string;
  readonly mchId: string;
  private readonly base: string;

  constructor(
    private readonly settings: WechatPaySettings,
    private readonly clock: Clock,
  ) {
    this.appId = settings.appId;
    this.mchId = settings.mchId;
    this.base = settings.apiBase.replace(/\/+$/, '');
  }

  get apiV3Key(): string {
    return this.settings.apiV3Key;
  }

  get platformKeys(): Record<string, string> {
    return this.settings.platformKeys;
  }

  private async request(method: 'GET' | 'POST', target: string, payload?: unknown) {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const nowSeconds = Math.floor(this.clock.now() / 1000);
    const authorization = authorizationHeader(
      { mchId: this.mchId, serialNo: this.settings.merchantSerial, privateKey: this.settings.merchantPrivateKey },
      { method, url: target, timestamp: nowSeconds, nonce: newNonce(), body },
    );
    const res = await platformFetch(
      'wechatpay',
      this.base + target,
      {
        method,
        headers: {
          authorization,
          accept: 'application/json',
          'user-agent': 'heyi-bff/0.1',
          'wechatpay-serial': Object.keys(this.settings.platformKeys)[0] ?? '',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(payload === undefined ? {} : { body }),
      },
      this.settings.timeoutMs ?? 10_000,
    );
    if (res.status >= 200 && res.status < 300) {
      const check = verifyWechatpaySignature({
        headers: readSignatureHeaders((name) => res.headers.get(name)),
        body: res.text,
        keys: this.settings.platformKeys,
        nowSeconds,
      });
      if (!check.ok) {
        throw new PlatformError({
          platform: 'wechatpay',
          code: 'BAD_SIGNATURE',
          message: `answer not signed by WeChat Pay (${check.reason})`,
          httpStatus: res.status,
          retryable: true,
        });
      }
      return { status: res.status, json: res.text ? (JSON.parse(res.text) as unknown) : null };
    }
    let error: { code?: unknown; message?: unknown } | undefined;
    try {
      error = JSON.parse(res.text) as typeof error;
    } catch {
      // a proxy's page
    }
    const code = typeof error?.code === 'string' ? error.code : undefined;
    if (!code || res.status >= 500 || RETRYABLE.has(code)) {
      if (!code) throw httpFailure('wechatpay', res, this.clock.now());
      throw new PlatformError({
        platform: 'wechatpay',
        code,
        message: typeof error?.message === 'string' ? error.message : code,
        httpStatus: res.status,
        retryable: true,
        rateLimited: code === 'FREQUENCY_LIMITED',
      });
    }
    return { status: res.status, json: null, refusal: new PayRefusal(code, String(error?.message ?? code)) };
  }

  private async ok(method: 'GET' | 'POST', target: string, payload?: unknown) {
    const answer = await this.request(method, target, payload);
    if ('refusal' in answer && answer.refusal) throw answer.refusal;
    return answer;
  }

  async prepay(r: PrepayRequest): Promise<{ prepayId: string }> {
    const { json } = await this.ok('POST', '/v3/pay/transactions/jsapi', {
      appid: this.appId,
      mchid: this.mchId,
      description: r.description,
      out_trade_no: r.outTradeNo,
      time_expire: rfc3339China(r.expiresAt),
      ...(r.attach ? { attach: r.attach } : {}),
      notify_url: r.notifyUrl,
      amount: { total: r.amount, currency: 'CNY' },
      payer: { openid: r.payerOpenid },
    });
    const prepayId = z.object({ prepay_id: z.string().min(1) }).parse(json).prepay_id;
    return { prepayId };
  }

  requestPayment(prepayId: string): RequestPaymentParams {
    return requestPaymentParams({
      appId: this.appId,
      prepayId,
      privateKey: this.settings.merchantPrivateKey,
      timeStamp: Math.floor(this.clock.now() / 1000),
    });
  }

  async query(outTradeNo: string): Promise<TransactionState | null> {
    const target = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${this.mchId}`;
    const answer = await this.request('GET', target);
    if ('refusal' in answer && answer.refusal) {
      if (answer.refusal.code === 'ORDER_NOT_EXIST' || answer.refusal.code === 'ORDERNOTEXIST') return null;
      throw answer.refusal;
    }
    return transactionState(answer.json);
  }

  async close(outTradeNo: string): Promise<void> {
    await this.ok('POST', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`, {
      mchid: this.mchId,
    });
  }

  async refund(r: RefundRequest): Promise<{ status: string; refundId: string | null }> {
    const { json } = await this.ok('POST', '/v3/refund/domestic/refunds', {
      out_trade_no: r.outTradeNo,
      out_refund_no: r.outRefundNo,
      reason: r.reason,
      notify_url: r.notifyUrl,
      amount: { refund: r.refund, total: r.total, currency: 'CNY' },
    });
    const answer = z.object({ status: z.string(), refund_id: z.string().optional() }).parse(json);
    return { status: answer.status, refundId: answer.refund_id ?? null };
  }
}
