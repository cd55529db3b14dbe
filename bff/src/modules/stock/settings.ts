import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type { CapacityResponse, CapacitySettings, StockPolicy, StockPolicyUpdate } from 'shared-types';
import type { Clock } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import { localParts } from '../../lib/local-time';
import {
  type CapacityConfig,
  DEFAULT_SLOT_MINUTES,
  isOverloaded,
  parseCapacity,
  slotsOfDay,
  toSettings,
} from './capacity';
import { iso } from './model';
import type { ReservationRepo } from './reservation-repo';
import type { StockSettingsRepo } from './settings-repo';

export const DEFAULT_STOCK_POLICY: StockPolicy = {
  shortagePolicy: 'accept_and_alert',
  refundedStock: 'return',
  platformStock: { show: 'actual', cap: null, unlimitedAs: 9999 },
};

/** Settings change rarely and are read on every reservation: each process keeps them this long. */
const SETTINGS_TTL_MS = 5_000;

interface Cached<T> {
  value: T;
  until: number;
}

/** A brand's stock policy and each store's kitchen capacity, read through a short per-process cache. */
export class StockSettings {
  private readonly policies = new Map<string, Cached<StockPolicy>>();
  private readonly capacities = new Map<string, Cached<{ config: CapacityConfig; updatedAt: number } | null>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: StockSettingsRepo,
    private readonly reservations: ReservationRepo,
    private readonly clock: Clock,
  ) {}

  async policy(brandId: string): Promise<StockPolicy> {
    const now = this.clock.now();
    const hit = this.policies.get(brandId);
    if (hit && hit.until > now) return hit.value;
    const value = (await this.repo.policy(this.db, brandId)) ?? DEFAULT_STOCK_POLICY;
    this.policies.set(brandId, { value, until: now + SETTINGS_TTL_MS });
    return value;
  }

  async updatePolicy(brandId: string, update: StockPolicyUpdate, staffId: string): Promise<StockPolicy> {
    // Fresh from the database: another process may have changed it within this one's cache time.
    const current = (await this.repo.policy(this.db, brandId)) ?? DEFAULT_STOCK_POLICY;
    const next: StockPolicy = {
      shortagePolicy: update.shortagePolicy ?? current.shortagePolicy,
      refundedStock: update.refundedStock ?? current.refundedStock,
      platformStock: update.platformStock ?? current.platformStock,
    };
    if (next.platformStock.show === 'capped' && next.platformStock.cap === null) {
      throw new AppError('VALIDATION_FAILED', 400, 'platformStock.cap is needed when platforms show a capped number');
    }
    await this.repo.savePolicy(this.db, brandId, next, staffId, this.clock.now());
    this.policies.delete(brandId);
    return next;
  }

  /** The store's capacity limits, or null when it has none (no slot is limited). */
  async capacity(storeId: string): Promise<CapacityConfig | null> {
    return (await this.capacityEntry(storeId))?.config ?? null;
  }

  private async capacityEntry(storeId: string) {
    const now = this.clock.now();
    const hit = this.capacities.get(storeId);
    if (hit && hit.until > now) return hit.value;
    const stored = await this.repo.capacity(this.db, storeId);
    const value = stored
      ? {
          config: parseCapacity({ slotMinutes: stored.slotMinutes, periods: stored.periods }),
          updatedAt: stored.updatedAt,
        }
      : null;
    this.capacities.set(storeId, { value, until: now + SETTINGS_TTL_MS });
    return value;
  }

  async saveCapacity(storeId: string, settings: CapacitySettings, staffId: string): Promise<void> {
    const config = parseCapacity(settings);
    await this.repo.saveCapacity(this.db, storeId, toSettings(config), staffId, this.clock.now());
    this.capacities.delete(storeId);
  }

  /** Settings plus today's limited slots with their load, for the store manager's screen. */
  async capacityView(storeId: string, timeZone: string): Promise<CapacityResponse> {
    const entry = await this.capacityEntry(storeId);
    const config = entry?.config ?? { slotMinutes: DEFAULT_SLOT_MINUTES, periods: [] };
    const date = localParts(this.clock.now(), timeZone).date;
    const slots = slotsOfDay(config, date, 0, timeZone).filter((s) => s.period !== null);
    const first = slots[0];
    const last = slots[slots.length - 1];
    const loads =
      first && last
        ? new Map(
            (await this.reservations.slotsBetween(this.db, storeId, first.start, last.start + 1)).map((r) => [
              r.slot_start,
              r,
            ]),
          )
        : new Map();
    return {
      storeId,
      ...toSettings(config),
      updatedAt: entry ? iso(entry.updatedAt) : null,
      date,
      slots: slots.map((s) => {
        const load = loads.get(s.start) ?? { items: 0, orders: 0 };
        return {
          start: iso(s.start),
          period: s.period?.name ?? '',
          maxItems: s.period?.maxItems ?? null,
          maxOrders: s.period?.maxOrders ?? null,
          items: load.items,
          orders: load.orders,
          overloaded: isOverloaded(s.period, load),
        };
      }),
    };
  }
}
