import { connectDatabase, type Database, type DatabaseHandle, migrateToLatest } from 'db';
import { type Kysely, sql } from 'kysely';
import { type Cache, createCache } from './cache';
import { ElemeCompensation } from './channels/eleme/compensation';
import { ElemeInbound } from './channels/eleme/inbound';
import { createElemeMenuClient } from './channels/eleme/menu-client';
import { ElemeOAuth } from './channels/eleme/oauth';
import { ElemeOrderClient } from './channels/eleme/order-client';
import { ElemePushApplier } from './channels/eleme/push-apply';
import { elemeStockSender } from './channels/eleme/stock-client';
import { ElemeTransport } from './channels/eleme/transport';
import { MeituanInbound } from './channels/meituan/inbound';
import { createMeituanMenuClient, meituanBindingSettings } from './channels/meituan/menu-client';
import { OpenCaterTransport } from './channels/meituan/open-cater-transport';
import { MeituanOrderClient } from './channels/meituan/order-client';
import { MeituanPushApplier } from './channels/meituan/push-apply';
import { meituanStockSender } from './channels/meituan/stock-client';
import { WaimaiopenTransport } from './channels/meituan/waimaiopen-transport';
import { PushWindow } from './channels/push-window';
import { Code2Session } from './channels/wechat/code2session';
import { WechatPayClient, wechatPaySettings } from './channels/wechat/wechatpay/client';
import { WechatPayNotify } from './channels/wechat/wechatpay/notify';
import type { Config } from './config';
import { Metrics } from './http/metrics';
import { type Clock, systemClock } from './lib/clock';
import { IdempotencyStore } from './lib/idempotency';
import { parseJsonExact } from './lib/json-exact';
import { probe } from './lib/probe';
import { SecretBox } from './lib/secret-box';
import { TokenService } from './lib/tokens';
import { createLogger, type Logger } from './logger';
import { CatalogLookup } from './modules/catalog/pricing/lookup';
import { CatalogLookupRepo } from './modules/catalog/pricing/lookup-repo';
import { buildCatalogServices, type CatalogServices } from './modules/catalog/services';
import { CacheRateGate } from './modules/catalog/sync/rate-gate';
import { Checkout } from './modules/checkout/checkout';
import { createPaymentStep, Placement, reserveStockStep } from './modules/checkout/placement';
import { TableCodes } from './modules/checkout/table-code';
import { DeliveryRepo } from './modules/delivery/repo';
import { DeliveryService } from './modules/delivery/service';
import { MediaRepo } from './modules/media/repo';
import { MediaService } from './modules/media/service';
import { MemberRepo } from './modules/members/repo';
import { MemberService } from './modules/members/service';
import { buildOrderFlow, type OrderFlow } from './modules/orders/wiring';
import { PaymentRepo } from './modules/payments/repo';
import { PaymentService } from './modules/payments/service';
import { ReportQueryRepo } from './modules/reports/query-repo';
import { RollupRepo } from './modules/reports/rollup-repo';
import { ReportRollups } from './modules/reports/rollups';
import { ReportService } from './modules/reports/service';
import { StaffRepo } from './modules/staff/repo';
import { StaffService } from './modules/staff/service';
import { StockService } from './modules/stock/service';
import { StoreRepo } from './modules/stores/repo';
import { StoreService } from './modules/stores/service';
import { OutboxWorker } from './sync/worker';

/**
 * Everything the app needs, built once per process (or per test). No module reads globals: each
 * service gets its repositories, clients and clock from here.
 */
export interface Container {
  config: Config;
  logger: Logger;
  clock: Clock;
  database: DatabaseHandle;
  db: Kysely<Database>;
  cache: Cache;
  metrics: Metrics;
  tokens: TokenService;
  idempotency: IdempotencyStore;
  outbox: OutboxWorker;
  secrets: SecretBox;
  services: {
    stores: StoreService;
    staff: StaffService;
    catalogLookup: CatalogLookup;
    media: MediaService;
    catalog: CatalogServices;
    stock: StockService;
    orderFlow: OrderFlow;
    delivery: DeliveryService;
    members: MemberService;
    payments: PaymentService;
    orderChannels: {
      checkout: Checkout;
      tableCodes: TableCodes;
      meituan: MeituanInbound;
      eleme: ElemeInbound;
      wechatPay: WechatPayNotify;
      elemePull: ElemeCompensation;
    };
    reports: { rollups: ReportRollups; service: ReportService };
  };
  /** Background work (the outbox worker, schedulers); started by the server, not by createApp. */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

export interface ContainerOverrides {
  clock?: Clock;
  logger?: Logger;
  cache?: Cache;
  database?: DatabaseHandle;
}

export async function buildContainer(config: Config, overrides: ContainerOverrides = {}): Promise<Container> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const database = overrides.database ?? (await connectDatabase(config.databaseUrl, { poolSize: config.dbPoolSize }));
  if (config.migrateOnStart) await migrateToLatest(database.db);
  const db = database.db;
  const metrics = new Metrics();
  const cache =
    overrides.cache ??
    (await createCache(config.redisUrl, {
      prefix: config.redisKeyPrefix,
      commandTimeoutMs: config.redisCommandTimeoutMs,
      logger: logger.child({ component: 'cache' }),
      onFallback: (operation) => metrics.cacheFallbacks.inc({ operation }),
    }));
  metrics.watchDependency('database', async () => (await probe(() => sql`SELECT 1`.execute(db))).ok);
  if (cache.kind === 'redis') metrics.watchDependency('redis', async () => (await probe(() => cache.ping())).ok);
  const tokens = new TokenService(config.jwtSecret, config.staffTokenTtlSeconds, config.memberTokenTtlSeconds, clock);
  const idempotency = new IdempotencyStore(db, clock, config.idempotencyLeaseMs);
  const outbox = new OutboxWorker(db, cache, clock, logger.child({ component: 'outbox' }), metrics, config.outbox);

  const secrets = new SecretBox(config.dataEncryptionKey);

  const stores = new StoreService(new StoreRepo(db), clock);
  const staff = new StaffService(new StaffRepo(db), stores, tokens, clock);
  const catalogLookup = new CatalogLookup(new CatalogLookupRepo(db), secrets);
  const media = new MediaService(new MediaRepo(db), clock);
  const stock = new StockService({
    db,
    cache,
    clock,
    logger: logger.child({ module: 'stock' }),
    outbox,
    catalog: catalogLookup,
    stores,
    senders: stockSenders(config, cache, clock, logger.child({ module: 'stock-push' })),
  });
  stock.registerTopics(outbox);
  const menuRateGate = new CacheRateGate(cache);
  const catalog = buildCatalogServices({
    db,
    cache,
    clock,
    logger: logger.child({ module: 'catalog' }),
    secrets,
    outbox,
    stores,
    lookup: catalogLookup,
    stock,
    rateGate: menuRateGate,
    clients: {
      meituan: createMeituanMenuClient(config.meituan, clock, menuRateGate),
      eleme: createElemeMenuClient(config.eleme, cache, clock, menuRateGate),
    },
    platform: meituanBindingSettings(config.meituan),
  });
  catalog.syncWorker.register(outbox);
  // Orders are written back on the gateway they came through, so both gateways' transports exist.
  const mt = config.meituan;
  const openCater = new OpenCaterTransport({ ...mt, apiBase: mt.openCaterBase }, clock);
  const waimaiopen = new WaimaiopenTransport({ ...mt, apiBase: mt.waimaiopenBase }, clock);
  const elemeTransport = new ElemeTransport(config.eleme, clock);
  const writers = {
    meituan: new MeituanOrderClient(openCater, waimaiopen, catalogLookup, mt.gateway),
    eleme: new ElemeOrderClient(elemeTransport, new ElemeOAuth(config.eleme, cache, clock)),
  };
  const paySettings = wechatPaySettings(config);
  const payClient = paySettings ? new WechatPayClient(paySettings, clock) : null;
  const delivery = new DeliveryService(new DeliveryRepo(db), clock);
  const wechatSignIn = new Code2Session(config.wechat.apiBase, config.wechat.appId, config.wechat.secret);
  const members = new MemberService(new MemberRepo(db), wechatSignIn, tokens, secrets, clock);
  const orderFlow = buildOrderFlow({ db, cache, clock, logger, outbox, stores, stock, delivery, writers });
  const { orders } = orderFlow;
  const payLog = logger.child({ module: 'payments' });
  const payments = new PaymentService(
    new PaymentRepo(db),
    payClient,
    orders,
    members,
    clock,
    payLog,
    config.publicBaseUrl,
  );
  payments.register(outbox);
  const tableCodes = new TableCodes(config.dataEncryptionKey);
  const placement = new Placement(
    [reserveStockStep(orderFlow.stockFlow), createPaymentStep(payments)],
    orders,
    logger.child({ module: 'checkout' }),
  );
  const checkoutDeps = [catalogLookup, stock, stores, delivery, orders, placement, tableCodes, idempotency] as const;
  const checkout = new Checkout(...checkoutDeps, clock);
  const { inbox, ingest } = orderFlow;
  const parse = (text: string) => parseJsonExact(text);
  const events = orderFlow.platform;
  const mtApplier = new MeituanPushApplier(ingest, orders, events, catalogLookup, delivery, parse, mt.appSecret);
  const elApplier = new ElemePushApplier(ingest, orders, events, catalogLookup, delivery, stores, parse);
  inbox.register(outbox, 'meituan', (row) => mtApplier.apply(row));
  inbox.register(outbox, 'eleme', (row) => elApplier.apply(row));
  const channelLog = logger.child({ module: 'channels' });
  const { bodyLimitBytes: limit, publicBaseUrl } = config;
  const pushWindow = new PushWindow(config.pushMaxAgeSeconds * 1000, clock, metrics);
  const meituanIn = new MeituanInbound(
    config.meituan,
    publicBaseUrl,
    limit,
    stores,
    inbox,
    pushWindow,
    clock,
    channelLog,
  );
  const elemeIn = new ElemeInbound(config.eleme, limit, stores, inbox, pushWindow, clock, channelLog);
  const elemePull = new ElemeCompensation(elemeTransport, elemeIn, config.eleme.appId, cache, channelLog);
  const payNotify = new WechatPayNotify(paySettings, payments, limit, clock, channelLog);

  const reportRollups = new ReportRollups(db, new RollupRepo(db), clock, logger.child({ module: 'reports' }));
  reportRollups.register(outbox);
  const reports = new ReportService(new ReportQueryRepo(db), stores, catalog.prices, clock);

  let workersStarted = false;
  const timers: NodeJS.Timeout[] = [];
  return {
    config,
    logger,
    clock,
    database,
    db,
    cache,
    metrics,
    tokens,
    idempotency,
    outbox,
    secrets,
    services: {
      stores,
      staff,
      catalogLookup,
      media,
      catalog,
      stock,
      orderFlow,
      delivery,
      members,
      payments,
      orderChannels: { checkout, tableCodes, meituan: meituanIn, eleme: elemeIn, wechatPay: payNotify, elemePull },
      reports: { rollups: reportRollups, service: reports },
    },
    async startWorkers() {
      if (workersStarted) return;
      workersStarted = true;
      await outbox.start();
      elemePull.start(config.elemePullIntervalMs);
      const purge = setInterval(() => {
        idempotency.purgeExpired().catch((err) => logger.warn({ err }, 'idempotency purge failed'));
      }, 3600_000);
      purge.unref();
      timers.push(purge);
      // Platform orders an earlier version left without stock (see OrderStockFlow.repairUnaccounted);
      // two minutes of grace leave pushes being applied right now to their own worker.
      const repair = () =>
        orderFlow.stockFlow
          .repairUnaccounted(clock.now() - 120_000)
          .catch((err) => logger.warn({ err }, 'stock repair pass failed'));
      void repair();
      const repairTimer = setInterval(repair, 300_000);
      repairTimer.unref();
      timers.push(repairTimer);
    },
    async close() {
      for (const t of timers) clearInterval(t);
      orderFlow.queue.closeAll();
      await elemePull.stop();
      await outbox.stop();
      await Promise.allSettled([
        overrides.cache ? Promise.resolve() : cache.close(),
        overrides.database ? Promise.resolve() : database.close(),
      ]);
    },
  };
}

/** The platforms' stock and sell-status clients; a platform without credentials gets none. */
function stockSenders(config: Config, cache: Cache, clock: Clock, logger: Logger) {
  const meituan = meituanStockSender(config.meituan, clock, logger);
  const eleme = elemeStockSender(config.eleme, cache, clock, logger);
  return { ...(meituan ? { meituan } : {}), ...(eleme ? { eleme } : {}) };
}
