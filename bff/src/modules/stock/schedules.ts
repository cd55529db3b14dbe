import type { Database } from 'db';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../lib/clock';
import { localParts, localToEpoch, nextDate } from '../../lib/local-time';
import { enqueue } from '../../sync/outbox';
import { AbandonDelivery, DeferDelivery } from '../../sync/worker';
import type { StoreRow } from '../stores/repo';
import { normalizeRow } from './changes';
import type { SceneBuilder } from './context';
import type { StockPropagation } from './propagation';
import type { StockItemRepo } from './repo';
import { type Db, inTransaction } from './tx';

export const MARK_EXPIRY_TOPIC = 'stock.mark-expiry';
export const DAILY_RESET_TOPIC = 'stock.daily-reset';

const MarkExpiry = z.object({ storeId: z.string(), itemId: z.string(), until: z.number() });
const DailyReset = z.object({ storeId: z.string(), date: z.string() });

/**
 * Time-driven stock changes, as outbox messages due at the moment they happen: a sold-out mark
 * ending at its `until`, and each store's daily limits restoring at local midnight. Reads are
 * already right before these run (rows are evaluated lazily); these make the change real and send
 * it to platforms, menus and kitchen screens. Delivered once across all processes; a message that
 * arrives early (clocks differ a little between processes) waits.
 */
export class StockSchedules {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly items: StockItemRepo,
    private readonly scenes: SceneBuilder,
    private readonly propagation: StockPropagation,
    private readonly clock: Clock,
  ) {}

  async expireMarkAt(db: Db, storeId: string, itemId: string, until: number, now: number): Promise<void> {
    await enqueue(
      db,
      {
        topic: MARK_EXPIRY_TOPIC,
        payload: { storeId, itemId, until },
        dedupeKey: `${MARK_EXPIRY_TOPIC}:${itemId}:${until}`,
        delayMs: Math.max(0, until - now),
      },
      now,
    );
  }

  /** Queues the store's next local-midnight reset (once per store and date, whoever asks). */
  async resetDailyFrom(db: Db, store: StoreRow, now: number): Promise<void> {
    const date = nextDate(localParts(now, store.timezone).date);
    const at = localToEpoch(date, 0, store.timezone);
    await enqueue(
      db,
      {
        topic: DAILY_RESET_TOPIC,
        payload: { storeId: store.id, date },
        dedupeKey: `${DAILY_RESET_TOPIC}:${store.id}:${date}`,
        delayMs: Math.max(0, at - now),
      },
      now,
    );
  }

  async onMarkExpiry(payload: unknown): Promise<void> {
    const parsed = MarkExpiry.safeParse(payload);
    if (!parsed.success) throw new AbandonDelivery('malformed stock.mark-expiry payload');
    const { storeId, itemId } = parsed.data;
    const row = await this.items.byId(this.db, itemId);
    const now = this.clock.now();
    if (row?.sold_out === 1 && row.sold_out_until !== null && row.sold_out_until > now) {
      // Re-marked with a later end (its own message will come), or this process's clock is behind.
      if (row.sold_out_until === parsed.data.until) throw new DeferDelivery(row.sold_out_until - now, 'not yet');
      return;
    }
    await this.catchUp(storeId);
  }

  async onDailyReset(payload: unknown): Promise<void> {
    const parsed = DailyReset.safeParse(payload);
    if (!parsed.success) throw new AbandonDelivery('malformed stock.daily-reset payload');
    const store = await this.scenes.store(parsed.data.storeId);
    const now = this.clock.now();
    const today = localParts(now, store.timezone).date;
    if (today < parsed.data.date) {
      throw new DeferDelivery(localToEpoch(parsed.data.date, 0, store.timezone) - now, 'not midnight yet here');
    }
    await this.catchUp(store.id);
    if (await this.items.hasDailyLimits(this.db, store.id)) await this.resetDailyFrom(this.db, store, now);
  }

  /** Writes every pending time-driven change of a store (daily resets, ended marks) and propagates it. */
  async catchUp(storeId: string): Promise<number> {
    const store = await this.scenes.store(storeId);
    const now = this.clock.now();
    const today = localParts(now, store.timezone).date;
    const stale = await this.items.staleRows(this.db, store.id, now, today);
    if (stale.length === 0) return 0;
    const scene = await this.scenes.build(
      store,
      {
        skuCodes: stale.filter((r) => r.level === 'sku').map((r) => r.code),
        productCodes: stale.filter((r) => r.level === 'product').map((r) => r.code),
      },
      now,
    );
    const tracker = scene.tracker();
    await inTransaction(this.db, async (trx) => {
      for (const row of stale) {
        const locked = await this.items.lockById(trx, row.id);
        if (locked) await normalizeRow(trx, this.items, locked, { brandId: store.brand_id, now, today, tracker });
      }
      await this.propagation.markInTransaction(trx, store.id, scene.platforms, tracker, now);
    });
    await this.propagation.announce(store.id, tracker, 'schedule', now);
    return stale.length;
  }
}
