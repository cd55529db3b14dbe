import type { Database, StoreTable } from 'db';
import type { Kysely, Selectable } from 'kysely';

export type StoreRow = Selectable<StoreTable>;

export class StoreRepo {
  constructor(private readonly db: Kysely<Database>) {}

  listActive(brandId?: string): Promise<StoreRow[]> {
    let q = this.db.selectFrom('store').selectAll().where('status', '=', 'active');
    if (brandId) q = q.where('brand_id', '=', brandId);
    return q.orderBy('code').execute();
  }

  /** Stores limited to `ids` ('all' for no limit), for scoped staff listings. */
  listInScope(brandId: string, ids: string[] | 'all'): Promise<StoreRow[]> {
    let q = this.db.selectFrom('store').selectAll().where('brand_id', '=', brandId);
    if (ids !== 'all') {
      if (ids.length === 0) return Promise.resolve([]);
      q = q.where('id', 'in', ids);
    }
    return q.orderBy('code').execute();
  }

  byId(id: string): Promise<StoreRow | undefined> {
    return this.db.selectFrom('store').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byCode(code: string): Promise<StoreRow | undefined> {
    return this.db.selectFrom('store').selectAll().where('code', '=', code).executeTakeFirst();
  }

  byMeituanPoiCode(code: string): Promise<StoreRow | undefined> {
    return this.db.selectFrom('store').selectAll().where('meituan_app_poi_code', '=', code).executeTakeFirst();
  }

  byElemeShopId(shopId: string): Promise<StoreRow | undefined> {
    return this.db.selectFrom('store').selectAll().where('eleme_shop_id', '=', shopId).executeTakeFirst();
  }

  async update(
    id: string,
    changes: Partial<Pick<StoreRow, 'business_hours' | 'phone' | 'address' | 'preorder_days'>>,
    now: number,
  ): Promise<void> {
    await this.db
      .updateTable('store')
      .set({ ...changes, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async idsInRegions(regionIds: string[]): Promise<string[]> {
    if (regionIds.length === 0) return [];
    const rows = await this.db.selectFrom('store').select('id').where('region_id', 'in', regionIds).execute();
    return rows.map((r) => r.id);
  }
}
