import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type { ChannelRule, StoreAdjustment } from './pricing';

export interface SkuRow {
  id: string;
  code: string;
  productId: string;
  productCode: string;
  productName: string;
  categoryId: string;
  specText: string;
  basePrice: number;
  packagingFee: number;
  boxCount: number;
  unit: string;
  skuStatus: 'active' | 'archived';
  productStatus: 'active' | 'archived';
  availability: string | null;
}

/** Read-only catalog queries other modules need (stock, orders, menus). Catalog tables only. */
export class CatalogLookupRepo {
  constructor(private readonly db: Kysely<Database>) {}

  private skuQuery(brandId: string) {
    return this.db
      .selectFrom('sku')
      .innerJoin('product', 'product.id', 'sku.product_id')
      .select([
        'sku.id as id',
        'sku.code as code',
        'product.id as productId',
        'product.code as productCode',
        'product.name as productName',
        'product.category_id as categoryId',
        'sku.spec_text as specText',
        'sku.base_price as basePrice',
        'sku.packaging_fee as packagingFee',
        'sku.box_count as boxCount',
        'product.unit as unit',
        'sku.status as skuStatus',
        'product.status as productStatus',
        'product.availability as availability',
      ])
      .where('sku.brand_id', '=', brandId);
  }

  async skusByCodes(brandId: string, codes: string[]): Promise<SkuRow[]> {
    if (codes.length === 0) return [];
    return this.skuQuery(brandId)
      .where('sku.code', 'in', [...new Set(codes)])
      .execute();
  }

  async skusByProductCodes(brandId: string, productCodes: string[]): Promise<SkuRow[]> {
    if (productCodes.length === 0) return [];
    return this.skuQuery(brandId)
      .where('product.code', 'in', [...new Set(productCodes)])
      .execute();
  }

  /** Every active SKU of every product the store lists and has not hidden. */
  async carriedSkus(brandId: string, storeId: string): Promise<SkuRow[]> {
    return this.skuQuery(brandId)
      .innerJoin('store_product', (join) =>
        join.onRef('store_product.product_id', '=', 'product.id').on('store_product.store_id', '=', storeId),
      )
      .where('store_product.listed', '=', 1)
      .where('store_product.hidden', '=', 0)
      .where('sku.status', '=', 'active')
      .where('product.status', '=', 'active')
      .orderBy('product.sort_order')
      .orderBy('sku.sort_order')
      .execute();
  }

  async channelRules(brandId: string, channel: string): Promise<ChannelRule[]> {
    return this.db
      .selectFrom('channel_price_rule')
      .select(['target', 'kind', 'value'])
      .where('brand_id', '=', brandId)
      .where('channel', '=', channel as never)
      .execute();
  }

  async storeAdjustments(storeId: string, skuIds: string[]): Promise<Map<string, StoreAdjustment>> {
    if (skuIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('store_price_adjustment')
      .select(['sku_id', 'kind', 'value'])
      .where('store_id', '=', storeId)
      .where('sku_id', 'in', skuIds)
      .execute();
    return new Map(rows.map((r) => [r.sku_id, { kind: r.kind, value: r.value }]));
  }

  async addonOptionsByCodes(brandId: string, codes: string[]) {
    if (codes.length === 0) return [];
    return this.db
      .selectFrom('addon_option')
      .innerJoin('addon_group', 'addon_group.id', 'addon_option.group_id')
      .select([
        'addon_option.id as id',
        'addon_option.code as code',
        'addon_option.name as name',
        'addon_option.price as price',
        'addon_option.status as status',
        'addon_group.id as groupId',
        'addon_group.code as groupCode',
        'addon_group.name as groupName',
        'addon_group.min_choices as minChoices',
        'addon_group.max_choices as maxChoices',
      ])
      .where('addon_option.brand_id', '=', brandId)
      .where('addon_option.code', 'in', [...new Set(codes)])
      .execute();
  }

  /** Add-on groups attached to each product, with their min/max. */
  async productAddonGroups(productIds: string[]) {
    if (productIds.length === 0) return [];
    return this.db
      .selectFrom('product_addon_group')
      .innerJoin('addon_group', 'addon_group.id', 'product_addon_group.group_id')
      .select([
        'product_addon_group.product_id as productId',
        'addon_group.id as groupId',
        'addon_group.code as groupCode',
        'addon_group.name as groupName',
        'addon_group.min_choices as minChoices',
        'addon_group.max_choices as maxChoices',
      ])
      .where('product_addon_group.product_id', 'in', [...new Set(productIds)])
      .where('addon_group.status', '=', 'active')
      .orderBy('product_addon_group.sort_order')
      .execute();
  }

  async mappings(storeId: string, platform: 'meituan' | 'eleme', skuIds?: string[]) {
    let q = this.db
      .selectFrom('channel_mapping')
      .innerJoin('sku', 'sku.id', 'channel_mapping.sku_id')
      .select([
        'sku.code as skuCode',
        'channel_mapping.sku_id as skuId',
        'channel_mapping.platform_item_id as platformItemId',
        'channel_mapping.platform_sku_id as platformSkuId',
      ])
      .where('channel_mapping.store_id', '=', storeId)
      .where('channel_mapping.platform', '=', platform);
    if (skuIds) {
      if (skuIds.length === 0) return [];
      q = q.where('channel_mapping.sku_id', 'in', skuIds);
    }
    return q.execute();
  }

  async mappingsByPlatformSku(storeId: string, platform: 'meituan' | 'eleme', platformSkuIds: string[]) {
    if (platformSkuIds.length === 0) return [];
    return this.db
      .selectFrom('channel_mapping')
      .innerJoin('sku', 'sku.id', 'channel_mapping.sku_id')
      .select(['sku.code as skuCode', 'channel_mapping.platform_sku_id as platformSkuId'])
      .where('channel_mapping.store_id', '=', storeId)
      .where('channel_mapping.platform', '=', platform)
      .where('channel_mapping.platform_sku_id', 'in', [...new Set(platformSkuIds)])
      .execute();
  }

  async binding(storeId: string, platform: 'meituan' | 'eleme') {
    return this.db
      .selectFrom('store_channel_binding')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('platform', '=', platform)
      .executeTakeFirst();
  }
}
