import type { Clock } from '../../lib/clock';
import type { PlatformMenuClient } from '../../modules/catalog/sync/platform-menu';
import type { RateGate } from '../../modules/catalog/sync/rate-gate';
import type { StorePlatformSettings } from '../../modules/catalog/sync/store-bindings';
import { OpenCaterMenuClient } from './menu-open-cater';
import { WaimaiopenMenuClient } from './menu-waimaiopen';
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
 */

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
