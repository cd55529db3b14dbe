import type { AddonGroupTable, AddonOptionTable, Database } from 'db';
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';

export type AddonGroupRow = Selectable<AddonGroupTable>;
export type AddonOptionRow = Selectable<AddonOptionTable>;

/** Add-on groups (加料 / 口味), their options, and which products offer them. Catalog tables only. */
export class AddonRepo {
  constructor(private readonly db: Kysely<Database>) {}

  listGroups(brandId: string): Promise<AddonGroupRow[]> {
    return this.db
      .selectFrom('addon_group')
      .selectAll()
      .where('brand_id', '=', brandId)
      .orderBy('sort_order')
      .orderBy('code')
      .execute();
  }

  groupById(brandId: string, id: string): Promise<AddonGroupRow | undefined> {
    return this.db
      .selectFrom('addon_group')
      .selectAll()
      .where('brand_id', '=', brandId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  groupByCode(brandId: string, code: string): Promise<AddonGroupRow | undefined> {
    return this.db
      .selectFrom('addon_group')
      .selectAll()
      .where('brand_id', '=', brandId)
      .where('code', '=', code)
      .executeTakeFirst();
  }

  groupsByIds(brandId: string, ids: string[]): Promise<AddonGroupRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('addon_group')
      .selectAll()
      .where('brand_id', '=', brandId)
      .where('id', 'in', ids)
      .execute();
  }

  optionsOf(groupIds: string[]): Promise<AddonOptionRow[]> {
    if (groupIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('addon_option')
      .selectAll()
      .where('group_id', 'in', groupIds)
      .orderBy('sort_order')
      .orderBy('code')
      .execute();
  }

  optionsByCodes(brandId: string, codes: string[]): Promise<AddonOptionRow[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('addon_option')
      .selectAll()
      .where('brand_id', '=', brandId)
      .where('code', 'in', codes)
      .execute();
  }

  async insertGroup(row: Insertable<AddonGroupTable>): Promise<void> {
    await this.db.insertInto('addon_group').values(row).execute();
  }

  async updateGroup(id: string, patch: Updateable<AddonGroupTable>): Promise<void> {
    await this.db.updateTable('addon_group').set(patch).where('id', '=', id).execute();
  }

  async insertOption(row: Insertable<AddonOptionTable>): Promise<void> {
    await this.db.insertInto('addon_option').values(row).execute();
  }

  async updateOption(id: string, patch: Updateable<AddonOptionTable>): Promise<void> {
    await this.db.updateTable('addon_option').set(patch).where('id', '=', id).execute();
  }

  async groupIdsOfProducts(productIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (productIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('product_addon_group')
      .select(['product_id', 'group_id'])
      .where('product_id', 'in', productIds)
      .orderBy('sort_order')
      .execute();
    for (const r of rows) out.set(r.product_id, [...(out.get(r.product_id) ?? []), r.group_id]);
    return out;
  }

  async setProductGroups(productId: string, groupIds: string[]): Promise<void> {
    await this.db.deleteFrom('product_addon_group').where('product_id', '=', productId).execute();
    if (groupIds.length) {
      await this.db
        .insertInto('product_addon_group')
        .values(groupIds.map((group_id, sort_order) => ({ product_id: productId, group_id, sort_order })))
        .execute();
    }
  }
}
