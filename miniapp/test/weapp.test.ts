// @vitest-environment jsdom
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { menuResponse, noodleProduct, orderView, storeView } from './fixtures';

/**
 * Runs the real `taro build --type weapp` output in miniprogram-simulate (toolchain.md §4, path 2):
 * the page's WXML templates, Taro's runtime and our React code, with wx.request mocked.
 */
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const built = existsSync(path.join(dist, 'app.js')) && existsSync(path.join(dist, 'pages/index/index.js'));
if (!built) {
  console.warn(`[weapp.test] SKIPPED: no weapp build at ${dist}. Run \`pnpm --filter miniapp build:weapp\` first.`);
}

type Options = Record<string, unknown>;
type Fn = (this: unknown, ...args: unknown[]) => unknown;

const require = createRequire(import.meta.url);

interface SentRequest {
  url: string;
  method?: string;
}

type Responder = (options: Options) => { statusCode: number; data: unknown };

/** What the current test answers, sees and opens pages with; the build itself is loaded once per file. */
const current: { respond: Responder; sent: SentRequest[]; query: Record<string, string> } = {
  respond: () => ({ statusCode: 404, data: {} }),
  sent: [],
  query: {},
};
/** wx storage for the pages (tokens, the staff member's store). */
const storage = new Map<string, unknown>();
let loaded: { simulate: Simulate } | null = null;

interface SimulatedPage {
  dom: Element;
  attach(parent: Element): void;
}
interface Simulate {
  load(path: string, tag: string, options: { rootPath: string }): string;
  render(id: string): SimulatedPage;
  sleep(ms: number): Promise<void>;
}

/** Installs the globals a Taro weapp build expects from the WeChat app shell, then loads it (once). */
function loadWeappBuild(respond: Responder, query: Record<string, string> = {}) {
  current.respond = respond;
  current.sent = [];
  current.query = query;
  if (loaded) return { simulate: loaded.simulate, sent: current.sent };

  const simulate = require('miniprogram-simulate') as Simulate;
  const g = globalThis as Record<string, unknown>;

  let app: Options = {};
  g.App = (options: Options) => {
    app = options;
  };
  g.getApp = () => app;
  g.getCurrentPages = () => [];
  // A page is a component whose attach fires the page lifecycle, which is what Taro hooks listen to.
  g.Page = (options: Options) => {
    const methods: Record<string, Fn> = {};
    for (const [key, value] of Object.entries(options)) if (typeof value === 'function') methods[key] = value as Fn;
    (g.Component as (o: Options) => void)({
      data: options.data ?? {},
      methods,
      lifetimes: {
        attached(this: Record<string, Fn | undefined>) {
          this.onLoad?.({ ...current.query });
          this.onShow?.();
        },
        ready(this: Record<string, Fn | undefined>) {
          this.onReady?.();
        },
      },
    });
  };

  const wx = g.wx as Record<string, unknown>;
  wx.request = (options: Options) => {
    current.sent.push({ url: String(options.url), method: options.method as string | undefined });
    const timer = setTimeout(() => {
      const res = { ...current.respond(options), header: {}, cookies: [], errMsg: 'request:ok' };
      (options.success as ((r: unknown) => void) | undefined)?.(res);
      (options.complete as ((r: unknown) => void) | undefined)?.(res);
    }, 0);
    return { abort: () => clearTimeout(timer), onHeadersReceived() {}, offHeadersReceived() {} };
  };
  wx.getStorageSync = (key: string) => storage.get(key) ?? '';
  wx.setStorageSync = (key: string, value: unknown) => void storage.set(key, value);
  wx.removeStorageSync = (key: string) => void storage.delete(key);

  require(path.join(dist, 'app.js'));
  (app.onLaunch as Fn | undefined)?.call(app, { path: 'pages/index/index', query: {}, scene: 1001 });
  loaded = { simulate };
  return { simulate, sent: current.sent };
}

/** Renders a page of the build and waits until its text contains `expected` (or gives up after 1 s). */
async function renderPage(simulate: Simulate, route: string, tag: string, expected: string) {
  const id = simulate.load(path.join(dist, route), tag, { rootPath: dist });
  const page = simulate.render(id);
  page.attach(document.createElement('parent-wrapper'));
  let text = '';
  for (let i = 0; i < 50 && !text.includes(expected); i++) {
    await simulate.sleep(20);
    text = page.dom.textContent ?? '';
  }
  return { page, text };
}

/** A responder answering by path. */
function byPath(answers: Record<string, unknown>): Responder {
  return (options) => {
    const pathname = new URL(String(options.url), 'http://x').pathname;
    return pathname in answers ? { statusCode: 200, data: answers[pathname] } : { statusCode: 404, data: {} };
  };
}

/** Bytes of every file under `dir`, except the sub-package folders named in `skip`. */
function sizeOf(dir: string, skip: readonly string[] = []): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? sizeOf(full) : statSync(full).size;
  }
  return total;
}

describe.skipIf(!built)('weapp package size', () => {
  it('keeps the main package under 1 MB: dish photos are served by the BFF, never bundled', () => {
    const main = sizeOf(dist, ['pages-staff']);
    expect(main).toBeLessThan(1024 * 1024);
    const images = readdirSync(dist, { recursive: true }).filter((f) => /\.(png|jpe?g|webp|svg|gif)$/i.test(String(f)));
    expect(images).toEqual([]);
  });
});

describe.skipIf(!built)('weapp build in miniprogram-simulate', () => {
  it('renders the stores that wx.request returned on the 选择门店 page', async () => {
    const stores = [
      storeView({ name: '合一小馆（人民广场店）', distanceM: 850, openNow: true }),
      storeView({ name: '合一小馆（西湖店）', distanceM: null, openNow: false }),
    ];
    const { simulate, sent } = loadWeappBuild(() => ({ statusCode: 200, data: { stores } }));

    const { page, text } = await renderPage(simulate, 'pages/index/index', 'store-picker', '合一小馆（西湖店）');

    expect(sent).toHaveLength(1);
    // The origin is baked in at build time (HEYI_API_BASE), so only the path is fixed here.
    // With the diner's position when WeChat gives it: the list then says how far each store is.
    expect(sent[0]?.url).toMatch(/^https?:\/\/[^/]+\/api\/mp\/stores(\?lat=[-\d.]+&lng=[-\d.]+)?$/);
    expect(text).not.toContain('正在加载门店…');
    // simulate prefixes class names with the tag name it registered the page under.
    const cards = [...page.dom.querySelectorAll('.store-picker--store-card')].map((card: Element) => ({
      name: card.querySelector('.store-picker--store-name')?.textContent,
      status: card.querySelector('.store-picker--store-status')?.textContent,
      distance: card.querySelector('.store-picker--store-distance')?.textContent ?? null,
    }));
    expect(cards).toEqual([
      { name: '合一小馆（人民广场店）', status: '营业中', distance: '850m' },
      { name: '合一小馆（西湖店）', status: '休息中', distance: null },
    ]);
  });

  it('renders the first screen of the diner pages: menu, checkout, order, 我的订单', async () => {
    storage.set('heyi.token', 'member-token');
    // Promised for 04:20 UTC, which is 12:20 in Shanghai.
    const order = orderView({ status: 'placed', promisedAt: '2026-11-30T04:20:00.000Z' });
    const store = storeView({ id: order.storeId, name: '合一小馆（人民广场店）', timezone: 'Asia/Shanghai' });
    const { simulate, sent } = loadWeappBuild(
      byPath({
        '/api/mp/stores/S1/menu': menuResponse([noodleProduct()]),
        '/api/mp/stores': { stores: [store] },
        [`/api/mp/orders/${order.id}`]: order,
        '/api/mp/orders': { orders: [order] },
      }),
      { storeId: 'S1', id: order.id },
    );

    const menu = await renderPage(simulate, 'pages/menu/index', 'menu-page', '红烧牛肉面');
    expect(menu.text).toContain('红烧牛肉面');
    expect(menu.text).toContain('¥28.00起');
    expect(menu.text).toContain('选规格');
    expect(menu.text).toContain('未选购商品');

    const checkout = await renderPage(simulate, 'pages/checkout/index', 'checkout-page', '购物车是空的');
    expect(checkout.text).toContain('自取');
    expect(checkout.text).toContain('外送');
    expect(checkout.text).toContain('购物车是空的');

    const detail = await renderPage(simulate, 'pages/order/index', 'order-page', '已支付');
    expect(detail.text).toContain('已支付，等待商家接单');
    // The 取餐号 label and its big number are two elements.
    expect(detail.text).toContain(`取餐号${order.daySeq}`);
    // On the store's clock (with the date when that is not today there), whatever the machine's zone.
    expect(detail.text).toMatch(/取餐时间(\S+ )?12:20/);
    expect(detail.text).toContain('我的订单');

    const list = await renderPage(simulate, 'pages/orders/index', 'my-orders-page', '已支付');
    expect(list.text).toContain('合一小馆（人民广场店）');
    expect(list.text).toContain('已支付，等待商家接单');
    expect(list.text).toContain(`取餐号 ${order.daySeq}`);
    expect(list.text).toContain('¥31.00');
    expect(list.text).toMatch(/下单时间 (\S+ )?12:00/);
    // The menu and checkout read the store list afresh (opening state and hours change over the
    // day); the order and the list carry their store and need no list.
    expect(sent.map((r) => new URL(r.url, 'http://x').pathname)).toEqual([
      '/api/mp/stores',
      '/api/mp/stores/S1/menu',
      '/api/mp/stores',
      `/api/mp/orders/${order.id}`,
      '/api/mp/orders',
    ]);
  });

  it('renders the first screen of the staff sub-package: sign-in, kitchen queue, 沽清', async () => {
    storage.set('heyi.staff.token', 'staff-token');
    storage.set('heyi.staff.store', 'S1');
    const order = orderView({ channel: 'eleme', daySeq: 42 });
    const stockItem = {
      skuCode: 'N001-L',
      productCode: 'N001',
      name: '红烧牛肉面',
      specText: '大碗',
      quantity: null,
      soldOut: false,
      soldOutReason: null,
      soldOutUntil: null,
      dailyLimit: null,
      sku: null,
      product: null,
    };
    const { simulate } = loadWeappBuild(
      byPath({
        '/api/staff/stores/S1/queue': { storeId: 'S1', orders: [order] },
        '/api/staff/stores/S1/stock': { storeId: 'S1', businessDate: '2026-11-30', items: [stockItem], products: [] },
      }),
    );

    const login = await renderPage(simulate, 'pages-staff/login/index', 'staff-login', '登录');
    expect(login.text).toContain('门店员工登录');

    const queue = await renderPage(simulate, 'pages-staff/queue/index', 'staff-queue', '#42');
    expect(queue.text).toContain('饿了么');
    expect(queue.text).toContain('#42');
    expect(queue.text).toContain('接单');

    const stock = await renderPage(simulate, 'pages-staff/stock/index', 'staff-stock', '红烧牛肉面');
    expect(stock.text).toContain('红烧牛肉面（大碗）');
    expect(stock.text).toContain('沽清');
  });
});
