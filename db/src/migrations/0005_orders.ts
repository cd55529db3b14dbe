import { createTable, jsonType, type MigrationDb, notNull, t } from './helpers';

const zero = (c: Parameters<typeof notNull>[0]) => c.notNull().defaultTo(0);

/** Tables for orders, members, payments and delivery (issue 5). */
export async function up(db: MigrationDb): Promise<void> {
  await createTable(db, 'orders')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, (c) => c.notNull().references('brand.id'))
    .addColumn('store_id', t.id, (c) => c.notNull().references('store.id'))
    .addColumn('channel', 'varchar(16)', notNull)
    .addColumn('channel_order_id', t.code, notNull)
    .addColumn('display_id', t.code)
    .addColumn('gateway', 'varchar(16)')
    .addColumn('business_date', 'varchar(10)', notNull)
    .addColumn('day_seq', t.int)
    .addColumn('fulfillment', 'varchar(16)', notNull)
    .addColumn('delivery_mode', 'varchar(16)')
    .addColumn('status', 'varchar(24)', notNull)
    .addColumn('member_id', t.id)
    .addColumn('placement_key', t.key)
    .addColumn('items_total', t.fen, zero)
    .addColumn('packaging_fee', t.fen, zero)
    .addColumn('delivery_fee', t.fen, zero)
    .addColumn('discount_platform', t.fen, zero)
    .addColumn('discount_merchant', t.fen, zero)
    .addColumn('paid_total', t.fen, zero)
    .addColumn('merchant_income', t.fen)
    .addColumn('remark', t.text, notNull)
    .addColumn('table_no', 'varchar(16)')
    .addColumn('recipient_name', t.name)
    .addColumn('recipient_phone', t.code)
    .addColumn('recipient_address', 'varchar(512)')
    .addColumn('recipient_lat', t.double)
    .addColumn('recipient_lng', t.double)
    .addColumn('logistics_code', 'varchar(16)')
    .addColumn('flags', jsonType(db), notNull)
    .addColumn('refund_state', 'varchar(16)')
    .addColumn('refund_reason', 'varchar(255)')
    .addColumn('cancel_reason', 'varchar(255)')
    .addColumn('stock_state', 'varchar(16)', (c) => c.notNull().defaultTo('none'))
    .addColumn('placed_at', t.time, notNull)
    .addColumn('promised_at', t.time)
    .addColumn('pay_by', t.time)
    .addColumn('accepted_at', t.time)
    .addColumn('ready_at', t.time)
    .addColumn('completed_at', t.time)
    .addColumn('cancelled_at', t.time)
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.time, notNull)
    .addColumn('updated_at', t.time, notNull)
    .addUniqueConstraint('uq_orders_channel_order', ['channel', 'channel_order_id'])
    .addUniqueConstraint('uq_orders_placement', ['placement_key'])
    .execute();
  await db.schema.createIndex('ix_orders_store_day').on('orders').columns(['store_id', 'business_date']).execute();
  await db.schema.createIndex('ix_orders_store_status').on('orders').columns(['store_id', 'status']).execute();
  await db.schema.createIndex('ix_orders_member').on('orders').columns(['member_id', 'created_at']).execute();

  await createTable(db, 'order_line')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('order_id', t.id, (c) => c.notNull().references('orders.id'))
    .addColumn('line_no', t.int, notNull)
    .addColumn('sku_code', t.code)
    .addColumn('platform_item_id', t.code)
    .addColumn('platform_sku_id', t.code)
    .addColumn('name', 'varchar(255)', notNull)
    .addColumn('spec_text', t.name, (c) => c.notNull().defaultTo(''))
    .addColumn('addons', jsonType(db), notNull)
    .addColumn('quantity', t.int, notNull)
    .addColumn('unit_price', t.fen, zero)
    .addColumn('addons_price', t.fen, zero)
    .addColumn('packaging_fee', t.fen, zero)
    .addColumn('box_count', t.int, zero)
    .addColumn('line_total', t.fen, zero)
    .addColumn('unmapped', t.bool, zero)
    .addColumn('stock_short', t.bool, zero)
    .addUniqueConstraint('uq_order_line_no', ['order_id', 'line_no'])
    .execute();

  await createTable(db, 'order_event')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('order_id', t.id, (c) => c.notNull().references('orders.id'))
    .addColumn('type', 'varchar(32)', notNull)
    .addColumn('from_status', 'varchar(24)')
    .addColumn('to_status', 'varchar(24)')
    .addColumn('source', 'varchar(16)', notNull)
    .addColumn('actor', t.code)
    .addColumn('reason', 'varchar(255)')
    .addColumn('data', jsonType(db))
    .addColumn('at', t.time, notNull)
    .execute();
  await db.schema.createIndex('ix_order_event_order').on('order_event').columns(['order_id', 'at']).execute();

  await createTable(db, 'store_day_seq')
    .addColumn('store_id', t.id, (c) => c.notNull().references('store.id'))
    .addColumn('business_date', 'varchar(10)', notNull)
    .addColumn('last_seq', t.int, (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('pk_store_day_seq', ['store_id', 'business_date'])
    .execute();

  await createTable(db, 'push_inbox')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('platform', 'varchar(16)', notNull)
    .addColumn('push_type', 'varchar(32)', notNull)
    .addColumn('dedupe_key', t.key, notNull)
    .addColumn('store_id', t.id, (c) => c.notNull().references('store.id'))
    .addColumn('order_key', t.code)
    .addColumn('body', jsonType(db), notNull)
    .addColumn('meta', jsonType(db), notNull)
    .addColumn('status', 'varchar(16)', notNull)
    .addColumn('note', t.text)
    .addColumn('received_at', t.time, notNull)
    .addColumn('applied_at', t.time)
    .addUniqueConstraint('uq_push_inbox_dedupe', ['platform', 'dedupe_key'])
    .execute();
  await db.schema
    .createIndex('ix_push_inbox_order')
    .on('push_inbox')
    .columns(['platform', 'order_key', 'status'])
    .execute();
  await db.schema.createIndex('ix_push_inbox_status').on('push_inbox').columns(['status', 'received_at']).execute();

  await createTable(db, 'member')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, (c) => c.notNull().references('brand.id'))
    .addColumn('openid', t.code, notNull)
    .addColumn('unionid', t.code)
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', t.time, notNull)
    .addColumn('updated_at', t.time, notNull)
    .addColumn('last_login_at', t.time)
    .addUniqueConstraint('uq_member_openid', ['brand_id', 'openid'])
    .execute();
  await db.schema.createIndex('ix_member_unionid').on('member').columns(['brand_id', 'unionid']).execute();

  await createTable(db, 'member_wechat_session')
    .addColumn('member_id', t.id, (c) => c.primaryKey().references('member.id'))
    .addColumn('session_key_enc', t.text, notNull)
    .addColumn('updated_at', t.time, notNull)
    .execute();

  await createTable(db, 'payment')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('order_id', t.id, (c) => c.notNull().references('orders.id'))
    .addColumn('brand_id', t.id, (c) => c.notNull().references('brand.id'))
    .addColumn('member_id', t.id, (c) => c.notNull().references('member.id'))
    .addColumn('method', 'varchar(16)', notNull)
    .addColumn('out_trade_no', 'varchar(32)', notNull)
    .addColumn('amount', t.fen, notNull)
    .addColumn('status', 'varchar(16)', notNull)
    .addColumn('prepay_id', t.code)
    .addColumn('prepay_at', t.time)
    .addColumn('transaction_id', t.code)
    .addColumn('payer_openid', t.code)
    .addColumn('paid_at', t.time)
    .addColumn('closed_at', t.time)
    .addColumn('out_refund_no', 'varchar(64)')
    .addColumn('refunded_at', t.time)
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.time, notNull)
    .addColumn('updated_at', t.time, notNull)
    .addUniqueConstraint('uq_payment_out_trade_no', ['out_trade_no'])
    .execute();
  await db.schema.createIndex('ix_payment_order').on('payment').columns(['order_id']).execute();

  await createTable(db, 'payment_notification')
    .addColumn('id', t.key, (c) => c.primaryKey())
    .addColumn('event_type', t.code, notNull)
    .addColumn('out_trade_no', 'varchar(32)')
    .addColumn('body', jsonType(db), notNull)
    .addColumn('received_at', t.time, notNull)
    .execute();

  await createTable(db, 'delivery_settings')
    .addColumn('store_id', t.id, (c) => c.primaryKey().references('store.id'))
    .addColumn('self_enabled', t.bool, zero)
    .addColumn('meituan_platform', t.bool, (c) => c.notNull().defaultTo(1))
    .addColumn('eleme_platform', t.bool, (c) => c.notNull().defaultTo(1))
    .addColumn('updated_by', t.id)
    .addColumn('updated_at', t.time, notNull)
    .execute();

  await createTable(db, 'delivery_zone')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('store_id', t.id, (c) => c.notNull().references('store.id'))
    .addColumn('name', t.name, notNull)
    .addColumn('radius_m', t.int, notNull)
    .addColumn('fee', t.fen, notNull)
    .addColumn('min_order', t.fen, notNull)
    .addColumn('minutes', t.int, notNull)
    .addColumn('hours', jsonType(db), notNull)
    .addColumn('sort_order', t.int, zero)
    .execute();
  await db.schema.createIndex('ix_delivery_zone_store').on('delivery_zone').columns(['store_id']).execute();

  await createTable(db, 'order_delivery')
    .addColumn('order_id', t.id, (c) => c.primaryKey().references('orders.id'))
    .addColumn('store_id', t.id, (c) => c.notNull().references('store.id'))
    .addColumn('mode', 'varchar(16)', notNull)
    .addColumn('status', 'varchar(16)', notNull)
    .addColumn('rider_name', t.name)
    .addColumn('rider_phone', t.code)
    .addColumn('logistics_code', 'varchar(16)')
    .addColumn('zone_name', t.name)
    .addColumn('status_rank', t.int, zero)
    .addColumn('updated_at', t.time, notNull)
    .execute();

  await createTable(db, 'delivery_event')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('order_id', t.id, (c) => c.notNull().references('orders.id'))
    .addColumn('status', 'varchar(16)', notNull)
    .addColumn('rider_name', t.name)
    .addColumn('rider_phone', t.code)
    .addColumn('source', 'varchar(16)', notNull)
    .addColumn('dedupe_key', t.key, notNull)
    .addColumn('at', t.time, notNull)
    .addUniqueConstraint('uq_delivery_event', ['order_id', 'dedupe_key'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const table of [
    'delivery_event',
    'order_delivery',
    'delivery_zone',
    'delivery_settings',
    'payment_notification',
    'payment',
    'member_wechat_session',
    'member',
    'push_inbox',
    'store_day_seq',
    'order_event',
    'order_line',
    'orders',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
