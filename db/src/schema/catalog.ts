/**
 * The master menu (总部菜单): categories → products (SPU) → SKUs, add-on groups, and what each
 * store carries. Prices are fen. Codes (商品编码) are the brand's own and are what platforms map to.
 */

export interface CategoryTable {
  id: string;
  brand_id: string;
  code: string;
  name: string;
  sort_order: number;
  /**
   * The range HQ allows a store's price adjustment to move within, for every SKU of this
   * category: 'percent' bounds are basis points of the channel price (−500 = −5%), 'amount'
   * bounds are fen. Null kind: stores may not adjust.
   */
  store_adjust_kind: 'percent' | 'amount' | null;
  store_adjust_min: number;
  store_adjust_max: number;
  status: 'active' | 'archived';
  created_at: number;
  updated_at: number;
}

export interface ProductTable {
  id: string;
  brand_id: string;
  category_id: string;
  /** Product code; Meituan's app_food_code / eDishCode. */
  code: string;
  name: string;
  description: string;
  image_url: string | null;
  /** JSON string[]: 招牌, 辣, 新品 … */
  tags: string;
  unit: string;
  sort_order: number;
  /** JSON AvailabilityWindow[] (days + local start/end), or null for all business hours. */
  availability: string | null;
  status: 'active' | 'archived';
  created_at: number;
  updated_at: number;
}

/** A required spec group (规格): 大/中/小, 热/冰. Every SKU picks one option of each group. */
export interface SpecGroupTable {
  id: string;
  product_id: string;
  name: string;
  sort_order: number;
}

export interface SpecOptionTable {
  id: string;
  group_id: string;
  name: string;
  sort_order: number;
}

export interface SkuTable {
  id: string;
  brand_id: string;
  product_id: string;
  /** 商品编码: unique per brand; Meituan sku_id, Ele.me extendCode. */
  code: string;
  /** The chosen spec options in group order, e.g. "大份/微辣"; empty for a single-spec product. */
  spec_text: string;
  /** JSON string[]: spec option ids in group order. */
  option_ids: string;
  base_price: number;
  cost: number;
  packaging_fee: number;
  box_count: number;
  sort_order: number;
  status: 'active' | 'archived';
  created_at: number;
  updated_at: number;
}

/** 加料 / 口味: optional extras with min/max choices. */
export interface AddonGroupTable {
  id: string;
  brand_id: string;
  code: string;
  name: string;
  min_choices: number;
  max_choices: number;
  sort_order: number;
  status: 'active' | 'archived';
  created_at: number;
  updated_at: number;
}

export interface AddonOptionTable {
  id: string;
  brand_id: string;
  group_id: string;
  /** Unique per brand; what an order line names in `addons`. */
  code: string;
  name: string;
  price: number;
  sort_order: number;
  status: 'active' | 'archived';
}

export interface ProductAddonGroupTable {
  product_id: string;
  group_id: string;
  sort_order: number;
}

/**
 * Channel price rule: HQ's override of the base price for one channel, for the whole menu
 * (target '*'), a category ('category:<id>') or a SKU ('sku:<id>'); the most specific applies.
 * 'percent' is basis points (+1000 = +10%), 'amount' is fen added, 'fixed' is the price in fen.
 */
export interface ChannelPriceRuleTable {
  id: string;
  brand_id: string;
  channel: 'miniapp' | 'dinein' | 'meituan' | 'eleme';
  target: string;
  kind: 'percent' | 'amount' | 'fixed';
  value: number;
  created_at: number;
  updated_at: number;
}

/** A store's own adjustment of one SKU, applied after the channel price; bounded by the category range. */
export interface StorePriceAdjustmentTable {
  store_id: string;
  sku_id: string;
  kind: 'percent' | 'amount';
  value: number;
  updated_by: string | null;
  updated_at: number;
}

/** How a store's menu is managed: by HQ only, by the store, or mixed. */
export interface StoreMenuSettingsTable {
  store_id: string;
  mode: 'hq' | 'store' | 'mixed';
  updated_at: number;
}

/** Which products a store carries (listed, from HQ or a template) and which it hides itself. */
export interface StoreProductTable {
  store_id: string;
  product_id: string;
  listed: number;
  hidden: number;
  updated_by: string | null;
  updated_at: number;
}

/**
 * Our SKU ↔ a platform's ids for one store. Meituan keeps our codes (app_food_code / sku_id), so
 * its ids equal ours; Ele.me assigns its own item and spec ids and keeps our code in extendCode.
 */
export interface ChannelMappingTable {
  store_id: string;
  platform: 'meituan' | 'eleme';
  sku_id: string;
  platform_item_id: string;
  platform_sku_id: string;
  updated_at: number;
}

/**
 * A store's binding to a platform account: Meituan's store-map appAuthToken (encrypted at rest),
 * or Ele.me's shop authorisation.
 */
export interface StoreChannelBindingTable {
  store_id: string;
  platform: 'meituan' | 'eleme';
  status: 'bound' | 'unbound';
  /** Encrypted token (AES-256-GCM with DATA_ENCRYPTION_KEY), or null. */
  auth_token_enc: string | null;
  platform_store_id: string | null;
  platform_store_name: string | null;
  bound_at: number | null;
  unbound_at: number | null;
  updated_at: number;
}

export interface CatalogTables {
  category: CategoryTable;
  product: ProductTable;
  spec_group: SpecGroupTable;
  spec_option: SpecOptionTable;
  sku: SkuTable;
  addon_group: AddonGroupTable;
  addon_option: AddonOptionTable;
  product_addon_group: ProductAddonGroupTable;
  channel_price_rule: ChannelPriceRuleTable;
  store_price_adjustment: StorePriceAdjustmentTable;
  store_menu_settings: StoreMenuSettingsTable;
  store_product: StoreProductTable;
  channel_mapping: ChannelMappingTable;
  store_channel_binding: StoreChannelBindingTable;
}
