import type { CatalogTables } from './catalog';
import type { CatalogSyncTables } from './catalog-sync';
import type { CoreTables } from './core';
import type { OrderTables } from './orders';
import type { ReportTables } from './reports';
import type { StockTables } from './stock';

export * from './catalog';
export * from './catalog-sync';
export * from './core';
export * from './orders';
export * from './reports';
export * from './stock';

/** Every table heyi owns. Each domain adds its own interface file and joins it here. */
export type Database = CoreTables & CatalogTables & CatalogSyncTables & StockTables & OrderTables & ReportTables;
