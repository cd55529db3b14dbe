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
    await this.stockFlow.reservePlatformOrder(row, order.promisedAt);
    await this.inbox.unpark(order.channel, order.channelOrderId);
    return row;
  }

  /** What the inbox records for a platform event's result: an event before its order waits for it. */
  static outcome(result: PlatformApply, what: string): ApplyOutcome {
    if (result === 'no-order') return { status: 'parked', note: `${what}: waiting for its order` };
    if (result === 'unchanged') return { status: 'applied', note: `${what}: already so` };
    return { status: 'applied' };
  }
}
