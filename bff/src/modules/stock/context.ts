import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type { Platform, StockPolicy } from 'shared-types';
import type { Clock } from '../../lib/clock';
import { errors } from '../../lib/errors';
import { localParts } from '../../lib/local-time';
import type { CatalogLookup, SkuRow } from '../catalog/pricing/lookup';
import type { StoreRow } from '../stores/repo';
import type { StoreService } from '../stores/service';
import { ChangeTracker } from './changes';
import type { StockPropagation } from './propagation';
import type { StockSettings } from './settings';

/**
 * Store rows, platform bindings and which SKUs belong to which product change rarely and are read
 * by every order: each process keeps them this long. A new binding or a renamed store takes effect
 * within seconds; stock itself is never cached.
 */
const REFERENCE_TTL_MS = 10_000;

class TtlCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();
  constructor(private readonly clock: Clock) {}
  async get(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.clock.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value;
    const value = await load();
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(key, { value, until: now + REFERENCE_TTL_MS });
    return value;
  }
}

/** Everything a stock change at one store needs to know before its transaction starts. */
export interface StoreScene {
  store: StoreRow;
  brandId: string;
  now: number;
  today: string;
  platforms: Platform[];
  policy: StockPolicy;
  /** SKU codes of each product involved (a product row covers them all). */
  productSkus: Map<string, string[]>;
  tracker(): ChangeTracker;
}

/**
 * Reads (outside any transaction: on SQLite a query beside an open transaction would wait for it)
 * the store, its platforms, the brand's policy and the SKUs of the products a change may touch.
 */
export class SceneBuilder {
  private readonly storeCache: TtlCache<StoreRow | undefined>;
  private readonly platformCache: TtlCache<Platform[]>;
  private readonly productSkuCache: TtlCache<string[]>;
  private readonly skuCache: TtlCache<SkuRow | undefined>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly stores: StoreService,
    private readonly catalog: CatalogLookup,
    private readonly settings: StockSettings,
    private readonly propagation: StockPropagation,
    private readonly clock: Clock,
  ) {
    this.storeCache = new TtlCache(clock);
    this.platformCache = new TtlCache(clock);
    this.productSkuCache = new TtlCache(clock);
    this.skuCache = new TtlCache(clock);
  }

  /** The brand's SKUs by code (unknown codes are absent). */
  async skus(brandId: string, codes: string[]): Promise<Map<string, SkuRow>> {
    const unique = [...new Set(codes)];
    const found = await Promise.all(
      unique.map((code) =>
        this.skuCache.get(`${brandId}|${code}`, async () =>
          (await this.catalog.skusByCodes(brandId, [code])).get(code),
        ),
      ),
    );
    return new Map(found.filter((s): s is SkuRow => s !== undefined).map((s) => [s.code, s]));
  }

  async store(storeId: string, brandId?: string): Promise<StoreRow> {
    const store = await this.storeCache.get(storeId, () => this.stores.find(storeId));
    if (!store || (brandId !== undefined && store.brand_id !== brandId)) throw errors.notFound('store');
    return store;
  }

  /**
   * The store as it is now, past the reference cache: for answers a member reads (the promised
   * time follows opening hours a manager may have just changed), not the reservation hot path.
   */
  async freshStore(storeId: string): Promise<StoreRow> {
    const store = await this.stores.find(storeId);
    if (!store) throw errors.notFound('store');
    return store;
  }

  platformsOf(store: StoreRow): Promise<Platform[]> {
    return this.platformCache.get(store.id, async () => {
      const [meituan, eleme] = await Promise.all([
        this.catalog.binding(store.id, 'meituan'),
        this.catalog.binding(store.id, 'eleme'),
      ]);
      const value: Platform[] = [];
      if (meituan) value.push('meituan');
      // A self-use Ele.me app reaches every shop of the merchant with its own token: a shop id is enough.
      if (eleme || store.eleme_shop_id) value.push('eleme');
      return value;
    });
  }

  /** SKU codes of each product (a product-level row covers them all). */
  async skusOfProducts(brandId: string, productCodes: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const missing = [...new Set(productCodes)];
    await Promise.all(
      missing.map(async (code) => {
        out.set(
          code,
          await this.productSkuCache.get(`${brandId}|${code}`, async () =>
            (await this.catalog.skusOfProducts(brandId, [code])).map((s) => s.code),
          ),
        );
      }),
    );
    return out;
  }

  /**
   * The scene for a change touching these SKUs and products. `prepare` creates, outside the
   * transaction, the sync rows the transaction will update for every SKU it may touch.
   */
  async build(
    store: StoreRow,
    touch: { skuCodes: string[]; productCodes: string[] },
    now = this.clock.now(),
  ): Promise<StoreScene> {
    const brandId = store.brand_id;
    const productCodes = [...new Set(touch.productCodes)];
    const [platforms, policy, productSkus] = await Promise.all([
      this.platformsOf(store),
      this.settings.policy(brandId),
      this.skusOfProducts(brandId, productCodes),
    ]);
    const allSkus = [...new Set([...touch.skuCodes, ...[...productSkus.values()].flat()])];
    await this.propagation.prepare(this.db, store.id, platforms, allSkus, now);
    return {
      store,
      brandId,
      now,
      today: localParts(now, store.timezone).date,
      platforms,
      policy,
      productSkus,
      tracker: () =>
        new ChangeTracker(policy.platformStock, (level, code) =>
          level === 'sku' ? [code] : (productSkus.get(code) ?? []),
        ),
    };
  }
}
