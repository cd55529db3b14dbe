import type { MigrationDb } from './helpers';

/** Tables for menu publishing and platform sync (issue 3). */
export async function up(_db: MigrationDb): Promise<void> {}

export async function down(_db: MigrationDb): Promise<void> {}
