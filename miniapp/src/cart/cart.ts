import Taro from '@tarojs/taro';
import type { CartLine, MemberMenuProduct, OrderView } from 'shared-types';
import { unitPriceWithAddons } from './rules';

/**
 * The member's cart for one store: what was chosen, in the member's words (names, spec text,
 * add-on names) and as the API takes it (SKU and add-on codes). Shared by the menu and checkout
 * pages through this module; prices shown here are estimates until the quote answers. Kept in
 * storage, so a reload (or WeChat dropping the mini-program in the background) keeps it.
 */

/** Storage key of the cart. */
export const CART_KEY = 'heyi.cart';

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

const EMPTY: CartState = { storeId: '', storeName: '', table: null, items: [] };

function isItem(v: unknown): v is CartItem {
  const i = v as CartItem;
  return (
    typeof i?.key === 'string' &&
    typeof i.skuCode === 'string' &&
    Array.isArray(i.addons) &&
    typeof i.productName === 'string' &&
    typeof i.specText === 'string' &&
    Array.isArray(i.addonNames) &&
    Number.isInteger(i.unitPrice) &&
    Number.isInteger(i.quantity) &&
    i.quantity > 0
  );
}

/** The stored cart, or an empty one when there is none or it is unreadable (an older app's). */
function load(): CartState {
  try {
    const raw: unknown = Taro.getStorageSync(CART_KEY);
    const saved = (typeof raw === 'string' && raw ? JSON.parse(raw) : null) as CartState | null;
    if (saved && typeof saved.storeId === 'string' && Array.isArray(saved.items) && saved.items.every(isItem)) {
      return {
        storeId: saved.storeId,
        storeName: typeof saved.storeName === 'string' ? saved.storeName : '',
        table: saved.table && typeof saved.table.code === 'string' ? saved.table : null,
        items: saved.items,
      };
    }
  } catch {
    // Unreadable: start empty.
  }
  return EMPTY;
}

let loaded: CartState | null = null;
const listeners = new Set<Listener>();

function set(next: CartState): void {
  loaded = next;
  try {
    Taro.setStorageSync(CART_KEY, JSON.stringify(next));
  } catch {
    // Storage full or unavailable: the cart still works for this session.
  }
  for (const listener of listeners) listener(next);
}

export function cartState(): CartState {
  loaded ??= load();
  return loaded;
}

export function subscribeCart(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Starts (or keeps) the cart of a store; a different store or table empties it. */
export function openCart(storeId: string, storeName: string, table: DineInTable | null): void {
  const sameTable = (cartState().table?.code ?? '') === (table?.code ?? '');
  if (cartState().storeId === storeId && sameTable) {
    if (storeName && storeName !== cartState().storeName) set({ ...cartState(), storeName });
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
  const existing = cartState().items.find((item) => item.key === key);
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
  set({ ...cartState(), items: [...cartState().items, item] });
}

/** Sets a line's quantity; 0 or less removes it. */
export function changeQuantity(key: string, quantity: number): void {
  const items =
    quantity <= 0
      ? cartState().items.filter((item) => item.key !== key)
      : cartState().items.map((item) =>
          item.key === key ? { ...item, quantity: Math.min(quantity, MAX_QUANTITY) } : item,
        );
  set({ ...cartState(), items });
}

export function clearCart(): void {
  set({ ...cartState(), items: [] });
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

/**
 * 再来一单: a past order's lines become the cart of its store (the menu and quote then say what is
 * sold out or priced differently now). Lines without our SKU code (platform orders) are left out.
 */
export function reorder(order: OrderView, storeName: string): number {
  const items: CartItem[] = [];
  for (const line of order.lines) {
    if (!line.skuCode || line.quantity <= 0) continue;
    const addons = line.addons.flatMap((a) => (a.code ? [a.code] : [])).sort();
    const key = [line.skuCode, ...addons].join('|');
    if (items.some((i) => i.key === key)) continue;
    items.push({
      key,
      skuCode: line.skuCode,
      addons,
      productName: line.name,
      specText: line.specText,
      addonNames: line.addons.map((a) => a.name),
      unitPrice: line.unitPrice + line.addons.reduce((sum, a) => sum + a.price, 0),
      quantity: Math.min(line.quantity, MAX_QUANTITY),
    });
  }
  set({ storeId: order.storeId, storeName, table: null, items });
  return items.length;
}

/** Test helper: forget everything, in memory and in storage. */
export function resetCart(): void {
  set(EMPTY);
}

/** Test helper: read the cart from storage again, as a fresh start of the app does. */
export function reloadCart(): void {
  loaded = null;
}
