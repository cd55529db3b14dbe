import type { CapacityPeriod, CapacitySettings } from 'shared-types';
import { AppError } from '../../lib/errors';
import { localParts, localToEpoch, parseHHMM } from '../../lib/local-time';

export const DEFAULT_SLOT_MINUTES = 15;

export interface Period {
  name: string;
  /** Local minutes since midnight, [start, end). */
  start: number;
  end: number;
  maxItems: number | null;
  maxOrders: number | null;
}

export interface CapacityConfig {
  slotMinutes: number;
  periods: Period[];
}

export interface Slot {
  start: number;
  /** Local date and minute of the slot start. */
  date: string;
  minute: number;
  period: Period | null;
}

function invalid(message: string, details?: unknown): AppError {
  return new AppError('CAPACITY_INVALID', 400, message, details);
}

/** Checks capacity settings as a store manager would expect, and answers them parsed. */
export function parseCapacity(settings: CapacitySettings): CapacityConfig {
  const slot = settings.slotMinutes;
  const periods = settings.periods.map((p: CapacityPeriod) => {
    const start = parseHHMM(p.start);
    const end = parseHHMM(p.end);
    const maxItems = p.maxItems ?? null;
    const maxOrders = p.maxOrders ?? null;
    if (end <= start)
      throw invalid(`period ${p.name}: ${p.end} must be after ${p.start} (split a period across midnight)`);
    if (start % slot !== 0 || end % slot !== 0) {
      throw invalid(`period ${p.name}: ${p.start}–${p.end} must start and end on ${slot}-minute slot boundaries`);
    }
    if (maxItems === 0 || maxOrders === 0) {
      throw invalid(
        `period ${p.name}: a capacity of 0 per slot would refuse every order that needs items; to stop taking orders, close the store or mark dishes sold out`,
        { period: p.name },
      );
    }
    if (maxItems === null && maxOrders === null) throw invalid(`period ${p.name}: set maxItems, maxOrders or both`);
    return { name: p.name, start, end, maxItems, maxOrders };
  });
  const sorted = [...periods].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as Period;
    const next = sorted[i] as Period;
    if (next.start < prev.end) throw invalid(`periods ${prev.name} and ${next.name} overlap`);
  }
  const names = new Set(periods.map((p) => p.name));
  if (names.size !== periods.length) throw invalid('period names must be unique');
  return { slotMinutes: slot, periods: sorted };
}

export function periodAt(config: CapacityConfig, minute: number): Period | null {
  return config.periods.find((p) => minute >= p.start && minute < p.end) ?? null;
}

/** The slot `at` falls in, in the store's timezone. */
export function slotAt(config: CapacityConfig, at: number, timeZone: string): Slot {
  const local = localParts(at, timeZone);
  const minute = Math.floor(local.minutes / config.slotMinutes) * config.slotMinutes;
  return {
    start: localToEpoch(local.date, minute, timeZone),
    date: local.date,
    minute,
    period: periodAt(config, minute),
  };
}

/** Every slot of a local date from `fromMinute` to midnight. */
export function slotsOfDay(config: CapacityConfig, date: string, fromMinute: number, timeZone: string): Slot[] {
  const out: Slot[] = [];
  for (let m = fromMinute; m < 1440; m += config.slotMinutes) {
    out.push({ start: localToEpoch(date, m, timeZone), date, minute: m, period: periodAt(config, m) });
  }
  return out;
}

export function fits(
  period: Period | null,
  load: { items: number; orders: number },
  add: { items: number; orders: number },
): boolean {
  if (!period) return true;
  if (period.maxItems !== null && load.items + add.items > period.maxItems) return false;
  if (period.maxOrders !== null && load.orders + add.orders > period.maxOrders) return false;
  return true;
}

export function isOverloaded(period: Period | null, load: { items: number; orders: number }): boolean {
  if (!period) return false;
  return (
    (period.maxItems !== null && load.items > period.maxItems) ||
    (period.maxOrders !== null && load.orders > period.maxOrders)
  );
}

export function toSettings(config: CapacityConfig): CapacitySettings {
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return {
    slotMinutes: config.slotMinutes,
    periods: config.periods.map((p) => ({
      name: p.name,
      start: hhmm(p.start),
      end: hhmm(p.end),
      maxItems: p.maxItems,
      maxOrders: p.maxOrders,
    })),
  };
}
