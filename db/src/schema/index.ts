import type { CoreTables } from './core';

export * from './core';

/** Every table heyi owns. Each domain adds its own interface file and joins it here. */
export type Database = CoreTables;
