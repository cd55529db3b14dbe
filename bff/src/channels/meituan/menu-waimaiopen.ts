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
import type { WaimaiopenTransport } from './waimaiopen-transport';

/** waimaiopen food (snake_case, delivery-platforms.md §1.4). */
function waimaiopenFood(appPoiCode: string, d: DishUpsert) {
  const doc = d.doc;
  const first = doc.skus[0] as ChannelSkuDoc;
  const times = availableTimes(doc.availability);
  const box = boxes(first);
  return {
    app_poi_code: appPoiCode,
    app_food_code: doc.code,
    name: doc.name,
    description: doc.description,
    price: yuan(Math.min(...doc.skus.map((s) => s.price))),
    min_order_count: 1,
    unit: doc.unit,
    box_num: box.boxNum,
    box_price: box.boxPrice,
    category_name: doc.categoryName,
    is_sold_out: 0,
    picture: doc.imageUrl ?? undefined,
    sequence: doc.sequence,
    skus: doc.skus.map((s) => {
      const b = boxes(s);
      return {
        sku_id: s.code,
        spec: s.spec,
        price: yuan(s.price),
        stock: d.soldOutSkuCodes.includes(s.code) ? '0' : '*',
        box_num: b.boxNum,
        box_price: b.boxPrice,
        ...(times ? { available_times: times } : {}),
      };
    }),
  };
}

export class WaimaiopenMenuClient implements PlatformMenuClient {
  readonly platform = 'meituan' as const;
  readonly limits = LIMITS;

  constructor(
    private readonly transport: WaimaiopenTransport,
    private readonly gate: RateGate,
  ) {}

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    params: Row,
    mode: 'defer' | 'wait' = 'defer',
  ): Promise<T> {
    await this.gate.take('meituan', mode);
    return this.transport.call<T>(method, path, params);
  }

  async upsertCategory(store: PlatformStore, doc: ChannelCategoryDoc, previous: { name: string } | null) {
    const renamed = previous && previous.name !== doc.name ? previous.name : undefined;
    await this.call('POST', 'foodCat/update', {
      app_poi_code: store.storeCode,
      category_name: doc.name,
      category_name_origin: renamed,
      sequence: doc.sequence,
    });
    return { platformId: null };
  }

  async deleteCategory(store: PlatformStore, previous: { name: string }) {
    await this.call('POST', 'foodCat/delete', { app_poi_code: store.storeCode, category_name: previous.name });
  }

  async upsertDishes(store: PlatformStore, dishes: DishUpsert[]) {
    await this.call('POST', 'food/batchinitdata', {
      app_poi_code: store.storeCode,
      food_data: dishes.map((d) => waimaiopenFood(store.storeCode, d)),
    });
    // The property binding of food/bind/property is taken to replace a dish's properties, like
    // open-cater's updateProperty (the waimaiopen doc, docDetail/67, was not found).
    const food_property = dishes.flatMap((d) =>
      d.doc.addons.map((g) => ({
        app_food_code: d.doc.code,
        property_name: g.name,
        values: g.options.map((o) => o.name),
      })),
    );
    await this.call('POST', 'food/bind/property', { app_poi_code: store.storeCode, food_property });
    return dishes.map(identity);
  }

  async updatePrices(store: PlatformStore, dishes: PriceUpdate[]) {
    const food_data = dishes.map((d) => ({
      app_food_code: d.code,
      skus: d.skus.map((s) => ({ sku_id: s.code, price: yuan(s.price) })),
    }));
    await this.call('POST', 'food/sku/price', { app_poi_code: store.storeCode, food_data });
  }

  async deleteDish(store: PlatformStore, dish: { code: string }) {
    await this.call('POST', 'food/delete', { app_poi_code: store.storeCode, app_food_code: dish.code });
  }

  async readMenu(store: PlatformStore, options: { addonsFor?: string[] } = {}): Promise<PlatformMenuSnapshot> {
    const cats = rows(await this.call('GET', 'foodCat/list', { app_poi_code: store.storeCode }, 'wait'));
    const all: Row[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = rows(
        await this.call('GET', 'food/list', { app_poi_code: store.storeCode, offset, limit: PAGE }, 'wait'),
      );
      all.push(...page);
      if (page.length < PAGE) break;
    }
    const wanted = new Set(options.addonsFor ?? []);
    const dishes: PlatformDishSnapshot[] = [];
    for (const f of all) {
      const code = str(f.app_food_code);
      let addons: PlatformDishSnapshot['addons'] = null;
      if (wanted.has(code)) {
        const props = rows(
          await this.call('GET', 'food/property/list', { app_poi_code: store.storeCode, app_food_code: code }, 'wait'),
        );
        addons = props.map((p) => ({ name: str(p.property_name), options: rows(p.values).map(str) }));
      }
      // food/list answers each food's `skus` as a JSON string (kuangcao FoodServiceImpl.gets).
      const skus = typeof f.skus === 'string' ? rows(JSON.parse(f.skus)) : rows(f.skus);
      dishes.push(snapshotDish(code, f.name, f.category_name, f.description, f.unit, skus, addons, 'snake'));
    }
    return { categories: cats.map((c) => ({ name: str(c.name ?? c.category_name), platformId: null })), dishes };
  }
}
