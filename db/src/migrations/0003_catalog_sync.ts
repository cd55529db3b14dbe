import { createTable, jsonType, type MigrationDb, notNull, t } from './helpers';

/** Tables for menu publishing and platform sync, menu templates and catalog imports (issue 3). */
export async function up(db: MigrationDb): Promise<void> {
  await createTable(db, 'catalog_sync_item')
    .addColumn('store_id', t.id, (c) => c.notNull().references('store.id'))
    .addColumn('platform', 'varchar(16)', notNull)
    .addColumn('item_key', t.key, notNull)
    .addColumn('kind', 'varchar(16)', notNull)
    .addColumn('name', t.name, notNull)
    .addColumn('desired_body_hash', 'varchar(64)')
    .addColumn('desired_price_hash', 'varchar(64)')
    .addColumn('desired_doc', jsonType(db))
    .addColumn('accepted_body_hash', 'varchar(64)')
    .addColumn('accepted_price_hash', 'varchar(64)')
    .addColumn('accepted_doc', jsonType(db))
    .addColumn('platform_id', t.code)
    .addColumn('status', 'varchar(16)', notNull)
    .addColumn('last_error', t.text)
    .addColumn('publish_id', t.id)
    .addColumn('accepted_at', t.time)
    .addColumn('updated_at', t.time, notNull)
    .addPrimaryKeyConstraint('pk_catalog_sync_item', ['store_id', 'platform', 'item_key'])
    .execute();

  await createTable(db, 'catalog_publish')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, (c) => c.notNull().references('brand.id'))
    .addColumn('scope', 'varchar(16)', notNull)
    .addColumn('scope_id', t.id)
    .addColumn('requested_by', t.id)
    .addColumn('store_count', t.int, notNull)
    .addColumn('calls_queued', t.int, notNull)
    .addColumn('created_at', t.time, notNull)
    .execute();

  await createTable(db, 'menu_template')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, (c) => c.notNull().references('brand.id'))
    .addColumn('code', t.code, notNull)
    .addColumn('name', t.name, notNull)
    .addColumn('created_at', t.time, notNull)
    .addColumn('updated_at', t.time, notNull)
    .addUniqueConstraint('uq_menu_template_code', ['brand_id', 'code'])
    .execute();

  await createTable(db, 'menu_template_product')
    .addColumn('template_id', t.id, (c) => c.notNull().references('menu_template.id'))
    .addColumn('product_id', t.id, (c) => c.notNull().references('product.id'))
    .addColumn('required', t.bool, (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('pk_menu_template_product', ['template_id', 'product_id'])
    .execute();

  await createTable(db, 'store_menu_template')
    .addColumn('store_id', t.id, (c) => c.primaryKey().references('store.id'))
    .addColumn('template_id', t.id, (c) => c.notNull().references('menu_template.id'))
    .addColumn('pushed_by', t.id)
    .addColumn('pushed_at', t.time, notNull)
    .execute();

  await createTable(db, 'catalog_import')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, (c) => c.notNull().references('brand.id'))
    .addColumn('file_hash', 'varchar(64)', notNull)
    .addColumn('format', 'varchar(8)', notNull)
    .addColumn('row_count', t.int, notNull)
    .addColumn('summary', jsonType(db), notNull)
    .addColumn('created_by', t.id)
    .addColumn('created_at', t.time, notNull)
    .addUniqueConstraint('uq_catalog_import_hash', ['brand_id', 'file_hash'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const table of [
    'catalog_import',
    'store_menu_template',
    'menu_template_product',
    'menu_template',
    'catalog_publish',
    'catalog_sync_item',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
