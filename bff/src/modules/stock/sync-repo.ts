import { affected, insertIfAbsent, isMysqlDb, newId } from 'db';
import { sql } from 'kysely';
import type { Platform } from 'shared-types';
import { type Db, retryOnLockConflict } from './tx';

/**
 * What each platform still has to be told, per SKU, and whether a push is queued per (store,
 * platform). Rows are created outside the hot transactions (`ensure*`) so that inside them there
 * are only UPDATEs of existing rows: no insert gap locks for concurrent orders to deadlock on.
 */
export class StockSyncRepo {
  async ensureMarks(db: Db, storeId: string, platform: Platform, skuCodes: string[], now: number): Promise<void> {
    if (skuCodes.length === 0) return;
    const existing = await db
      .selectFrom('stock_sync_dirty')
      .select('sku_code')
      .where('store_id', '=', storeId)
      .where('platform', '=', platform)
      .where('sku_code', 'in', skuCodes)
      .execute();
    const have = new Set(existing.map((r) => r.sku_code));
    for (const code of skuCodes.filter((c) => !have.has(c))) {
      await retryOnLockConflict(() =>
        insertIfAbsent(
          db,
          'stock_sync_dirty',
          { store_id: storeId, platform, sku_code: code, pending: 0, token: newId(now), changed_at: now },
          ['store_id', 'platform', 'sku_code'],
        ),
      );
    }
  }

  /** Created once; never written here if it exists (changes hold a shared lock on it). */
  async ensurePushState(db: Db, storeId: string, platform: Platform, now: number): Promise<void> {
    const row = await db
      .selectFrom('stock_push_state')
      .select('seq')
      .where('store_id', '=', storeId)
      .where('platform', '=', platform)
      .executeTakeFirst();
    if (row) return;
    await retryOnLockConflict(() =>
      insertIfAbsent(
        db,
        'stock_push_state',
        { store_id: storeId, platform, scheduled_at: null, seq: 0, updated_at: now },
        ['store_id', 'platform'],
      ),
    );
  }

  async markPending(db: Db, storeId: string, platforms: Platform[], skuCodes: string[], now: number): Promise<void> {
    if (skuCodes.length === 0 || platforms.length === 0) return;
    await db
      .updateTable('stock_sync_dirty')
      .set({ pending: 1, token: newId(now), changed_at: now })
      .where('store_id', '=', storeId)
      .where('platform', 'in', platforms)
      .where('sku_code', 'in', skuCodes)
      .execute();
  }

  pending(db: Db, storeId: string, platform: Platform) {
    return db
      .selectFrom('stock_sync_dirty')
      .select(['sku_code', 'token'])
      .where('store_id', '=', storeId)
      .where('platform', '=', platform)
      .where('pending', '=', 1)
      .orderBy('sku_code')
      .execute();
  }

  /** Clears a mark only if nobody marked the SKU again since it was read. */
  async clearIfUnchanged(db: Db, storeId: string, platform: Platform, skuCode: string, token: string): Promise<void> {
    await db
      .updateTable('stock_sync_dirty')
      .set({ pending: 0 })
      .where('store_id', '=', storeId)
      .where('platform', '=', platform)
      .where('sku_code', '=', skuCode)
      .where('token', '=', token)
      .execute();
  }

  /**
   * Reads whether a push is queued (and not started) per platform, holding a shared lock until the
   * transaction ends. Concurrent changes share it; a push starting (`startPush`, an exclusive
   * write) waits for them to commit, so it always reads their marks, or has already cleared
   * `scheduled_at` for them to queue another push.
   */
  async holdPushStates(db: Db, storeId: string, platforms: Platform[]): Promise<Map<Platform, number | null>> {
    if (platforms.length === 0) return new Map();
    const query = db
      .selectFrom('stock_push_state')
      .select(['platform', 'scheduled_at'])
      .where('store_id', '=', storeId)
      .where('platform', 'in', platforms)
      .orderBy('platform');
    const rows = await (isMysqlDb(db) ? query.modifyEnd(sql`lock in share mode`) : query).execute();
    return new Map(rows.map((r) => [r.platform, r.scheduled_at]));
  }

  /**
   * Takes the job of queueing the next push (none queued, or the queued one presumed lost before
   * `staleBefore`); false when another change already did.
   */
  async claimSchedule(
    db: Db,
    storeId: string,
    platform: Platform,
    at: number,
    staleBefore: number,
    now: number,
  ): Promise<boolean> {
    const result = await db
      .updateTable('stock_push_state')
      .set((eb) => ({ scheduled_at: at, seq: eb('seq', '+', 1), updated_at: now }))
      .where('store_id', '=', storeId)
      .where('platform', '=', platform)
      .where((eb) => eb.or([eb('scheduled_at', 'is', null), eb('scheduled_at', '<', staleBefore)]))
      .executeTakeFirst();
    return affected(result) === 1;
  }

  /** A push starting: changes from now on queue a new push. */
  async startPush(db: Db, storeId: string, platform: Platform, now: number): Promise<boolean> {
    const result = await db
      .updateTable('stock_push_state')
      .set((eb) => ({ scheduled_at: null, seq: eb('seq', '+', 1), updated_at: now }))
      .where('store_id', '=', storeId)
      .where('platform', '=', platform)
      .executeTakeFirst();
    return affected(result) === 1;
  }
}
