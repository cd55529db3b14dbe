import { z } from 'zod';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../logger';
import { AbandonDelivery, type OutboxWorker } from '../../sync/worker';
import { parseFlags } from './model';
import type { OrderRepo } from './repo';
import type { OrderService } from './service';
import type { OrderStockFlow } from './stock-flow';
import { ORDER_TOPICS, type PlatformCall, type PlatformOrderWriter, PlatformRefusal } from './topics';

const CallMessage = z.object({
  orderId: z.string(),
  call: z.object({ op: z.string() }).passthrough(),
});

/** Calls that only make sense while the order is alive: once it is cancelled or refunded they are moot. */
const MOOT_WHEN_FINAL = new Set(['confirm', 'ready', 'delivering', 'delivered']);

/**
 * Delivers the order flow's outbox topics: platform write-backs (confirm, meal ready, cancel,
 * refund answers, self-delivery progress) retried until the platform accepts or the order moves
 * on, and the stock follow-up of each transition.
 */
export class OrderWriteback {
  constructor(
    private readonly repo: OrderRepo,
    private readonly orders: OrderService,
    private readonly stockFlow: OrderStockFlow,
    private readonly writers: Partial<Record<'meituan' | 'eleme', PlatformOrderWriter>>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  register(outbox: OutboxWorker): void {
    outbox.register(ORDER_TOPICS.platform, (payload) => this.deliver(payload), { maxAttempts: 40 });
    outbox.register(ORDER_TOPICS.stock, async (payload) => {
      const { orderId } = z.object({ orderId: z.string() }).parse(payload);
      await this.stockFlow.settle(orderId);
    });
  }

  async deliver(payload: unknown): Promise<void> {
    const parsed = CallMessage.safeParse(payload);
    if (!parsed.success) throw new AbandonDelivery('malformed platform call');
    const { orderId } = parsed.data;
    const call = parsed.data.call as unknown as PlatformCall;
    const order = await this.repo.get(orderId);
    if (!order) throw new AbandonDelivery(`order ${orderId} not found`);
    if (order.channel !== 'meituan' && order.channel !== 'eleme') throw new AbandonDelivery('not a platform order');
    if (MOOT_WHEN_FINAL.has(call.op) && this.orders.isFinal(order)) {
      this.logger.info({ orderId, op: call.op, status: order.status }, 'platform call dropped: the order moved on');
      return;
    }
    const writer = this.writers[order.channel];
    if (!writer) throw new AbandonDelivery(`no writer for ${order.channel}`);
    try {
      await writer.send(
        {
          orderId: order.id,
          storeId: order.store_id,
          channel: order.channel,
          channelOrderId: order.channel_order_id,
          gateway: order.gateway,
        },
        call,
      );
    } catch (err) {
      if (!(err instanceof PlatformRefusal)) throw err;
      await this.flagSyncFailure(orderId, call.op, err.message);
      throw new AbandonDelivery(err.message);
    }
  }

  /** The platform refused for good: the order is flagged so a person looks at it. */
  private async flagSyncFailure(orderId: string, op: string, message: string): Promise<void> {
    const order = await this.repo.get(orderId);
    if (!order) return;
    const flags = { ...parseFlags(order.flags), syncFailed: true };
    await this.orders.note(
      order,
      'sync.failed',
      { source: 'system', id: 'writeback' },
      `${op}: ${message}`.slice(0, 255),
      {
        flags: JSON.stringify(flags),
      },
    );
    this.logger.error({ orderId, op, message, at: this.clock.now() }, 'platform refused an order write-back');
  }
}
