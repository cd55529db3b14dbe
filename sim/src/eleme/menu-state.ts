/**
 * The Ele.me simulator's memory of each shop's menu in Ele.me's own shape and units (yuan):
 * categories and items with Ele.me-assigned numeric ids, each item's specs (OSpec) carrying our
 * code in `extendCode`, and item attributes. Tests compare it item by item with the BFF's menu.
 */

export interface ElemeSpec {
  specId: number;
  name: string;
  price: number;
  stock: number;
  maxStock: number;
  packingFee: number;
  onShelf: number;
  extendCode: string;
  barCode: string;
  weight: number;
}

export interface ElemeItem {
  id: number;
  shopId: number;
  categoryId: number;
  name: string;
  description: string;
  imageHash: string;
  unit: string;
  isValid: number;
  specs: ElemeSpec[];
  attributes: { name: string; details: string[] }[];
}

export interface ElemeCategory {
  id: number;
  shopId: number;
  name: string;
  description: string;
  isValid: number;
}

/** A request Ele.me refuses, with its error code (`VALIDATION_FAILED`, `BIZ_…`). */
export class ElemeRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function amount(value: unknown, what: string): number {
  if (typeof value !== 'number' || !/^\d+(\.\d{1,2})?$/.test(String(value))) {
    throw new ElemeRefusal(
      'VALIDATION_FAILED',
      `${what} must be a non-negative amount in yuan with at most two decimals`,
    );
  }
  return value;
}

function name(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ElemeRefusal('VALIDATION_FAILED', `${what} is required`);
  if (value.length > max) throw new ElemeRefusal('VALIDATION_FAILED', `${what} is longer than ${max}`);
  return value;
}

export class ElemeMenuState {
  readonly categories = new Map<number, ElemeCategory>();
  readonly items = new Map<number, ElemeItem>();
  private nextCategoryId = 1_230_000_001;
  private nextItemId = 213_529_700_001;
  private nextSpecId = 72_970_000_001;

  shopCategories(shopId: number): ElemeCategory[] {
    return [...this.categories.values()].filter((c) => c.shopId === shopId && c.isValid === 1);
  }

  shopItems(shopId: number): ElemeItem[] {
    return [...this.items.values()].filter((i) => i.shopId === shopId && i.isValid === 1);
  }

  createCategory(shopId: number, params: Record<string, unknown>): ElemeCategory {
    const n = name(params.name, 'name', 32);
    if (this.shopCategories(shopId).some((c) => c.name === n)) {
      throw new ElemeRefusal('BIZ_CATEGORY_NAME_DUPLICATED', `category ${n} already exists`);
    }
    const category = {
      id: this.nextCategoryId++,
      shopId,
      name: n,
      description: String(params.description ?? ''),
      isValid: 1,
    };
    this.categories.set(category.id, category);
    return category;
  }

  category(categoryId: unknown): ElemeCategory {
    const category = this.categories.get(Number(categoryId));
    if (category?.isValid !== 1) throw new ElemeRefusal('BIZ_CATEGORY_NOT_EXIST', `no category ${categoryId}`);
    return category;
  }

  updateCategory(params: Record<string, unknown>): ElemeCategory {
    const category = this.category(params.categoryId);
    const n = name(params.name, 'name', 32);
    if (this.shopCategories(category.shopId).some((c) => c.name === n && c.id !== category.id)) {
      throw new ElemeRefusal('BIZ_CATEGORY_NAME_DUPLICATED', `category ${n} already exists`);
    }
    category.name = n;
    category.description = String(params.description ?? category.description);
    return category;
  }

  invalidCategory(categoryId: unknown): ElemeCategory {
    const category = this.category(categoryId);
    if (this.shopItems(category.shopId).some((i) => i.categoryId === category.id)) {
      throw new ElemeRefusal('BIZ_CATEGORY_NOT_EMPTY', `category ${category.name} still has items`);
    }
    category.isValid = 0;
    return category;
  }

  /** createItem (no itemId) or updateItem: specs are matched by specId, else by extendCode, else new. */
  saveItem(categoryId: unknown, properties: Record<string, unknown>, itemId?: unknown): ElemeItem {
    const category = this.category(categoryId);
    const existing = itemId === undefined ? undefined : this.items.get(Number(itemId));
    if (itemId !== undefined && existing?.isValid !== 1)
      throw new ElemeRefusal('BIZ_ITEM_NOT_EXIST', `no item ${itemId}`);
    const specsRaw = Array.isArray(properties.specs) ? (properties.specs as Record<string, unknown>[]) : [];
    if (specsRaw.length === 0) throw new ElemeRefusal('VALIDATION_FAILED', 'an item needs at least one spec');
    const codes = new Set<string>();
    const specs = specsRaw.map((s) => {
      const extendCode = typeof s.extendCode === 'string' ? s.extendCode : '';
      if (extendCode && codes.has(extendCode))
        throw new ElemeRefusal('VALIDATION_FAILED', `extendCode ${extendCode} appears twice`);
      codes.add(extendCode);
      const previous = existing?.specs.find(
        (p) => (s.specId !== undefined && p.specId === Number(s.specId)) || (extendCode && p.extendCode === extendCode),
      );
      return {
        specId: previous?.specId ?? this.nextSpecId++,
        name: name(s.name, 'spec name', 20),
        price: amount(s.price, 'spec price'),
        stock: Number(s.stock ?? 10000),
        maxStock: Number(s.maxStock ?? 10000),
        packingFee: amount(s.packingFee ?? 0, 'packingFee'),
        onShelf: Number(s.onShelf ?? 1),
        extendCode,
        barCode: String(s.barCode ?? ''),
        weight: Number(s.weight ?? 0),
      };
    });
    const itemName = name(properties.name, 'name', 45);
    const twin = this.shopItems(category.shopId).find(
      (i) => i.categoryId === category.id && i.name === itemName && i.id !== existing?.id,
    );
    if (twin)
      throw new ElemeRefusal('BIZ_ITEM_NAME_DUPLICATED', `an item named ${itemName} is already in this category`);
    const attributes = Array.isArray(properties.attributes)
      ? (properties.attributes as { name: string; details: string[] }[]).map((a) => ({
          name: name(a.name, 'attribute name', 20),
          details: a.details ?? [],
        }))
      : [];
    const item: ElemeItem = {
      id: existing?.id ?? this.nextItemId++,
      shopId: category.shopId,
      categoryId: category.id,
      name: itemName,
      description: String(properties.description ?? ''),
      imageHash: String(properties.imageHash ?? ''),
      unit: String(properties.unit ?? ''),
      isValid: 1,
      specs,
      attributes,
    };
    this.items.set(item.id, item);
    return item;
  }

  invalidItem(itemId: unknown): ElemeItem {
    const item = this.items.get(Number(itemId));
    if (item?.isValid !== 1) throw new ElemeRefusal('BIZ_ITEM_NOT_EXIST', `no item ${itemId}`);
    item.isValid = 0;
    return item;
  }

  /** batchUpdatePrices: `specPrices` = [{itemId, priceMap: {specId: price}}], at most 50, all or none. */
  updatePrices(shopId: number, specPrices: unknown): ElemeItem[] {
    if (!Array.isArray(specPrices) || specPrices.length === 0 || specPrices.length > 50) {
      throw new ElemeRefusal('VALIDATION_FAILED', 'specPrices must list 1 to 50 items');
    }
    const changes: { spec: ElemeSpec; price: number }[] = [];
    const items: ElemeItem[] = [];
    for (const entry of specPrices as { itemId: unknown; priceMap: Record<string, unknown> }[]) {
      const item = this.items.get(Number(entry.itemId));
      if (item?.isValid !== 1 || item.shopId !== shopId)
        throw new ElemeRefusal('BIZ_ITEM_NOT_EXIST', `no item ${entry.itemId} in shop ${shopId}`);
      for (const [specId, price] of Object.entries(entry.priceMap ?? {})) {
        const spec = item.specs.find((s) => s.specId === Number(specId));
        if (!spec) throw new ElemeRefusal('BIZ_SPEC_NOT_EXIST', `no spec ${specId} on item ${item.id}`);
        changes.push({ spec, price: amount(price, 'price') });
      }
      items.push(item);
    }
    for (const c of changes) c.spec.price = c.price;
    return items;
  }
}
