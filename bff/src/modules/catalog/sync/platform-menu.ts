import { createHash } from 'node:crypto';
import type { AvailabilityWindow, Platform } from 'shared-types';
import type { EffectiveMenu } from '../pricing/effective-menu';

/**
 * The neutral form of a store's menu on a delivery platform, and the port the platform menu
 * clients (`channels/meituan/menu-client.ts`, `channels/eleme/menu-client.ts`) implement. The
 * catalog decides what to send; a client only speaks its platform's wire format. Money is fen
 * here; clients convert to yuan at the edge.
 */

export interface ChannelCategoryDoc {
  code: string;
  name: string;
  sequence: number;
}

export interface ChannelSkuDoc {
  /** Our SKU code: Meituan sku_id / skuId, Ele.me extendCode. */
  code: string;
  /** Spec text (大碗/微辣); the product's unit for a single-spec product. */
  spec: string;
  price: number;
  /** Packaging charged per unit of this SKU, in fen. */
  packagingFee: number;
  boxCount: number;
}

export interface ChannelAddonDoc {
  code: string;
  name: string;
  minChoices: number;
  maxChoices: number;
  options: { code: string; name: string; price: number }[];
}

export interface ChannelDishDoc {
  /** Our product code: Meituan app_food_code / eDishCode. */
  code: string;
  name: string;
  description: string;
  unit: string;
  imageUrl: string | null;
  categoryCode: string;
  categoryName: string;
  sequence: number;
  availability: AvailabilityWindow[] | null;
  skus: ChannelSkuDoc[];
  addons: ChannelAddonDoc[];
}

/** A store as a platform client needs it. */
export interface PlatformStore {
  storeId: string;
  /** Our store code: Meituan ePoiId / app_poi_code. */
  storeCode: string;
  /** The platform's own store id (Ele.me shopId). */
  platformStoreId: string | null;
  /** Meituan's appAuthToken (open-cater); null where the platform needs none per store. */
  token: string | null;
}

export interface DishUpsert {
  doc: ChannelDishDoc;
  /** The platform's id of the dish when it already exists there (Ele.me itemId). */
  platformItemId: string | null;
  /** Platform spec ids of existing SKUs, by our SKU code. */
  platformSkuIds: Record<string, string>;
  /** The platform's id of the dish's category (Ele.me categoryId). */
  categoryPlatformId: string | null;
  /** SKUs the stock pool has sold out right now: uploaded with no stock (live stock sync is the stock module's). */
  soldOutSkuCodes: string[];
}

export interface DishUpsertResult {
  code: string;
  platformItemId: string;
  /** Platform spec id per our SKU code. */
  platformSkuIds: Record<string, string>;
}

export interface PriceUpdate {
  code: string;
  platformItemId: string;
  skus: { code: string; platformSkuId: string; price: number }[];
}

/** What a platform says it has, read back for the audit; money already in fen. */
export interface PlatformDishSnapshot {
  /** Our product code, when the platform keeps it on the dish (Meituan); Ele.me keeps codes on specs only. */
  code: string | null;
  platformItemId: string;
  name: string;
  categoryName: string;
  description: string;
  unit: string;
  skus: { code: string | null; platformSkuId: string; spec: string; price: number; packagingFee: number }[];
  /** Null when the read-back does not include add-ons for this dish (not checked). */
  addons: { name: string; options: string[] }[] | null;
}

export interface PlatformMenuSnapshot {
  categories: { name: string; platformId: string | null }[];
  dishes: PlatformDishSnapshot[];
}

/**
 * One platform's menu API. Every method makes one platform call (Meituan's dish upload also
 * binds the dishes' properties), so the sync worker controls batching, rate limits and retries.
 * Methods throw PlatformError on a refused or failed call.
 */
export interface PlatformMenuClient {
  readonly platform: Platform;
  /**
   * How many dishes one upload takes, how many dishes one price call takes, and how many
   * platform requests one upload makes.
   */
  readonly limits: { dishesPerCall: number; pricesPerCall: number; callsPerDishBatch: number };
  upsertCategory(
    store: PlatformStore,
    doc: ChannelCategoryDoc,
    previous: { name: string; platformId: string | null } | null,
  ): Promise<{ platformId: string | null }>;
  deleteCategory(store: PlatformStore, previous: { name: string; platformId: string | null }): Promise<void>;
  upsertDishes(store: PlatformStore, dishes: DishUpsert[]): Promise<DishUpsertResult[]>;
  updatePrices(store: PlatformStore, dishes: PriceUpdate[]): Promise<void>;
  deleteDish(store: PlatformStore, dish: { code: string; platformItemId: string }): Promise<void>;
  /** Reads the store's menu back; `addonsFor` names the dishes whose add-ons to read where that costs a call per dish. */
  readMenu(store: PlatformStore, options?: { addonsFor?: string[] }): Promise<PlatformMenuSnapshot>;
}

export type PlatformMenuClients = Partial<Record<Platform, PlatformMenuClient>>;

export interface HashedDoc<D> {
  key: string;
  name: string;
  bodyHash: string;
  priceHash: string;
  doc: D;
}

function sha256(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** A category's hash; categories have no price part. */
export const NO_PRICE = '-';

export function categoryKey(code: string): string {
  return `category:${code}`;
}
export function dishKey(code: string): string {
  return `dish:${code}`;
}

export function hashCategory(doc: ChannelCategoryDoc): HashedDoc<ChannelCategoryDoc> {
  return { key: categoryKey(doc.code), name: doc.name, bodyHash: sha256(doc), priceHash: NO_PRICE, doc };
}

/** A dish's hash in two parts: everything but the SKU prices, and the SKU prices. */
export function hashDish(doc: ChannelDishDoc): HashedDoc<ChannelDishDoc> {
  const body = { ...doc, skus: doc.skus.map(({ price: _price, ...rest }) => rest) };
  const prices = doc.skus.map((s) => [s.code, s.price]);
  return { key: dishKey(doc.code), name: doc.name, bodyHash: sha256(body), priceHash: sha256(prices), doc };
}

/** The platform form of an effective menu (its channel is the platform). */
export function channelDocs(menu: EffectiveMenu): { categories: ChannelCategoryDoc[]; dishes: ChannelDishDoc[] } {
  const categories: ChannelCategoryDoc[] = [];
  const dishes: ChannelDishDoc[] = [];
  for (const [ci, c] of menu.categories.entries()) {
    categories.push({ code: c.code, name: c.name, sequence: ci });
    for (const [pi, p] of c.products.entries()) {
      dishes.push({
        code: p.code,
        name: p.name,
        description: p.description,
        unit: p.unit,
        imageUrl: p.imageUrl,
        categoryCode: c.code,
        categoryName: c.name,
        sequence: pi,
        availability: p.availability,
        skus: p.skus.map((s) => ({
          code: s.code,
          spec: s.specText || p.unit,
          price: s.price,
          packagingFee: s.packagingFee,
          boxCount: s.boxCount,
        })),
        addons: p.addonGroups.map((g) => ({
          code: g.code,
          name: g.name,
          minChoices: g.minChoices,
          maxChoices: g.maxChoices,
          options: g.options.map((o) => ({ code: o.code, name: o.name, price: o.price })),
        })),
      });
    }
  }
  return { categories, dishes };
}
