import type { ApplyOutcome, PushInbox } from './inbox';
import type { Actor, NewOrder } from './model';
import type { PlatformApply } from './platform-events';
import type { OrderRow } from './repo';
import type { OrderService } from './service';
import type { OrderStockFlow } from './stock-flow';

/**
 * The steps every platform order goes through when its push is applied: recorded once, counted
 * against stock (`record`; the shortage policy decides), and then the pushes that arrived before
 * it (a cancel before the order) are applied after it. Each step is idempotent, so a push applied
 * twice, or retried after a crash half-way, ends the same.
 */
export class PlatformIngest {
  constructor(
    private readonly orders: OrderService,
    private readonly stockFlow: OrderStockFlow,
    private readonly inbox: PushInbox,
  ) {}

  async ingest(order: NewOrder, actor: Actor): Promise<OrderRow> {
    if (order.channel !== 'meituan' && order.channel !== 'eleme') throw new Error('not a platform order');
    if (!order.channelOrderId) throw new Error('a platform order needs its platform id');
    const { order: row } = await this.orders.create(order, actor);
    await this.finish(row, order.promisedAt);
    return row;
  }

  /**
   * A push about an order we already have (a redelivery, a retry after a failure half-way, or a
   * "confirmed" after its "new"): the steps after the order row are run again, each a no-op when
   * it was done. Without this, an order written by a first attempt that then failed in its stock
   * step would never be counted.
   */
  resume(row: OrderRow): Promise<void> {
    return this.finish(row, null);
  }

  private async finish(row: OrderRow, promisedAt: number | null): Promise<void> {
    await this.stockFlow.reservePlatformOrder(row, promisedAt);
    await this.inbox.unpark(row.channel as 'meituan' | 'eleme', row.channel_order_id);
  }

  /** What the inbox records for a platform event's result: an event before its order waits for it. */
  static outcome(result: PlatformApply, what: string): ApplyOutcome {
    if (result === 'no-order') return { status: 'parked', note: `${what}: waiting for its order` };
    if (result === 'unchanged') return { status: 'applied', note: `${what}: already so` };
    return { status: 'applied' };
  }
}
