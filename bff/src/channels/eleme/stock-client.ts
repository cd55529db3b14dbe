import type { Cache } from '../../cache';
import type { Config } from '../../config';
import type { Clock } from '../../lib/clock';
import { jsonNumber, type RawJsonNumber } from '../../lib/json-exact';
import type { Logger } from '../../logger';
import { sendBatched } from '../../modules/stock/batches';
import type { PlatformSkuState, PlatformStockSender, PlatformStoreRef } from '../../modules/stock/push';
import { PlatformError, toDeliveryFailure } from '../platform-error';
import { ElemeOAuth } from './oauth';
import { ElemeTransport } from './transport';

/** Ele.me item and spec ids are Java `long`s: sent as bare JSON numbers, written from their digits. */
const id = (value: string): RawJsonNumber | string => (/^\d{1,19}$/.test(value) ? jsonNumber(value) : value);

/**
 * `specIds` of `batchOnShelf` / `batchOffShelf`: `[{itemId, itemSpecIds: [specId…]}]`, one entry
 * per item. Shape: the official Java SDK (`ProductService.batchOnShelf(List<OItemIdWithSpecIds>)`,
 * `OItemIdWithSpecIds{long itemId; List<Long> itemSpecIds}`), in the code index.
 */
function specIds(skus: PlatformSkuState[]) {
  const byItem = new Map<string, string[]>();
  for (const sku of skus)
    byItem.set(sku.platformItemId, [...(byItem.get(sku.platformItemId) ?? []), sku.platformSkuId]);
  return [...byItem].map(([itemId, specs]) => ({ itemId: id(itemId), itemSpecIds: specs.map(id) }));
}

/**
 * `stockMap` of `batchUpdateStock`: `{specId: stock}` (official PHP/Python/Go SDKs:
 * `batch_update_stock($stock_map)` → `{"stockMap": …}`, "商品规格ID和库存设值的映射").
 */
function stockMap(skus: PlatformSkuState[]): Record<string, number> {
  return Object.fromEntries(skus.map((s) => [s.platformSkuId, s.stock]));
}

const isRefusal = (err: unknown) => err instanceof PlatformError && !err.retryable;

/**
 * Stock and shelf state on Ele.me (spec delivery-platforms.md §2.4): `eleme.product.item.
 * batchOffShelf`, `batchUpdateStock`, `batchOnShelf`, by spec id, with the app's access token.
 * Off shelf first, then stock, then back on shelf.
 */
export class ElemeStockClient implements PlatformStockSender {
  constructor(
    private readonly transport: ElemeTransport,
    private readonly oauth: ElemeOAuth,
    private readonly logger: Logger,
  ) {}

  private call(action: string, params: Record<string, unknown>): Promise<void> {
    return this.oauth.withToken((token) => this.transport.call(action, params, token)).then(() => undefined);
  }

  async send(store: PlatformStoreRef, skus: PlatformSkuState[]): Promise<void> {
    const refused = (sku: PlatformSkuState, err: unknown) =>
      this.logger.warn(
        { storeId: store.storeId, skuCode: sku.skuCode, err: String(err) },
        'Ele.me refused the stock of one SKU; check its channel mapping',
      );
    try {
      await sendBatched(
        skus.filter((s) => !s.onSale),
        (batch) => this.call('eleme.product.item.batchOffShelf', { specIds: specIds(batch) }),
        isRefusal,
        refused,
      );
      await sendBatched(
        skus,
        (batch) => this.call('eleme.product.item.batchUpdateStock', { stockMap: stockMap(batch) }),
        isRefusal,
        refused,
      );
      await sendBatched(
        skus.filter((s) => s.onSale),
        (batch) => this.call('eleme.product.item.batchOnShelf', { specIds: specIds(batch) }),
        isRefusal,
        refused,
      );
    } catch (err) {
      throw toDeliveryFailure(err);
    }
  }
}

/** The Ele.me stock sender for this configuration, or undefined without app credentials. */
export function elemeStockSender(
  config: Config['eleme'],
  cache: Cache,
  clock: Clock,
  logger: Logger,
): ElemeStockClient | undefined {
  if (!config.appKey || !config.appSecret) return undefined;
  const { apiBase, appKey, appSecret, timeoutMs } = config;
  const settings = { apiBase, appKey, appSecret, timeoutMs };
  return new ElemeStockClient(new ElemeTransport(settings, clock), new ElemeOAuth(settings, cache, clock), logger);
}
