import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type { Cache } from '../../cache';
import type { TokenService } from '../../http/tokens';
import type { Clock } from '../../lib/clock';
import type { SecretBox } from '../../lib/secret-box';
import type { Logger } from '../../logger';
import type { OutboxWorker } from '../../sync/worker';
import type { Code2Session } from '../../wechat/code2session';
import { DeliveryRepo } from '../delivery/repo';
import { DeliveryService } from '../delivery/service';
import { MemberRepo } from '../members/repo';
import { MemberService } from '../members/service';
import type { PayGateway } from '../payments/gateway';
import { PaymentRepo } from '../payments/repo';
import { PaymentService } from '../payments/service';
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
  tokens: TokenService;
  secrets: SecretBox;
  stores: StoreService;
  stock: StockPort;
  /** Channel adapters, built by the container (channels depend on modules, not the reverse). */
  writers: Partial<Record<'meituan' | 'eleme', PlatformOrderWriter>>;
  payGateway: PayGateway | null;
  code2session: Code2Session;
  publicBaseUrl: string;
}

export interface OrderFlow {
  orders: OrderService;
  kitchen: KitchenActions;
  platform: PlatformEvents;
  delivery: DeliveryService;
  members: MemberService;
  payments: PaymentService;
  inbox: PushInbox;
  stockFlow: OrderStockFlow;
  reservations: ReservationActions;
  ingest: PlatformIngest;
  queue: KitchenQueue;
}

/** Builds the order flow's module services and registers their outbox topics. */
export function buildOrderFlow(d: OrderFlowDeps): OrderFlow {
  const log = d.logger.child({ module: 'orders' });
  const wake = () => d.outbox.wake();
  const repo = new OrderRepo(d.db);
  const delivery = new DeliveryService(new DeliveryRepo(d.db), d.clock);
  const views = new OrderViews(repo, delivery);
  const orders = new OrderService(d.db, repo, views, delivery, d.stores, d.cache, d.clock, log, wake);
  const stockFlow = new OrderStockFlow(d.db, repo, orders, d.stock, d.clock, log);
  const inbox = new PushInbox(d.db, d.clock, log, wake);
  const ingest = new PlatformIngest(orders, stockFlow, inbox);
  const members = new MemberService(new MemberRepo(d.db), d.code2session, d.tokens, d.secrets, d.clock);
  const payments = new PaymentService(
    new PaymentRepo(d.db),
    d.payGateway,
    orders,
    members,
    d.clock,
    d.logger.child({ module: 'payments' }),
    d.publicBaseUrl,
  );
  const queue = new KitchenQueue(orders, repo, d.stores, d.cache, d.clock, log);
  new OrderWriteback(repo, orders, stockFlow, d.writers, d.clock, log).register(d.outbox);
  payments.register(d.outbox);
  const kitchen = new KitchenActions(orders, delivery, d.clock);
  const platform = new PlatformEvents(orders, delivery);
  const reservations = new ReservationActions(d.db, repo, stockFlow, d.stock, d.clock);
  return { orders, kitchen, platform, delivery, members, payments, inbox, stockFlow, reservations, ingest, queue };
}
