import type { Database } from 'db';
import type { Kysely } from 'kysely';
import { localParts } from '../../lib/local-time';
import type { StoreRow } from '../stores/repo';
import { isOpenAt, parseBusinessHours } from '../stores/service';
import { type CapacityConfig, DEFAULT_SLOT_MINUTES, fits, slotsOfDay } from './capacity';
import type { ReservationRepo } from './reservation-repo';

/**
 * The first slot, from the one `from` falls in to the end of the store's local day, that is open
 * and has room for `items` more items and one more order. Slots outside every capacity period
 * have no limit. Null when nothing fits today.
 */
export async function nextSlotWithRoom(
  db: Kysely<Database>,
  reservations: ReservationRepo,
  capacity: CapacityConfig | null,
  store: StoreRow,
  items: number,
  from: number,
): Promise<number | null> {
  const config = capacity ?? { slotMinutes: DEFAULT_SLOT_MINUTES, periods: [] };
  const local = localParts(from, store.timezone);
  const firstMinute = Math.floor(local.minutes / config.slotMinutes) * config.slotMinutes;
  const slots = slotsOfDay(config, local.date, firstMinute, store.timezone);
  const first = slots[0];
  const last = slots[slots.length - 1];
  if (!first || !last) return null;
  const loads = new Map(
    (await reservations.slotsBetween(db, store.id, first.start, last.start + 1)).map((r) => [r.slot_start, r]),
  );
  const hours = parseBusinessHours(store.business_hours);
  for (const slot of slots) {
    if (!isOpenAt(hours, store.timezone, slot.start)) continue;
    const load = loads.get(slot.start) ?? { items: 0, orders: 0 };
    if (fits(slot.period, load, { items, orders: 1 })) return slot.start;
  }
  return null;
}
