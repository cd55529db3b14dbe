import type { Database } from 'db';
import type { Kysely, Transaction } from 'kysely';
import type { Platform } from 'shared-types';
import { type Cache, CacheUnavailableError } from '../../cache';
import { type LiveEvent, menuVersionKey, storeLiveChannel } from '../../lib/live';
import type { Logger } from '../../logger';
import { enqueue } from '../../sync/outbox';
import { DeferDelivery, type OutboxWorker } from '../../sync/worker';
import type { StockSyncRepo } from './sync-repo';

export const STOCK_PUSH_TOPIC = 'stock.push';
export const STOCK_CHANGED_TOPIC = 'stock.changed';

/**
 * How long quantity-only changes wait so that a burst (a lunch rush of orders) goes to a platform
 * as one push; sold-out changes go at once. Either way a push is due within this time, and the
 * worker polls every 500 ms: a sold-out reaches every platform well inside 2 seconds.
 */
export const PUSH_BATCH_MS = 500;

/** Per platform: when the queued push is due, or null when none is queued. */
export type PushHold = Map<Platform, number | null>;

/**
 * A queued push that has not started after this long is presumed lost (its message died before it
 * could start): the next change queues another rather than waiting on it forever.
 */
const STALE_SCHEDULE_MS = 60_000;

export interface StockPushPayload {
  storeId: string;
  platform: Platform;
}

/** What one committed change means for the outside world. */
export interface ChangeNotice {
  storeId: string;
  /** SKUs whose state platforms may show differently now. */
  skuCodes: string[];
  /** Some SKU went sold out or came back. */
  availabilityChanged: boolean;
  /** Live event detail for kitchen screens. */
  reason: string;
}

/**
 * Carries stock changes to where they are shown: every platform the store is on (through the
 * outbox, marked in the change's own transaction so nothing is lost), the member menu cache and
 * the kitchen screens.
 */
export class StockPropagation {
  private readonly ensured = new Set<string>();

  constructor(
    private readonly sync: StockSyncRepo,
    private readonly cache: Cache,
    private readonly outbox: OutboxWorker,
    private readonly logger: Logger,
  ) {}

  /** Creates the rows `markInTransaction` updates; outside the transaction, once per process. */
  async prepare(db: Kysely<Database>, storeId: string, platforms: Platform[], skuCodes: string[], now: number) {
    if (this.ensured.size > 100_000) this.ensured.clear();
    for (const platform of platforms) {
      const stateKey = `${storeId}|${platform}`;
      if (!this.ensured.has(stateKey)) {
        await this.sync.ensurePushState(db, storeId, platform, now);
        this.ensured.add(stateKey);
      }
      const missing = skuCodes.filter((code) => !this.ensured.has(`${stateKey}|${code}`));
      if (missing.length) {
        await this.sync.ensureMarks(db, storeId, platform, missing, now);
        for (const code of missing) this.ensured.add(`${stateKey}|${code}`);
      }
    }
  }

  /**
   * First step of marking, early in a change's transaction: a shared hold on the store's push
   * state, so a push cannot start reading marks until this transaction has written its own.
   * Shared, so concurrent orders do not queue behind one another here.
   */
  holdPushes(trx: Transaction<Database>, storeId: string, platforms: Platform[]): Promise<PushHold> {
    return this.sync.holdPushStates(trx, storeId, platforms);
  }

  /**
   * Marks the SKUs for every platform and queues one push per (store, platform) unless one is
   * already queued and not started (it will read these marks). Sold-out changes make the push due
   * now; quantity changes let a burst gather first.
   */
  async markInTransaction(
    trx: Transaction<Database>,
    storeId: string,
    platforms: Platform[],
    skuCodes: string[],
    urgent: boolean,
    now: number,
    held?: PushHold,
  ): Promise<void> {
    if (skuCodes.length === 0) return;
    const hold = held ?? (await this.holdPushes(trx, storeId, platforms));
    const codes = [...new Set(skuCodes)].sort();
    await this.sync.markPending(trx, storeId, platforms, codes, now);
    for (const platform of platforms) {
      const scheduled = hold.get(platform);
      if (scheduled != null && scheduled > now - STALE_SCHEDULE_MS) continue;
      const delayMs = urgent ? 0 : PUSH_BATCH_MS;
      if (!(await this.sync.claimSchedule(trx, storeId, platform, now + delayMs, now - STALE_SCHEDULE_MS, now)))
        continue;
      const payload: StockPushPayload = { storeId, platform };
      await enqueue(
        trx,
        { topic: STOCK_PUSH_TOPIC, payload, aggregateId: `stock.push:${storeId}:${platform}`, delayMs },
        now,
      );
    }
    if (urgent) {
      // The member menu cache must forget the old sold-out set even if this process dies right after commit.
      await enqueue(trx, { topic: STOCK_CHANGED_TOPIC, payload: { storeId }, aggregateId: `stock:${storeId}` }, now);
    }
  }

  /** After commit: menus rebuild on their next read, kitchen screens hear it, workers look now. */
  async afterCommit(notice: ChangeNotice, now: number): Promise<void> {
    try {
      if (notice.availabilityChanged) await this.cache.incr(menuVersionKey(notice.storeId));
      const event: LiveEvent = {
        type: 'stock.changed',
        storeId: notice.storeId,
        at: now,
        data: { skuCodes: notice.skuCodes, reason: notice.reason, availabilityChanged: notice.availabilityChanged },
      };
      await this.cache.publish(storeLiveChannel(notice.storeId), JSON.stringify(event));
      if (notice.availabilityChanged) await this.outbox.wake();
    } catch (err) {
      // The outbox carries the same news durably; a cache hiccup must not fail a committed change.
      this.logger.warn({ err, storeId: notice.storeId }, 'stock change fan-out failed');
    }
  }

  /** The durable half of `afterCommit` for availability changes (outbox topic `stock.changed`). */
  async invalidateMenu(storeId: string): Promise<void> {
    try {
      await this.cache.incr(menuVersionKey(storeId));
    } catch (err) {
      // Redis is down: nothing is cached meanwhile; bump when it is back, without counting a failure.
      if (err instanceof CacheUnavailableError) throw new DeferDelivery(5000, err.message);
      throw err;
    }
  }
}
