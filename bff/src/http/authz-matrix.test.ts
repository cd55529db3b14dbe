import { demoIds } from 'db';
import { snapshotTables, storageTargets } from 'db/testing';
import type { StaffRole } from 'shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../sim/src/server';
import { wechatLogin } from '../../../sim/src/wechat/code2session';
import { registerRoutes } from '../app';
import { ManualClock } from '../lib/clock';
import { startTestApp, type TestApp } from '../testing';
import type { AnyRouteDef } from './router';

/**
 * The authorization matrix, built from the route table itself: every route that takes an id is
 * tried by every role (HQ, a region manager, a store manager, a clerk, a member, anonymous)
 * against another store, another region and another member's resources. A route with an id that
 * is not classified below fails the test, so a new route is covered or noticed.
 */

/** Every id a route can take besides a `storeParam` store, and what guards it. */
const KINDS = {
  /** The registry checks the store against the staff scope before the handler. */
  store: 'store',
  /** A staff route on one order: the handler checks the order's store against the scope. */
  staffOrder: 'staff-order',
  /** A member route on one of their orders: anyone else's is not found. */
  memberOrder: 'member-order',
  /** Brand-wide catalog rows (categories, products, SKUs, templates): HQ writes, managers read. */
  catalog: 'catalog',
  /** Public by design: the member menu of an open store, a signed table code, a dish photo. */
  public: 'public',
} as const;
type Kind = (typeof KINDS)[keyof typeof KINDS];

/** Routes with ids and no `storeParam`, by path. */
const CLASSIFIED: Record<string, Kind> = {
  '/api/staff/orders/:orderId': KINDS.staffOrder,
  '/api/staff/orders/:orderId/accept': KINDS.staffOrder,
  '/api/staff/orders/:orderId/start': KINDS.staffOrder,
  '/api/staff/orders/:orderId/ready': KINDS.staffOrder,
  '/api/staff/orders/:orderId/delivered': KINDS.staffOrder,
  '/api/staff/orders/:orderId/handover': KINDS.staffOrder,
  '/api/staff/orders/:orderId/cancel': KINDS.staffOrder,
  '/api/staff/orders/:orderId/refund/agree': KINDS.staffOrder,
  '/api/staff/orders/:orderId/refund/reject': KINDS.staffOrder,
  '/api/mp/orders/:orderId': KINDS.memberOrder,
  '/api/mp/orders/:orderId/payment': KINDS.memberOrder,
  '/api/mp/orders/:orderId/cancel': KINDS.memberOrder,
  '/api/admin/catalog/categories/:id': KINDS.catalog,
  '/api/admin/catalog/products/:id': KINDS.catalog,
  '/api/admin/catalog/products/:id/specs': KINDS.catalog,
  '/api/admin/catalog/products/:id/addon-groups': KINDS.catalog,
  '/api/admin/catalog/skus/:id': KINDS.catalog,
  '/api/admin/catalog/addon-groups/:id': KINDS.catalog,
  '/api/admin/catalog/channel-prices/:id': KINDS.catalog,
  '/api/admin/catalog/templates/:id': KINDS.catalog,
  '/api/admin/catalog/templates/:id/push': KINDS.catalog,
  '/api/mp/stores/:storeId/menu': KINDS.public,
  '/api/mp/dinein/tables/:code': KINDS.public,
  '/media/:mediaId': KINDS.public,
};

/** Further ids on store routes: each names something of the store in the path (or brand-wide codes). */
const STORE_SUB_PARAMS: Record<string, string> = {
  skuCode: 'N001-L',
  productCode: 'N001',
  alertId: '01J0000000000000000000000Z',
  orderId: '01J0000000000000000000000Z',
  skuId: '01J0000000000000000000000Z',
  productId: '01J0000000000000000000000Z',
  tableNo: '1',
};

const paramsOf = (def: AnyRouteDef) => [...def.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);

function kindOf(def: AnyRouteDef): Kind | undefined {
  if (def.storeParam) return KINDS.store;
  return CLASSIFIED[def.path];
}

/** A body the route's own schema accepts, so that a refusal is the authorization's, not the body's. */
function validBody(def: AnyRouteDef): unknown {
  if (!def.body) return undefined;
  const candidates = [{}, { reason: 'sold_out' }, { reason: 'cancelled' }, { reason: '不同意退款' }];
  return candidates.find((c) => def.body?.safeParse(c).success) ?? {};
}

type Principal = 'hq' | 'rm-sh' | 'sm-sh001' | 'clerk-sh001' | 'member' | 'anonymous';
const STAFF_ROLE: Record<string, StaffRole> = {
  hq: 'hq_admin',
  'rm-sh': 'region_manager',
  'sm-sh001': 'store_manager',
  'clerk-sh001': 'clerk',
};
/** Stores each staff principal may reach. */
const REACH: Record<string, string[] | 'all'> = {
  hq: 'all',
  'rm-sh': ['SH001', 'SH002'],
  'sm-sh001': ['SH001'],
  'clerk-sh001': ['SH001'],
};
/** Another store in the same region, and a store in another region. */
const TARGETS = ['SH002', 'HZ001'] as const;
/** 12:00 on a weekday in Shanghai: every demo store is open. */
const NOON = Date.UTC(2026, 2, 10, 4, 0);

describe.each(storageTargets())('authorization matrix on $dialect', (storage) => {
  let sim: RunningSimulator;
  let app: TestApp;
  let defs: AnyRouteDef[];
  const tokens: Partial<Record<Principal, string>> = {};
  let otherMemberToken = '';
  /** Orders of another member, one per store. */
  const orders: Record<string, string> = {};

  beforeAll(async () => {
    const clock = new ManualClock(NOON);
    sim = await startSimulator({ now: () => clock.now() });
    app = await startTestApp(storage, { clock, env: { SIM_BASE_URL: sim.url } });
    defs = registerRoutes(app.container, () => ({})).defs;
    for (const username of Object.keys(STAFF_ROLE)) tokens[username as Principal] = await app.login(username);
    const member = async (openid: string) => {
      const code = wechatLogin(sim.state).issueCode({ openid });
      return (await app.request('POST', '/api/mp/auth/login', { body: { code } })).body.token as string;
    };
    tokens.member = await member('o-matrix-a');
    otherMemberToken = await member('o-matrix-b');
    for (const code of ['SH001', ...TARGETS]) {
      const placed = await app.request('POST', '/api/mp/orders', {
        token: otherMemberToken,
        headers: { 'idempotency-key': `matrix-${code}-${storage.dialect}` },
        body: { storeId: demoIds.store(code), fulfillment: 'pickup', lines: [{ skuCode: 'D003', quantity: 1 }] },
      });
      expect(placed.status, placed.text).toBe(201);
      orders[code] = placed.body.order.id;
    }
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  it('classifies every route that takes an id', () => {
    const unclassified = defs
      .filter((d) => paramsOf(d).length > 0 && !kindOf(d))
      .map((d) => `${d.method.toUpperCase()} ${d.path}`);
    expect(unclassified).toEqual([]);
    const unknownSubParams = defs
      .filter((d) => d.storeParam)
      .flatMap((d) => paramsOf(d).filter((p) => p !== d.storeParam && !(p in STORE_SUB_PARAMS)))
      .map((p) => `:${p}`);
    expect(unknownSubParams).toEqual([]);
    const stale = Object.keys(CLASSIFIED).filter((path) => !defs.some((d) => d.path === path));
    expect(stale).toEqual([]);
  });

  /** Who must be refused on a route of this kind for a resource of `store` (or another member's). */
  function refused(def: AnyRouteDef, who: Principal, store: string): boolean {
    const kind = kindOf(def);
    if (kind === KINDS.public) return false;
    if (who === 'anonymous') return true;
    // Every order here is another member's: staff tokens are not member tokens either.
    if (kind === KINDS.memberOrder) return true;
    if (who === 'member') return true;
    const role = STAFF_ROLE[who] as StaffRole;
    if (Array.isArray(def.auth) && !def.auth.includes(role)) return true;
    if (kind === KINDS.catalog) return false;
    const reach = REACH[who] as string[] | 'all';
    return reach !== 'all' && !reach.includes(store);
  }

  function pathFor(def: AnyRouteDef, store: string): string {
    return def.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
      if (name === def.storeParam || name === 'storeId') return demoIds.store(store);
      if (name === 'orderId' && !def.storeParam) return orders[store] as string;
      if (name === 'id') return '01J0000000000000000000000Z';
      return STORE_SUB_PARAMS[name] ?? 'x';
    });
  }

  it('refuses every role outside its scope, and every member but the owner, writing nothing', async () => {
    const before = await snapshotTables(app.database);
    const leaks: string[] = [];
    let tried = 0;
    for (const def of defs.filter((d) => paramsOf(d).length > 0)) {
      for (const store of TARGETS) {
        for (const who of [...Object.keys(STAFF_ROLE), 'member', 'anonymous'] as Principal[]) {
          if (!refused(def, who, store)) continue;
          // The stream of a store someone may not see is refused before it starts, like any route.
          const res = await app.request(def.method.toUpperCase(), pathFor(def, store), {
            ...(tokens[who] ? { token: tokens[who] } : {}),
            ...(def.body ? { body: validBody(def) } : {}),
          });
          tried++;
          const denied = [401, 403, 404].includes(res.status) && typeof res.body?.error?.code === 'string';
          if (!denied) leaks.push(`${who} ${def.method.toUpperCase()} ${def.path} at ${store}: ${res.status}`);
          if (res.status === 200 && JSON.stringify(res.body).includes(orders[store] as string)) {
            leaks.push(`${who} saw order ${orders[store]} through ${def.path}`);
          }
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(tried).toBeGreaterThan(200);
    expect(await snapshotTables(app.database)).toEqual(before);
  }, 120_000);

  it('lets the owner see their own order and no one else see it', async () => {
    const path = `/api/mp/orders/${orders.SH001}`;
    expect((await app.request('GET', path, { token: otherMemberToken })).status).toBe(200);
    const other = await app.request('GET', path, { token: tokens.member });
    expect([other.status, other.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });
});
