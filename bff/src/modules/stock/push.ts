import type { Database } from 'db';
import type { Kysely } from 'kysely';
import { Platform } from 'shared-types';
import { z } from 'zod';
import type { Clock } from '../../lib/clock';
import { localParts } from '../../lib/local-time';
import type { Logger } from '../../logger';
import { AbandonDelivery } from '../../sync/worker';
import type { CatalogLookup } from '../catalog/pricing/lookup';
import type { StoreRow } from '../stores/repo';
import type { SceneBuilder } from './context';
import { shownQuantity } from './model';
import type { StockItemRepo } from './repo';
import type { StockSettings } from './settings';
import type { StockSyncRepo } from './sync-repo';
import { inTransaction } from './tx';
import { effectiveRows, stockOfSku } from './views';

/** The state one platform should show for one of our SKUs, with the platform's ids for it. */
export interface PlatformSkuState {
  skuCode: string;
  /** The platform's dish / item id from the channel mapping (Meituan app_food_code, Ele.me itemId). */
  platformItemId: string;
  /** The platform's SKU / spec id from the channel mapping (Meituan sku_id, Ele.me specId). */
  platformSkuId: string;
  onSale: boolean;
  /** The stock number to show (0 when sold out). */
  stock: number;
  /** The SKU is not counted at all (a platform with an "unlimited" marker may use it instead of `stock`). */
  unlimited: boolean;
}

export interface PlatformStoreRef {
  storeId: string;
  /** Our code of the store as the platform knows it (Meituan ePoiId / app_poi_code). */
  storeCode: string;
  /** The platform's id of the store (Meituan poiId, Ele.me shopId), when known. */
  platformStoreId: string | null;
  /** The store's platform token (Meituan appAuthToken), when bound. */
  token: string | null;
}

/**
 * A platform's stock and sell-status calls, implemented in `channels/<platform>/stock-client.ts`.
 * `send` sets the given SKUs to exactly the given state (absolute values, so a repeat is harmless)
 * and throws when the platform did not accept it.
 */
export interface PlatformStockSender {
  send(store: PlatformStoreRef, skus: PlatformSkuState[]): Promise<void>;
}

const PushPayload = z.object({ storeId: z.string(), platform: Platform });

/**
 * Delivers `stock.push`: the current state, read at send time, of every SKU marked for the
 * platform. Pushes of one (store, platform) are delivered one at a time in order (same outbox
 * aggregate), and each sends what is true when it runs: a late push can never put back on shelf
 * a SKU that is sold out now.
 */
export class StockPusher {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sync: StockSyncRepo,
    private readonly items: StockItemRepo,
    private readonly catalog: CatalogLookup,
    private readonly scenes: SceneBuilder,
    private readonly settings: StockSettings,
    private readonly senders: Partial<Record<Platform, PlatformStockSender>>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async deliver(payload: unknown): Promise<void> {
    const parsed = PushPayload.safeParse(payload);
    if (!parsed.success) throw new AbandonDelivery('malformed stock.push payload');
    const { storeId, platform } = parsed.data;
    // Waits for changes holding the push state to commit; as the youngest waiter it is InnoDB's
    // usual deadlock victim, so it simply tries again rather than waiting out a retry backoff.
    await inTransaction(this.db, (trx) => this.sync.startPush(trx, storeId, platform, this.clock.now()));
    const pending = await this.sync.pending(this.db, storeId, platform);
    if (pending.length === 0) return;
    const clear = async () => {
      for (const p of pending) await this.sync.clearIfUnchanged(this.db, storeId, platform, p.sku_code, p.token);
    };
    const store = await this.scenes.store(storeId);
    const ref = await this.storeRef(store, platform);
    const sender = this.senders[platform];
    if (!ref || !sender) {
      this.logger.info({ storeId, platform }, 'store is not on this platform any more; stock marks dropped');
      await clear();
      return;
    }
    const states = await this.states(
      store,
      platform,
      pending.map((p) => p.sku_code),
    );
    if (states.length > 0) await sender.send(ref, states);
    await clear();
  }

  private async storeRef(store: StoreRow, platform: Platform): Promise<PlatformStoreRef | null> {
    const binding = await this.catalog.binding(store.id, platform);
    if (platform === 'meituan') {
      if (!binding) return null;
      return {
        storeId: store.id,
        storeCode: store.meituan_app_poi_code ?? store.code,
        platformStoreId: binding.platformStoreId,
        token: binding.token,
      };
    }
    if (!binding && !store.eleme_shop_id) return null;
    return {
      storeId: store.id,
      storeCode: store.code,
      platformStoreId: binding?.platformStoreId ?? store.eleme_shop_id,
      token: binding?.token ?? null,
    };
  }

  /** What the platform should show now for these SKUs; SKUs it does not list (no mapping) are left out. */
  async states(store: StoreRow, platform: Platform, skuCodes: string[]): Promise<PlatformSkuState[]> {
    const now = this.clock.now();
    const today = localParts(now, store.timezone).date;
    const [skus, carried, policy] = await Promise.all([
      this.catalog.skusByCodes(store.brand_id, skuCodes),
      this.catalog.pricedSkus(store.brand_id, store.id, platform, skuCodes),
      this.settings.policy(store.brand_id),
    ]);
    const mappings = await this.catalog.platformIds(
      store.id,
      platform,
      [...skus.values()].map((s) => s.id),
    );
    const rows = effectiveRows(
      await this.items.rowsFor(
        this.db,
        store.id,
        skuCodes,
        [...skus.values()].map((s) => s.productCode),
      ),
      now,
      today,
    );
    const out: PlatformSkuState[] = [];
    for (const code of skuCodes) {
      const sku = skus.get(code);
      const ids = mappings.get(code);
      if (!sku || !ids) continue;
      const stock = stockOfSku(rows, code, sku.productCode);
      // Putting a dish on shelf is for what the store sells; taking one off is always safe.
      if (!stock.soldOut && !carried.has(code)) continue;
      out.push({
        skuCode: code,
        platformItemId: ids.platformItemId,
        platformSkuId: ids.platformSkuId,
        onSale: !stock.soldOut,
        stock: shownQuantity(stock, policy.platformStock),
        unlimited: !stock.soldOut && stock.quantity === null,
      });
    }
    return out;
  }
}
