import type { AvailabilityWindow } from 'shared-types';
import { fenToYuan, yuanToFen } from 'shared-types/money';
import type { Clock } from '../../lib/clock';
import { stringifyJsonExact } from '../../lib/json-exact';
import type {
  ChannelCategoryDoc,
  ChannelSkuDoc,
  DishUpsert,
  DishUpsertResult,
  PlatformDishSnapshot,
  PlatformMenuClient,
  PlatformMenuSnapshot,
  PlatformStore,
  PriceUpdate,
} from '../../modules/catalog/sync/platform-menu';
import type { RateGate } from '../../modules/catalog/sync/rate-gate';
import type { StorePlatformSettings } from '../../modules/catalog/sync/store-bindings';
import { OpenCaterTransport } from './open-cater-transport';
import { storeMapUrl, verifyOpenCaterPush } from './sign';
import { WaimaiopenTransport } from './waimaiopen-transport';

/**
 * Meituan's menu APIs behind the catalog's PlatformMenuClient port, on either gateway
 * (`MEITUAN_GATEWAY`). Meituan keeps our codes: dish = our product code (open-cater `eDishCode`,
 * waimaiopen `app_food_code`), SKU = our SKU code (`skuId` / `sku_id`), so its ids are ours.
 *
 * Field names. open-cater `dishes` and `dishSkuPrices` are not in our spec; they come from the
 * PHP open-platform SDK's ProductService (7.2.6 batchUpload: boxNum, boxPrice, isSoldOut,
 * minOrderCount, unit, categoryName, description, dishName, EDishCode, picture, sequence, price,
 * skus[skuId, spec, upc, stock ("*" = unlimited), price, availableTimes, locationCode]; 7.2.7
 * updatePrice: [{eDishCode, skus:[{skuId, price}]}]; 7.2.15 updateProperty: [{eDishCode,
 * properties:[{propertyName, values}]}]) and the official SDK's generated classes (Java
 * `DishBatchUploadRequest` with `skuOverwrite`; Go `dishquerylistbyepoiid.DishInfo`, whose JSON
 * spells the code `eDishCode` and carries per-SKU boxNum/boxPrice). waimaiopen `food_data` and its
 * `skus` follow delivery-platforms.md §1.4 (kuangcao `Food`/`Sku`).
 *
 * Packaging: our fee is per unit of the SKU; Meituan charges boxNum × boxPrice, so the fee is split
 * over the boxes when it divides evenly, else charged as one box.
 */

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

const yuan = (fen: number) => Number(fenToYuan(fen));

export function boxes(sku: Pick<ChannelSkuDoc, 'packagingFee' | 'boxCount'>): { boxNum: number; boxPrice: number } {
  if (sku.packagingFee === 0) return { boxNum: sku.boxCount, boxPrice: 0 };
  if (sku.boxCount > 0 && sku.packagingFee % sku.boxCount === 0) {
    return { boxNum: sku.boxCount, boxPrice: yuan(sku.packagingFee / sku.boxCount) };
  }
  return { boxNum: 1, boxPrice: yuan(sku.packagingFee) };
}

/** Availability windows as Meituan's `availableTimes` ({"monday":"06:30-10:30,…"}); null when always. */
export function availableTimes(windows: AvailabilityWindow[] | null): Record<string, string> | null {
  if (!windows) return null;
  const out: Record<string, string> = {};
  for (const [i, day] of DAYS.entries()) {
    const ranges = windows.filter((w) => w.days.includes(i + 1)).map((w) => `${w.start}-${w.end}`);
    out[day] = ranges.join(',');
  }
  return out;
}

const fen = (value: unknown) => yuanToFen(typeof value === 'number' || typeof value === 'string' ? value : 0);

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

const identity = (d: DishUpsert): DishUpsertResult => ({
  code: d.doc.code,
  platformItemId: d.doc.code,
  platformSkuIds: Object.fromEntries(d.doc.skus.map((s) => [s.code, s.code])),
});

const LIMITS = { dishesPerCall: 20, pricesPerCall: 100, callsPerDishBatch: 2 };
const PAGE = 199;

type Row = Record<string, unknown>;
const rows = (value: unknown): Row[] => (Array.isArray(value) ? (value as Row[]) : []);
const str = (value: unknown) => (value === undefined || value === null ? '' : String(value));

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

function snapshotDish(
  code: string,
  name: unknown,
  categoryName: unknown,
  description: unknown,
  unit: unknown,
  skus: Row[],
  addons: PlatformDishSnapshot['addons'],
  style: 'camel' | 'snake',
): PlatformDishSnapshot {
  const k =
    style === 'camel'
      ? { id: 'skuId', num: 'boxNum', price: 'boxPrice' }
      : { id: 'sku_id', num: 'box_num', price: 'box_price' };
  return {
    code,
    platformItemId: code,
    name: str(name),
    categoryName: str(categoryName),
    description: str(description),
    unit: str(unit),
    skus: skus.map((s) => ({
      code: str(s[k.id]),
      platformSkuId: str(s[k.id]),
      spec: str(s.spec),
      price: fen(s.price),
      packagingFee: fen(s[k.price]) * Number(s[k.num] ?? 0),
    })),
    addons,
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

export interface MeituanMenuConfig {
  gateway: 'open-cater' | 'waimaiopen';
  apiBase: string;
  storemapBase: string;
  developerId: string | undefined;
  signKey: string | undefined;
  businessId: string;
  appId: string | undefined;
  appSecret: string | undefined;
}

/** The menu client for the configured gateway. */
export function createMeituanMenuClient(config: MeituanMenuConfig, clock: Clock, gate: RateGate): PlatformMenuClient {
  return config.gateway === 'waimaiopen'
    ? new WaimaiopenMenuClient(new WaimaiopenTransport(config, clock), gate)
    : new OpenCaterMenuClient(new OpenCaterTransport(config, clock), gate);
}

/** How the catalog binds stores to Meituan: the signed store-map link and callback verification. */
export function meituanBindingSettings(config: MeituanMenuConfig): StorePlatformSettings {
  const { developerId, signKey } = config;
  return {
    meituanGateway: config.gateway,
    storeMapLink:
      developerId && signKey
        ? (store, timestampMs) =>
            storeMapUrl(
              config.storemapBase,
              {
                developerId,
                businessId: config.businessId,
                ePoiId: store.ePoiId,
                ePoiName: store.ePoiName,
                timestamp: timestampMs,
              },
              signKey,
            )
        : null,
    verifyMeituanCallback: (fields) => (signKey ? verifyOpenCaterPush(signKey, fields) : false),
  };
}
