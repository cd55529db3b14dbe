import type { Channel } from 'shared-types';

/**
 * What the rest of the BFF may ask of the stock & capacity pool. The orders flow reserves through
 * this interface for every channel; the member menu asks what is sold out. The stock module
 * implements it (`StockService`); nothing else touches the stock tables.
 */

export interface ReservationLine {
  /** Stable id of the order line: a reservation is idempotent per (order, line). */
  lineId: string;
  skuCode: string;
  quantity: number;
}

export interface ReserveRequest {
  brandId: string;
  storeId: string;
  /** Our order id (a ULID made before the order row, so a retry reserves under the same id). */
  orderId: string;
  channel: Channel;
  lines: ReservationLine[];
  /**
   * `strict` (own channels): all lines and the kitchen slot or nothing; a shortage or a full slot
   * is refused. `record` (platform orders, already sold): always recorded and counted, short lines
   * flagged and stock never below zero; capacity may show overloaded.
   */
  mode: 'strict' | 'record';
  /** When the kitchen should have it ready (epoch ms); now when absent. Picks the capacity slot. */
  readyAt?: number;
}

export interface Shortage {
  skuCode: string;
  requested: number;
  available: number;
  reason: 'sold_out' | 'insufficient' | 'unknown_sku';
}

export interface ReserveResult {
  /** True when every line is covered (in `record` mode the order is recorded either way). */
  ok: boolean;
  shortages: Shortage[];
  /** The capacity slot the order was counted in. */
  slotStart: number | null;
  /** Platform orders pushed a slot over its limit. */
  overloaded: boolean;
  /** A replay of an earlier identical reservation (same order). */
  replayed: boolean;
}

/** What the brand does with a platform order that finds too little stock (a platform order is already sold). */
export type ShortagePolicy = 'auto_cancel' | 'accept_and_alert';

export interface StockPort {
  /**
   * Reserves stock and kitchen capacity for an order, atomically across all lines. In `strict`
   * mode a shortage throws AppError 409 `STOCK_INSUFFICIENT` (details: shortages) and a full slot
   * throws 409 `CAPACITY_FULL` (details: `nextSlotStart`, the next slot with room, or null).
   */
  reserve(request: ReserveRequest): Promise<ReserveResult>;
  /** On payment (own channels) or acceptance (platforms): the reservation becomes a sale. Idempotent. */
  commit(orderId: string): Promise<void>;
  /**
   * On cancel, unpaid timeout or refund: held quantities go back, unless the brand counts refunds
   * as waste (`reason: 'refunded'` then keeps them deducted). Idempotent.
   */
  release(orderId: string, reason: 'cancelled' | 'timeout' | 'refunded'): Promise<void>;
  /** The store an order's reservation was made at, or null when it has none. */
  reservationStore(orderId: string): Promise<string | null>;
  /** SKU codes that cannot be sold at the store right now (zero stock or marked sold out). */
  soldOutSkuCodes(storeId: string): Promise<Set<string>>;
  shortagePolicy(brandId: string): Promise<ShortagePolicy>;
  /** The next capacity slot start with room for `items` items at the store, from `from` (epoch ms); null if none today. */
  nextSlotWithRoom(storeId: string, items: number, from: number): Promise<number | null>;
}
