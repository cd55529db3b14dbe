import type { Context } from 'koa';
import { z } from 'zod';
import { readRawBody } from '../../../http/body';
import type { RouteRegistry } from '../../../http/router';
import type { Clock } from '../../../lib/clock';
import type { Logger } from '../../../logger';
import { PaymentMismatch, type PaymentService } from '../../../modules/payments/service';
import { transactionState } from './client';
import { decryptResource, readSignatureHeaders, verifyWechatpaySignature } from './crypto';

const Notification = z.object({
  id: z.string().min(1),
  create_time: z.string().optional(),
  event_type: z.string(),
  resource_type: z.string().optional(),
  resource: z.object({
    algorithm: z.string(),
    ciphertext: z.string(),
    nonce: z.string(),
    associated_data: z.string().optional(),
    original_type: z.string().optional(),
  }),
});

const RefundResult = z.object({
  mchid: z.string(),
  out_trade_no: z.string(),
  out_refund_no: z.string(),
  refund_status: z.string(),
});

class NotifyRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface NotifyKeys {
  apiV3Key: string;
  platformKeys: Record<string, string>;
  mchId: string;
}

/**
 * WeChat Pay notifications (spec wechat.md §6.6–6.7): `POST /webhooks/wechatpay/transactions` and
 * `/refunds`. Verified over the raw body (signature, ±300 s timestamp, a known serial; probes
 * fail), decrypted (AES-256-GCM with the APIv3 key), checked against what we asked for, applied
 * once by a conditional transition, and then kept once by notification id (a refusal keeps nothing). Success is 204; a
 * refusal is 4xx `{"code":"FAIL","message":…}`, which WeChat Pay retries.
 */
export class WechatPayNotify {
  constructor(
    private readonly keys: NotifyKeys | null,
    private readonly payments: PaymentService,
    private readonly bodyLimit: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  register(routes: RouteRegistry): void {
    for (const kind of ['transactions', 'refunds'] as const) {
      routes.add({
        method: 'post',
        path: `/webhooks/wechatpay/${kind}`,
        summary: `WeChat Pay ${kind === 'transactions' ? 'payment' : 'refund'} notification`,
        tags: ['webhooks'],
        auth: 'public',
        handler: async ({ ctx }) => this.receive(ctx, kind),
      });
    }
  }

  async receive(ctx: Context, kind: 'transactions' | 'refunds'): Promise<void> {
    try {
      await this.handle(ctx, kind);
      ctx.status = 204;
      ctx.body = null;
      ctx.state.responded = true;
    } catch (err) {
      const refused =
        err instanceof NotifyRefused
          ? err
          : err instanceof PaymentMismatch
            ? new NotifyRefused(400, err.message)
            : null;
      if (!refused) throw err;
      this.logger.warn({ kind, reason: refused.message }, 'WeChat Pay notification refused');
      ctx.status = refused.status;
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ code: 'FAIL', message: refused.message });
      ctx.state.responded = true;
    }
  }

  private async handle(ctx: Context, kind: 'transactions' | 'refunds'): Promise<void> {
    if (!this.keys) throw new NotifyRefused(503, 'WeChat Pay is not configured');
    const body = (await readRawBody(ctx, this.bodyLimit)).toString('utf8');
    const check = verifyWechatpaySignature({
      headers: readSignatureHeaders((name) => ctx.get(name) || null),
      body,
      keys: this.keys.platformKeys,
      nowSeconds: Math.floor(this.clock.now() / 1000),
    });
    if (!check.ok) throw new NotifyRefused(401, `signature not accepted: ${check.reason}`);
    let notification: z.infer<typeof Notification>;
    let plaintext: string;
    try {
      notification = Notification.parse(JSON.parse(body));
      plaintext = decryptResource(notification.resource, this.keys.apiV3Key);
    } catch {
      throw new NotifyRefused(400, 'the notification could not be read or decrypted');
    }
    const resource = JSON.parse(plaintext) as unknown;
    if (kind === 'refunds' || notification.event_type.startsWith('REFUND.')) {
      const refund = RefundResult.safeParse(resource);
      if (!refund.success || refund.data.mchid !== this.keys.mchId) throw new NotifyRefused(400, 'not our refund');
      if (refund.data.refund_status === 'SUCCESS') await this.payments.markRefunded(refund.data.out_refund_no);
      await this.keep(notification, refund.data.out_trade_no, body);
      return;
    }
    let tx: ReturnType<typeof transactionState>;
    try {
      tx = transactionState(resource);
    } catch {
      throw new NotifyRefused(400, 'the transaction is incomplete');
    }
    // Refused (PaymentMismatch: amount, mchid, appid, an out_trade_no we never issued) before anything is kept.
    const outcome = await this.payments.applyTransaction(tx);
    await this.keep(notification, tx.outTradeNo, body);
    this.logger.info({ outTradeNo: tx.outTradeNo, state: tx.tradeState, outcome }, 'WeChat Pay notification applied');
  }

  /** Keeps an accepted notification once, by WeChat's id; a refused one leaves no row. */
  private async keep(notification: z.infer<typeof Notification>, outTradeNo: string, body: string): Promise<void> {
    await this.payments.recordNotification({
      id: notification.id.slice(0, 191),
      event_type: notification.event_type,
      out_trade_no: outTradeNo.slice(0, 32),
      body,
      received_at: this.clock.now(),
    });
  }
}
