import type { StoreView } from 'shared-types';
import { offsetMinutes, wallClock } from './time';

/**
 * Opening hours as a diner reads them, on the store's clock: today's hours on the store list,
 * "休息中 · 明天 10:00 营业" on a closed store, and the times a pickup may be booked for (预约自取).
 */

type Hours = StoreView['businessHours'];
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const pad = (n: number) => String(n).padStart(2, '0');

/** ISO weekday (1 = Monday … 7 = Sunday) of a wall-clock date. */
function isoWeekday(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The ranges open on the store's day that `at` falls in. */
function rangesOn(hours: Hours, at: Date, timezone: string): Hours {
  const t = wallClock(at, timezone);
  const weekday = isoWeekday(t.year, t.month, t.day);
  return hours.filter((r) => r.days.includes(weekday));
}

/** "10:00–22:00" (several ranges joined by "、") for today on the store's clock; "今日休息" when none. */
export function hoursToday(store: Pick<StoreView, 'businessHours' | 'timezone'>, now: Date = new Date()): string {
  const ranges = rangesOn(store.businessHours, now, store.timezone);
  if (ranges.length === 0) return '今日休息';
  return ranges.map((r) => `${r.open}–${r.close}`).join('、');
}

/** "今天 10:00", "明天 10:00", "后天 10:00", else "12月6日 10:00": a moment on the store's clock. */
export function dayAndTime(iso: string, timezone: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const t = wallClock(at, timezone);
  const today = wallClock(now, timezone);
  const days = Math.round(
    (Date.UTC(t.year, t.month - 1, t.day) - Date.UTC(today.year, today.month - 1, today.day)) / DAY_MS,
  );
  const clock = `${pad(t.hour)}:${pad(t.minute)}`;
  const day = days === 0 ? '今天' : days === 1 ? '明天' : days === 2 ? '后天' : `${t.month}月${t.day}日`;
  return `${day} ${clock}`;
}

/** What a closed store says: "休息中 · 明天 10:00 营业", or just "休息中" when no opening is known. */
export function closedText(store: Pick<StoreView, 'nextOpenAt' | 'timezone'>, now: Date = new Date()): string {
  return store.nextOpenAt ? `休息中 · ${dayAndTime(store.nextOpenAt, store.timezone, now)} 营业` : '休息中';
}

/** Minutes between booking and the earliest pickup offered; the BFF asks for at least 10. */
export const PICKUP_LEAD_MINUTES = 20;
/** Pickup times are offered every half hour. */
export const PICKUP_STEP_MINUTES = 30;

/**
 * The times a pickup may be booked for (ISO): every half hour inside the opening hours, from
 * {@link PICKUP_LEAD_MINUTES} ahead, through the last of the store's `preorderDays` after today.
 * Empty when the store takes no orders ahead.
 */
export function pickupSlots(
  store: Pick<StoreView, 'businessHours' | 'timezone' | 'preorderDays'>,
  now: Date = new Date(),
): string[] {
  if (store.preorderDays <= 0) return [];
  const earliest = now.getTime() + PICKUP_LEAD_MINUTES * MINUTE_MS;
  const today = wallClock(now, store.timezone);
  const slots: string[] = [];
  for (let d = 0; d <= store.preorderDays; d++) {
    const midnightUtc = Date.UTC(today.year, today.month - 1, today.day + d);
    const date = new Date(midnightUtc);
    const weekday = isoWeekday(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
    const minutes = new Set<number>();
    for (const range of store.businessHours) {
      if (!range.days.includes(weekday)) continue;
      const [oh, om] = range.open.split(':').map(Number) as [number, number];
      const [ch, cm] = range.close.split(':').map(Number) as [number, number];
      const open = oh * 60 + om;
      // A range past midnight is offered up to midnight on the day it opens.
      const close = ch * 60 + cm > open ? ch * 60 + cm : 24 * 60;
      const first = Math.ceil(open / PICKUP_STEP_MINUTES) * PICKUP_STEP_MINUTES;
      for (let m = first; m < close; m += PICKUP_STEP_MINUTES) minutes.add(m);
    }
    for (const m of [...minutes].sort((a, b) => a - b)) {
      const local = midnightUtc + m * MINUTE_MS;
      const at = local - offsetMinutes(store.timezone, new Date(local)) * MINUTE_MS;
      if (at >= earliest) slots.push(new Date(at).toISOString());
    }
  }
  return slots;
}
