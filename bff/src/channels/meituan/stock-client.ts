import type { MeituanGateway } from 'shared-types';
import type { Config } from '../../config';
import type { Clock } from '../../lib/clock';
import { stringifyJsonExact } from '../../lib/json-exact';
import type { Logger } from '../../logger';
import { sendBatched } from '../../modules/stock/batches';
import type { PlatformSkuState, PlatformStockSender, PlatformStoreRef } from '../../modules/stock/push';
import { notConfigured, PlatformError, toDeliveryFailure } from '../platform-error';
import { OpenCaterTransport } from './open-cater-transport';
import { WaimaiopenTransport } from './waimaiopen-transport';

/** Meituan's sell status: 1 = off shelf (下架), 0 = on shelf (上架), on both gateways. */
const OFF_SHELF = 1;
const ON_SHELF = 0;

/**
 * `food_data` of the sell-status calls: `[{app_food_code, skus: [{sku_id}]}]`, one entry per dish.
 * Field names: the official MtOpJavaSDK `DishSkuSellStatusRequest` (path
 * `/waimai/ng/dish/sku/sellStatus`, `@SerializedName("sell_status")`, `("food_data")`) and Meituan's
 * generated Go SDK `dishskusellstatus` (`FoodData{AppFoodCode "app_food_code", Skus []{SkuId
 * "sku_id"}}`), both in the code index; legacy `food/sku/sellStatus` takes the same shape (spec
 * delivery-platforms.md §1.4).
 */
function foodData(skus: PlatformSkuState[], withStock?: (sku: PlatformSkuState) => string) {
  const byDish = new Map<string, Record<string, string>[]>();
  for (const sku of skus) {
    const entry: Record<string, string> = { sku_id: sku.platformSkuId };
    if (withStock) entry.stock = withStock(sku);
    byDish.set(sku.platformItemId, [...(byDish.get(sku.platformItemId) ?? []), entry]);
  }
  return [...byDish].map(([code, list]) => ({ app_food_code: code, skus: list }));
}

/**
 * `dishSkuStocks` of open-cater `/waimai/dish/updateStock`: a JSON *string* inside `biz`,
 * `[{eDishCode, skus: [{skuId, stock}]}]` with `stock` an integer. Field names: the official SDK
 * `DishUpdateStockRequest` ("菜品库存列表 参考dishSkuStocks说明 使用json数组格式传递参数") and an
 * open-cater PHP client's doc comment (`eDishCode`; `skus` → `skuId`, `stock` integer), both in
 * the code index.
 */
function dishSkuStocks(skus: PlatformSkuState[]): string {
  const byDish = new Map<string, { skuId: string; stock: number }[]>();
  for (const sku of skus) {
    byDish.set(sku.platformItemId, [
      ...(byDish.get(sku.platformItemId) ?? []),
      { skuId: sku.platformSkuId, stock: sku.stock },
    ]);
  }
  return stringifyJsonExact([...byDish].map(([eDishCode, list]) => ({ eDishCode, skus: list })));
}

const isRefusal = (err: unknown) => err instanceof PlatformError && !err.retryable;

/**
 * Stock and sell status on Meituan, on the gateway the brand uses (`MEITUAN_GATEWAY`): open-cater
 * `/waimai/ng/dish/sku/sellStatus` and `/waimai/dish/updateStock` with the store's appAuthToken,
 * or legacy waimaiopen `food/sku/sellStatus` and `food/sku/stock` by app_poi_code. Sold-out SKUs
 * go off shelf first, then every SKU's stock number, then the ones on sale go back on shelf: a
 * dish is never briefly on sale with a stale count.
 */
export class MeituanStockClient implements PlatformStockSender {
  constructor(
    private readonly gateway: MeituanGateway,
    private readonly openCater: OpenCaterTransport,
    private readonly waimaiopen: WaimaiopenTransport,
    private readonly logger: Logger,
  ) {}

  async send(store: PlatformStoreRef, skus: PlatformSkuState[]): Promise<void> {
    const off = skus.filter((s) => !s.onSale);
    const on = skus.filter((s) => s.onSale);
    const refused = (sku: PlatformSkuState, err: unknown) =>
      this.logger.warn(
        { storeId: store.storeId, skuCode: sku.skuCode, err: String(err) },
        'Meituan refused the stock of one SKU; check its channel mapping',
      );
    try {
      if (this.gateway === 'open-cater') {
        const token = store.token;
        if (!token) throw notConfigured('meituan', `the store-map binding (appAuthToken) of store ${store.storeCode}`);
        const sellStatus = (status: number) => (batch: PlatformSkuState[]) =>
          this.openCater
            .call('/waimai/ng/dish/sku/sellStatus', { sell_status: status, food_data: foodData(batch) }, token)
            .then(() => undefined);
        await sendBatched(off, sellStatus(OFF_SHELF), isRefusal, refused);
        await sendBatched(
          skus,
          (batch) =>
            this.openCater
              .call('/waimai/dish/updateStock', { ePoiId: store.storeCode, dishSkuStocks: dishSkuStocks(batch) }, token)
              .then(() => undefined),
          isRefusal,
          refused,
        );
        await sendBatched(on, sellStatus(ON_SHELF), isRefusal, refused);
        return;
      }
      const sellStatus = (status: number) => (batch: PlatformSkuState[]) =>
        this.waimaiopen
          .call('POST', 'food/sku/sellStatus', {
            app_poi_code: store.storeCode,
            food_data: foodData(batch),
            sell_status: status,
          })
          .then(() => undefined);
      await sendBatched(off, sellStatus(OFF_SHELF), isRefusal, refused);
      // Legacy stock is text, "*" meaning unlimited (Meituan's generated Go SDK `foodskustock`:
      // "sku库存数量，不能为负数或小数，传*表示库存无限").
      await sendBatched(
        skus,
        (batch) =>
          this.waimaiopen
            .call('POST', 'food/sku/stock', {
              app_poi_code: store.storeCode,
              food_data: foodData(batch, (s) => (s.unlimited ? '*' : String(s.stock))),
            })
            .then(() => undefined),
        isRefusal,
        refused,
      );
      await sendBatched(on, sellStatus(ON_SHELF), isRefusal, refused);
    } catch (err) {
      throw toDeliveryFailure(err);
    }
  }
}

/** The Meituan stock sender for this configuration, or undefined when the gateway has no credentials. */
export function meituanStockSender(
  config: Config['meituan'],
  clock: Clock,
  logger: Logger,
): MeituanStockClient | undefined {
  const configured =
    config.gateway === 'open-cater'
      ? Boolean(config.developerId && config.signKey)
      : Boolean(config.appId && config.appSecret);
  if (!configured) return undefined;
  return new MeituanStockClient(
    config.gateway,
    new OpenCaterTransport(
      {
        apiBase: config.apiBase,
        developerId: config.developerId,
        signKey: config.signKey,
        businessId: config.businessId,
        timeoutMs: config.timeoutMs,
      },
      clock,
    ),
    new WaimaiopenTransport(
      { apiBase: config.apiBase, appId: config.appId, appSecret: config.appSecret, timeoutMs: config.timeoutMs },
      clock,
    ),
    logger,
  );
}
