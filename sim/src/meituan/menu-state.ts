/**
 * The Meituan simulator's memory of each store's menu, in Meituan's own units (yuan), shared by
 * both gateways: open-cater (`/waimai/dish/*`, camelCase) and legacy waimaiopen (`foodCat/*`,
 * `food/*`, snake_case) are two doors to one platform menu. Tests compare it item by item with
 * the BFF's effective menu; the stock simulator may read and change `stock` on its SKUs.
 */

export interface MeituanSku {
  skuId: string;
  spec: string;
  price: number;
  /** "*" for unlimited, else a whole number as text. */
  stock: string;
  boxNum: number;
  boxPrice: number;
  upc: string;
  availableTimes: Record<string, string> | null;
}

export interface MeituanDish {
  eDishCode: string;
  dishName: string;
  categoryName: string;
  description: string;
  unit: string;
  picture: string;
  sequence: number;
  price: number;
  boxNum: number;
  boxPrice: number;
  isSoldOut: number;
  minOrderCount: number;
  skus: MeituanSku[];
  properties: { propertyName: string; values: string[] }[];
}

export interface MeituanCategory {
  name: string;
  sequence: number;
}

export interface MeituanStoreMenu {
  categories: Map<string, MeituanCategory>;
  dishes: Map<string, MeituanDish>;
}

/** A request Meituan refuses: answered in the gateway's error shape, never applied in part. */
export class MenuRefusal extends Error {}

const YUAN = /^\d+(\.\d{1,2})?$/;

function yuan(value: unknown, what: string): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!YUAN.test(text)) throw new MenuRefusal(`${what}不合法: ${JSON.stringify(value)}`);
  return Number(text);
}

function text(value: unknown, what: string, max: number, required = true): string {
  if (value === undefined || value === null || value === '') {
    if (required) throw new MenuRefusal(`${what}不能为空`);
    return '';
  }
  if (typeof value !== 'string') throw new MenuRefusal(`${what}必须是字符串`);
  if (value.length > max) throw new MenuRefusal(`${what}超过最大长度${max}`);
  return value;
}

function count(value: unknown, what: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new MenuRefusal(`${what}不能为负数`);
  return n;
}

export class MeituanMenuState {
  readonly stores = new Map<string, MeituanStoreMenu>();

  store(ePoiId: string): MeituanStoreMenu {
    let menu = this.stores.get(ePoiId);
    if (!menu) {
      menu = { categories: new Map(), dishes: new Map() };
      this.stores.set(ePoiId, menu);
    }
    return menu;
  }

  /** Creates or renames (`oldName`) a category; a rename moves its dishes with it. */
  upsertCategory(ePoiId: string, name: string, oldName: string | null, sequence: number | null): void {
    const menu = this.store(ePoiId);
    text(name, '分类名称', 64);
    if (oldName && oldName !== name) {
      const old = menu.categories.get(oldName);
      if (!old) throw new MenuRefusal(`原分类不存在: ${oldName}`);
      if (menu.categories.has(name)) throw new MenuRefusal(`分类名称已存在: ${name}`);
      menu.categories.delete(oldName);
      menu.categories.set(name, { name, sequence: sequence ?? old.sequence });
      for (const d of menu.dishes.values()) if (d.categoryName === oldName) d.categoryName = name;
      return;
    }
    const current = menu.categories.get(name);
    menu.categories.set(name, { name, sequence: sequence ?? current?.sequence ?? 0 });
  }

  deleteCategory(ePoiId: string, name: string): void {
    const menu = this.store(ePoiId);
    if (!menu.categories.has(name)) throw new MenuRefusal(`分类不存在: ${name}`);
    if ([...menu.dishes.values()].some((d) => d.categoryName === name))
      throw new MenuRefusal(`分类下还有菜品，不能删除: ${name}`);
    menu.categories.delete(name);
  }

  /**
   * Uploads dishes, all or none. Validates what Meituan documents: codes and names present, the
   * category exists, no negative price or box fee, and no two dishes of one category with the
   * same name ("同一分类下菜品名不能重复").
   */
  upsertDishes(ePoiId: string, dishes: MeituanDish[], skuOverwrite: boolean): void {
    const menu = this.store(ePoiId);
    const next = new Map(menu.dishes);
    for (const d of dishes) {
      if (!menu.categories.has(d.categoryName)) throw new MenuRefusal(`菜品分类不存在: ${d.categoryName}`);
      if (d.skus.length === 0) throw new MenuRefusal(`菜品没有sku: ${d.eDishCode}`);
      const codes = new Set<string>();
      for (const s of d.skus) {
        if (codes.has(s.skuId)) throw new MenuRefusal(`sku重复: ${s.skuId}`);
        codes.add(s.skuId);
      }
      const previous = next.get(d.eDishCode);
      const skus =
        skuOverwrite || !previous ? d.skus : [...previous.skus.filter((s) => !codes.has(s.skuId)), ...d.skus];
      next.set(d.eDishCode, { ...d, properties: previous?.properties ?? d.properties, skus });
    }
    const names = new Map<string, string>();
    for (const d of next.values()) {
      const key = `${d.categoryName}\u0000${d.dishName}`;
      const other = names.get(key);
      if (other && other !== d.eDishCode) throw new MenuRefusal(`同一分类下菜品名不能重复: ${d.dishName}`);
      names.set(key, d.eDishCode);
    }
    menu.dishes.clear();
    for (const [k, v] of next) menu.dishes.set(k, v);
  }

  updatePrices(ePoiId: string, prices: { eDishCode: string; skus: { skuId: string; price: number }[] }[]): void {
    const menu = this.store(ePoiId);
    for (const p of prices) {
      const dish = menu.dishes.get(p.eDishCode);
      if (!dish) throw new MenuRefusal(`菜品不存在: ${p.eDishCode}`);
      for (const s of p.skus) {
        if (!dish.skus.some((x) => x.skuId === s.skuId)) throw new MenuRefusal(`sku不存在: ${s.skuId}`);
      }
    }
    for (const p of prices) {
      const dish = menu.dishes.get(p.eDishCode) as MeituanDish;
      for (const s of p.skus) {
        const sku = dish.skus.find((x) => x.skuId === s.skuId) as MeituanSku;
        sku.price = s.price;
      }
      dish.price = Math.min(...dish.skus.map((s) => s.price));
    }
  }

  setProperties(
    ePoiId: string,
    list: { eDishCode: string; properties: { propertyName: string; values: string[] }[] }[],
  ): void {
    const menu = this.store(ePoiId);
    for (const p of list) if (!menu.dishes.has(p.eDishCode)) throw new MenuRefusal(`菜品不存在: ${p.eDishCode}`);
    for (const p of list) (menu.dishes.get(p.eDishCode) as MeituanDish).properties = p.properties;
  }

  deleteDish(ePoiId: string, eDishCode: string): void {
    const menu = this.store(ePoiId);
    if (!menu.dishes.delete(eDishCode)) throw new MenuRefusal(`菜品不存在: ${eDishCode}`);
  }
}

/** Parses one dish of open-cater's `dishes` (camelCase; the PHP SDK documents `EDishCode`, Java sends `eDishCode`). */
export function dishFromOpenCater(raw: Record<string, unknown>): MeituanDish {
  const code = text(raw.eDishCode ?? raw.EDishCode, 'eDishCode', 100);
  const skusRaw = Array.isArray(raw.skus) ? (raw.skus as Record<string, unknown>[]) : [];
  const skus = skusRaw.map((s) => ({
    skuId: text(s.skuId, 'skuId', 100),
    spec: text(s.spec, 'spec', 20),
    price: yuan(s.price, 'sku价格'),
    stock: s.stock === '*' ? '*' : String(count(s.stock, 'stock')),
    boxNum: count(s.boxNum ?? raw.boxNum ?? 0, 'boxNum'),
    boxPrice: yuan(s.boxPrice ?? raw.boxPrice ?? 0, 'boxPrice'),
    upc: typeof s.upc === 'string' ? s.upc : '',
    availableTimes: (s.availableTimes as Record<string, string> | undefined) ?? null,
  }));
  return {
    eDishCode: code,
    dishName: text(raw.dishName, 'dishName', 30),
    categoryName: text(raw.categoryName, 'categoryName', 64),
    description: text(raw.description, 'description', 255, false),
    unit: text(raw.unit, 'unit', 8),
    picture: text(raw.picture, 'picture', 512, false),
    sequence: count(raw.sequence ?? 0, 'sequence'),
    price: raw.price === undefined ? Math.min(...skus.map((s) => s.price)) : yuan(raw.price, '菜品价格'),
    boxNum: count(raw.boxNum ?? 0, 'boxNum'),
    boxPrice: yuan(raw.boxPrice ?? 0, 'boxPrice'),
    isSoldOut: count(raw.isSoldOut ?? 0, 'isSoldOut'),
    minOrderCount: Math.max(1, count(raw.minOrderCount ?? 1, 'minOrderCount')),
    skus,
    properties: [],
  };
}

/** Parses one food of waimaiopen's `food_data` (snake_case, spec delivery-platforms.md §1.4). */
export function dishFromWaimaiopen(raw: Record<string, unknown>): MeituanDish {
  const skusRaw =
    typeof raw.skus === 'string'
      ? (JSON.parse(raw.skus) as Record<string, unknown>[])
      : ((raw.skus ?? []) as Record<string, unknown>[]);
  return dishFromOpenCater({
    eDishCode: raw.app_food_code,
    dishName: raw.name,
    categoryName: raw.category_name,
    description: raw.description,
    unit: raw.unit,
    picture: raw.picture,
    sequence: raw.sequence,
    price: raw.price,
    boxNum: raw.box_num,
    boxPrice: raw.box_price,
    isSoldOut: raw.is_sold_out,
    minOrderCount: raw.min_order_count,
    skus: skusRaw.map((s) => ({
      skuId: s.sku_id,
      spec: s.spec,
      price: s.price,
      stock: s.stock,
      boxNum: s.box_num,
      boxPrice: s.box_price,
      upc: s.upc,
      availableTimes: s.available_times,
    })),
  });
}
