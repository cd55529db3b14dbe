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
 * While pub/sub is unavailable (Redis down), the stream polls the database instead and sends the
 * same `order` events for what changed, so screens need no change and miss nothing.
 */
export class KitchenQueue {
  /** Milliseconds between heartbeat comments; proxies drop connections idle for about a minute. */
  heartbeatMs = 15_000;
  /** Milliseconds between database polls while pub/sub is unavailable. */
  fallbackPollMs = 2000;
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
    // Listen first, then read the snapshot: changes heard meanwhile wait behind it, in order.
    let openGate!: () => void;
    let chain = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    /** Each order as this screen last saw it, so a database poll sends only what changed. */
    const known = new Map<string, string>();
    const heartbeat = setInterval(() => {
      if (!out.writableEnded) out.write(`: ping ${this.clock.now()}\n\n`);
    }, this.heartbeatMs);
    heartbeat.unref();
    let polling = false;
    const watch = setInterval(() => {
      const live = this.cache.available();
      if (live && !polling) return;
      // One more poll once pub/sub is back catches what was published while it was down.
      polling = !live;
      chain = chain
        .then(() => this.sendChanges(storeId, known, send))
        .catch((err) => this.logger.warn({ err, storeId }, 'queue poll failed'));
    }, this.fallbackPollMs);
    watch.unref();
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      clearInterval(watch);
      this.open.delete(out);
      if (!out.writableEnded) out.end();
      unsubscribe?.().catch(() => undefined);
    };
    ctx.req.on('close', close);
    out.on('close', close);
    out.write('retry: 3000\n\n');
    unsubscribe = await this.cache.subscribe(storeLiveChannel(storeId), (message) => {
      chain = chain
        .then(() => this.forward(message, storeId, known, send))
        .catch((err) => this.logger.warn({ err, storeId }, 'queue stream event dropped'));
    });
    try {
      const snapshot = await this.list(storeId, 'active');
      for (const order of snapshot.orders) known.set(order.id, JSON.stringify(order));
      send('queue', snapshot);
    } catch (err) {
      this.logger.error({ err, storeId }, 'queue snapshot failed');
      close();
    } finally {
      openGate();
    }
    if (closed) await unsubscribe();
  }

  private async forward(
    message: string,
    storeId: string,
    known: Map<string, string>,
    send: (event: string, data: unknown) => void,
  ) {
    const event = JSON.parse(message) as LiveEvent;
    const orderId = (event.data as { orderId?: string } | null)?.orderId;
    if (!orderId) {
      send(event.type, { type: event.type, at: new Date(event.at).toISOString(), data: event.data });
      return;
    }
    const row = await this.repo.get(orderId);
    if (!row || row.store_id !== storeId) return;
    const [order] = await this.orders.viewsOf([row], 'staff');
    if (order) known.set(order.id, JSON.stringify(order));
    send('order', { type: event.type, at: new Date(event.at).toISOString(), order });
  }

  /** The polling stand-in for pub/sub: an `order` event for each order new, changed or gone from the queue. */
  private async sendChanges(storeId: string, known: Map<string, string>, send: (event: string, data: unknown) => void) {
    const { orders } = await this.list(storeId, 'active');
    const at = new Date(this.clock.now()).toISOString();
    const seen = new Set<string>();
    for (const order of orders) {
      seen.add(order.id);
      const json = JSON.stringify(order);
      const before = known.get(order.id);
      if (before === json) continue;
      known.set(order.id, json);
      send('order', { type: before === undefined ? 'order.created' : 'order.status', at, order });
    }
    const gone = [...known.keys()].filter((id) => !seen.has(id));
    for (const id of gone) {
      known.delete(id);
      // It left the queue (ready for pickup, completed, cancelled): screens need its final state.
      const row = await this.repo.get(id);
      if (!row || row.store_id !== storeId) continue;
      const [order] = await this.orders.viewsOf([row], 'staff');
      send('order', { type: 'order.status', at, order });
    }
  }

  /** Ends every open stream (shutdown): clients reconnect to another process. */
  closeAll(): void {
    for (const out of this.open) out.end();
    this.open.clear();
  }
}
