import { createTable, jsonType, type MigrationDb, notNull, t } from './helpers';

export async function up(db: MigrationDb): Promise<void> {
  await createTable(db, 'brand')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('code', t.code, notNull)
    .addColumn('name', t.name, notNull)
    .addColumn('created_at', t.time, notNull)
    .addColumn('updated_at', t.time, notNull)
    .addUniqueConstraint('uq_brand_code', ['code'])
    .execute();

  await createTable(db, 'region')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, (c) => c.notNull().references('brand.id'))
    .addColumn('code', t.code, notNull)
    .addColumn('name', t.name, notNull)
    .addColumn('created_at', t.time, notNull)
    .addColumn('updated_at', t.time, notNull)
    .addUniqueConstraint('uq_region_brand_code', ['brand_id', 'code'])
    .execute();

  await createTable(db, 'store')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, (c) => c.notNull().references('brand.id'))
    .addColumn('region_id', t.id, (c) => c.notNull().references('region.id'))
    .addColumn('code', t.code, notNull)
    .addColumn('name', t.name, notNull)
    .addColumn('address', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('phone', 'varchar(32)')
    .addColumn('timezone', t.code, (c) => c.notNull().defaultTo('Asia/Shanghai'))
    .addColumn('business_hours', jsonType(db), notNull)
    .addColumn('lat', t.double)
    .addColumn('lng', t.double)
    .addColumn('meituan_app_poi_code', 'varchar(100)')
    .addColumn('eleme_shop_id', t.code)
    .addColumn('eleme_open_id', t.code)
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', t.time, notNull)
    .addColumn('updated_at', t.time, notNull)
    .addUniqueConstraint('uq_store_code', ['code'])
    .addUniqueConstraint('uq_store_meituan', ['meituan_app_poi_code'])
    .addUniqueConstraint('uq_store_eleme_shop', ['eleme_shop_id'])
    .addUniqueConstraint('uq_store_eleme_open', ['eleme_open_id'])
    .execute();
  await db.schema.createIndex('ix_store_region').on('store').columns(['region_id']).execute();

  await createTable(db, 'staff')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, (c) => c.notNull().references('brand.id'))
    .addColumn('username', t.code, notNull)
    .addColumn('display_name', t.name, notNull)
    .addColumn('password_hash', 'varchar(255)', notNull)
    .addColumn('role', 'varchar(32)', notNull)
    .addColumn('store_id', t.id, (c) => c.references('store.id'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('active'))
    .addColumn('token_version', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('last_login_at', t.time)
    .addColumn('created_at', t.time, notNull)
    .addColumn('updated_at', t.time, notNull)
    .addUniqueConstraint('uq_staff_username', ['username'])
    .execute();

  await createTable(db, 'staff_region')
    .addColumn('staff_id', t.id, (c) => c.notNull().references('staff.id'))
    .addColumn('region_id', t.id, (c) => c.notNull().references('region.id'))
    .addPrimaryKeyConstraint('pk_staff_region', ['staff_id', 'region_id'])
    .execute();

  await createTable(db, 'idempotency_record')
    .addColumn('scope', t.code, notNull)
    .addColumn('idem_key', t.key, notNull)
    .addColumn('request_hash', 'varchar(64)', notNull)
    .addColumn('state', 'varchar(16)', notNull)
    .addColumn('response_status', t.int)
    .addColumn('response_body', jsonType(db))
    .addColumn('locked_until', t.time, notNull)
    .addColumn('created_at', t.time, notNull)
    .addColumn('expires_at', t.time, notNull)
    .addPrimaryKeyConstraint('pk_idempotency_record', ['scope', 'idem_key'])
    .execute();
  await db.schema.createIndex('ix_idempotency_expires').on('idempotency_record').columns(['expires_at']).execute();

  await createTable(db, 'outbox')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('topic', t.code, notNull)
    .addColumn('dedupe_key', t.key)
    .addColumn('aggregate_id', t.code)
    .addColumn('payload', jsonType(db), notNull)
    .addColumn('status', 'varchar(16)', notNull)
    .addColumn('attempts', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.time, notNull)
    .addColumn('locked_by', t.code)
    .addColumn('locked_until', t.time)
    .addColumn('last_error', t.text)
    .addColumn('created_at', t.time, notNull)
    .addColumn('updated_at', t.time, notNull)
    .addColumn('done_at', t.time)
    .addUniqueConstraint('uq_outbox_dedupe', ['dedupe_key'])
    .execute();
  await db.schema.createIndex('ix_outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('ix_outbox_topic').on('outbox').columns(['topic', 'status']).execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const table of ['outbox', 'idempotency_record', 'staff_region', 'staff', 'store', 'region', 'brand']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
