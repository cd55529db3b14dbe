import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type { Cache } from '../../cache';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../logger';
import type { OutboxWorker } from '../../sync/worker';
import type { DeliveryService } from '../delivery/service';
import type { StockPort } from '../stock/contract';
import type { StoreService } from '../stores/service';
import { PushInbox } from './inbox';
import { KitchenActions } from './kitchen-actions';
import { PlatformEvents } from './platform-events';
import { PlatformIngest } from './platform-ingest';
import { KitchenQueue } from './queue';
import { OrderRepo } from './repo';
import { ReservationActions } from './reservation-actions';
import { OrderService } from './service';
import { OrderStockFlow } from './stock-flow';
import type { PlatformOrderWriter } from './topics';
import { OrderViews } from './views';
import { OrderWriteback } from './writeback';

export interface OrderFlowDeps {
  db: Kysely<Database>;
  cache: Cache;
  clock: Clock;
  logger: Logger;
  outbox: OutboxWorker;
  stores: StoreService;
  stock: StockPort;
  /** The delivery module: orders carry and show their delivery. */
  delivery: DeliveryService;
  /** Channel adapters, built by the container (channels depend on modules, not the reverse). */
  writers: Partial<Record<'meituan' | 'eleme', PlatformOrderWriter>>;
}

export interface OrderFlow {
  orders: OrderService;
  kitchen: KitchenActions;
  platform: PlatformEvents;
  inbox: PushInbox;
  stockFlow: OrderStockFlow;
  reservations: ReservationActions;
  ingest: PlatformIngest;
  queue: KitchenQueue;
}

/**
 * Builds the orders module's services and registers their outbox topics. Its peers (delivery,
 * stock, stores) are built by the container and handed in.
 */
export function buildOrderFlow(d: OrderFlowDeps): OrderFlow {
  const log = d.logger.child({ module: 'orders' });
  const wake = () => d.outbox.wake();
  const repo = new OrderRepo(d.db);
  const { delivery } = d;
  const views = new OrderViews(repo, delivery, d.stores);
  const orders = new OrderService(d.db, repo, views, delivery, d.stores, d.cache, d.clock, log, wake);
  const stockFlow = new OrderStockFlow(d.db, repo, orders, d.stock, d.clock, log);
  const inbox = new PushInbox(d.db, d.clock, log, wake);
  const ingest = new PlatformIngest(orders, stockFlow, inbox);
  const queue = new KitchenQueue(orders, repo, d.stores, d.cache, d.clock, log);
  new OrderWriteback(repo, orders, stockFlow, d.writers, d.clock, log).register(d.outbox);
  const kitchen = new KitchenActions(orders, delivery, d.clock);
  const platform = new PlatformEvents(orders, delivery);
  const reservations = new ReservationActions(d.db, repo, stockFlow, d.stock, d.clock);
  return { orders, kitchen, platform, inbox, stockFlow, reservations, ingest, queue };
}
