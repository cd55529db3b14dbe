/** The menu page of a store; with a table, the order is dine-in at that table. */
export function menuUrl(storeId: string, storeName: string, table?: { code: string; tableNo: string }): string {
  const query = [`storeId=${encodeURIComponent(storeId)}`, `storeName=${encodeURIComponent(storeName)}`];
  if (table) query.push(`table=${encodeURIComponent(table.code)}`, `tableNo=${encodeURIComponent(table.tableNo)}`);
  return `/pages/menu/index?${query.join('&')}`;
}
