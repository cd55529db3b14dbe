import { createTable, jsonType, type MigrationDb, notNull, t } from './helpers';

/** Tables for stock and kitchen capacity (issue 4). */
export async function up(db: MigrationDb): Promise<void> {
  // One row per counted or flagged SKU or product at a store; no row means unlimited and on sale.
  await createTable(db, 'stock_item')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, (c) => c.notNull().references('brand.id'))
    .addColumn('store_id', t.id, (c) => c.notNull().references('store.id'))
    .addColumn('level', 'varchar(16)', notNull)
    .addColumn('code', t.code, notNull)
    .addColumn('quantity', 'bigint')
    .addColumn('daily_limit', 'bigint')
    .addColumn('business_date', 'varchar(10)')
    .addColumn('sold_out', t.bool, (c) => c.notNull().defaultTo(0))
    .addColumn('sold_out_until', t.time)
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('updated_by', t.id)
    .addColumn('created_at', t.time, notNull)
    .addColumn('updated_at', t.time, notNull)
    .addUniqueConstraint('uq_stock_item', ['store_id', 'level', 'code'])
    .execute();

  // A reservation of one order: its kitchen slot, counted once per order.
  await createTable(db, 'stock_order')
    .addColumn('order_id', t.code, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, notNull)
    .addColumn('store_id', t.id, (c) => c.notNull().references('store.id'))
    .addColumn('channel', 'varchar(16)', notNull)
    .addColumn('mode', 'varchar(16)', notNull)
    .addColumn('slot_start', t.time)
    .addColumn('slot_items', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('slot_orders', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('overloaded', t.bool, (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'varchar(16)', notNull)
    .addColumn('created_at', t.time, notNull)
    .addColumn('updated_at', t.time, notNull)
    .execute();

  // One order line's hold on the pool: idempotent per (order, line).
  await createTable(db, 'stock_reservation')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('order_id', t.code, notNull)
    .addColumn('line_id', t.code, notNull)
    .addColumn('brand_id', t.id, notNull)
    .addColumn('store_id', t.id, (c) => c.notNull().references('store.id'))
    .addColumn('channel', 'varchar(16)', notNull)
    .addColumn('mode', 'varchar(16)', notNull)
    .addColumn('sku_code', t.code, notNull)
    .addColumn('requested', t.int, notNull)
    .addColumn('covered', t.int, notNull)
    .addColumn('short_reason', 'varchar(16)')
    .addColumn('sku_item_id', t.id)
    .addColumn('product_item_id', t.id)
    .addColumn('reserved_date', 'varchar(10)')
    .addColumn('status', 'varchar(16)', notNull)
    .addColumn('created_at', t.time, notNull)
    .addColumn('updated_at', t.time, notNull)
    .addUniqueConstraint('uq_stock_reservation_line', ['order_id', 'line_id'])
    .execute();
  await db.schema
    .createIndex('ix_stock_reservation_store')
    .on('stock_reservation')
    .columns(['store_id', 'created_at'])
    .execute();

  // Kitchen load of one capacity slot.
  await createTable(db, 'stock_slot')
    .addColumn('store_id', t.id, (c) => c.notNull().references('store.id'))
    .addColumn('slot_start', t.time, notNull)
    .addColumn('items', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('orders', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', t.time, notNull)
    .addPrimaryKeyConstraint('pk_stock_slot', ['store_id', 'slot_start'])
    .execute();

  await createTable(db, 'stock_capacity')
    .addColumn('store_id', t.id, (c) => c.primaryKey().references('store.id'))
    .addColumn('slot_minutes', t.int, notNull)
    .addColumn('periods', jsonType(db), notNull)
    .addColumn('updated_by', t.id)
    .addColumn('updated_at', t.time, notNull)
    .execute();

  await createTable(db, 'stock_policy')
    .addColumn('brand_id', t.id, (c) => c.primaryKey().references('brand.id'))
    .addColumn('shortage_policy', 'varchar(32)', notNull)
    .addColumn('refunded_stock', 'varchar(16)', notNull)
    .addColumn('platform_show', 'varchar(16)', notNull)
    .addColumn('platform_cap', t.int)
    .addColumn('platform_unlimited_as', t.int, notNull)
    .addColumn('updated_by', t.id)
    .addColumn('updated_at', t.time, notNull)
    .execute();

  // Who changed what, written in the transaction of the change.
  await createTable(db, 'stock_change')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, notNull)
    .addColumn('store_id', t.id, (c) => c.notNull().references('store.id'))
    .addColumn('level', 'varchar(16)', notNull)
    .addColumn('code', t.code, notNull)
    .addColumn('action', 'varchar(32)', notNull)
    .addColumn('before_state', jsonType(db))
    .addColumn('after_state', jsonType(db), notNull)
    .addColumn('source', 'varchar(16)', notNull)
    .addColumn('staff_id', t.id)
    .addColumn('staff_name', t.name)
    .addColumn('request_key', t.key)
    .addColumn('at', t.time, notNull)
    .addUniqueConstraint('uq_stock_change_request', ['store_id', 'request_key'])
    .execute();
  await db.schema.createIndex('ix_stock_change_store').on('stock_change').columns(['store_id', 'id']).execute();

  await createTable(db, 'stock_alert')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, notNull)
    .addColumn('store_id', t.id, (c) => c.notNull().references('store.id'))
    .addColumn('order_id', t.code, notNull)
    .addColumn('channel', 'varchar(16)', notNull)
    .addColumn('kind', 'varchar(16)', notNull)
    .addColumn('policy', 'varchar(32)')
    .addColumn('details', jsonType(db), notNull)
    .addColumn('created_at', t.time, notNull)
    .addColumn('acknowledged_at', t.time)
    .addColumn('acknowledged_by', t.id)
    .addUniqueConstraint('uq_stock_alert_order', ['order_id', 'kind'])
    .execute();
  await db.schema.createIndex('ix_stock_alert_store').on('stock_alert').columns(['store_id', 'id']).execute();

  // Per (store, platform, SKU): whether the platform still has to be sent the SKU's current state.
  // Rows are created outside the hot transactions and only updated inside them.
  await createTable(db, 'stock_sync_dirty')
    .addColumn('store_id', t.id, notNull)
    .addColumn('platform', 'varchar(16)', notNull)
    .addColumn('sku_code', t.code, notNull)
    .addColumn('pending', t.bool, (c) => c.notNull().defaultTo(0))
    .addColumn('token', t.id, notNull)
    .addColumn('changed_at', t.time, notNull)
    .addPrimaryKeyConstraint('pk_stock_sync_dirty', ['store_id', 'platform', 'sku_code'])
    .execute();
  await createTable(db, 'stock_push_state')
    .addColumn('store_id', t.id, notNull)
    .addColumn('platform', 'varchar(16)', notNull)
    .addColumn('scheduled_at', t.time)
    .addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', t.time, notNull)
    .addPrimaryKeyConstraint('pk_stock_push_state', ['store_id', 'platform'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const table of [
    'stock_push_state',
    'stock_sync_dirty',
    'stock_alert',
    'stock_change',
    'stock_policy',
    'stock_capacity',
    'stock_slot',
    'stock_reservation',
    'stock_order',
    'stock_item',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
