/**
 * Times as the store's clock shows them, whatever zone the member's phone is set to.
 *
 * WeChat's JS engines do not all carry the IANA timezone data, so `Intl.DateTimeFormat` with a
 * `timeZone` may throw or quietly answer in the device's zone. Zones with a fixed offset (every
 * demo store is in Asia/Shanghai: UTC+8, no daylight saving since 1991) are computed from a known
 * offset; Intl is asked only for other zones, as a best effort, and checked before it is trusted.
 */

/** The zone of a store we know nothing about (the brand's stores are in mainland China). */
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

/** Zones whose offset from UTC never changes (in the years orders exist), in minutes. */
const FIXED_OFFSET_MINUTES: Readonly<Record<string, number>> = {
  'Asia/Shanghai': 480,
  'Asia/Chongqing': 480,
  'Asia/Harbin': 480,
  'Asia/Urumqi': 360,
  'Asia/Hong_Kong': 480,
  'Asia/Macau': 480,
  'Asia/Taipei': 480,
  'Asia/Singapore': 480,
  'Asia/Tokyo': 540,
  'Asia/Seoul': 540,
  PRC: 480,
  UTC: 0,
  'Etc/UTC': 0,
  GMT: 0,
};

const MINUTE_MS = 60_000;

/** A moment as read on a wall clock: month 1–12. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function utcFields(at: Date): WallClock {
  return {
    year: at.getUTCFullYear(),
    month: at.getUTCMonth() + 1,
    day: at.getUTCDate(),
    hour: at.getUTCHours(),
    minute: at.getUTCMinutes(),
  };
}

/** The zone's offset at `at` as Intl reports it, or null when Intl cannot be trusted with the zone. */
function intlOffsetMinutes(timezone: string, at: Date): number | null {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    }).formatToParts(at);
    const field = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const asUtc = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour') % 24, field('minute'));
    if (Number.isNaN(asUtc)) return null;
    const offset = Math.round((asUtc - Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
    // Real offsets lie within UTC−12…UTC+14; anything else is a broken implementation.
    return Math.abs(offset) <= 14 * 60 ? offset : null;
  } catch {
    // No timezone data for this zone (or no Intl at all).
    return null;
  }
}

/** Minutes to add to UTC to get the zone's wall clock at `at`. Unknown zones count as Shanghai. */
export function offsetMinutes(timezone: string | null | undefined, at: Date): number {
  const zone = timezone || DEFAULT_TIMEZONE;
  const fixed = FIXED_OFFSET_MINUTES[zone];
  if (fixed !== undefined) return fixed;
  return intlOffsetMinutes(zone, at) ?? (FIXED_OFFSET_MINUTES[DEFAULT_TIMEZONE] as number);
}

/** The wall clock of `timezone` at `at`. */
export function wallClock(at: Date, timezone: string | null | undefined): WallClock {
  return utcFields(new Date(at.getTime() + offsetMinutes(timezone, at) * MINUTE_MS));
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A time for people, on the store's clock: "00:46" when it is today there, "12月1日 00:46" on another
 * day of the same year, "2025年12月31日 23:10" in another year. '' for an unreadable time.
 */
export function storeTime(iso: string, timezone: string | null | undefined, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const t = wallClock(at, timezone);
  const today = wallClock(now, timezone);
  const clock = `${pad(t.hour)}:${pad(t.minute)}`;
  if (t.year !== today.year) return `${t.year}年${t.month}月${t.day}日 ${clock}`;
  if (t.month !== today.month || t.day !== today.day) return `${t.month}月${t.day}日 ${clock}`;
  return clock;
}
