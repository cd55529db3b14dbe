import { createTable, jsonType, type MigrationDb, notNull, t } from './helpers';

const zero = (c: Parameters<typeof notNull>[0]) => c.notNull().defaultTo(0);

/**
 * Report rollups (issue 13): what each order contributes, and the sums per store, business day and
 * channel (and per SKU, per cancel reason) that reports read instead of the orders. Kept current
 * in the transaction of every order write; `report_order_fact` remembers each order's last
 * contribution so a change applies only its difference.
 */
export async function up(db: MigrationDb): Promise<void> {
  // A partial refund's money (fen) as the platform reported it; a full refund is the amount paid.
  await db.schema.alterTable('orders').addColumn('refund_amount', t.fen).execute();

  await createTable(db, 'report_order_fact')
    .addColumn('order_id', t.id, (c) => c.primaryKey())
    .addColumn('store_id', t.id, notNull)
    .addColumn('business_date', 'varchar(10)', notNull)
    .addColumn('channel', 'varchar(16)', notNull)
    .addColumn('fact', jsonType(db), notNull)
    .addColumn('updated_at', t.time, notNull)
    .execute();
  await db.schema
    .createIndex('ix_report_fact_store_day')
    .on('report_order_fact')
    .columns(['store_id', 'business_date'])
    .execute();

  const period = (name: string) =>
    createTable(db, name)
      .addColumn('store_id', t.id, notNull)
      .addColumn('business_date', 'varchar(10)', notNull)
      .addColumn('channel', 'varchar(16)', notNull)
      .addColumn('week_start', 'varchar(10)', notNull)
      .addColumn('month', 'varchar(7)', notNull);

  await period('report_channel_day')
    .addColumn('orders', t.int, zero)
    .addColumn('cancelled', t.int, zero)
    .addColumn('items_total', t.fen, zero)
    .addColumn('packaging_fee', t.fen, zero)
    .addColumn('delivery_fee', t.fen, zero)
    .addColumn('discount_platform', t.fen, zero)
    .addColumn('discount_merchant', t.fen, zero)
    .addColumn('paid_total', t.fen, zero)
    .addColumn('merchant_income', t.fen, zero)
    .addColumn('cost_total', t.fen, zero)
    .addColumn('refund_orders', t.int, zero)
    .addColumn('refund_amount', t.fen, zero)
    .addColumn('prep_orders', t.int, zero)
    .addColumn('prep_ms', t.time, zero)
    .addColumn('promised_orders', t.int, zero)
    .addColumn('late_orders', t.int, zero)
    .addPrimaryKeyConstraint('pk_report_channel_day', ['store_id', 'business_date', 'channel'])
    .execute();

  await period('report_sku_day')
    .addColumn('sku_code', t.code, notNull)
    .addColumn('quantity', t.int, zero)
    .addColumn('revenue', t.fen, zero)
    .addColumn('cost_total', t.fen, zero)
    .addPrimaryKeyConstraint('pk_report_sku_day', ['store_id', 'business_date', 'channel', 'sku_code'])
    .execute();
  await db.schema
    .createIndex('ix_report_sku_day_sku')
    .on('report_sku_day')
    .columns(['sku_code', 'business_date'])
    .execute();

  await period('report_cancel_day')
    .addColumn('reason', t.code, notNull)
    .addColumn('orders', t.int, zero)
    .addPrimaryKeyConstraint('pk_report_cancel_day', ['store_id', 'business_date', 'channel', 'reason'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const table of ['report_cancel_day', 'report_sku_day', 'report_channel_day', 'report_order_fact']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('orders').dropColumn('refund_amount').execute();
}
