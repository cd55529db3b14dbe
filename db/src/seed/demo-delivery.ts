import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import { insertIfAbsent } from '../sql-helpers';
import { demoIds, demoStores } from './demo-core';
import { seedId } from './seed-id';

/**
 * Delivery templates of the demo stores: the Shanghai stores deliver themselves within 3 km
 * (and a dearer outer ring to 5 km at SH001), the Hangzhou stores rely on the platforms only.
 * Platform orders keep the platforms' riders everywhere.
 */
export const demoDeliveryZones: Record<
  string,
  { name: string; radiusM: number; fee: number; minOrder: number; minutes: number }[]
> = {
  SH001: [
    { name: '3 公里内', radiusM: 3000, fee: 500, minOrder: 2000, minutes: 30 },
    { name: '3–5 公里', radiusM: 5000, fee: 900, minOrder: 4000, minutes: 45 },
  ],
  SH002: [{ name: '3 公里内', radiusM: 3000, fee: 600, minOrder: 2500, minutes: 35 }],
};

/** Safe to run again: a template a store already has is left as it is. */
export async function seedDemoDelivery(db: Kysely<Database>, now = Date.now()): Promise<void> {
  for (const store of demoStores) {
    const storeId = demoIds.store(store.code);
    const zones = demoDeliveryZones[store.code] ?? [];
    const created = await insertIfAbsent(
      db,
      'delivery_settings',
      {
        store_id: storeId,
        self_enabled: zones.length > 0 ? 1 : 0,
        meituan_platform: 1,
        eleme_platform: 1,
        updated_by: null,
        updated_at: now,
      },
      ['store_id'],
    );
    if (!created) continue;
    for (const [i, z] of zones.entries()) {
      await insertIfAbsent(
        db,
        'delivery_zone',
        {
          id: seedId('delivery_zone', `${store.code}:${z.name}`),
          store_id: storeId,
          name: z.name,
          radius_m: z.radiusM,
          fee: z.fee,
          min_order: z.minOrder,
          minutes: z.minutes,
          hours: JSON.stringify([{ days: [1, 2, 3, 4, 5, 6, 7], open: '10:00', close: '21:30' }]),
          sort_order: i,
        },
        ['id'],
      );
    }
  }
}
