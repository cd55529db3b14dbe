import type { MigrationDb } from './helpers';

/** Tables for stock and kitchen capacity (issue 4). */
export async function up(_db: MigrationDb): Promise<void> {}

export async function down(_db: MigrationDb): Promise<void> {}
