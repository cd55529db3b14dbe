import { stringifyJsonExact } from '../../lib/json-exact';
import type {
  ChannelCategoryDoc,
  ChannelSkuDoc,
  DishUpsert,
  PlatformDishSnapshot,
  PlatformMenuClient,
  PlatformMenuSnapshot,
  PlatformStore,
  PriceUpdate,
} from '../../modules/catalog/sync/platform-menu';
import type { RateGate } from '../../modules/catalog/sync/rate-gate';
import { availableTimes, boxes, identity, LIMITS, PAGE, type Row, rows, snapshotDish, str, yuan } from './menu-docs';
import type { OpenCaterTransport } from './open-cater-transport';

/** open-cater dish (camelCase). */
function openCaterDish(ePoiId: string, d: DishUpsert) {
  const doc = d.doc;
  const first = doc.skus[0] as ChannelSkuDoc;
  const times = availableTimes(doc.availability);
  return {
    eDishCode: doc.code,
    ePoiId,
    dishName: doc.name,
    categoryName: doc.categoryName,
    description: doc.description,
    unit: doc.unit,
    picture: doc.imageUrl ?? undefined,
    sequence: doc.sequence,
    price: yuan(Math.min(...doc.skus.map((s) => s.price))),
    ...boxes(first),
    isSoldOut: 0,
    minOrderCount: 1,
    skus: doc.skus.map((s) => ({
      skuId: s.code,
      spec: s.spec,
      price: yuan(s.price),
      stock: d.soldOutSkuCodes.includes(s.code) ? '0' : '*',
      ...boxes(s),
      ...(times ? { availableTimes: times } : {}),
    })),
  };
}

export class OpenCaterMenuClient implements PlatformMenuClient {
  readonly platform = 'meituan' as const;
  readonly limits = LIMITS;

  constructor(
    private readonly transport: OpenCaterTransport,
    private readonly gate: RateGate,
  ) {}

  private async call<T>(store: PlatformStore, path: string, biz?: Row, mode: 'defer' | 'wait' = 'defer'): Promise<T> {
    await this.gate.take('meituan', mode);
    return this.transport.call<T>(path, biz, store.token ?? undefined);
  }

  async upsertCategory(store: PlatformStore, doc: ChannelCategoryDoc, previous: { name: string } | null) {
    const renamed = previous && previous.name !== doc.name ? previous.name : undefined;
    await this.call(store, '/waimai/dish/updateCat', {
      catName: doc.name,
      oldCatName: renamed,
      sequence: doc.sequence,
    });
    return { platformId: null };
  }

  async deleteCategory(store: PlatformStore, previous: { name: string }) {
    await this.call(store, '/waimai/dish/deleteCat', { catName: previous.name });
  }

  async upsertDishes(store: PlatformStore, dishes: DishUpsert[]) {
    await this.call(store, '/waimai/dish/batchUpload', {
      ePoiId: store.storeCode,
      dishes: stringifyJsonExact(dishes.map((d) => openCaterDish(store.storeCode, d))),
      // Our SKUs are the whole truth: a SKU left out is removed on Meituan.
      skuOverwrite: true,
    });
    // Properties replace the dish's old ones; an empty list clears them (7.2.15).
    const dishProperty = dishes.map((d) => ({
      eDishCode: d.doc.code,
      properties: d.doc.addons.map((g) => ({ propertyName: g.name, values: g.options.map((o) => o.name) })),
    }));
    await this.call(store, '/waimai/dish/updateProperty', { dishProperty: stringifyJsonExact(dishProperty) });
    return dishes.map(identity);
  }

  async updatePrices(store: PlatformStore, dishes: PriceUpdate[]) {
    const dishSkuPrices = dishes.map((d) => ({
      eDishCode: d.code,
      skus: d.skus.map((s) => ({ skuId: s.code, price: yuan(s.price) })),
    }));
    await this.call(store, '/waimai/dish/updatePrice', {
      ePoiId: store.storeCode,
      dishSkuPrices: stringifyJsonExact(dishSkuPrices),
    });
  }

  async deleteDish(store: PlatformStore, dish: { code: string }) {
    await this.call(store, '/waimai/dish/delete', { ePoiId: store.storeCode, eDishCode: dish.code });
  }

  async readMenu(store: PlatformStore, options: { addonsFor?: string[] } = {}): Promise<PlatformMenuSnapshot> {
    const cats = rows(await this.call(store, '/waimai/dish/queryCatList', undefined, 'wait'));
    const all: Row[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = rows(await this.call(store, '/waimai/dish/queryListByEPoiId', { offset, limit: PAGE }, 'wait'));
      all.push(...page);
      if (page.length < PAGE) break;
    }
    const wanted = new Set(options.addonsFor ?? []);
    const dishes: PlatformDishSnapshot[] = [];
    for (const d of all) {
      const code = str(d.eDishCode ?? d.EDishCode);
      let addons: PlatformDishSnapshot['addons'] = null;
      if (wanted.has(code)) {
        const props = rows(await this.call(store, '/waimai/dish/queryPropertyList', { eDishCode: code }, 'wait'));
        addons = props.map((p) => ({ name: str(p.propertyName), options: rows(p.values).map(str) }));
      }
      dishes.push(snapshotDish(code, d.dishName, d.categoryName, d.description, d.unit, rows(d.skus), addons, 'camel'));
    }
    return { categories: cats.map((c) => ({ name: str(c.name), platformId: null })), dishes };
  }
}
