/**
 * Live events for screens (kitchen queue, staff sold-out toggles) go over the cache's pub/sub, so
 * a screen connected to one BFF process hears changes made through any other.
 */
export function storeLiveChannel(storeId: string): string {
  return `live:store:${storeId}`;
}

export interface LiveEvent {
  /** e.g. `order.created`, `order.status`, `delivery.status`, `stock.changed`. */
  type: string;
  storeId: string;
  at: number;
  data: unknown;
}

/**
 * The member menu cache is keyed by a per-store version; bumping it makes every process's next
 * menu read rebuild. Publishing and stock changes bump it.
 */
export function menuVersionKey(storeId: string): string {
  return `menu:ver:${storeId}`;
}
