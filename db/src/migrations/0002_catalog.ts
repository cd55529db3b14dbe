import { createTable, jsonType, type MigrationDb, notNull, t } from './helpers';

export async function up(db: MigrationDb): Promise<void> {
  await createTable(db, 'category')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, (c) => c.notNull().references('brand.id'))
    .addColumn('code', t.code, notNull)
    .addColumn('name', t.name, notNull)
    .addColumn('sort_order', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('store_adjust_kind', 'varchar(16)')
    .addColumn('store_adjust_min', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('store_adjust_max', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', t.time, notNull)
    .addColumn('updated_at', t.time, notNull)
    .addUniqueConstraint('uq_category_code', ['brand_id', 'code'])
    .execute();

  await createTable(db, 'product')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, (c) => c.notNull().references('brand.id'))
    .addColumn('category_id', t.id, (c) => c.notNull().references('category.id'))
    .addColumn('code', t.code, notNull)
    .addColumn('name', t.name, notNull)
    .addColumn('description', t.text, notNull)
    .addColumn('image_url', 'varchar(512)')
    .addColumn('tags', jsonType(db), notNull)
    .addColumn('unit', 'varchar(16)', (c) => c.notNull().defaultTo('份'))
    .addColumn('sort_order', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('availability', jsonType(db))
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', t.time, notNull)
    .addColumn('updated_at', t.time, notNull)
    .addUniqueConstraint('uq_product_code', ['brand_id', 'code'])
    .execute();
  await db.schema.createIndex('ix_product_category').on('product').columns(['category_id']).execute();

  await createTable(db, 'spec_group')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('product_id', t.id, (c) => c.notNull().references('product.id'))
    .addColumn('name', t.name, notNull)
    .addColumn('sort_order', t.int, (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('uq_spec_group_name', ['product_id', 'name'])
    .execute();

  await createTable(db, 'spec_option')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('group_id', t.id, (c) => c.notNull().references('spec_group.id'))
    .addColumn('name', t.name, notNull)
    .addColumn('sort_order', t.int, (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('uq_spec_option_name', ['group_id', 'name'])
    .execute();

  await createTable(db, 'sku')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, (c) => c.notNull().references('brand.id'))
    .addColumn('product_id', t.id, (c) => c.notNull().references('product.id'))
    .addColumn('code', t.code, notNull)
    .addColumn('spec_text', t.name, (c) => c.notNull().defaultTo(''))
    .addColumn('option_ids', jsonType(db), notNull)
    .addColumn('base_price', t.fen, notNull)
    .addColumn('cost', t.fen, (c) => c.notNull().defaultTo(0))
    .addColumn('packaging_fee', t.fen, (c) => c.notNull().defaultTo(0))
    .addColumn('box_count', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('sort_order', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', t.time, notNull)
    .addColumn('updated_at', t.time, notNull)
    .addUniqueConstraint('uq_sku_code', ['brand_id', 'code'])
    .execute();
  await db.schema.createIndex('ix_sku_product').on('sku').columns(['product_id']).execute();

  await createTable(db, 'addon_group')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, (c) => c.notNull().references('brand.id'))
    .addColumn('code', t.code, notNull)
    .addColumn('name', t.name, notNull)
    .addColumn('min_choices', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('max_choices', t.int, (c) => c.notNull().defaultTo(1))
    .addColumn('sort_order', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', t.time, notNull)
    .addColumn('updated_at', t.time, notNull)
    .addUniqueConstraint('uq_addon_group_code', ['brand_id', 'code'])
    .execute();

  await createTable(db, 'addon_option')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, (c) => c.notNull().references('brand.id'))
    .addColumn('group_id', t.id, (c) => c.notNull().references('addon_group.id'))
    .addColumn('code', t.code, notNull)
    .addColumn('name', t.name, notNull)
    .addColumn('price', t.fen, (c) => c.notNull().defaultTo(0))
    .addColumn('sort_order', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('active'))
    .addUniqueConstraint('uq_addon_option_code', ['brand_id', 'code'])
    .execute();

  await createTable(db, 'product_addon_group')
    .addColumn('product_id', t.id, (c) => c.notNull().references('product.id'))
    .addColumn('group_id', t.id, (c) => c.notNull().references('addon_group.id'))
    .addColumn('sort_order', t.int, (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('pk_product_addon_group', ['product_id', 'group_id'])
    .execute();

  await createTable(db, 'channel_price_rule')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, (c) => c.notNull().references('brand.id'))
    .addColumn('channel', 'varchar(16)', notNull)
    .addColumn('target', t.key, notNull)
    .addColumn('kind', 'varchar(16)', notNull)
    .addColumn('value', t.fen, notNull)
    .addColumn('created_at', t.time, notNull)
    .addColumn('updated_at', t.time, notNull)
    .addUniqueConstraint('uq_channel_price_rule', ['brand_id', 'channel', 'target'])
    .execute();

  await createTable(db, 'store_price_adjustment')
    .addColumn('store_id', t.id, (c) => c.notNull().references('store.id'))
    .addColumn('sku_id', t.id, (c) => c.notNull().references('sku.id'))
    .addColumn('kind', 'varchar(16)', notNull)
    .addColumn('value', t.fen, notNull)
    .addColumn('updated_by', t.id)
    .addColumn('updated_at', t.time, notNull)
    .addPrimaryKeyConstraint('pk_store_price_adjustment', ['store_id', 'sku_id'])
    .execute();

  await createTable(db, 'store_menu_settings')
    .addColumn('store_id', t.id, (c) => c.primaryKey().references('store.id'))
    .addColumn('mode', 'varchar(16)', notNull)
    .addColumn('updated_at', t.time, notNull)
    .execute();

  await createTable(db, 'store_product')
    .addColumn('store_id', t.id, (c) => c.notNull().references('store.id'))
    .addColumn('product_id', t.id, (c) => c.notNull().references('product.id'))
    .addColumn('listed', t.bool, (c) => c.notNull().defaultTo(1))
    .addColumn('hidden', t.bool, (c) => c.notNull().defaultTo(0))
    .addColumn('updated_by', t.id)
    .addColumn('updated_at', t.time, notNull)
    .addPrimaryKeyConstraint('pk_store_product', ['store_id', 'product_id'])
    .execute();

  await createTable(db, 'channel_mapping')
    .addColumn('store_id', t.id, (c) => c.notNull().references('store.id'))
    .addColumn('platform', 'varchar(16)', notNull)
    .addColumn('sku_id', t.id, (c) => c.notNull().references('sku.id'))
    .addColumn('platform_item_id', t.code, notNull)
    .addColumn('platform_sku_id', t.code, notNull)
    .addColumn('updated_at', t.time, notNull)
    .addPrimaryKeyConstraint('pk_channel_mapping', ['store_id', 'platform', 'sku_id'])
    .execute();
  // Not unique on purpose: two of our SKUs claiming one platform spec is a conflict to list, not to refuse silently.
  await db.schema
    .createIndex('ix_channel_mapping_platform_sku')
    .on('channel_mapping')
    .columns(['store_id', 'platform', 'platform_sku_id'])
    .execute();

  await createTable(db, 'store_channel_binding')
    .addColumn('store_id', t.id, (c) => c.notNull().references('store.id'))
    .addColumn('platform', 'varchar(16)', notNull)
    .addColumn('status', 'varchar(16)', notNull)
    .addColumn('auth_token_enc', t.text)
    .addColumn('platform_store_id', t.code)
    .addColumn('platform_store_name', t.name)
    .addColumn('bound_at', t.time)
    .addColumn('unbound_at', t.time)
    .addColumn('updated_at', t.time, notNull)
    .addPrimaryKeyConstraint('pk_store_channel_binding', ['store_id', 'platform'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const table of [
    'store_channel_binding',
    'channel_mapping',
    'store_product',
    'store_menu_settings',
    'store_price_adjustment',
    'channel_price_rule',
    'product_addon_group',
    'addon_option',
    'addon_group',
    'sku',
    'spec_option',
    'spec_group',
    'product',
    'category',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
