import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type { Platform } from 'shared-types';
import type { Cache } from '../../cache';
import type { Clock } from '../../lib/clock';
import type { SecretBox } from '../../lib/secret-box';
import type { Logger } from '../../logger';
import type { OutboxWorker } from '../../sync/worker';
import type { StoreService } from '../stores/service';
import { CatalogImportService } from './import/import';
import { CatalogAddonService } from './master/service-addons';
import { CatalogCategoryService } from './master/service-categories';
import { CatalogProductService } from './master/service-products';
import { StoreMenuService } from './master/service-store-menus';
import { MenuVersions } from './menu-versions';
import type { CatalogLookup } from './pricing/lookup';
import { MemberMenuService } from './pricing/member-menu';
import { CatalogPriceService } from './pricing/service-prices';
import type { SoldOutSource } from './sold-out';
import { CatalogAudit } from './sync/audit';
import type { PlatformMenuClients } from './sync/platform-menu';
import { PublishService } from './sync/publish';
import type { PlatformLimits } from './sync/publish-diff';
import type { CacheRateGate } from './sync/rate-gate';
import { MappingService } from './sync/service-mapping';
import { StoreBindings, type StorePlatformSettings } from './sync/store-bindings';
import { SyncStatusService } from './sync/sync-status';
import { CatalogSyncWorker } from './sync/sync-worker';

/** Every catalog service, built together (container.services.catalog). */
export interface CatalogServices {
  stores: StoreService;
  versions: MenuVersions;
  categories: CatalogCategoryService;
  products: CatalogProductService;
  addons: CatalogAddonService;
  prices: CatalogPriceService;
  storeMenus: StoreMenuService;
  bindings: StoreBindings;
  mapping: MappingService;
  publish: PublishService;
  syncStatus: SyncStatusService;
  syncWorker: CatalogSyncWorker;
  audit: CatalogAudit;
  import: CatalogImportService;
  memberMenu: MemberMenuService;
  rateGate: CacheRateGate;
}

export interface CatalogDeps {
  db: Kysely<Database>;
  cache: Cache;
  clock: Clock;
  logger: Logger;
  secrets: SecretBox;
  outbox: OutboxWorker;
  stores: StoreService;
  lookup: CatalogLookup;
  clients: PlatformMenuClients;
  /** The shared per-platform budget every menu call takes a token from. */
  rateGate: CacheRateGate;
  platform: StorePlatformSettings;
  /** Optional: without it the member menu shows nothing sold out. */
  stock?: SoldOutSource;
}

const DEFAULT_LIMITS: PlatformLimits = { dishesPerCall: 1, pricesPerCall: 50, callsPerDishBatch: 1 };

export function buildCatalogServices(deps: CatalogDeps): CatalogServices {
  const { db, cache, clock, logger, stores } = deps;
  const versions = new MenuVersions(cache);
  const bindings = new StoreBindings(db, clock, deps.secrets, deps.lookup, stores, deps.platform, logger);
  const prices = new CatalogPriceService(db, clock, versions);
  const mapping = new MappingService(db, clock, stores, bindings);
  const limits = Object.fromEntries(
    (['meituan', 'eleme'] as Platform[]).map((p) => [p, { ...DEFAULT_LIMITS, ...deps.clients[p]?.limits }]),
  ) as Record<Platform, PlatformLimits>;
  return {
    stores,
    versions,
    categories: new CatalogCategoryService(db, clock, versions),
    products: new CatalogProductService(db, clock, versions),
    addons: new CatalogAddonService(db, clock, versions),
    prices,
    storeMenus: new StoreMenuService(db, clock, versions, stores),
    bindings,
    mapping,
    publish: new PublishService(db, cache, clock, stores, bindings, versions, limits, () => deps.outbox.wake()),
    syncStatus: new SyncStatusService(db, stores, bindings),
    syncWorker: new CatalogSyncWorker(
      db,
      clock,
      stores,
      bindings,
      deps.clients,
      logger.child({ component: 'catalog-sync' }),
      12,
      deps.stock,
    ),
    audit: new CatalogAudit(db, clock, stores, bindings, deps.clients, prices, mapping, logger),
    import: new CatalogImportService(db, clock, stores, versions),
    memberMenu: new MemberMenuService(db, cache, clock, versions, stores, deps.stock),
    rateGate: deps.rateGate,
  };
}
