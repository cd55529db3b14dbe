import { type ElemeCall, registerEleme, registerRoute, SimError } from '../registry';
import type { SimState } from '../state';
import { type ElemeItem, ElemeMenuState, ElemeRefusal } from './menu-state';

/**
 * Ele.me's product APIs (`eleme.product.category.*`, `eleme.product.item.*`, spec
 * delivery-platforms.md §2.4) over one `ElemeMenuState` per simulator (`elemeMenu(state)`).
 * Refusals come back as NOP errors (`VALIDATION_FAILED`, `BIZ_…` — the simulator's own business
 * codes, in the NOP form); the core's faults apply before these handlers run. The simulator does
 * not keep a list of shops: any shopId the app's token calls with is a shop.
 *
 * The merchant app: `POST /eleme/merchant/item` with `{itemId, name?, specId?, price?}` edits an
 * item on the platform side, so a demo or a test can make the menu drift from what was published.
 */

export function elemeMenu(state: SimState): ElemeMenuState {
  return state.ext('eleme.menu', () => new ElemeMenuState());
}

function shopId(value: unknown): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new SimError('VALIDATION_FAILED', 'shopId必须是店铺Id');
  return n;
}

const object = (value: unknown, what: string): Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new SimError('VALIDATION_FAILED', `${what}必须是对象`);
  return value as Record<string, unknown>;
};

/** Runs a change; an ElemeRefusal becomes its NOP error. */
function product<T>(
  call: ElemeCall,
  state: SimState,
  work: (menu: ElemeMenuState, p: Record<string, unknown>) => T,
): T {
  try {
    return work(elemeMenu(state), call.params);
  } catch (err) {
    if (err instanceof ElemeRefusal) throw new SimError(err.code, err.message);
    throw err;
  }
}

const item = (i: ElemeItem) => ({ ...i, specs: i.specs.map((s) => ({ ...s })) });

registerEleme('eleme.product.category.createCategory', (call, { state }) =>
  product(call, state, (m, p) => m.createCategory(shopId(p.shopId), p)),
);
registerEleme('eleme.product.category.updateCategory', (call, { state }) =>
  product(call, state, (m, p) => m.updateCategory(p)),
);
registerEleme('eleme.product.category.invalidCategory', (call, { state }) =>
  product(call, state, (m, p) => m.invalidCategory(p.categoryId)),
);
registerEleme('eleme.product.category.getShopCategories', (call, { state }) =>
  product(call, state, (m, p) => m.shopCategories(shopId(p.shopId))),
);

registerEleme('eleme.product.item.createItem', (call, { state }) =>
  product(call, state, (m, p) => item(m.saveItem(p.categoryId, object(p.properties, 'properties')))),
);
registerEleme('eleme.product.item.updateItem', (call, { state }) =>
  product(call, state, (m, p) => item(m.saveItem(p.categoryId, object(p.properties, 'properties'), p.itemId))),
);
registerEleme('eleme.product.item.invalidItem', (call, { state }) =>
  product(call, state, (m, p) => item(m.invalidItem(p.itemId))),
);
registerEleme('eleme.product.item.batchUpdatePrices', (call, { state }) =>
  product(call, state, (m, p) => m.updatePrices(shopId(p.shopId), p.specPrices).map(item)),
);
registerEleme('eleme.product.item.getItemsByCategoryId', (call, { state }) =>
  product(call, state, (m, p) => {
    const category = m.category(p.categoryId);
    return Object.fromEntries(
      m
        .shopItems(category.shopId)
        .filter((i) => i.categoryId === category.id)
        .map((i) => [String(i.id), item(i)]),
    );
  }),
);
registerEleme('eleme.product.item.getItemByShopIdAndExtendCode', (call, { state }) =>
  product(call, state, (m, p) => {
    const found = m.shopItems(shopId(p.shopId)).find((i) => i.specs.some((s) => s.extendCode === p.extendCode));
    return found ? item(found) : null;
  }),
);

registerRoute('POST', '/eleme/merchant/item', (_req, res, { state, body }) => {
  const send = (status: number, answer: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
    res.end(JSON.stringify(answer));
  };
  let edit: { itemId?: number; name?: string; specId?: number; price?: number };
  try {
    edit = JSON.parse(body || '{}');
  } catch {
    return send(400, { error: 'body must be JSON' });
  }
  const found = elemeMenu(state).items.get(Number(edit.itemId));
  if (found?.isValid !== 1) return send(404, { error: `no item ${edit.itemId}` });
  if (edit.name) found.name = edit.name;
  if (edit.specId !== undefined && edit.price !== undefined) {
    const spec = found.specs.find((s) => s.specId === Number(edit.specId));
    if (!spec) return send(404, { error: `no spec ${edit.specId}` });
    spec.price = edit.price;
  }
  send(200, { item: item(found) });
});
