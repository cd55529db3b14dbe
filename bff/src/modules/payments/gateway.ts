import type { RequestPaymentParams } from 'shared-types';

/** A JSAPI prepay request (spec wechat.md §6.4); amounts in fen. */
export interface PrepayRequest {
  outTradeNo: string;
  description: string;
  amount: number;
  payerOpenid: string;
  notifyUrl: string;
  /** Epoch ms after which WeChat Pay refuses the payment. */
  expiresAt: number;
  attach?: string;
}

/** A transaction as WeChat Pay reports it (a decrypted notification or a query). */
export interface TransactionState {
  appid: string;
  mchid: string;
  outTradeNo: string;
  transactionId: string | null;
  /** SUCCESS, REFUND, NOTPAY, CLOSED, REVOKED, USERPAYING, PAYERROR. */
  tradeState: string;
  amountTotal: number | null;
  payerOpenid: string | null;
  successTime: string | null;
}

export interface RefundRequest {
  outTradeNo: string;
  outRefundNo: string;
  total: number;
  refund: number;
  reason: string;
  notifyUrl: string;
}

/**
 * What payments need from WeChat Pay v3. `wechat/wechatpay/client.ts` implements it with signed
 * requests and verified responses; the payments module never sees keys or signatures.
 */
export interface PayGateway {
  readonly appId: string;
  readonly mchId: string;
  prepay(request: PrepayRequest): Promise<{ prepayId: string }>;
  /** The `wx.requestPayment` parameters for a prepay id, with a fresh nonce and their paySign. */
  requestPayment(prepayId: string): RequestPaymentParams;
  /** The transaction by our number; null when WeChat Pay does not know it. */
  query(outTradeNo: string): Promise<TransactionState | null>;
  close(outTradeNo: string): Promise<void>;
  refund(request: RefundRequest): Promise<{ status: string; refundId: string | null }>;
}

/** WeChat Pay refused the call for good (parameters, order state); `code` is theirs. */
export class PayRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
