import type { Database } from 'db';
import type { Kysely, Transaction } from 'kysely';
import {
  BusinessHours,
  type DeliveryMode,
  type DeliverySettings,
  type DeliverySettingsView,
  type DeliveryStatus,
  type DeliveryView,
} from 'shared-types';
import type { Clock } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import { distanceMetres } from '../../lib/geo';
import { isOpenAt, parseBusinessHours } from '../stores/service';
import type { DeliveryRepo, OrderDeliveryRow, ZoneRow } from './repo';

/** Rank on the rider's path, so a late push never moves the rider backwards. */
const RIDER_RANK: Record<DeliveryStatus, number> = {
  waiting: 0,
  assigned: 1,
  at_store: 2,
  picked_up: 3,
  delivered: 4,
  cancelled: -1,
  failed: -1,
};

export interface RoutedZone {
  name: string;
  fee: number;
  minOrder: number;
  minutes: number;
  distanceM: number;
}

export interface RiderUpdate {
  orderId: string;
  status: DeliveryStatus;
  riderName?: string | null;
  riderPhone?: string | null;
  source: 'staff' | 'platform' | 'system';
  /** One per platform event, so a repeated push records nothing twice. */
  dedupeKey: string;
  at: number;
  /** A platform may switch an order to the store's own riders (Ele.me type 71). */
  mode?: DeliveryMode;
}

export interface StoreLocation {
  id: string;
  lat: number | null;
  lng: number | null;
  timezone: string;
  business_hours: string;
}

/**
 * Delivery templates per store (self-delivery zones with fee, minimum, minutes and hours; which
 * platforms deliver) and each order's rider record with its timeline.
 */
export class DeliveryService {
  constructor(
    private readonly repo: DeliveryRepo,
    private readonly clock: Clock,
  ) {}

  async settings(storeId: string): Promise<DeliverySettingsView> {
    const [row, zones] = await Promise.all([this.repo.settings(storeId), this.repo.zones(storeId)]);
    return {
      storeId,
      selfDelivery: { enabled: row?.self_enabled === 1, zones: zones.map(zoneView) },
      platformDelivery: { meituan: (row?.meituan_platform ?? 1) === 1, eleme: (row?.eleme_platform ?? 1) === 1 },
      updatedAt: row ? new Date(row.updated_at).toISOString() : null,
    };
  }

  async saveSettings(storeId: string, settings: DeliverySettings, staffId: string): Promise<DeliverySettingsView> {
    const names = new Set<string>();
    for (const z of settings.selfDelivery.zones) {
      if (names.has(z.name)) throw new AppError('VALIDATION_FAILED', 400, `zone name "${z.name}" is used twice`);
      names.add(z.name);
    }
    const now = this.clock.now();
    await this.repo.saveSettings(
      {
        store_id: storeId,
        self_enabled: settings.selfDelivery.enabled ? 1 : 0,
        meituan_platform: settings.platformDelivery.meituan ? 1 : 0,
        eleme_platform: settings.platformDelivery.eleme ? 1 : 0,
        updated_by: staffId,
        updated_at: now,
      },
      settings.selfDelivery.zones.map((z, i) => ({
        store_id: storeId,
        name: z.name,
        radius_m: z.radiusM,
        fee: z.fee,
        min_order: z.minOrder,
        minutes: z.minutes,
        hours: JSON.stringify(z.hours),
        sort_order: i,
      })),
    );
    return this.settings(storeId);
  }

  /**
   * Routes a mini-program delivery to the store's own riders: the smallest zone containing the
   * address that delivers at `at`. Outside every zone, below the minimum or out of hours is
   * refused with a reason the member can act on.
   */
  async routeOwnDelivery(
    store: StoreLocation,
    to: { lat: number; lng: number },
    itemsTotal: number,
    at: number,
  ): Promise<RoutedZone> {
    const settings = await this.repo.settings(store.id);
    const zones = settings?.self_enabled === 1 ? await this.repo.zones(store.id) : [];
    if (zones.length === 0 || store.lat === null || store.lng === null) {
      throw new AppError('DELIVERY_UNAVAILABLE', 422, 'this store does not deliver with its own riders');
    }
    const distanceM = Math.round(distanceMetres({ lat: store.lat, lng: store.lng }, to));
    const containing = zones.filter((z) => distanceM <= z.radius_m).sort((a, b) => a.radius_m - b.radius_m);
    if (containing.length === 0) {
      const farthest = Math.max(...zones.map((z) => z.radius_m));
      throw new AppError(
        'DELIVERY_OUT_OF_RANGE',
        422,
        `the address is ${(distanceM / 1000).toFixed(1)} km from the store; it delivers within ${(farthest / 1000).toFixed(1)} km`,
        { distanceM, maxRadiusM: farthest },
      );
    }
    const storeHours = parseBusinessHours(store.business_hours);
    const open = containing.find((z) => isOpenAt(zoneHours(z, storeHours), store.timezone, at));
    if (!open) {
      throw new AppError('DELIVERY_UNAVAILABLE', 422, 'delivery to this address is closed at this time');
    }
    if (itemsTotal < open.min_order) {
      throw new AppError(
        'DELIVERY_BELOW_MINIMUM',
        422,
        `delivery to this address needs at least ¥${(open.min_order / 100).toFixed(2)} of items`,
        { minOrder: open.min_order, itemsTotal },
      );
    }
    return { name: open.name, fee: open.fee, minOrder: open.min_order, minutes: open.minutes, distanceM };
  }

  /** Whether a platform delivers this store's orders of that platform itself. */
  async platformDelivers(storeId: string, platform: 'meituan' | 'eleme'): Promise<boolean> {
    const row = await this.repo.settings(storeId);
    if (!row) return true;
    return (platform === 'meituan' ? row.meituan_platform : row.eleme_platform) === 1;
  }

  /** Opens the delivery record of a new delivery order, inside the order's own transaction. */
  async openForOrder(
    trx: Kysely<Database> | Transaction<Database>,
    d: { orderId: string; storeId: string; mode: DeliveryMode; logisticsCode: string | null; zoneName: string | null },
    now: number,
  ): Promise<void> {
    await this.repo.createForOrder(trx, {
      order_id: d.orderId,
      store_id: d.storeId,
      mode: d.mode,
      status: 'waiting',
      rider_name: null,
      rider_phone: null,
      logistics_code: d.logisticsCode,
      zone_name: d.zoneName,
      status_rank: 0,
      updated_at: now,
    });
  }

  /**
   * Records where the rider is. Repeated pushes record nothing twice; a late push is kept in the
   * timeline but never moves the current state backwards. Answers the rider's current state.
   */
  async recordRider(update: RiderUpdate): Promise<{ recorded: boolean; current: DeliveryStatus | null }> {
    const current = await this.repo.get(update.orderId);
    if (!current) return { recorded: false, current: null };
    const recorded = await this.repo.insertEvent({
      order_id: update.orderId,
      status: update.status,
      rider_name: update.riderName ?? null,
      rider_phone: update.riderPhone ?? null,
      source: update.source,
      dedupe_key: update.dedupeKey.slice(0, 191),
      at: update.at,
    });
    let row: OrderDeliveryRow | undefined = current;
    for (let attempt = 0; row && attempt < 5; attempt++) {
      if (!advances(row, update)) break;
      const moved = await this.repo.moveCurrent(row, {
        status: update.status,
        status_rank: RIDER_RANK[update.status],
        rider_name: update.riderName ?? row.rider_name,
        rider_phone: update.riderPhone ?? row.rider_phone,
        updated_at: Math.max(update.at, row.updated_at + 1),
        ...(update.mode ? { mode: update.mode } : {}),
      });
      if (moved) break;
      row = await this.repo.get(update.orderId);
    }
    const after = await this.repo.get(update.orderId);
    return { recorded, current: (after?.status as DeliveryStatus | undefined) ?? null };
  }

  async viewsFor(orderIds: string[]): Promise<Map<string, DeliveryView>> {
    const [rows, events] = await Promise.all([this.repo.forOrders(orderIds), this.repo.eventsFor(orderIds)]);
    const out = new Map<string, DeliveryView>();
    for (const r of rows) {
      out.set(r.order_id, {
        mode: r.mode,
        status: r.status as DeliveryStatus,
        riderName: r.rider_name,
        riderPhone: r.rider_phone,
        logisticsCode: r.logistics_code,
        zoneName: r.zone_name,
        timeline: [],
      });
    }
    for (const e of events) {
      out.get(e.order_id)?.timeline.push({
        status: e.status as DeliveryStatus,
        at: new Date(e.at).toISOString(),
        riderName: e.rider_name,
        riderPhone: e.rider_phone,
        source: e.source,
      });
    }
    return out;
  }

  now(): number {
    return this.clock.now();
  }
}

function advances(row: OrderDeliveryRow, update: RiderUpdate): boolean {
  const rank = RIDER_RANK[update.status];
  const currentRank = RIDER_RANK[row.status as DeliveryStatus] ?? 0;
  if (update.mode && update.mode !== row.mode) return true;
  if (row.status === update.status) {
    return (
      (update.riderName ?? row.rider_name) !== row.rider_name ||
      (update.riderPhone ?? row.rider_phone) !== row.rider_phone
    );
  }
  // Cancelled or failed end the current attempt; a later assignment (re-dispatch) starts another.
  if (rank < 0) return update.at >= row.updated_at || currentRank < 3;
  if (currentRank < 0) return update.at > row.updated_at;
  return rank > currentRank;
}

function zoneHours(zone: ZoneRow, storeHours: BusinessHours): BusinessHours {
  const parsed = BusinessHours.safeParse(JSON.parse(zone.hours));
  return parsed.success && parsed.data.length > 0 ? parsed.data : storeHours;
}

function zoneView(z: ZoneRow) {
  const hours = BusinessHours.safeParse(JSON.parse(z.hours));
  return {
    name: z.name,
    radiusM: z.radius_m,
    fee: Number(z.fee),
    minOrder: Number(z.min_order),
    minutes: z.minutes,
    hours: hours.success ? hours.data : [],
  };
}
