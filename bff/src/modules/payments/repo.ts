import { affected, type Database, insertIfAbsent } from 'db';
import type { Kysely, Selectable, Updateable } from 'kysely';

export type PaymentRow = Selectable<Database['payment']>;
export type PaymentNotificationRow = Selectable<Database['payment_notification']>;

/** Queries for the payment tables only. */
export class PaymentRepo {
  constructor(private readonly db: Kysely<Database>) {}

  insertIfAbsent(row: PaymentRow): Promise<boolean> {
    return insertIfAbsent(this.db, 'payment', row, ['out_trade_no']);
  }

  byOutTradeNo(outTradeNo: string): Promise<PaymentRow | undefined> {
    return this.db.selectFrom('payment').selectAll().where('out_trade_no', '=', outTradeNo).executeTakeFirst();
  }

  forOrder(orderId: string): Promise<PaymentRow | undefined> {
    return this.db
      .selectFrom('payment')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
  }

  /** Moves a payment between states once (WeChat Pay notifications are delivered more than once). */
  async move(
    outTradeNo: string,
    from: string[],
    to: string,
    set: Updateable<Database['payment']>,
    now: number,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('payment')
      .set((eb) => ({ ...set, status: to, updated_at: now, version: eb('version', '+', 1) }))
      .where('out_trade_no', '=', outTradeNo)
      .where('status', 'in', from)
      .executeTakeFirst();
    return affected(result) === 1;
  }

  async savePrepay(outTradeNo: string, prepayId: string, now: number): Promise<void> {
    await this.db
      .updateTable('payment')
      .set((eb) => ({ prepay_id: prepayId, prepay_at: now, updated_at: now, version: eb('version', '+', 1) }))
      .where('out_trade_no', '=', outTradeNo)
      .execute();
  }

  /** Keeps each notification once, by WeChat's notification id. Answers whether it is new. */
  recordNotification(row: PaymentNotificationRow): Promise<boolean> {
    return insertIfAbsent(this.db, 'payment_notification', row, ['id']);
  }
}
