import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type { AvailabilityWindow, MemberMenuResponse } from 'shared-types';
import type { Cache } from '../../../cache';
import type { Clock } from '../../../lib/clock';
import { errors } from '../../../lib/errors';
import { localParts, localToEpoch, nextDate, parseHHMM } from '../../../lib/local-time';
import type { StoreService } from '../../stores/service';
import type { MenuVersions } from '../menu-versions';
import type { SoldOutSource } from '../sold-out';
import { buildEffectiveMenu } from './effective-menu';
import { MenuReadRepo } from './repo-menu';

export type MemberChannel = 'miniapp' | 'dinein';

/** A rebuilt menu is kept at most this long even when nothing bumps its version. */
const CACHE_TTL_MS = 15 * 60_000;
/** How long a store's brand and timezone are taken from the cache. */
const STORE_META_TTL_MS = 60_000;
/** Availability is re-evaluated at least this often. */
const MAX_VALIDITY_MS = 60 * 60_000;

export function availableAt(windows: AvailabilityWindow[] | null, at: number, timeZone: string): boolean {
  if (!windows) return true;
  const now = localParts(at, timeZone);
  return windows.some(
    (w) => w.days.includes(now.weekday) && now.minutes >= parseHHMM(w.start) && now.minutes < parseHHMM(w.end),
  );
}

/** The next moment any window opens or closes (or the day turns), after which `available` must be recomputed. */
export function nextAvailabilityChange(windows: AvailabilityWindow[][], at: number, timeZone: string): number {
  const today = localParts(at, timeZone).date;
  const tomorrow = nextDate(today);
  let next = Math.min(at + MAX_VALIDITY_MS, localToEpoch(tomorrow, 0, timeZone));
  for (const list of windows) {
    for (const w of list) {
      for (const date of [today, tomorrow]) {
        for (const minutes of [parseHHMM(w.start), parseHHMM(w.end)]) {
          const t = localToEpoch(date, minutes, timeZone);
          if (t > at && t < next) next = t;
        }
      }
    }
  }
  return next;
}

/**
 * The member-facing menu of a store (mini-program and dine-in QR). Built from the effective menu,
 * with sold-out SKUs from the stock pool and availability windows in the store's timezone, and
 * served from the shared cache under the store's menu version: publish, catalog edits and stock
 * changes bump the version, so the next read anywhere rebuilds. A cached body is also dropped
 * when an availability window opens or closes.
 */
export class MemberMenuService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cache: Cache,
    private readonly clock: Clock,
    private readonly versions: MenuVersions,
    private readonly stores: StoreService,
    private readonly stock?: SoldOutSource,
  ) {}

  /** The menu as a JSON string, ready to send. A cached menu costs four cache reads and no query. */
  async menuJson(storeId: string, channel: MemberChannel): Promise<string> {
    const store = await this.storeMeta(storeId);
    const version = await this.versions.current(store.brandId, storeId);
    const key = `menu:body:${storeId}:${channel}:${version}`;
    const now = this.clock.now();
    const hit = await this.cache.get(key);
    if (hit !== null) {
      const cut = hit.indexOf('\n');
      if (now < Number(hit.slice(0, cut))) return hit.slice(cut + 1);
    }
    const { body, validUntil } = await this.build(store.brandId, storeId, store.timeZone, channel, version, now);
    await this.cache.set(key, `${validUntil}\n${body}`, CACHE_TTL_MS);
    return body;
  }

  /** The store's brand and timezone, cached briefly: a store closing shows within a minute. */
  private async storeMeta(storeId: string): Promise<{ brandId: string; timeZone: string }> {
    const key = `menu:store:${storeId}`;
    const hit = await this.cache.get(key);
    if (hit !== null) return JSON.parse(hit);
    const store = await this.stores.find(storeId);
    if (store?.status !== 'active') throw errors.notFound('store');
    const meta = { brandId: store.brand_id, timeZone: store.timezone };
    await this.cache.set(key, JSON.stringify(meta), STORE_META_TTL_MS);
    return meta;
  }

  async menu(storeId: string, channel: MemberChannel): Promise<MemberMenuResponse> {
    return JSON.parse(await this.menuJson(storeId, channel)) as MemberMenuResponse;
  }

  private async build(
    brandId: string,
    storeId: string,
    timeZone: string,
    channel: MemberChannel,
    version: string,
    now: number,
  ): Promise<{ body: string; validUntil: number }> {
    const repo = new MenuReadRepo(this.db);
    const [master, carry, soldOut] = await Promise.all([
      repo.loadMaster(brandId),
      repo.loadCarry(storeId),
      this.stock ? this.stock.soldOutSkuCodes(storeId) : Promise.resolve(new Set<string>()),
    ]);
    const menu = buildEffectiveMenu(master, carry, channel);
    const windows: AvailabilityWindow[][] = [];
    const response: MemberMenuResponse = {
      storeId,
      channel,
      version,
      generatedAt: now,
      categories: menu.categories.map((c) => ({
        code: c.code,
        name: c.name,
        products: c.products.map((p) => {
          if (p.availability) windows.push(p.availability);
          return {
            code: p.code,
            name: p.name,
            description: p.description,
            imageUrl: p.imageUrl,
            tags: p.tags,
            unit: p.unit,
            available: availableAt(p.availability, now, timeZone),
            availability: p.availability,
            specGroups: p.specGroups,
            skus: p.skus.map((s) => ({
              code: s.code,
              specText: s.specText,
              options: s.options,
              price: s.price,
              packagingFee: s.packagingFee,
              soldOut: soldOut.has(s.code),
            })),
            addonGroups: p.addonGroups.map((g) => ({
              code: g.code,
              name: g.name,
              minChoices: g.minChoices,
              maxChoices: g.maxChoices,
              options: g.options.map((o) => ({ code: o.code, name: o.name, price: o.price })),
            })),
          };
        }),
      })),
    };
    return { body: JSON.stringify(response), validUntil: nextAvailabilityChange(windows, now, timeZone) };
  }
}
