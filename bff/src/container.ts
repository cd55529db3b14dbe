import { connectDatabase, type Database, type DatabaseHandle, migrateToLatest } from 'db';
import type { Kysely } from 'kysely';
import { type Cache, createCache } from './cache';
import type { Config } from './config';
import { IdempotencyStore } from './http/idempotency';
import { Metrics } from './http/metrics';
import { TokenService } from './http/tokens';
import { type Clock, systemClock } from './lib/clock';
import { SecretBox } from './lib/secret-box';
import { createLogger, type Logger } from './logger';
import { CatalogLookup } from './modules/catalog/lookup';
import { CatalogLookupRepo } from './modules/catalog/lookup-repo';
import { StaffRepo } from './modules/staff/repo';
import { StaffService } from './modules/staff/service';
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
    // ── module services (catalog, stock, orders …) are added below this line ──
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
  const cache = overrides.cache ?? createCache(config.redisUrl, config.redisKeyPrefix);
  const metrics = new Metrics();
  const tokens = new TokenService(config.jwtSecret, config.staffTokenTtlSeconds, config.memberTokenTtlSeconds, clock);
  const idempotency = new IdempotencyStore(db, clock);
  const outbox = new OutboxWorker(db, cache, clock, logger.child({ component: 'outbox' }), metrics);

  const secrets = new SecretBox(config.dataEncryptionKey);

  const stores = new StoreService(new StoreRepo(db), clock);
  const staff = new StaffService(new StaffRepo(db), stores, tokens, cache, clock);
  const catalogLookup = new CatalogLookup(new CatalogLookupRepo(db), secrets);
  // ── module construction (catalog, stock, orders …) goes below this line ──

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
      // ── module services are listed below this line ──
    },
    async startWorkers() {
      if (workersStarted) return;
      workersStarted = true;
      await outbox.start();
      const purge = setInterval(() => {
        idempotency.purgeExpired().catch((err) => logger.warn({ err }, 'idempotency purge failed'));
      }, 3600_000);
      purge.unref();
      timers.push(purge);
    },
    async close() {
      for (const t of timers) clearInterval(t);
      await outbox.stop();
      await Promise.allSettled([
        overrides.cache ? Promise.resolve() : cache.close(),
        overrides.database ? Promise.resolve() : database.close(),
      ]);
    },
  };
}
