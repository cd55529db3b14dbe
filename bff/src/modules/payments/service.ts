import { newId } from 'db';
import type { RequestPaymentParams } from 'shared-types';
import { z } from 'zod';
import type { Clock } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../logger';
import { AbandonDelivery, type OutboxWorker } from '../../sync/worker';
import type { MemberService } from '../members/service';
import type { Actor } from '../orders/model';
import type { OrderRow } from '../orders/repo';
import type { OrderService } from '../orders/service';
import { ORDER_TOPICS } from '../orders/topics';
import { type PayGateway, PayRefusal, type TransactionState } from './gateway';
import type { PaymentNotificationRow, PaymentRepo, PaymentRow } from './repo';

/** A prepay id lives two hours at WeChat Pay; reuse it well inside that. */
const PREPAY_REUSE_MS = 90 * 60_000;

export type PaymentOutcome = 'paid' | 'duplicate' | 'refund-queued' | 'not-paid';

/**
 * WeChat Pay for own-channel orders: a payment row per order (our out_trade_no is the order id),
 * JSAPI prepay, the paid notification applied once by a conditional transition, the unpaid
 * timeout (query, close, give the order up) and refunds of paid orders that were cancelled.
 */
export class PaymentService {
  constructor(
    private readonly repo: PaymentRepo,
    private readonly gateway: PayGateway | null,
    private readonly orders: OrderService,
    private readonly members: MemberService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly publicBaseUrl: string,
  ) {}

  private pay(): PayGateway {
    if (!this.gateway) {
      throw new AppError('PAYMENT_UNAVAILABLE', 503, 'WeChat Pay is not configured for this deployment');
    }
    return this.gateway;
  }

  /** Keeps a verified WeChat Pay notification once by its id; false when it was already kept. */
  recordNotification(row: PaymentNotificationRow): Promise<boolean> {
    return this.repo.recordNotification(row);
  }

  get enabled(): boolean {
    return this.gateway !== null;
  }

  /** Creates (or finds) the order's payment and its prepay id; answers the wx.requestPayment parameters. */
  async startPayment(order: OrderRow, description: string): Promise<RequestPaymentParams> {
    const gateway = this.pay();
    if (!order.member_id) throw new Error('own-channel order without a member');
    const now = this.clock.now();
    await this.repo.insertIfAbsent({
      id: newId(now),
      order_id: order.id,
      brand_id: order.brand_id,
      member_id: order.member_id,
      method: 'wechatpay',
      out_trade_no: order.id,
      amount: Number(order.paid_total),
      status: 'pending',
      prepay_id: null,
      prepay_at: null,
      transaction_id: null,
      payer_openid: null,
      paid_at: null,
      closed_at: null,
      out_refund_no: null,
      refunded_at: null,
      version: 0,
      created_at: now,
      updated_at: now,
    });
    const payment = (await this.repo.byOutTradeNo(order.id)) as PaymentRow;
    if (payment.prepay_id && payment.prepay_at && now - Number(payment.prepay_at) < PREPAY_REUSE_MS) {
      return gateway.requestPayment(payment.prepay_id);
    }
    let prepayId: string;
    try {
      ({ prepayId } = await gateway.prepay({
        outTradeNo: payment.out_trade_no,
        description: description.slice(0, 127),
        amount: Number(payment.amount),
        payerOpenid: await this.members.openid(order.member_id),
        notifyUrl: `${this.publicBaseUrl}/webhooks/wechatpay/transactions`,
        expiresAt: Number(order.pay_by ?? now + 15 * 60_000),
        attach: order.store_id,
      }));
    } catch (err) {
      if (err instanceof AppError) throw err;
      this.logger.error({ err, orderId: order.id }, 'WeChat Pay prepay failed');
      throw new AppError('PAYMENT_UNAVAILABLE', 502, 'WeChat Pay did not take the payment; try again');
    }
    await this.repo.savePrepay(payment.out_trade_no, prepayId, now);
    return gateway.requestPayment(prepayId);
  }

  /** The member asks to pay again (closed the sheet): fresh parameters while the order is unpaid. */
  async resumePayment(order: OrderRow, description: string): Promise<RequestPaymentParams> {
    if (order.status !== 'pending_payment') {
      throw new AppError('ORDER_STATE', 409, `this order is ${order.status}; it needs no payment`);
    }
    return this.startPayment(order, description);
  }

  /**
   * A transaction reported by WeChat Pay (notification or query). Checked against what we asked
   * for (merchant, app, amount) and applied once: the payment turns paid by a conditional
   * transition, then the order reaches the kitchen. Paid too late (the order timed out) means the
   * money goes back.
   */
  async applyTransaction(tx: TransactionState): Promise<PaymentOutcome> {
    const gateway = this.pay();
    if (tx.mchid !== gateway.mchId || tx.appid !== gateway.appId) {
      throw new PaymentMismatch(`transaction for ${tx.mchid}/${tx.appid} is not ours`);
    }
    const payment = await this.repo.byOutTradeNo(tx.outTradeNo);
    if (!payment) throw new PaymentMismatch(`unknown out_trade_no ${tx.outTradeNo}`);
    if (tx.tradeState !== 'SUCCESS') return 'not-paid';
    if (tx.amountTotal !== Number(payment.amount)) {
      throw new PaymentMismatch(`amount ${tx.amountTotal} differs from the ${payment.amount} asked for`);
    }
    const now = this.clock.now();
    const first = await this.repo.move(
      payment.out_trade_no,
      ['pending', 'closed'],
      'paid',
      {
        transaction_id: tx.transactionId,
        payer_openid: tx.payerOpenid,
        paid_at: tx.successTime ? Date.parse(tx.successTime) || now : now,
      },
      now,
    );
    // A repeat notification still makes sure the order moved (a crash may have come between).
    const placed = await this.orders.markPaid(payment.order_id, { source: 'system', id: 'wechatpay' });
    if (placed === 'too-late') {
      await this.orders.requestRefund(payment.order_id, 'paid after the order was given up');
      return 'refund-queued';
    }
    return first ? 'paid' : 'duplicate';
  }

  /** The payment window closed: paid after all (apply it), or close it at WeChat Pay and give the order up. */
  async expire(orderId: string): Promise<void> {
    await this.giveUp(orderId, { source: 'system', id: 'payment-timeout' }, 'timeout');
  }

  /** The member gives up an unpaid order. Answers false when it turned out to be paid. */
  async cancelByMember(orderId: string, memberId: string): Promise<boolean> {
    return this.giveUp(orderId, { source: 'member', id: memberId }, 'cancelled by the member');
  }

  /** Closes the order's unpaid payment at WeChat Pay (a placement step's undo). */
  async closeUnpaid(orderId: string): Promise<void> {
    const payment = await this.repo.forOrder(orderId);
    if (payment?.status !== 'pending') return;
    if (this.gateway && payment.prepay_id) {
      try {
        await this.gateway.close(payment.out_trade_no);
      } catch (err) {
        if (!(err instanceof PayRefusal)) throw err;
        this.logger.warn({ orderId, code: err.code }, 'WeChat Pay refused to close the payment');
      }
    }
    const now = this.clock.now();
    await this.repo.move(payment.out_trade_no, ['pending'], 'closed', { closed_at: now }, now);
  }

  private async giveUp(orderId: string, actor: Actor, reason: string): Promise<boolean> {
    const order = await this.orders.get(orderId);
    if (order.status !== 'pending_payment') return order.status === 'cancelled';
    const payment = await this.repo.forOrder(orderId);
    if (payment?.status === 'pending' && payment.prepay_id && this.gateway) {
      const tx = await this.gateway.query(payment.out_trade_no);
      if (tx?.tradeState === 'SUCCESS') {
        await this.applyTransaction(tx);
        return false;
      }
      if (tx) {
        try {
          await this.gateway.close(payment.out_trade_no);
        } catch (err) {
          if (!(err instanceof PayRefusal)) throw err;
          // Paid in the meantime: the next attempt's query sees it and applies it.
          if (err.code === 'ORDER_PAID') throw new Error('paid while closing; checking again');
          this.logger.warn({ orderId, code: err.code }, 'WeChat Pay refused to close the payment');
        }
      }
    }
    if (payment?.status === 'pending') {
      const now = this.clock.now();
      await this.repo.move(payment.out_trade_no, ['pending'], 'closed', { closed_at: now }, now);
    }
    await this.orders.abandonUnpaid(orderId, actor, reason);
    return true;
  }

  /** Gives a paid order's money back (the order was cancelled after payment). */
  async refund(orderId: string, reason: string): Promise<void> {
    const payment = await this.repo.forOrder(orderId);
    if (!payment || payment.status === 'refunded' || payment.status === 'pending' || payment.status === 'closed')
      return;
    const gateway = this.pay();
    const now = this.clock.now();
    const outRefundNo = `R${payment.out_trade_no}`;
    await this.repo.move(payment.out_trade_no, ['paid'], 'refunding', { out_refund_no: outRefundNo }, now);
    try {
      const result = await gateway.refund({
        outTradeNo: payment.out_trade_no,
        outRefundNo,
        total: Number(payment.amount),
        refund: Number(payment.amount),
        reason: reason.slice(0, 80),
        notifyUrl: `${this.publicBaseUrl}/webhooks/wechatpay/refunds`,
      });
      if (result.status === 'SUCCESS') await this.markRefunded(outRefundNo);
    } catch (err) {
      if (err instanceof PayRefusal) throw new AbandonDelivery(`refund refused: ${err.code} ${err.message}`);
      throw err;
    }
  }

  /** A refund notification (or a SUCCESS answer): the money is back with the member. */
  async markRefunded(outRefundNo: string): Promise<boolean> {
    const outTradeNo = outRefundNo.replace(/^R/, '');
    const now = this.clock.now();
    return this.repo.move(outTradeNo, ['refunding', 'paid'], 'refunded', { refunded_at: now }, now);
  }

  async paymentOf(orderId: string): Promise<PaymentRow | undefined> {
    return this.repo.forOrder(orderId);
  }

  register(outbox: OutboxWorker): void {
    const OrderMessage = z.object({ orderId: z.string(), reason: z.string().optional() });
    outbox.register(ORDER_TOPICS.paymentTimeout, async (payload) => {
      await this.expire(OrderMessage.parse(payload).orderId);
    });
    outbox.register(ORDER_TOPICS.refundPayment, async (payload) => {
      const m = OrderMessage.parse(payload);
      await this.refund(m.orderId, m.reason ?? 'order cancelled');
    });
  }
}

/** A notification that is not about a payment we asked for, as we asked for it. */
export class PaymentMismatch extends Error {}
