/** Report periods of a business date (`YYYY-MM-DD`, already in the store's timezone). */

const DAY_MS = 86_400_000;

function utcDay(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

/** The Monday of the ISO week `date` falls in. */
export function weekStart(date: string): string {
  const d = utcDay(date);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return new Date(d.getTime() - weekday * DAY_MS).toISOString().slice(0, 10);
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export function periodColumns(date: string): { week_start: string; month: string } {
  return { week_start: weekStart(date), month: monthOf(date) };
}

/** Every date from `from` to `to` inclusive (both `YYYY-MM-DD`). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = utcDay(from).getTime(); t <= utcDay(to).getTime(); t += DAY_MS) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** Days between two dates, inclusive. */
export function dayCount(from: string, to: string): number {
  return Math.round((utcDay(to).getTime() - utcDay(from).getTime()) / DAY_MS) + 1;
}
