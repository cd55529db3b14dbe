import { type CatalogSyncItemTable, type Database, upsert } from 'db';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Platform } from 'shared-types';

export type SyncItemRow = Selectable<CatalogSyncItemTable>;

export interface DesiredItem {
  key: string;
  kind: 'category' | 'dish';
  name: string;
  bodyHash: string;
  priceHash: string;
  doc: unknown;
  /** in_step when the platform already has exactly this; pending when queued now. */
  status: 'in_step' | 'pending';
}

/** What each platform last accepted per item, and what the last publish wants there. Catalog tables only. */
export class SyncRepo {
  constructor(private readonly db: Kysely<Database>) {}

  items(storeId: string, platform: Platform): Promise<SyncItemRow[]> {
    return this.db
      .selectFrom('catalog_sync_item')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('platform', '=', platform)
      .execute();
  }

  item(storeId: string, platform: Platform, key: string): Promise<SyncItemRow | undefined> {
    return this.db
      .selectFrom('catalog_sync_item')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('platform', '=', platform)
      .where('item_key', '=', key)
      .executeTakeFirst();
  }

  itemsOfStores(storeIds: string[] | 'all', platform?: Platform): Promise<SyncItemRow[]> {
    let q = this.db.selectFrom('catalog_sync_item').selectAll();
    if (storeIds !== 'all') {
      if (storeIds.length === 0) return Promise.resolve([]);
      q = q.where('store_id', 'in', storeIds);
    }
    if (platform) q = q.where('platform', '=', platform);
    return q.orderBy('store_id').orderBy('platform').orderBy('kind').orderBy('item_key').execute();
  }

  async setDesired(storeId: string, platform: Platform, items: DesiredItem[], publishId: string, now: number) {
    for (const i of items) {
      await upsert(
        this.db,
        'catalog_sync_item',
        {
          store_id: storeId,
          platform,
          item_key: i.key,
          kind: i.kind,
          name: i.name,
          desired_body_hash: i.bodyHash,
          desired_price_hash: i.priceHash,
          desired_doc: JSON.stringify(i.doc),
          accepted_body_hash: null,
          accepted_price_hash: null,
          accepted_doc: null,
          platform_id: null,
          status: i.status,
          last_error: null,
          publish_id: publishId,
          accepted_at: null,
          updated_at: now,
        },
        ['store_id', 'platform', 'item_key'],
        [
          'kind',
          'name',
          'desired_body_hash',
          'desired_price_hash',
          'desired_doc',
          'status',
          'last_error',
          'publish_id',
          'updated_at',
        ],
      );
    }
  }

  /** Items that should leave the platform: no longer desired, deletion queued. */
  async setDeletionQueued(storeId: string, platform: Platform, keys: string[], publishId: string, now: number) {
    if (keys.length === 0) return;
    await this.db
      .updateTable('catalog_sync_item')
      .set({
        desired_body_hash: null,
        desired_price_hash: null,
        desired_doc: null,
        status: 'pending',
        last_error: null,
        publish_id: publishId,
        updated_at: now,
      })
      .where('store_id', '=', storeId)
      .where('platform', '=', platform)
      .where('item_key', 'in', keys)
      .execute();
  }

  /** Rows that were never accepted and are no longer wanted: nothing to remove from the platform. */
  async forget(storeId: string, platform: Platform, keys: string[]) {
    if (keys.length === 0) return;
    await this.db
      .deleteFrom('catalog_sync_item')
      .where('store_id', '=', storeId)
      .where('platform', '=', platform)
      .where('item_key', 'in', keys)
      .execute();
  }

  /**
   * Records what the platform accepted. The status is decided in the same statement against the
   * row's current desired hashes, so a publish that landed meanwhile is never marked in step.
   */
  async accept(
    storeId: string,
    platform: Platform,
    key: string,
    accepted: { bodyHash: string; priceHash: string; doc: unknown; platformId?: string | null },
    now: number,
  ) {
    await this.db
      .updateTable('catalog_sync_item')
      .set({
        accepted_body_hash: accepted.bodyHash,
        accepted_price_hash: accepted.priceHash,
        accepted_doc: JSON.stringify(accepted.doc),
        ...(accepted.platformId !== undefined ? { platform_id: accepted.platformId } : {}),
        status: sql<'in_step'>`case when desired_body_hash = ${accepted.bodyHash} and desired_price_hash = ${accepted.priceHash} then 'in_step' else 'pending' end`,
        last_error: null,
        accepted_at: now,
        updated_at: now,
      })
      .where('store_id', '=', storeId)
      .where('platform', '=', platform)
      .where('item_key', '=', key)
      .execute();
  }

  /** The platform removed the item: forget it unless a later publish wants it back. */
  async acceptDeletion(storeId: string, platform: Platform, key: string, now: number) {
    await this.db
      .deleteFrom('catalog_sync_item')
      .where('store_id', '=', storeId)
      .where('platform', '=', platform)
      .where('item_key', '=', key)
      .where('desired_body_hash', 'is', null)
      .execute();
    await this.db
      .updateTable('catalog_sync_item')
      .set({
        accepted_body_hash: null,
        accepted_price_hash: null,
        accepted_doc: null,
        platform_id: null,
        status: 'pending',
        accepted_at: now,
        updated_at: now,
      })
      .where('store_id', '=', storeId)
      .where('platform', '=', platform)
      .where('item_key', '=', key)
      .execute();
  }

  /** Records why items are not in step: `failed` (the platform refused; a publish retries) or still `pending` (retrying). */
  async noteError(
    storeId: string,
    platform: Platform,
    keys: string[],
    state: 'failed' | 'pending',
    error: string,
    now: number,
  ) {
    if (keys.length === 0) return;
    await this.db
      .updateTable('catalog_sync_item')
      .set({ status: state, last_error: error.slice(0, 1000), updated_at: now })
      .where('store_id', '=', storeId)
      .where('platform', '=', platform)
      .where('item_key', 'in', keys)
      .where('status', '!=', 'in_step')
      .execute();
  }

  async insertPublish(row: {
    id: string;
    brand_id: string;
    scope: 'brand' | 'region' | 'store';
    scope_id: string | null;
    requested_by: string | null;
    store_count: number;
    calls_queued: number;
    created_at: number;
  }) {
    await this.db.insertInto('catalog_publish').values(row).execute();
  }
}
