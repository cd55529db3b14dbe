import { parseJsonExact } from '../json';
import {
  type HandlerContext,
  type OpenCaterCall,
  registerOpenCater,
  registerRoute,
  registerWaimaiopen,
  SimError,
  type WaimaiopenCall,
} from '../registry';
import type { SimState } from '../state';
import { dishFromOpenCater, dishFromWaimaiopen, type MeituanDish, MeituanMenuState, MenuRefusal } from './menu-state';

/**
 * Meituan's menu APIs on both gateways, kept in one `MeituanMenuState` per simulator
 * (`meituanMenu(state)`), per store (open-cater: the store the token is bound to; waimaiopen:
 * `app_poi_code`). Bad payloads are refused in the gateway's error shape (`OP_PARAM_INVALID` /
 * waimaiopen 400, the simulator's own codes); the core's faults (rate limit, validation, timeout)
 * apply before these handlers run.
 *
 * Besides the APIs, the "merchant app": `POST /meituan/merchant/dish` with
 * `{ePoiId, eDishCode, dishName?, skuId?, price?}` edits a dish on the platform side, as a store
 * clerk would in Meituan's merchant app — how a demo or a test makes the menu drift from what the
 * BFF published (the audit reports it).
 */

export function meituanMenu(state: SimState): MeituanMenuState {
  return state.ext('meituan.menu', () => new MeituanMenuState());
}

const PARAMS = 'OP_PARAM_INVALID';
const PARAMS_WAIMAIOPEN = 400;

function jsonList(value: unknown, what: string, code: string | number): Record<string, unknown>[] {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = parseJsonExact(value);
    } catch {
      throw new SimError(code, `${what}不是合法的JSON`);
    }
  }
  if (!Array.isArray(parsed)) throw new SimError(code, `${what}必须是JSON数组`);
  return parsed as Record<string, unknown>[];
}

/** Runs a change; a MenuRefusal becomes the gateway's parameter error. */
function apply<T>(code: string | number, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof MenuRefusal) throw new SimError(code, `参数错误: ${err.message}`);
    throw err;
  }
}

function storeOf(call: OpenCaterCall): string {
  if (!call.ePoiId) throw new SimError('OP_TOKEN_INVALID', 'appAuthToken无效或门店未授权绑定');
  const given = call.biz?.ePoiId;
  if (given !== undefined && given !== call.ePoiId) throw new SimError(PARAMS, `参数错误: ePoiId与授权门店不一致`);
  return call.ePoiId;
}

const num = (v: unknown, fallback: number | null = null) =>
  v === undefined || v === null || v === '' ? fallback : Number(v);

/** A dish as open-cater's queryListByEPoiId answers it (Go SDK `dishquerylistbyepoiid.DishInfo`). */
function dishInfo(ePoiId: string, d: MeituanDish) {
  return {
    eDishCode: d.eDishCode,
    epoiId: ePoiId,
    dishName: d.dishName,
    categoryName: d.categoryName,
    description: d.description,
    unit: d.unit,
    picture: d.picture,
    sequence: d.sequence,
    price: d.price,
    boxNum: d.boxNum,
    boxPrice: d.boxPrice,
    isSoldOut: d.isSoldOut,
    minOrderCount: d.minOrderCount,
    skus: d.skus.map((s) => ({
      skuId: s.skuId,
      spec: s.spec,
      price: String(s.price),
      stock: s.stock,
      boxNum: s.boxNum,
      boxPrice: s.boxPrice,
      upc: s.upc,
      ...(s.availableTimes ? { availableTimes: s.availableTimes } : {}),
    })),
  };
}

const openCater = (path: string, handler: (call: OpenCaterCall, ctx: HandlerContext) => unknown) =>
  registerOpenCater(path, handler);

openCater('/waimai/dish/updateCat', (call, { state }) => {
  const ePoiId = storeOf(call);
  const biz = call.biz ?? {};
  apply(PARAMS, () =>
    meituanMenu(state).upsertCategory(
      ePoiId,
      String(biz.catName ?? ''),
      (biz.oldCatName as string) || null,
      num(biz.sequence),
    ),
  );
  return 'ok';
});

openCater('/waimai/dish/deleteCat', (call, { state }) => {
  const ePoiId = storeOf(call);
  apply(PARAMS, () => meituanMenu(state).deleteCategory(ePoiId, String(call.biz?.catName ?? '')));
  return 'ok';
});

openCater('/waimai/dish/batchUpload', (call, { state }) => {
  const ePoiId = storeOf(call);
  const dishes = jsonList(call.biz?.dishes, 'dishes', PARAMS);
  apply(PARAMS, () =>
    meituanMenu(state).upsertDishes(ePoiId, dishes.map(dishFromOpenCater), call.biz?.skuOverwrite === true),
  );
  return 'ok';
});

openCater('/waimai/dish/updatePrice', (call, { state }) => {
  const ePoiId = storeOf(call);
  const list = jsonList(call.biz?.dishSkuPrices, 'dishSkuPrices', PARAMS);
  apply(PARAMS, () =>
    meituanMenu(state).updatePrices(
      ePoiId,
      list.map((d) => ({
        eDishCode: String(d.eDishCode ?? d.EDishCode ?? ''),
        skus: jsonList(d.skus, 'skus', PARAMS).map((s) => ({
          skuId: String(s.skuId ?? ''),
          price: priceOf(s.price, PARAMS),
        })),
      })),
    ),
  );
  return 'ok';
});

openCater('/waimai/dish/updateProperty', (call, { state }) => {
  const ePoiId = storeOf(call);
  const list = jsonList(call.biz?.dishProperty, 'dishProperty', PARAMS);
  apply(PARAMS, () =>
    meituanMenu(state).setProperties(
      ePoiId,
      list.map((d) => ({
        eDishCode: String(d.eDishCode ?? ''),
        properties: jsonList(d.properties ?? [], 'properties', PARAMS).map((p) => ({
          propertyName: String(p.propertyName ?? ''),
          values: jsonList(p.values ?? [], 'values', PARAMS).map(String),
        })),
      })),
    ),
  );
  return 'ok';
});

openCater('/waimai/dish/delete', (call, { state }) => {
  const ePoiId = storeOf(call);
  apply(PARAMS, () => meituanMenu(state).deleteDish(ePoiId, String(call.biz?.eDishCode ?? '')));
  return 'ok';
});

openCater('/waimai/dish/queryCatList', (call, { state }) =>
  [...meituanMenu(state).store(storeOf(call)).categories.values()].map((c) => ({ name: c.name, sequence: c.sequence })),
);

openCater('/waimai/dish/queryListByEPoiId', (call, { state }) => {
  const ePoiId = storeOf(call);
  const offset = num(call.biz?.offset, 0) as number;
  const limit = num(call.biz?.limit, 0) as number;
  if (!(limit > 0 && limit < 200) || offset < 0) throw new SimError(PARAMS, '参数错误: limit须小于200');
  return [...meituanMenu(state).store(ePoiId).dishes.values()]
    .slice(offset, offset + limit)
    .map((d) => dishInfo(ePoiId, d));
});

openCater('/waimai/dish/queryPropertyList', (call, { state }) => {
  const dish = meituanMenu(state)
    .store(storeOf(call))
    .dishes.get(String(call.biz?.eDishCode ?? ''));
  if (!dish) throw new SimError(PARAMS, '参数错误: 菜品不存在');
  return dish.properties;
});

// ── waimaiopen (legacy gateway): the same menus, snake_case, keyed by app_poi_code ──

const appPoi = (call: WaimaiopenCall) => {
  const code = call.params.app_poi_code;
  if (!code) throw new SimError(PARAMS_WAIMAIOPEN, '参数错误: app_poi_code不能为空');
  return code;
};

function priceOf(value: unknown, code: string | number): number {
  const text = String(value ?? '');
  if (!/^\d+(\.\d{1,2})?$/.test(text)) throw new SimError(code, `参数错误: 价格不合法 ${text}`);
  return Number(text);
}

registerWaimaiopen('foodCat/update', (call, { state }) => {
  const p = call.params;
  apply(PARAMS_WAIMAIOPEN, () =>
    meituanMenu(state).upsertCategory(
      appPoi(call),
      p.category_name ?? '',
      p.category_name_origin || null,
      num(p.sequence),
    ),
  );
});

registerWaimaiopen('foodCat/delete', (call, { state }) => {
  apply(PARAMS_WAIMAIOPEN, () => meituanMenu(state).deleteCategory(appPoi(call), call.params.category_name ?? ''));
});

registerWaimaiopen('foodCat/list', (call, { state }) =>
  [...meituanMenu(state).store(appPoi(call)).categories.values()].map((c) => ({ name: c.name, sequence: c.sequence })),
);

registerWaimaiopen('food/batchinitdata', (call, { state }) => {
  const foods = jsonList(call.params.food_data, 'food_data', PARAMS_WAIMAIOPEN);
  apply(PARAMS_WAIMAIOPEN, () => meituanMenu(state).upsertDishes(appPoi(call), foods.map(dishFromWaimaiopen), true));
});

registerWaimaiopen('food/sku/price', (call, { state }) => {
  const foods = jsonList(call.params.food_data, 'food_data', PARAMS_WAIMAIOPEN);
  apply(PARAMS_WAIMAIOPEN, () =>
    meituanMenu(state).updatePrices(
      appPoi(call),
      foods.map((f) => ({
        eDishCode: String(f.app_food_code ?? ''),
        skus: jsonList(f.skus, 'skus', PARAMS_WAIMAIOPEN).map((s) => ({
          skuId: String(s.sku_id ?? ''),
          price: priceOf(s.price, PARAMS_WAIMAIOPEN),
        })),
      })),
    ),
  );
});

registerWaimaiopen('food/bind/property', (call, { state }) => {
  const list = jsonList(call.params.food_property, 'food_property', PARAMS_WAIMAIOPEN);
  const byFood = new Map<string, { propertyName: string; values: string[] }[]>();
  for (const p of list) {
    const code = String(p.app_food_code ?? '');
    byFood.set(code, [
      ...(byFood.get(code) ?? []),
      {
        propertyName: String(p.property_name ?? ''),
        values: jsonList(p.values, 'values', PARAMS_WAIMAIOPEN).map(String),
      },
    ]);
  }
  apply(PARAMS_WAIMAIOPEN, () =>
    meituanMenu(state).setProperties(
      appPoi(call),
      [...byFood].map(([eDishCode, properties]) => ({ eDishCode, properties })),
    ),
  );
});

registerWaimaiopen('food/delete', (call, { state }) => {
  apply(PARAMS_WAIMAIOPEN, () => meituanMenu(state).deleteDish(appPoi(call), call.params.app_food_code ?? ''));
});

registerWaimaiopen('food/list', (call, { state }) => {
  const offset = num(call.params.offset, 0) as number;
  const limit = num(call.params.limit, 200) as number;
  return [...meituanMenu(state).store(appPoi(call)).dishes.values()].slice(offset, offset + limit).map((d) => ({
    app_poi_code: appPoi(call),
    app_food_code: d.eDishCode,
    name: d.dishName,
    description: d.description,
    price: d.price,
    min_order_count: d.minOrderCount,
    unit: d.unit,
    box_num: d.boxNum,
    box_price: d.boxPrice,
    category_name: d.categoryName,
    is_sold_out: d.isSoldOut,
    picture: d.picture,
    sequence: d.sequence,
    // food/list answers `skus` as a JSON string (kuangcao FoodServiceImpl.gets parses it).
    skus: JSON.stringify(
      d.skus.map((s) => ({
        sku_id: s.skuId,
        spec: s.spec,
        price: String(s.price),
        stock: s.stock,
        box_num: s.boxNum,
        box_price: s.boxPrice,
        upc: s.upc,
      })),
    ),
  }));
});

registerWaimaiopen('food/property/list', (call, { state }) => {
  const dish = meituanMenu(state)
    .store(appPoi(call))
    .dishes.get(call.params.app_food_code ?? '');
  if (!dish) throw new SimError(PARAMS_WAIMAIOPEN, '参数错误: 菜品不存在');
  return dish.properties.map((p) => ({ property_name: p.propertyName, values: p.values }));
});

// ── the merchant app: edits made on the platform side ──

registerRoute('POST', '/meituan/merchant/dish', (_req, res, { state, body }) => {
  const send = (status: number, answer: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
    res.end(JSON.stringify(answer));
  };
  let edit: { ePoiId?: string; eDishCode?: string; dishName?: string; skuId?: string; price?: number };
  try {
    edit = JSON.parse(body || '{}');
  } catch {
    return send(400, { error: 'body must be JSON' });
  }
  const dish = meituanMenu(state)
    .store(edit.ePoiId ?? '')
    .dishes.get(edit.eDishCode ?? '');
  if (!dish) return send(404, { error: `no dish ${edit.eDishCode} at ${edit.ePoiId}` });
  if (edit.dishName) dish.dishName = edit.dishName;
  if (edit.skuId !== undefined && edit.price !== undefined) {
    const sku = dish.skus.find((s) => s.skuId === edit.skuId);
    if (!sku) return send(404, { error: `no sku ${edit.skuId}` });
    sku.price = edit.price;
  }
  send(200, { dish });
});
