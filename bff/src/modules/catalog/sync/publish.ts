import { type Database, newId } from 'db';
import type { Kysely } from 'kysely';
import type { Platform, PublishRequest, PublishResponse } from 'shared-types';
import type { Cache } from '../../../cache';
import type { Clock } from '../../../lib/clock';
import { AppError, errors } from '../../../lib/errors';
import type { StaffPrincipal } from '../../../lib/principal';
import { enqueue } from '../../../sync/outbox';
import type { StoreRow } from '../../stores/repo';
import type { StoreService } from '../../stores/service';
import type { MenuVersions } from '../menu-versions';
import { buildEffectiveMenu, type MasterMenu } from '../pricing/effective-menu';
import { MenuReadRepo } from '../pricing/repo-menu';
import { channelDocs, hashCategory, hashDish } from './platform-menu';
import { type CallItem, type PlatformLimits, planSync, type SyncOp } from './publish-diff';
import { SyncRepo } from './repo-sync';
import type { StoreBindings } from './store-bindings';

export const CATALOG_SYNC_TOPIC = 'catalog.sync';
export const PLATFORMS: readonly Platform[] = ['meituan', 'eleme'];

export interface CatalogSyncPayload {
  v: 1;
  storeId: string;
  platform: Platform;
  publishId: string;
  op: SyncOp;
  items: CallItem[];
}

export function syncAggregate(storeId: string, platform: Platform): string {
  return `catalog:${storeId}:${platform}`;
}

/**
 * `publishMenu`: for each store in scope and each delivery platform it is bound to, computes the
 * effective menu, diffs it against what the platform last accepted, and queues only the calls
 * that close the difference (outbox topic `catalog.sync`, one aggregate per store and platform so
 * calls go out in order). A second publish with nothing changed queues nothing.
 */
export class PublishService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cache: Cache,
    private readonly clock: Clock,
    private readonly stores: StoreService,
    private readonly bindings: StoreBindings,
    private readonly versions: MenuVersions,
    private readonly limits: Record<Platform, PlatformLimits>,
    private readonly wake: () => Promise<void>,
  ) {}

  /** The stores a publish request names, refused when any is outside the caller's scope. */
  async storesFor(staff: StaffPrincipal, request: PublishRequest): Promise<StoreRow[]> {
    const scope = await staff.storeIds();
    const inScope = (id: string) => scope === 'all' || scope.includes(id);
    if (request.storeId) {
      const store = await this.stores.find(request.storeId);
      if (store?.brand_id !== staff.brandId) throw errors.notFound('store');
      await staff.assertStore(store.id);
      return [store];
    }
    const all = (await this.stores.listInScope(staff.brandId, 'all')).map((s) => s.id);
    let ids = all;
    if (request.regionId) {
      const rows = await Promise.all(all.map((id) => this.stores.get(id)));
      ids = rows.filter((s) => s.region_id === request.regionId).map((s) => s.id);
      if (ids.length === 0) throw errors.notFound('region');
      if (!ids.every(inScope)) throw errors.outOfScope('this region has stores outside your scope');
    } else if (scope !== 'all') {
      throw errors.forbidden('publishing the whole brand is HQ’s; name your region or store');
    }
    const rows = await Promise.all(ids.map((id) => this.stores.get(id)));
    return rows.filter((s) => s.status === 'active');
  }

  async publish(staff: StaffPrincipal, request: PublishRequest): Promise<PublishResponse> {
    const stores = await this.storesFor(staff, request);
    const publishId = newId(this.clock.now());
    const master = await new MenuReadRepo(this.db).loadMaster(staff.brandId);
    const targets: PublishResponse['targets'] = [];
    for (const store of stores) {
      for (const platform of PLATFORMS) {
        targets.push(await this.publishTo(master, store, platform, publishId));
      }
    }
    const callsQueued = targets.reduce((n, t) => n + t.calls, 0);
    await new SyncRepo(this.db).insertPublish({
      id: publishId,
      brand_id: staff.brandId,
      scope: request.storeId ? 'store' : request.regionId ? 'region' : 'brand',
      scope_id: request.storeId ?? request.regionId ?? null,
      requested_by: staff.id,
      store_count: stores.length,
      calls_queued: callsQueued,
      created_at: this.clock.now(),
    });
    await this.versions.bumpStores(stores.map((s) => s.id));
    if (callsQueued > 0) await this.wake();
    return { publishId, storeCount: stores.length, callsQueued, targets };
  }

  private async publishTo(master: MasterMenu, store: StoreRow, platform: Platform, publishId: string) {
    const base = { storeId: store.id, storeCode: store.code, platform };
    const none = { categories: 0, dishes: 0, prices: 0, deletions: 0 };
    if (!(await this.bindings.isBound(store.id, platform))) {
      return { ...base, state: 'not_bound' as const, calls: 0, changes: none };
    }
    const lock = await this.lock(store.id, platform);
    try {
      const carry = await new MenuReadRepo(this.db).loadCarry(store.id);
      const docs = channelDocs(buildEffectiveMenu(master, carry, platform));
      const desired = { categories: docs.categories.map(hashCategory), dishes: docs.dishes.map(hashDish) };
      const now = this.clock.now();
      const plan = await this.db.transaction().execute(async (trx) => {
        const repo = new SyncRepo(trx);
        const plan = planSync(desired, await repo.items(store.id, platform), this.limits[platform]);
        await repo.setDesired(store.id, platform, plan.desired, publishId, now);
        await repo.setDeletionQueued(store.id, platform, plan.deletions, publishId, now);
        await repo.forget(store.id, platform, plan.forget);
        for (const m of plan.messages) {
          const payload: CatalogSyncPayload = {
            v: 1,
            storeId: store.id,
            platform,
            publishId,
            op: m.op,
            items: m.items,
          };
          await enqueue(
            trx,
            { topic: CATALOG_SYNC_TOPIC, payload, aggregateId: syncAggregate(store.id, platform) },
            now,
          );
        }
        return plan;
      });
      const state = plan.calls > 0 ? ('queued' as const) : ('in_step' as const);
      return { ...base, state, calls: plan.calls, changes: plan.changes };
    } finally {
      await lock.release();
    }
  }

  /** Two publishes of one store and platform at once would both queue the same calls: one waits for the other. */
  private async lock(storeId: string, platform: Platform) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const lock = await this.cache.acquireLock(`catalog:publish:${storeId}:${platform}`, 60_000);
      if (lock) return lock;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new AppError('PUBLISH_IN_PROGRESS', 409, 'another publish of this store is running; try again shortly');
  }
}
