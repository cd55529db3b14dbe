// @vitest-environment jsdom
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { storeView } from './fixtures';

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

/** Installs the globals a Taro weapp build expects from the WeChat app shell, then loads it. */
function loadWeappBuild(respond: (options: Options) => { statusCode: number; data: unknown }) {
  const simulate = require('miniprogram-simulate');
  const g = globalThis as Record<string, unknown>;
  const sent: SentRequest[] = [];

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
          this.onLoad?.({});
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
    sent.push({ url: String(options.url), method: options.method as string | undefined });
    const timer = setTimeout(() => {
      const res = { ...respond(options), header: {}, cookies: [], errMsg: 'request:ok' };
      (options.success as ((r: unknown) => void) | undefined)?.(res);
      (options.complete as ((r: unknown) => void) | undefined)?.(res);
    }, 0);
    return { abort: () => clearTimeout(timer), onHeadersReceived() {}, offHeadersReceived() {} };
  };

  require(path.join(dist, 'app.js'));
  (app.onLaunch as Fn | undefined)?.call(app, { path: 'pages/index/index', query: {}, scene: 1001 });
  return { simulate, sent };
}

describe.skipIf(!built)('weapp build in miniprogram-simulate', () => {
  it('renders the stores that wx.request returned on the 选择门店 page', async () => {
    const stores = [
      storeView({ name: '合一小馆（人民广场店）', distanceM: 850, openNow: true }),
      storeView({ name: '合一小馆（西湖店）', distanceM: null, openNow: false }),
    ];
    const { simulate, sent } = loadWeappBuild(() => ({ statusCode: 200, data: { stores } }));

    const id = simulate.load(path.join(dist, 'pages/index/index'), 'store-picker', { rootPath: dist });
    const page = simulate.render(id);
    page.attach(document.createElement('parent-wrapper'));

    let text = '';
    for (let i = 0; i < 50 && !text.includes('合一小馆（西湖店）'); i++) {
      await simulate.sleep(20);
      text = page.dom.textContent ?? '';
    }

    expect(sent).toHaveLength(1);
    // The origin is baked in at build time (HEYI_API_BASE), so only the path is fixed here.
    expect(sent[0]?.url).toMatch(/^https?:\/\/[^/]+\/api\/mp\/stores$/);
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
});
