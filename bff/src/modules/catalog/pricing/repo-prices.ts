import type { ChannelPriceRuleTable, Database } from 'db';
import { upsert } from 'db';
import type { Kysely, Selectable } from 'kysely';

export type ChannelRuleRow = Selectable<ChannelPriceRuleTable>;

export interface AdjustmentRow {
  storeId: string;
  skuId: string;
  skuCode: string;
  kind: 'percent' | 'amount';
  value: number;
  basePrice: number;
  productName: string;
  categoryId: string;
  categoryCode: string;
  rangeKind: 'percent' | 'amount' | null;
  rangeMin: number;
  rangeMax: number;
}

/** Channel price rules and store price adjustments. Catalog tables only. */
export class PriceRepo {
  constructor(private readonly db: Kysely<Database>) {}

  rules(brandId: string): Promise<ChannelRuleRow[]> {
    return this.db
      .selectFrom('channel_price_rule')
      .selectAll()
      .where('brand_id', '=', brandId)
      .orderBy('channel')
      .orderBy('target')
      .execute();
  }

  ruleById(brandId: string, id: string): Promise<ChannelRuleRow | undefined> {
    return this.db
      .selectFrom('channel_price_rule')
      .selectAll()
      .where('brand_id', '=', brandId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async upsertRule(row: ChannelRuleRow): Promise<void> {
    await upsert(
      this.db,
      'channel_price_rule',
      row,
      ['brand_id', 'channel', 'target'],
      ['kind', 'value', 'updated_at'],
    );
  }

  async deleteRule(id: string): Promise<void> {
    await this.db.deleteFrom('channel_price_rule').where('id', '=', id).execute();
  }

  async upsertAdjustment(row: {
    store_id: string;
    sku_id: string;
    kind: 'percent' | 'amount';
    value: number;
    updated_by: string | null;
    updated_at: number;
  }): Promise<void> {
    await upsert(
      this.db,
      'store_price_adjustment',
      row,
      ['store_id', 'sku_id'],
      ['kind', 'value', 'updated_by', 'updated_at'],
    );
  }

  async deleteAdjustment(storeId: string, skuId: string): Promise<number> {
    const r = await this.db
      .deleteFrom('store_price_adjustment')
      .where('store_id', '=', storeId)
      .where('sku_id', '=', skuId)
      .executeTakeFirst();
    return Number(r.numDeletedRows ?? 0n);
  }

  /** Adjustments with what is needed to price and range-check them; `storeIds` 'all' for every store. */
  async adjustments(brandId: string, storeIds: string[] | 'all', skuId?: string): Promise<AdjustmentRow[]> {
    let q = this.db
      .selectFrom('store_price_adjustment as a')
      .innerJoin('sku', 'sku.id', 'a.sku_id')
      .innerJoin('product', 'product.id', 'sku.product_id')
      .innerJoin('category', 'category.id', 'product.category_id')
      .select([
        'a.store_id as storeId',
        'a.sku_id as skuId',
        'sku.code as skuCode',
        'a.kind as kind',
        'a.value as value',
        'sku.base_price as basePrice',
        'product.name as productName',
        'category.id as categoryId',
        'category.code as categoryCode',
        'category.store_adjust_kind as rangeKind',
        'category.store_adjust_min as rangeMin',
        'category.store_adjust_max as rangeMax',
      ])
      .where('sku.brand_id', '=', brandId);
    if (storeIds !== 'all') {
      if (storeIds.length === 0) return [];
      q = q.where('a.store_id', 'in', storeIds);
    }
    if (skuId) q = q.where('a.sku_id', '=', skuId);
    const rows = await q.orderBy('a.store_id').orderBy('sku.code').execute();
    return rows.map((r) => ({ ...r, value: Number(r.value), basePrice: Number(r.basePrice) }));
  }

  /** The SKU with its category's range, for checking a new adjustment. */
  skuWithRange(brandId: string, skuId: string) {
    return this.db
      .selectFrom('sku')
      .innerJoin('product', 'product.id', 'sku.product_id')
      .innerJoin('category', 'category.id', 'product.category_id')
      .select([
        'sku.id as id',
        'sku.code as code',
        'sku.status as status',
        'sku.base_price as basePrice',
        'category.id as categoryId',
        'category.store_adjust_kind as rangeKind',
        'category.store_adjust_min as rangeMin',
        'category.store_adjust_max as rangeMax',
      ])
      .where('sku.brand_id', '=', brandId)
      .where('sku.id', '=', skuId)
      .executeTakeFirst();
  }

  async targetExists(brandId: string, table: 'category' | 'sku', id: string): Promise<boolean> {
    const row = await this.db
      .selectFrom(table)
      .select('id')
      .where('brand_id', '=', brandId)
      .where('id', '=', id)
      .executeTakeFirst();
    return !!row;
  }
}
