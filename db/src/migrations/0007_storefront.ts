import { sql } from 'kysely';
import { createTable, isMysql, type MigrationDb, notNull, t } from './helpers';

/**
 * What the member's storefront needs (issue 12): how many days ahead a store takes orders
 * (0 = only while it is open), and images the BFF stores and serves itself (dish photos).
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .alterTable('store')
    .addColumn('preorder_days', t.int, (c) => c.notNull().defaultTo(0))
    .execute();

  // BLOB caps at 64 KiB on MySQL; a dish photo may be larger.
  await createTable(db, 'media')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('brand_id', t.id, (c) => c.notNull().references('brand.id'))
    .addColumn('content_type', 'varchar(64)', notNull)
    .addColumn('bytes', isMysql(db) ? sql`mediumblob` : sql`blob`, notNull)
    .addColumn('sha256', 'char(64)', notNull)
    .addColumn('created_at', t.time, notNull)
    .addUniqueConstraint('uq_media_content', ['brand_id', 'sha256'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('media').execute();
  await db.schema.alterTable('store').dropColumn('preorder_days').execute();
}
