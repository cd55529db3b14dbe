/**
 * Menu publishing and platform sync (issue 3): what each platform last accepted per item, menu
 * templates HQ pushes to stores, and the record of imports. The master menu itself is in
 * `catalog.ts`.
 */

/**
 * One item of one store's menu on one platform: a category (`category:<code>`) or a dish
 * (`dish:<product code>`). `desired_*` is what the last publish wants there (null hashes: it
 * should be gone); `accepted_*` is what the platform last accepted. The two hashes split a dish
 * into its content and its SKU prices, so a price-only change is sent as a price update.
 */
export interface CatalogSyncItemTable {
  store_id: string;
  platform: 'meituan' | 'eleme';
  item_key: string;
  kind: 'category' | 'dish';
  /** Display name, for status listings. */
  name: string;
  desired_body_hash: string | null;
  desired_price_hash: string | null;
  /** JSON of the neutral item document (ChannelCategoryDoc / ChannelDishDoc) last published. */
  desired_doc: string | null;
  accepted_body_hash: string | null;
  accepted_price_hash: string | null;
  /** JSON of the document the platform accepted last: what an audit compares a read-back with. */
  accepted_doc: string | null;
  /** The platform's own id of the item when it assigns one (Ele.me category and item ids). */
  platform_id: string | null;
  status: 'in_step' | 'pending' | 'failed';
  last_error: string | null;
  publish_id: string | null;
  accepted_at: number | null;
  updated_at: number;
}

/** One publish request: who asked, for what, and how much it queued. */
export interface CatalogPublishTable {
  id: string;
  brand_id: string;
  scope: 'brand' | 'region' | 'store';
  scope_id: string | null;
  requested_by: string | null;
  store_count: number;
  calls_queued: number;
  created_at: number;
}

/** A menu template: the set of products HQ lists at the stores it is pushed to. */
export interface MenuTemplateTable {
  id: string;
  brand_id: string;
  code: string;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface MenuTemplateProductTable {
  template_id: string;
  product_id: string;
  /** In mixed-mode stores a required product may not be hidden by the store. */
  required: number;
}

/** The template last pushed to a store (what decides which products it may hide in mixed mode). */
export interface StoreMenuTemplateTable {
  store_id: string;
  template_id: string;
  pushed_by: string | null;
  pushed_at: number;
}

/** A catalog import, keyed by the file's hash so the same file imported twice is applied once. */
export interface CatalogImportTable {
  id: string;
  brand_id: string;
  file_hash: string;
  format: 'csv' | 'json';
  row_count: number;
  /** JSON summary returned to the caller (created / updated counts). */
  summary: string;
  created_by: string | null;
  created_at: number;
}

export interface CatalogSyncTables {
  catalog_sync_item: CatalogSyncItemTable;
  catalog_publish: CatalogPublishTable;
  menu_template: MenuTemplateTable;
  menu_template_product: MenuTemplateProductTable;
  store_menu_template: StoreMenuTemplateTable;
  catalog_import: CatalogImportTable;
}
