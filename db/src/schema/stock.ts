/** Tables for stock and kitchen capacity (issue 4). */
export type StockTables = Record<never, never>;
