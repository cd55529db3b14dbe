/** The menu page of a store; with a table, the order is dine-in at that table. */
export function menuUrl(storeId: string, storeName: string, table?: { code: string; tableNo: string }): string {
  const query = [`storeId=${encodeURIComponent(storeId)}`, `storeName=${encodeURIComponent(storeName)}`];
  if (table) query.push(`table=${encodeURIComponent(table.code)}`, `tableNo=${encodeURIComponent(table.tableNo)}`);
  return `/pages/menu/index?${query.join('&')}`;
}

/** The member's order list (我的订单). */
export const MY_ORDERS_URL = '/pages/orders/index';

/** One order's page; `fromList` tells it that 我的订单 is the page below it (so it goes back there). */
export function orderUrl(orderId: string, fromList = false): string {
  return `/pages/order/index?id=${encodeURIComponent(orderId)}${fromList ? '&from=orders' : ''}`;
}
