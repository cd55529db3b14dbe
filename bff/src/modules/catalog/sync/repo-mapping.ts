import { type Database, upsert } from 'db';
import type { Kysely } from 'kysely';
import type { Platform } from 'shared-types';

export interface MappingRow {
  storeId: string;
  platform: Platform;
  skuId: string;
  skuCode: string;
  productCode: string;
  platformItemId: string;
  platformSkuId: string;
}

/** Channel mappings (our SKU ↔ platform ids, per store) and store bindings. Catalog tables only. */
export class MappingRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async mappings(storeIds: string[] | 'all', platform?: Platform): Promise<MappingRow[]> {
    let q = this.db
      .selectFrom('channel_mapping as m')
      .innerJoin('sku', 'sku.id', 'm.sku_id')
      .innerJoin('product', 'product.id', 'sku.product_id')
      .select([
        'm.store_id as storeId',
        'm.platform as platform',
        'm.sku_id as skuId',
        'sku.code as skuCode',
        'product.code as productCode',
        'm.platform_item_id as platformItemId',
        'm.platform_sku_id as platformSkuId',
      ]);
    if (storeIds !== 'all') {
      if (storeIds.length === 0) return [];
      q = q.where('m.store_id', 'in', storeIds);
    }
    if (platform) q = q.where('m.platform', '=', platform);
    return q.orderBy('m.store_id').orderBy('m.platform').orderBy('sku.code').execute();
  }

  /** Records platform ids for our SKUs (by code) at a store. */
  async record(
    brandId: string,
    storeId: string,
    platform: Platform,
    rows: { skuCode: string; platformItemId: string; platformSkuId: string }[],
    now: number,
  ): Promise<string[]> {
    if (rows.length === 0) return [];
    const skus = await this.db
      .selectFrom('sku')
      .select(['id', 'code'])
      .where('brand_id', '=', brandId)
      .where(
        'code',
        'in',
        rows.map((r) => r.skuCode),
      )
      .execute();
    const idByCode = new Map(skus.map((s) => [s.code, s.id]));
    const missing: string[] = [];
    for (const r of rows) {
      const skuId = idByCode.get(r.skuCode);
      if (!skuId) {
        missing.push(r.skuCode);
        continue;
      }
      await upsert(
        this.db,
        'channel_mapping',
        {
          store_id: storeId,
          platform,
          sku_id: skuId,
          platform_item_id: r.platformItemId,
          platform_sku_id: r.platformSkuId,
          updated_at: now,
        },
        ['store_id', 'platform', 'sku_id'],
        ['platform_item_id', 'platform_sku_id', 'updated_at'],
      );
    }
    return missing;
  }

  /** Forgets the mappings of a dish the platform deleted. */
  async forgetItem(storeId: string, platform: Platform, platformItemId: string): Promise<void> {
    await this.db
      .deleteFrom('channel_mapping')
      .where('store_id', '=', storeId)
      .where('platform', '=', platform)
      .where('platform_item_id', '=', platformItemId)
      .execute();
  }

  bindings(storeIds: string[] | 'all') {
    let q = this.db.selectFrom('store_channel_binding').selectAll();
    if (storeIds !== 'all') {
      if (storeIds.length === 0) return Promise.resolve([]);
      q = q.where('store_id', 'in', storeIds);
    }
    return q.execute();
  }

  async bind(row: {
    store_id: string;
    platform: Platform;
    auth_token_enc: string | null;
    platform_store_id: string | null;
    platform_store_name: string | null;
    now: number;
  }): Promise<void> {
    await upsert(
      this.db,
      'store_channel_binding',
      {
        store_id: row.store_id,
        platform: row.platform,
        status: 'bound',
        auth_token_enc: row.auth_token_enc,
        platform_store_id: row.platform_store_id,
        platform_store_name: row.platform_store_name,
        bound_at: row.now,
        unbound_at: null,
        updated_at: row.now,
      },
      ['store_id', 'platform'],
      ['status', 'auth_token_enc', 'platform_store_id', 'platform_store_name', 'bound_at', 'unbound_at', 'updated_at'],
    );
  }

  async unbind(storeId: string, platform: Platform, now: number): Promise<number> {
    const r = await this.db
      .updateTable('store_channel_binding')
      .set({ status: 'unbound', auth_token_enc: null, unbound_at: now, updated_at: now })
      .where('store_id', '=', storeId)
      .where('platform', '=', platform)
      .where('status', '=', 'bound')
      .executeTakeFirst();
    return Number(r.numUpdatedRows ?? 0n);
  }
}
