/** Tables for menu publishing and platform sync (issue 3). */
export type CatalogSyncTables = Record<never, never>;
