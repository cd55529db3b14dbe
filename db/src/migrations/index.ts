import type { Migration } from 'kysely';
import * as m0001 from './0001_core';
import * as m0002 from './0002_catalog';
import * as m0003 from './0003_catalog_sync';
import * as m0004 from './0004_stock';
import * as m0005 from './0005_orders';
import * as m0006 from './0006_reports';

/**
 * Every migration, in order. Names sort lexically; each domain adds its own file and one line
 * here. Applied migrations are never edited: a change is a new migration.
 */
export const migrations: Record<string, Migration> = {
  '0001_core': m0001,
  '0002_catalog': m0002,
  '0003_catalog_sync': m0003,
  '0004_stock': m0004,
  '0005_orders': m0005,
  '0006_reports': m0006,
};
