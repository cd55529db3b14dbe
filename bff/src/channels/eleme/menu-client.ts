import { fenToYuan, yuanToFen } from 'shared-types/money';
import type { Cache } from '../../cache';
import type { Clock } from '../../lib/clock';
import { jsonNumber } from '../../lib/json-exact';
import type {
  ChannelCategoryDoc,
  DishUpsert,
  DishUpsertResult,
  PlatformDishSnapshot,
  PlatformMenuClient,
  PlatformMenuSnapshot,
  PlatformStore,
  PriceUpdate,
} from '../../modules/catalog/sync/platform-menu';
import type { RateGate } from '../../modules/catalog/sync/rate-gate';
import { PlatformError } from '../platform-error';
import { ElemeOAuth } from './oauth';
import { type ElemeSettings, ElemeTransport } from './transport';

/**
 * Ele.me's menu APIs (NOP actions, spec delivery-platforms.md §2.4) behind the catalog's
 * PlatformMenuClient port. Ele.me assigns its own ids: a category id, an item id per dish and a
 * spec id per SKU (returned by createItem), and keeps our SKU code in the spec's `extendCode`.
 * Ids are Java `Long`s: they travel as bare JSON numbers written from their digits.
 *
 * Shapes follow the official SDK entities: OSpec (specId, name, price, stock, maxStock,
 * packingFee, onShelf, extendCode, barCode, weight), OItemAttribute (name, details[]) and
 * OItemIdWithSpecPrice (itemId, priceMap {specId: price}) for batchUpdatePrices (≤ 50 items).
 *
 * A timed-out create may have been applied (the answer is lost), so a create refused as a
 * duplicate looks the item up (by extendCode) or the category (by name) and updates that instead.
 */

const yuan = (fen: number) => Number(fenToYuan(fen));
/** Stock put on a spec at upload: Ele.me wants a number; live stock is the stock module's. */
const FULL_STOCK = 10_000;

type Row = Record<string, unknown>;
const rows = (value: unknown): Row[] => (Array.isArray(value) ? (value as Row[]) : []);
const str = (value: unknown) => (value === undefined || value === null ? '' : String(value));
const id = (value: string) => jsonNumber(value);

export class ElemeMenuClient implements PlatformMenuClient {
  readonly platform = 'eleme' as const;
  readonly limits = { dishesPerCall: 1, pricesPerCall: 50, callsPerDishBatch: 1 };

  constructor(
    private readonly transport: ElemeTransport,
    private readonly oauth: ElemeOAuth,
    private readonly gate: RateGate,
  ) {}

  private async call<T>(action: string, params: Row, mode: 'defer' | 'wait' = 'defer'): Promise<T> {
    await this.gate.take('eleme', mode);
    return this.oauth.withToken((token) => this.transport.call<T>(action, params, token));
  }

  private shop(store: PlatformStore): string {
    if (!store.platformStoreId) {
      throw new PlatformError({
        platform: 'eleme',
        code: 'NO_SHOP',
        message: 'the store has no Ele.me shopId',
        retryable: false,
      });
    }
    return store.platformStoreId;
  }

  async upsertCategory(store: PlatformStore, doc: ChannelCategoryDoc, previous: { platformId: string | null } | null) {
    const fields = { name: doc.name, description: '' };
    if (previous?.platformId) {
      await this.call('eleme.product.category.updateCategory', { categoryId: id(previous.platformId), ...fields });
      return { platformId: previous.platformId };
    }
    try {
      const created = await this.call<Row>('eleme.product.category.createCategory', {
        shopId: id(this.shop(store)),
        ...fields,
      });
      return { platformId: str(created.id) };
    } catch (err) {
      const existing =
        err instanceof PlatformError && !err.retryable ? await this.categoryNamed(store, doc.name) : null;
      if (!existing) throw err;
      return { platformId: existing };
    }
  }

  private async categoryNamed(store: PlatformStore, name: string): Promise<string | null> {
    const list = rows(await this.call('eleme.product.category.getShopCategories', { shopId: id(this.shop(store)) }));
    const found = list.find((c) => c.name === name);
    return found ? str(found.id) : null;
  }

  async deleteCategory(_store: PlatformStore, previous: { platformId: string | null }) {
    if (!previous.platformId) return;
    await this.call('eleme.product.category.invalidCategory', { categoryId: id(previous.platformId) });
  }

  async upsertDishes(store: PlatformStore, dishes: DishUpsert[]): Promise<DishUpsertResult[]> {
    const out: DishUpsertResult[] = [];
    for (const d of dishes) out.push(await this.upsertDish(store, d));
    return out;
  }

  private properties(d: DishUpsert) {
    return {
      name: d.doc.name,
      description: d.doc.description,
      unit: d.doc.unit,
      specs: d.doc.skus.map((s) => {
        const known = d.platformSkuIds[s.code];
        const stock = d.soldOutSkuCodes.includes(s.code) ? 0 : FULL_STOCK;
        return {
          ...(known ? { specId: id(known) } : {}),
          name: s.spec,
          price: yuan(s.price),
          stock,
          maxStock: FULL_STOCK,
          packingFee: yuan(s.packagingFee),
          onShelf: 1,
          extendCode: s.code,
        };
      }),
      attributes: d.doc.addons.map((g) => ({ name: g.name, details: g.options.map((o) => o.name) })),
    };
  }

  private async upsertDish(store: PlatformStore, d: DishUpsert): Promise<DishUpsertResult> {
    if (!d.categoryPlatformId) {
      throw new PlatformError({
        platform: 'eleme',
        code: 'NO_CATEGORY',
        message: `category ${d.doc.categoryName} is not on Ele.me`,
        retryable: false,
      });
    }
    const base = { categoryId: id(d.categoryPlatformId), properties: this.properties(d) };
    let item: Row;
    if (d.platformItemId) {
      item = await this.call('eleme.product.item.updateItem', { itemId: id(d.platformItemId), ...base });
    } else {
      try {
        item = await this.call('eleme.product.item.createItem', base);
      } catch (err) {
        const existing = err instanceof PlatformError && !err.retryable ? await this.itemWithCode(store, d) : null;
        if (!existing) throw err;
        item = await this.call('eleme.product.item.updateItem', { itemId: id(str(existing.id)), ...base });
      }
    }
    const specs = rows(item.specs);
    return {
      code: d.doc.code,
      platformItemId: str(item.id),
      platformSkuIds: Object.fromEntries(
        specs.filter((s) => s.extendCode).map((s) => [str(s.extendCode), str(s.specId)]),
      ),
    };
  }

  private async itemWithCode(store: PlatformStore, d: DishUpsert): Promise<Row | null> {
    const code = d.doc.skus[0]?.code;
    if (!code) return null;
    const found = await this.call<Row | null>('eleme.product.item.getItemByShopIdAndExtendCode', {
      shopId: id(this.shop(store)),
      extendCode: code,
    });
    return found && found.id !== undefined ? found : null;
  }

  async updatePrices(store: PlatformStore, dishes: PriceUpdate[]) {
    const specPrices = dishes.map((d) => ({
      itemId: id(d.platformItemId),
      priceMap: Object.fromEntries(d.skus.map((s) => [s.platformSkuId, yuan(s.price)])),
    }));
    await this.call('eleme.product.item.batchUpdatePrices', { shopId: id(this.shop(store)), specPrices });
  }

  async deleteDish(_store: PlatformStore, dish: { platformItemId: string }) {
    await this.call('eleme.product.item.invalidItem', { itemId: id(dish.platformItemId) });
  }

  async readMenu(store: PlatformStore): Promise<PlatformMenuSnapshot> {
    const categories = rows(
      await this.call('eleme.product.category.getShopCategories', { shopId: id(this.shop(store)) }, 'wait'),
    );
    const dishes: PlatformDishSnapshot[] = [];
    for (const c of categories) {
      // getItemsByCategoryId answers a map of itemId → OItem.
      const items =
        (await this.call<Record<string, Row> | null>(
          'eleme.product.item.getItemsByCategoryId',
          { categoryId: id(str(c.id)) },
          'wait',
        )) ?? {};
      for (const item of Object.values(items)) {
        dishes.push({
          code: null,
          platformItemId: str(item.id),
          name: str(item.name),
          categoryName: str(c.name),
          description: str(item.description),
          unit: str(item.unit),
          skus: rows(item.specs).map((s) => ({
            code: s.extendCode ? str(s.extendCode) : null,
            platformSkuId: str(s.specId),
            spec: str(s.name),
            price: yuanToFen(s.price as number),
            packagingFee: yuanToFen((s.packingFee as number) ?? 0),
          })),
          addons: rows(item.attributes).map((a) => ({ name: str(a.name), options: rows(a.details).map(str) })),
        });
      }
    }
    return { categories: categories.map((c) => ({ name: str(c.name), platformId: str(c.id) })), dishes };
  }
}

/** The Ele.me menu client with the app's OAuth token (shared by every process through the cache). */
export function createElemeMenuClient(
  settings: ElemeSettings,
  cache: Cache,
  clock: Clock,
  gate: RateGate,
): PlatformMenuClient {
  return new ElemeMenuClient(new ElemeTransport(settings, clock), new ElemeOAuth(settings, cache, clock), gate);
}
