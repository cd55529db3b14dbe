import { BusinessHours, type StoreSettingsPatch, type StoreView } from 'shared-types';
import type { Clock } from '../../lib/clock';
import { errors } from '../../lib/errors';
import { distanceMetres } from '../../lib/geo';
import { localParts, parseHHMM } from '../../lib/local-time';
import type { StoreRepo, StoreRow } from './repo';

/** Whether `at` falls inside the store's opening hours, in the store's own timezone. */
export function isOpenAt(hours: BusinessHours, timeZone: string, at: number): boolean {
  const now = localParts(at, timeZone);
  for (const range of hours) {
    const open = parseHHMM(range.open);
    const close = parseHHMM(range.close);
    if (close > open) {
      if (range.days.includes(now.weekday) && now.minutes >= open && now.minutes < close) return true;
    } else {
      // A range past midnight (18:00–02:00) belongs to the day it opens.
      const yesterday = now.weekday === 1 ? 7 : now.weekday - 1;
      if (range.days.includes(now.weekday) && now.minutes >= open) return true;
      if (range.days.includes(yesterday) && now.minutes < close) return true;
    }
  }
  return false;
}

export function parseBusinessHours(json: string): BusinessHours {
  const parsed = BusinessHours.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : [];
}

export class StoreService {
  constructor(
    private readonly repo: StoreRepo,
    private readonly clock: Clock,
  ) {}

  toView(row: StoreRow, from?: { lat: number; lng: number }): StoreView {
    const hours = parseBusinessHours(row.business_hours);
    const located = row.lat !== null && row.lng !== null;
    return {
      id: row.id,
      code: row.code,
      name: row.name,
      address: row.address,
      phone: row.phone,
      regionId: row.region_id,
      timezone: row.timezone,
      lat: row.lat,
      lng: row.lng,
      businessHours: hours,
      distanceM:
        from && located ? Math.round(distanceMetres(from, { lat: row.lat as number, lng: row.lng as number })) : null,
      openNow: isOpenAt(hours, row.timezone, this.clock.now()),
    };
  }

  /** Active stores for members; nearest first when a point is given, else by code. */
  async listForMembers(from?: { lat: number; lng: number }): Promise<StoreView[]> {
    const views = (await this.repo.listActive()).map((row) => this.toView(row, from));
    if (from) views.sort((a, b) => (a.distanceM ?? Number.MAX_SAFE_INTEGER) - (b.distanceM ?? Number.MAX_SAFE_INTEGER));
    return views;
  }

  async listInScope(brandId: string, ids: string[] | 'all'): Promise<StoreView[]> {
    return (await this.repo.listInScope(brandId, ids)).map((row) => this.toView(row));
  }

  async get(id: string): Promise<StoreRow> {
    const row = await this.repo.byId(id);
    if (!row) throw errors.notFound('store');
    return row;
  }

  /** Changes a store's hours, phone or address; answers the store as it is now. */
  async updateSettings(id: string, patch: StoreSettingsPatch): Promise<StoreView> {
    await this.get(id);
    await this.repo.update(
      id,
      {
        ...(patch.businessHours !== undefined ? { business_hours: JSON.stringify(patch.businessHours) } : {}),
        ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
        ...(patch.address !== undefined ? { address: patch.address } : {}),
      },
      this.clock.now(),
    );
    return this.toView(await this.get(id));
  }

  find(id: string): Promise<StoreRow | undefined> {
    return this.repo.byId(id);
  }

  findByCode(code: string): Promise<StoreRow | undefined> {
    return this.repo.byCode(code);
  }

  findByMeituanPoiCode(code: string): Promise<StoreRow | undefined> {
    return this.repo.byMeituanPoiCode(code);
  }

  findByElemeShopId(shopId: string): Promise<StoreRow | undefined> {
    return this.repo.byElemeShopId(shopId);
  }

  idsInRegions(regionIds: string[]): Promise<string[]> {
    return this.repo.idsInRegions(regionIds);
  }
}
