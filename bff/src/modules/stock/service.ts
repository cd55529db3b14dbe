import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type {
  CapacityResponse,
  CapacitySettings,
  Platform,
  StockAlertView,
  StockHistoryQuery,
  StockHistoryResponse,
  StockListResponse,
  StockPolicy,
  StockPolicyUpdate,
  StockUpdateResponse,
} from 'shared-types';
import { z } from 'zod';
import type { Cache } from '../../cache';
import type { Clock } from '../../lib/clock';
import { localParts } from '../../lib/local-time';
import type { Logger } from '../../logger';
import { AbandonDelivery, type OutboxWorker } from '../../sync/worker';
import type { CatalogLookup } from '../catalog/pricing/lookup';
import type { StoreService } from '../stores/service';
import { type StockAdjustment, StockAdjustments } from './adjust';
import { StockAlerts } from './alerts';
import { SceneBuilder } from './context';
import type { ReserveRequest, ShortagePolicy, StockPort } from './contract';
import { iso, rowAvailable, rowView } from './model';
import { STOCK_CHANGED_TOPIC, STOCK_PUSH_TOPIC, StockPropagation } from './propagation';
import { type PlatformStockSender, StockPusher } from './push';
import { StockItemRepo } from './repo';
import { ReservationRepo } from './reservation-repo';
import { type ReserveAnswer, StockReservations } from './reservations';
import { DAILY_RESET_TOPIC, MARK_EXPIRY_TOPIC, StockSchedules } from './schedules';
import { StockSettings } from './settings';
import { StockSettingsRepo } from './settings-repo';
import { StockSyncRepo } from './sync-repo';
import { effectiveRows, skuView } from './views';

export interface StockServiceDeps {
  db: Kysely<Database>;
  cache: Cache;
  clock: Clock;
  logger: Logger;
  outbox: OutboxWorker;
  catalog: CatalogLookup;
  stores: StoreService;
  /** Stock and sell-status calls per platform (channels/<platform>/stock-client.ts). */
  senders: Partial<Record<Platform, PlatformStockSender>>;
}

/**
 * One stock and kitchen-capacity pool per store for every channel. Orders reserve through the
 * `StockPort` half; staff and HQ manage stock, capacity and policy through the rest. Changes go
 * out to every platform the store is on, to the member menu cache and to kitchen screens.
 */
export class StockService implements StockPort {
  readonly settings: StockSettings;
  readonly alerts: StockAlerts;
  private readonly db: Kysely<Database>;
  private readonly clock: Clock;
  private readonly catalog: CatalogLookup;
  private readonly items = new StockItemRepo();
  private readonly reservationRepo = new ReservationRepo();
  private readonly scenes: SceneBuilder;
  private readonly propagation: StockPropagation;
  private readonly reservations: StockReservations;
  private readonly adjustments: StockAdjustments;
  private readonly schedules: StockSchedules;
  private readonly pusher: StockPusher;

  constructor(deps: StockServiceDeps) {
    const { db, cache, clock, logger, outbox, catalog, stores } = deps;
    this.db = db;
    this.clock = clock;
    this.catalog = catalog;
    const reservationRepo = this.reservationRepo;
    const settingsRepo = new StockSettingsRepo();
    const syncRepo = new StockSyncRepo();
    this.settings = new StockSettings(db, settingsRepo, reservationRepo, clock);
    this.propagation = new StockPropagation(syncRepo, cache, outbox, logger);
    this.scenes = new SceneBuilder(db, stores, catalog, this.settings, this.propagation, clock);
    this.alerts = new StockAlerts(db, settingsRepo, cache, clock, logger);
    this.schedules = new StockSchedules(db, this.items, this.scenes, this.propagation, clock);
    this.reservations = new StockReservations(
      db,
      this.items,
      reservationRepo,
      this.settings,
      this.scenes,
      catalog,
      this.propagation,
      this.alerts,
      clock,
    );
    this.adjustments = new StockAdjustments(db, this.items, this.scenes, catalog, this.propagation, this.schedules);
    this.pusher = new StockPusher(
      db,
      syncRepo,
      this.items,
      catalog,
      this.scenes,
      this.settings,
      deps.senders,
      clock,
      logger,
    );
  }

  /** The outbox topics this service delivers; call once per process. */
  registerTopics(outbox: OutboxWorker): void {
    // A platform outage may last hours; pushes keep the latest state, so they may keep trying.
    outbox.register(STOCK_PUSH_TOPIC, (p) => this.pusher.deliver(p), { maxAttempts: 60 });
    outbox.register(STOCK_CHANGED_TOPIC, async (p) => {
      const parsed = z.object({ storeId: z.string() }).safeParse(p);
      if (!parsed.success) throw new AbandonDelivery('malformed stock.changed payload');
      await this.propagation.invalidateMenu(parsed.data.storeId);
    });
    outbox.register(MARK_EXPIRY_TOPIC, (p) => this.schedules.onMarkExpiry(p));
    outbox.register(DAILY_RESET_TOPIC, (p) => this.schedules.onDailyReset(p));
  }

  // ── StockPort ──

  reserve(request: ReserveRequest): Promise<ReserveAnswer> {
    return this.reservations.reserve(request);
  }

  commit(orderId: string): Promise<void> {
    return this.reservations.commit(orderId);
  }

  release(orderId: string, reason: 'cancelled' | 'timeout' | 'refunded'): Promise<void> {
    return this.reservations.release(orderId, reason);
  }

  async soldOutSkuCodes(storeId: string): Promise<Set<string>> {
    const store = await this.scenes.store(storeId);
    const now = this.clock.now();
    const rows = effectiveRows(
      await this.items.listForStore(this.db, storeId),
      now,
      localParts(now, store.timezone).date,
    );
    const out = new Set<string>();
    const products: string[] = [];
    for (const row of rows.values()) {
      if (rowAvailable(row)) continue;
      if (row.level === 'sku') out.add(row.code);
      else products.push(row.code);
    }
    if (products.length) {
      for (const sku of await this.catalog.skusOfProducts(store.brand_id, products)) out.add(sku.code);
    }
    return out;
  }

  async shortagePolicy(brandId: string): Promise<ShortagePolicy> {
    return (await this.settings.policy(brandId)).shortagePolicy;
  }

  nextSlotWithRoom(storeId: string, items: number, from: number): Promise<number | null> {
    return this.reservations.nextSlotWithRoom(storeId, items, from);
  }

  // ── staff and HQ ──

  /** The store an order's reservation belongs to, or null when it has none. */
  async reservationStore(orderId: string): Promise<string | null> {
    return (await this.reservationRepo.order(this.db, orderId))?.store_id ?? null;
  }

  async list(storeId: string, brandId: string): Promise<StockListResponse> {
    const store = await this.scenes.store(storeId, brandId);
    const now = this.clock.now();
    const today = localParts(now, store.timezone).date;
    const [carried, stored] = await Promise.all([
      this.catalog.storeMenuSkus(brandId, storeId, 'miniapp'),
      this.items.listForStore(this.db, storeId),
    ]);
    const rows = effectiveRows(stored, now, today);
    return {
      storeId,
      businessDate: today,
      items: [...carried.values()].map((sku) => skuView(rows, sku)),
      products: [...rows.values()]
        .filter((r) => r.level === 'product')
        .sort((a, b) => (a.code < b.code ? -1 : 1))
        .map(rowView),
    };
  }

  update(input: StockAdjustment): Promise<StockUpdateResponse> {
    return this.adjustments.apply(input);
  }

  async history(storeId: string, query: StockHistoryQuery): Promise<StockHistoryResponse> {
    const rows = await this.items.history(this.db, storeId, {
      limit: query.limit,
      ...(query.code ? { code: query.code } : {}),
      ...(query.before ? { before: query.before } : {}),
    });
    return {
      changes: rows.map((r) => ({
        id: r.id,
        level: r.level,
        code: r.code,
        action: r.action as StockHistoryResponse['changes'][number]['action'],
        before: r.before_state === null ? null : JSON.parse(r.before_state),
        after: JSON.parse(r.after_state),
        source: r.source,
        staffId: r.staff_id,
        staffName: r.staff_name,
        at: iso(r.at),
      })),
      nextBefore: rows.length === query.limit ? (rows[rows.length - 1]?.id ?? null) : null,
    };
  }

  async capacity(storeId: string): Promise<CapacityResponse> {
    const store = await this.scenes.store(storeId);
    return this.settings.capacityView(storeId, store.timezone);
  }

  async saveCapacity(storeId: string, settings: CapacitySettings, staffId: string): Promise<CapacityResponse> {
    await this.scenes.store(storeId);
    await this.settings.saveCapacity(storeId, settings, staffId);
    return this.capacity(storeId);
  }

  policy(brandId: string): Promise<StockPolicy> {
    return this.settings.policy(brandId);
  }

  updatePolicy(brandId: string, update: StockPolicyUpdate, staffId: string): Promise<StockPolicy> {
    return this.settings.updatePolicy(brandId, update, staffId);
  }

  listAlerts(storeId: string, options: { open: boolean; limit: number }): Promise<StockAlertView[]> {
    return this.alerts.list(storeId, options);
  }

  acknowledgeAlert(storeId: string, alertId: string, staffId: string): Promise<StockAlertView> {
    return this.alerts.acknowledge(storeId, alertId, staffId);
  }

  /** Writes the time-driven changes (daily reset, ended marks) of a store now; the scheduled jobs call this. */
  catchUp(storeId: string): Promise<number> {
    return this.schedules.catchUp(storeId);
  }
}
