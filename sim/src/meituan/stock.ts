import { z } from 'zod';
import { OPEN_CATER_SIM_ERRORS } from '../gateways/open-cater';
import { WAIMAIOPEN_SIM_ERRORS } from '../gateways/waimaiopen';
import { parseJsonExact } from '../json';
import { registerOpenCater, registerWaimaiopen, SimError } from '../registry';
import type { SimState } from '../state';

/**
 * Meituan's stock and sell-status APIs, on both gateways (signatures, credentials and the store
 * binding are checked by the gateways first):
 *
 * - open-cater `/waimai/ng/dish/sku/sellStatus`: biz `{sell_status: 1 off | 0 on, food_data: [{app_food_code, skus: [{sku_id}]}]}`
 *   (the store is the one the appAuthToken is bound to);
 * - open-cater `/waimai/dish/updateStock`: biz `{ePoiId, dishSkuStocks: "<JSON string> [{eDishCode, skus: [{skuId, stock}]}]"}`;
 * - waimaiopen `food/sku/sellStatus` (`app_poi_code`, `food_data` JSON, `sell_status`) and
 *   `food/sku/stock` (`app_poi_code`, `food_data` JSON with `stock` as text, `*` = unlimited).
 *
 * What each store shows per SKU is kept here, apart from the menu the catalog sync uploads: a stock
 * call for a SKU the simulator has no dish for is still taken (tests need not publish a menu first).
 */

export interface MeituanShownSku {
  /** Our dish code (app_food_code / eDishCode). */
  dishCode: string;
  /** 'off' after sell_status 1, 'on' after 0, null while only stock was sent. */
  sellStatus: 'on' | 'off' | null;
  /** The last stock as text: digits, or `*` (unlimited, waimaiopen only); null while only sell status was sent. */
  stock: string | null;
  gateway: 'open-cater' | 'waimaiopen';
  updatedAt: number;
}

/** Per store (ePoiId / app_poi_code), per SKU (sku_id): what Meituan shows. */
export type MeituanStockBook = Map<string, Map<string, MeituanShownSku>>;

export function meituanStock(state: SimState): MeituanStockBook {
  return state.ext('meituan.stock', () => new Map() as MeituanStockBook);
}

/** What Meituan shows for a store's SKU, or undefined when nothing was ever sent for it. */
export function meituanShown(state: SimState, ePoiId: string, skuId: string): MeituanShownSku | undefined {
  return meituanStock(state).get(ePoiId)?.get(skuId);
}

function show(
  state: SimState,
  ePoiId: string,
  dishCode: string,
  skuId: string,
  change: Partial<Pick<MeituanShownSku, 'sellStatus' | 'stock'>>,
  gateway: MeituanShownSku['gateway'],
  now: number,
): void {
  const book = meituanStock(state);
  const store = book.get(ePoiId) ?? new Map<string, MeituanShownSku>();
  book.set(ePoiId, store);
  const before = store.get(skuId);
  store.set(skuId, {
    dishCode,
    sellStatus: before?.sellStatus ?? null,
    stock: before?.stock ?? null,
    ...change,
    gateway,
    updatedAt: now,
  });
}

const Code = z.string().min(1).max(128);
const SellFoods = z
  .array(
    z.object({ app_food_code: Code, skus: z.array(z.object({ sku_id: Code }).passthrough()).min(1) }).passthrough(),
  )
  .min(1)
  .max(200);
const SellStatus = z.union([z.literal(0), z.literal(1)]);

/** Validates or refuses with the gateway's parameter error, naming what is wrong. */
function parse<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
  error: { code: string | number; msg: string },
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SimError(
      error.code,
      `${error.msg}: ${what}${issue?.path.length ? `.${issue.path.join('.')}` : ''} ${issue?.message ?? ''}`,
    );
  }
  return result.data;
}

function json(text: unknown, what: string, error: { code: string | number; msg: string }): unknown {
  if (typeof text !== 'string') throw new SimError(error.code, `${error.msg}: ${what} must be a JSON string`);
  try {
    return parseJsonExact(text);
  } catch {
    throw new SimError(error.code, `${error.msg}: ${what} is not valid JSON`);
  }
}

registerOpenCater('/waimai/ng/dish/sku/sellStatus', (call, ctx) => {
  const err = OPEN_CATER_SIM_ERRORS.params;
  const biz = call.biz ?? {};
  const status = parse(SellStatus, biz.sell_status, 'sell_status', err);
  const foods = parse(SellFoods, biz.food_data, 'food_data', err);
  const ePoiId = call.ePoiId as string;
  for (const food of foods) {
    for (const sku of food.skus) {
      show(
        ctx.state,
        ePoiId,
        food.app_food_code,
        sku.sku_id,
        { sellStatus: status === 1 ? 'off' : 'on' },
        'open-cater',
        ctx.now,
      );
    }
  }
  return 'success';
});

const DishSkuStocks = z
  .array(
    z
      .object({
        eDishCode: Code,
        skus: z.array(z.object({ skuId: Code, stock: z.number().int().min(0).max(99_999) }).passthrough()).min(1),
      })
      .passthrough(),
  )
  .min(1)
  .max(200);

registerOpenCater('/waimai/dish/updateStock', (call, ctx) => {
  const err = OPEN_CATER_SIM_ERRORS.params;
  const biz = call.biz ?? {};
  const ePoiId = call.ePoiId as string;
  if (biz.ePoiId !== undefined && biz.ePoiId !== ePoiId) {
    throw new SimError(
      OPEN_CATER_SIM_ERRORS.token.code,
      `ePoiId ${String(biz.ePoiId)} 与 appAuthToken 绑定的门店不一致`,
    );
  }
  // `dishSkuStocks` is a JSON string inside biz (the SDK declares it String), not a nested array.
  const dishes = parse(DishSkuStocks, json(biz.dishSkuStocks, 'dishSkuStocks', err), 'dishSkuStocks', err);
  for (const dish of dishes) {
    for (const sku of dish.skus) {
      show(ctx.state, ePoiId, dish.eDishCode, sku.skuId, { stock: String(sku.stock) }, 'open-cater', ctx.now);
    }
  }
  return 'success';
});

registerWaimaiopen('food/sku/sellStatus', (call, ctx) => {
  const err = WAIMAIOPEN_SIM_ERRORS.params;
  const poi = parse(Code, call.params.app_poi_code, 'app_poi_code', err);
  const status = parse(z.enum(['0', '1']), call.params.sell_status, 'sell_status', err);
  const foods = parse(SellFoods, json(call.params.food_data, 'food_data', err), 'food_data', err);
  for (const food of foods) {
    for (const sku of food.skus) {
      show(
        ctx.state,
        poi,
        food.app_food_code,
        sku.sku_id,
        { sellStatus: status === '1' ? 'off' : 'on' },
        'waimaiopen',
        ctx.now,
      );
    }
  }
  return 'ok';
});

const StockFoods = z
  .array(
    z
      .object({
        app_food_code: Code,
        skus: z
          .array(
            z.object({ sku_id: Code, stock: z.string().regex(/^(\d{1,9}|\*)$/, 'must be digits or *') }).passthrough(),
          )
          .min(1),
      })
      .passthrough(),
  )
  .min(1)
  .max(200);

registerWaimaiopen('food/sku/stock', (call, ctx) => {
  const err = WAIMAIOPEN_SIM_ERRORS.params;
  const poi = parse(Code, call.params.app_poi_code, 'app_poi_code', err);
  const foods = parse(StockFoods, json(call.params.food_data, 'food_data', err), 'food_data', err);
  for (const food of foods) {
    for (const sku of food.skus) {
      show(ctx.state, poi, food.app_food_code, sku.sku_id, { stock: sku.stock }, 'waimaiopen', ctx.now);
    }
  }
  return 'ok';
});
