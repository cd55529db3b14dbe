import { type CategoryTable, type Database, newId, type ProductTable, type SkuTable } from 'db';
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';

export type CategoryRow = Selectable<CategoryTable>;
export type ProductRow = Selectable<ProductTable>;
export type SkuRowFull = Selectable<SkuTable>;

/** Writes and reads of the master menu's categories, products, spec groups and SKUs. Catalog tables only. */
export class CatalogMasterRepo {
  constructor(private readonly db: Kysely<Database>) {}

  listCategories(brandId: string): Promise<CategoryRow[]> {
    return this.db
      .selectFrom('category')
      .selectAll()
      .where('brand_id', '=', brandId)
      .orderBy('sort_order')
      .orderBy('code')
      .execute();
  }

  categoryById(brandId: string, id: string): Promise<CategoryRow | undefined> {
    return this.db
      .selectFrom('category')
      .selectAll()
      .where('brand_id', '=', brandId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  categoryByCode(brandId: string, code: string): Promise<CategoryRow | undefined> {
    return this.db
      .selectFrom('category')
      .selectAll()
      .where('brand_id', '=', brandId)
      .where('code', '=', code)
      .executeTakeFirst();
  }

  async insertCategory(row: Insertable<CategoryTable>): Promise<void> {
    await this.db.insertInto('category').values(row).execute();
  }

  async updateCategory(id: string, patch: Updateable<CategoryTable>): Promise<void> {
    await this.db.updateTable('category').set(patch).where('id', '=', id).execute();
  }

  listProducts(brandId: string, filter: { categoryId?: string; status?: string } = {}): Promise<ProductRow[]> {
    let q = this.db.selectFrom('product').selectAll().where('brand_id', '=', brandId);
    if (filter.categoryId) q = q.where('category_id', '=', filter.categoryId);
    if (filter.status) q = q.where('status', '=', filter.status as 'active');
    return q.orderBy('sort_order').orderBy('code').execute();
  }

  productById(brandId: string, id: string): Promise<ProductRow | undefined> {
    return this.db
      .selectFrom('product')
      .selectAll()
      .where('brand_id', '=', brandId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  productByCode(brandId: string, code: string): Promise<ProductRow | undefined> {
    return this.db
      .selectFrom('product')
      .selectAll()
      .where('brand_id', '=', brandId)
      .where('code', '=', code)
      .executeTakeFirst();
  }

  async insertProduct(row: Insertable<ProductTable>): Promise<void> {
    await this.db.insertInto('product').values(row).execute();
  }

  async updateProduct(id: string, patch: Updateable<ProductTable>): Promise<void> {
    await this.db.updateTable('product').set(patch).where('id', '=', id).execute();
  }

  /** Spec groups of products with their options, in order. */
  async specGroupsOf(productIds: string[]) {
    if (productIds.length === 0) return [];
    const groups = await this.db
      .selectFrom('spec_group')
      .selectAll()
      .where('product_id', 'in', productIds)
      .orderBy('sort_order')
      .execute();
    const options = groups.length
      ? await this.db
          .selectFrom('spec_option')
          .selectAll()
          .where(
            'group_id',
            'in',
            groups.map((g) => g.id),
          )
          .orderBy('sort_order')
          .execute()
      : [];
    return groups.map((g) => ({
      id: g.id,
      productId: g.product_id,
      name: g.name,
      options: options.filter((o) => o.group_id === g.id).map((o) => ({ id: o.id, name: o.name })),
    }));
  }

  /**
   * Replaces a product's spec groups and options; answers the new option ids by group and option
   * name. SKUs keep their option ids as JSON, so nothing references the old rows by key.
   */
  async replaceSpecGroups(
    productId: string,
    groups: { name: string; options: string[] }[],
    now: number,
  ): Promise<Map<string, string>> {
    const old = await this.db.selectFrom('spec_group').select('id').where('product_id', '=', productId).execute();
    if (old.length) {
      await this.db
        .deleteFrom('spec_option')
        .where(
          'group_id',
          'in',
          old.map((g) => g.id),
        )
        .execute();
      await this.db.deleteFrom('spec_group').where('product_id', '=', productId).execute();
    }
    const ids = new Map<string, string>();
    for (const [gi, g] of groups.entries()) {
      const groupId = newId(now);
      await this.db
        .insertInto('spec_group')
        .values({ id: groupId, product_id: productId, name: g.name, sort_order: gi })
        .execute();
      const rows = g.options.map((name, oi) => {
        const id = newId(now);
        ids.set(`${g.name}\u0000${name}`, id);
        return { id, group_id: groupId, name, sort_order: oi };
      });
      if (rows.length) await this.db.insertInto('spec_option').values(rows).execute();
    }
    return ids;
  }

  skusOfProducts(productIds: string[]): Promise<SkuRowFull[]> {
    if (productIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('sku')
      .selectAll()
      .where('product_id', 'in', productIds)
      .orderBy('sort_order')
      .orderBy('code')
      .execute();
  }

  skuById(brandId: string, id: string): Promise<SkuRowFull | undefined> {
    return this.db
      .selectFrom('sku')
      .selectAll()
      .where('brand_id', '=', brandId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  skusByCodes(brandId: string, codes: string[]): Promise<SkuRowFull[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('sku')
      .selectAll()
      .where('brand_id', '=', brandId)
      .where('code', 'in', [...new Set(codes)])
      .execute();
  }

  async insertSkus(rows: Insertable<SkuTable>[]): Promise<void> {
    if (rows.length) await this.db.insertInto('sku').values(rows).execute();
  }

  async updateSku(id: string, patch: Updateable<SkuTable>): Promise<void> {
    await this.db.updateTable('sku').set(patch).where('id', '=', id).execute();
  }

  async archiveSkus(ids: string[], now: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('sku').set({ status: 'archived', updated_at: now }).where('id', 'in', ids).execute();
  }
}
