import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import type { QueueResponse } from 'shared-types';
import type { Cache } from '../../cache';
import type { Clock } from '../../lib/clock';
import { type LiveEvent, storeLiveChannel } from '../../lib/live';
import { localParts } from '../../lib/local-time';
import type { Logger } from '../../logger';
import type { StoreService } from '../stores/service';
import type { OrderRepo } from './repo';
import type { OrderService } from './service';
import { KITCHEN_STATUSES } from './status';

/**
 * The kitchen queue of one store, and its live stream: Server-Sent Events fed by the cache's
 * pub/sub on the store's live channel, so an order changed through any BFF process reaches every
 * screen. Each event carries the order as the queue shows it; comments keep idle connections open.
 */
export class KitchenQueue {
  /** Seconds between heartbeat comments; proxies drop connections idle for about a minute. */
  heartbeatMs = 15_000;
  private readonly open = new Set<PassThrough>();

  constructor(
    private readonly orders: OrderService,
    private readonly repo: OrderRepo,
    private readonly stores: StoreService,
    private readonly cache: Cache,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async list(storeId: string, view: 'active' | 'today'): Promise<QueueResponse> {
    const store = await this.stores.get(storeId);
    const rows =
      view === 'active'
        ? await this.repo.forStore(storeId, { statuses: KITCHEN_STATUSES })
        : await this.repo.forStore(storeId, { businessDate: localParts(this.clock.now(), store.timezone).date });
    return { storeId, orders: await this.orders.viewsOf(rows, 'staff') };
  }

  /** Answers the request with an event stream until the client goes away. */
  async stream(ctx: Context, storeId: string): Promise<void> {
    const out = new PassThrough();
    this.open.add(out);
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.req.socket.setKeepAlive(true);
    ctx.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    ctx.status = 200;
    ctx.body = out;
    ctx.state.responded = true;

    const send = (event: string, data: unknown) => {
      if (!out.writableEnded) out.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    let unsubscribe: (() => Promise<void>) | undefined;
    let closed = false;
    const heartbeat = setInterval(() => {
      if (!out.writableEnded) out.write(`: ping ${this.clock.now()}\n\n`);
    }, this.heartbeatMs);
    heartbeat.unref();
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      this.open.delete(out);
      if (!out.writableEnded) out.end();
      unsubscribe?.().catch(() => undefined);
    };
    ctx.req.on('close', close);
    out.on('close', close);
    out.write('retry: 3000\n\n');
    // Listen first, then read the snapshot: changes heard meanwhile wait behind it, in order.
    let openGate!: () => void;
    let chain = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    unsubscribe = await this.cache.subscribe(storeLiveChannel(storeId), (message) => {
      chain = chain
        .then(() => this.forward(message, storeId, send))
        .catch((err) => this.logger.warn({ err, storeId }, 'queue stream event dropped'));
    });
    try {
      send('queue', await this.list(storeId, 'active'));
    } catch (err) {
      this.logger.error({ err, storeId }, 'queue snapshot failed');
      close();
    } finally {
      openGate();
    }
    if (closed) await unsubscribe();
  }

  private async forward(message: string, storeId: string, send: (event: string, data: unknown) => void) {
    const event = JSON.parse(message) as LiveEvent;
    const orderId = (event.data as { orderId?: string } | null)?.orderId;
    if (!orderId) {
      send(event.type, { type: event.type, at: new Date(event.at).toISOString(), data: event.data });
      return;
    }
    const row = await this.repo.get(orderId);
    if (!row || row.store_id !== storeId) return;
    const [order] = await this.orders.viewsOf([row], 'staff');
    send('order', { type: event.type, at: new Date(event.at).toISOString(), order });
  }

  /** Ends every open stream (shutdown): clients reconnect to another process. */
  closeAll(): void {
    for (const out of this.open) out.end();
    this.open.clear();
  }
}
