import type { CartLine, MemberMenuProduct } from 'shared-types';
import { unitPriceWithAddons } from './rules';

/**
 * The member's cart for one store: what was chosen, in the member's words (names, spec text,
 * add-on names) and as the API takes it (SKU and add-on codes). Shared by the menu and checkout
 * pages through this module; prices shown here are estimates until the quote answers.
 */

export interface CartItem {
  /** SKU code plus the sorted add-on codes: the same choice twice is one line. */
  key: string;
  skuCode: string;
  addons: string[];
  productName: string;
  specText: string;
  addonNames: string[];
  /** Estimated unit price with add-ons, in fen (the quote is authoritative). */
  unitPrice: number;
  quantity: number;
}

export interface DineInTable {
  code: string;
  tableNo: string;
}

export interface CartState {
  storeId: string;
  storeName: string;
  /** Set when the member scanned a table code: the order is dine-in at that table. */
  table: DineInTable | null;
  items: CartItem[];
}

const MAX_QUANTITY = 99;

type Listener = (state: CartState) => void;

let state: CartState = { storeId: '', storeName: '', table: null, items: [] };
const listeners = new Set<Listener>();

function set(next: CartState): void {
  state = next;
  for (const listener of listeners) listener(state);
}

export function cartState(): CartState {
  return state;
}

export function subscribeCart(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Starts (or keeps) the cart of a store; a different store or table empties it. */
export function openCart(storeId: string, storeName: string, table: DineInTable | null): void {
  const sameTable = (state.table?.code ?? '') === (table?.code ?? '');
  if (state.storeId === storeId && sameTable) {
    if (storeName && storeName !== state.storeName) set({ ...state, storeName });
    return;
  }
  set({ storeId, storeName, table, items: [] });
}

export function addToCart(
  product: MemberMenuProduct,
  sku: MemberMenuProduct['skus'][number],
  addons: readonly string[],
  quantity = 1,
): void {
  const sorted = [...addons].sort();
  const key = [sku.code, ...sorted].join('|');
  const existing = state.items.find((item) => item.key === key);
  if (existing) {
    changeQuantity(key, existing.quantity + quantity);
    return;
  }
  const options = product.addonGroups.flatMap((g) => g.options);
  const item: CartItem = {
    key,
    skuCode: sku.code,
    addons: sorted,
    productName: product.name,
    specText: sku.specText,
    // In the order the menu lists them, not the sorted code order.
    addonNames: options.filter((o) => sorted.includes(o.code)).map((o) => o.name),
    unitPrice: unitPriceWithAddons(product, sku, sorted),
    quantity: Math.min(quantity, MAX_QUANTITY),
  };
  set({ ...state, items: [...state.items, item] });
}

/** Sets a line's quantity; 0 or less removes it. */
export function changeQuantity(key: string, quantity: number): void {
  const items =
    quantity <= 0
      ? state.items.filter((item) => item.key !== key)
      : state.items.map((item) => (item.key === key ? { ...item, quantity: Math.min(quantity, MAX_QUANTITY) } : item));
  set({ ...state, items });
}

export function clearCart(): void {
  set({ ...state, items: [] });
}

export function cartCount(items: readonly CartItem[]): number {
  return items.reduce((sum, item) => sum + item.quantity, 0);
}

export function cartEstimate(items: readonly CartItem[]): number {
  return items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);
}

/** The cart as the API's order lines. */
export function cartLines(items: readonly CartItem[]): CartLine[] {
  return items.map((item) => ({
    skuCode: item.skuCode,
    quantity: item.quantity,
    ...(item.addons.length ? { addons: item.addons } : {}),
  }));
}

/** Test helper: forget everything. */
export function resetCart(): void {
  set({ storeId: '', storeName: '', table: null, items: [] });
}
