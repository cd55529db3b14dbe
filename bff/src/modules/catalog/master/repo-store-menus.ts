import { type Database, upsert } from 'db';
import type { Kysely } from 'kysely';

/** Store menu modes, what each store lists and hides, and menu templates. Catalog tables only. */
export class StoreMenuRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async mode(storeId: string): Promise<'hq' | 'store' | 'mixed'> {
    const row = await this.db
      .selectFrom('store_menu_settings')
      .select('mode')
      .where('store_id', '=', storeId)
      .executeTakeFirst();
    return row?.mode ?? 'hq';
  }

  async setMode(storeId: string, mode: 'hq' | 'store' | 'mixed', now: number): Promise<void> {
    await upsert(
      this.db,
      'store_menu_settings',
      { store_id: storeId, mode, updated_at: now },
      ['store_id'],
      ['mode', 'updated_at'],
    );
  }

  storeProducts(storeId: string) {
    return this.db.selectFrom('store_product').selectAll().where('store_id', '=', storeId).execute();
  }

  storeProduct(storeId: string, productId: string) {
    return this.db
      .selectFrom('store_product')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('product_id', '=', productId)
      .executeTakeFirst();
  }

  async setStoreProduct(row: {
    store_id: string;
    product_id: string;
    listed: number;
    hidden: number;
    updated_by: string | null;
    updated_at: number;
  }): Promise<void> {
    await upsert(
      this.db,
      'store_product',
      row,
      ['store_id', 'product_id'],
      ['listed', 'hidden', 'updated_by', 'updated_at'],
    );
  }

  /** Lists exactly the given products at the store (others are unlisted); hidden flags stay as the store set them. */
  async listExactly(storeId: string, productIds: string[], by: string | null, now: number): Promise<void> {
    const wanted = new Set(productIds);
    const current = await this.storeProducts(storeId);
    const known = new Set(current.map((r) => r.product_id));
    for (const r of current) {
      const listed = wanted.has(r.product_id) ? 1 : 0;
      if (r.listed !== listed) {
        await this.db
          .updateTable('store_product')
          .set({ listed, updated_by: by, updated_at: now })
          .where('store_id', '=', storeId)
          .where('product_id', '=', r.product_id)
          .execute();
      }
    }
    const fresh = productIds.filter((p) => !known.has(p));
    if (fresh.length) {
      await this.db
        .insertInto('store_product')
        .values(
          fresh.map((product_id) => ({
            store_id: storeId,
            product_id,
            listed: 1,
            hidden: 0,
            updated_by: by,
            updated_at: now,
          })),
        )
        .execute();
    }
  }

  templates(brandId: string) {
    return this.db.selectFrom('menu_template').selectAll().where('brand_id', '=', brandId).orderBy('code').execute();
  }

  template(brandId: string, id: string) {
    return this.db
      .selectFrom('menu_template')
      .selectAll()
      .where('brand_id', '=', brandId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  templateByCode(brandId: string, code: string) {
    return this.db
      .selectFrom('menu_template')
      .selectAll()
      .where('brand_id', '=', brandId)
      .where('code', '=', code)
      .executeTakeFirst();
  }

  templateProducts(templateIds: string[]) {
    if (templateIds.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('menu_template_product').selectAll().where('template_id', 'in', templateIds).execute();
  }

  async saveTemplate(
    row: { id: string; brand_id: string; code: string; name: string; created_at: number; updated_at: number },
    products: { productId: string; required: boolean }[],
  ): Promise<void> {
    await upsert(this.db, 'menu_template', row, ['id'], ['name', 'code', 'updated_at']);
    await this.db.deleteFrom('menu_template_product').where('template_id', '=', row.id).execute();
    await this.db
      .insertInto('menu_template_product')
      .values(products.map((p) => ({ template_id: row.id, product_id: p.productId, required: p.required ? 1 : 0 })))
      .execute();
  }

  async storeTemplate(storeId: string) {
    return this.db.selectFrom('store_menu_template').selectAll().where('store_id', '=', storeId).executeTakeFirst();
  }

  async setStoreTemplate(storeId: string, templateId: string, by: string | null, now: number): Promise<void> {
    await upsert(
      this.db,
      'store_menu_template',
      { store_id: storeId, template_id: templateId, pushed_by: by, pushed_at: now },
      ['store_id'],
      ['template_id', 'pushed_by', 'pushed_at'],
    );
  }

  /** Products the store's pushed template marks as required (mixed mode: the store may not hide them). */
  async requiredProducts(storeId: string): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('store_menu_template as s')
      .innerJoin('menu_template_product as p', 'p.template_id', 's.template_id')
      .select('p.product_id')
      .where('s.store_id', '=', storeId)
      .where('p.required', '=', 1)
      .execute();
    return new Set(rows.map((r) => r.product_id));
  }

  activeProducts(brandId: string) {
    return this.db
      .selectFrom('product')
      .select(['id', 'code', 'name', 'category_id'])
      .where('brand_id', '=', brandId)
      .where('status', '=', 'active')
      .orderBy('sort_order')
      .orderBy('code')
      .execute();
  }
}
