// The back office end to end, in headless Chromium at a desktop size, against a running system
// (`pnpm start`: BFF with the demo data, simulators, the published menu).
// Usage: HEYI_E2E_API=http://127.0.0.1:3000 HEYI_E2E_SIM=http://127.0.0.1:4010 node e2e/admin.mjs
// Keeps a screenshot of every page in e2e/out/.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'out');
const api = process.env.HEYI_E2E_API;
const sim = process.env.HEYI_E2E_SIM;
if (!api || !sim) {
  console.error('admin e2e: set HEYI_E2E_API (a running BFF with demo data) and HEYI_E2E_SIM (its simulators)');
  process.exit(2);
}
const PASSWORD = 'heyi-demo';
const SKU = 'N001-L';

const check = (ok, what) => {
  if (!ok) throw new Error(`admin e2e: ${what}`);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, fn, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`admin e2e: timed out waiting for ${what}`);
    await sleep(500);
  }
}
const simCalls = async (platform) => (await (await fetch(`${sim}/_sim/calls?platform=${platform}`)).json()).calls ?? [];

await mkdir(out, { recursive: true });
// Some orders on every platform, so the reports have something to show.
const burst = await fetch(`${sim}/_sim/burst`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ bffUrl: api, count: 24, concurrency: 4 }),
});
check(burst.status === 202, `the simulator refused a burst: ${burst.status}`);

const profile = await mkdtemp(path.join(tmpdir(), 'heyi-admin-e2e-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-sync',
  ],
  viewport: { width: 1440, height: 900 },
});
const pageErrors = [];
const started = Date.now();
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (err) => pageErrors.push(err.message));
  const shot = (name, fullPage = true) => page.screenshot({ path: path.join(out, `${name}.png`), fullPage });
  const signIn = async (username) => {
    await page.goto(`${api}/admin/`, { waitUntil: 'load' });
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=who]');
  };

  await page.goto(`${api}/admin/`, { waitUntil: 'load' });
  await page.waitForSelector('form.login');
  await shot('01-login');

  // HQ: change a dish's price, publish, watch the sync reach both platforms.
  await signIn('hq');
  check((await page.textContent('[data-testid=who]')).includes('4 家门店'), 'hq should see the 4 demo stores');
  await page.click('[data-testid=nav-menu]');
  const input = page.locator(`[data-testid=price-${SKU}]`);
  await input.waitFor();
  const before = Number(await input.inputValue());
  const after = (before + 1.2).toFixed(2);
  await input.fill(after);
  await page.click(`[data-testid=save-${SKU}]`);
  await page.waitForSelector('text=价格已保存');
  const seq = { meituan: (await simCalls('meituan-open-cater')).length, eleme: (await simCalls('eleme')).length };
  await page.click('[data-testid=publish]');
  await page.waitForSelector('text=已发布');
  await until('the sync status to show both platforms in step', async () => {
    await page.click('[data-testid=refresh-sync]');
    await sleep(300);
    const rows = await page.$$eval('[data-testid=sync-status] tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    const bound = rows.filter((r) => r[2] === '已绑定');
    const platforms = new Set(bound.map((r) => r[1]));
    return platforms.has('美团') && platforms.has('饿了么') && bound.every((r) => r[6] === '已一致');
  });
  // The simulators received the new price, signed, on both platforms.
  for (const [platform, n] of Object.entries({ 'meituan-open-cater': seq.meituan, eleme: seq.eleme })) {
    const calls = (await simCalls(platform)).slice(n);
    const text = JSON.stringify(calls);
    check(
      text.includes(SKU) || text.includes(SKU.split('-')[0]),
      `${platform} got no call for ${SKU} after the publish`,
    );
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('02-menu-published-hq', false);

  // The channel-mix report: stacked bars over time, KPIs as small multiples.
  await page.click('[data-testid=nav-reports]');
  await page.waitForSelector('[data-testid=channel-mix-chart] canvas');
  await until('the burst to show in the channel mix', async () => {
    await page.click('[data-testid=nav-menu]');
    await page.click('[data-testid=nav-reports]');
    await page.waitForSelector('[data-testid=mix-total]');
    const total = await page.textContent('[data-testid=mix-total]');
    return /合计：([1-9]\d*) 单/.test(total ?? '');
  });
  await sleep(800); // let ECharts finish its entry animation before the screenshot
  const hqStores = await page.$$eval('[data-testid=channel-mix-table] tbody tr td:nth-child(2)', (tds) =>
    tds.map((td) => td.textContent ?? ''),
  );
  check(
    hqStores.some((s) => s.startsWith('HZ')),
    'hq should see Hangzhou stores in the channel mix',
  );
  await shot('03-reports-hq');

  // 门店: a table's QR code parameter.
  await page.click('[data-testid=nav-stores]');
  await page.click('[data-testid=make-table]');
  await page.waitForSelector('[data-testid=table-code]');
  await shot('04-stores-hq');
  // 库存: mark a dish sold out, see it, put it back.
  await page.click('[data-testid=nav-stock]');
  await page.click(`[data-testid=soldout-${SKU}]`);
  await page.waitForSelector(`[data-testid=soldout-${SKU}]:has-text("恢复售卖")`);
  await shot('05-stock-hq', false);
  await page.click(`[data-testid=soldout-${SKU}]`);
  await page.waitForSelector(`[data-testid=soldout-${SKU}]:has-text("沽清")`);
  // 订单: today's orders across channels, one with its timeline.
  await page.click('[data-testid=nav-orders]');
  await page.click('[data-testid=order-detail] >> nth=0');
  await page.waitForSelector('[data-testid=timeline] li');
  await shot('06-orders-hq');
  await page.click('text=退出');

  // The Shanghai region manager sees only Shanghai.
  await signIn('rm-sh');
  check((await page.textContent('[data-testid=who]')).includes('2 家门店'), 'rm-sh should see 2 stores');
  await page.click('[data-testid=nav-reports]');
  await page.waitForSelector('[data-testid=mix-total]');
  await sleep(800);
  const rmStores = await page.$$eval('[data-testid=channel-mix-table] tbody tr td:nth-child(2)', (tds) =>
    tds.map((td) => td.textContent ?? ''),
  );
  check(rmStores.length > 0 && rmStores.every((s) => s.startsWith('SH')), `rm-sh saw ${rmStores.join(', ')}`);
  const options = await page.$$eval('[data-testid=store-picker] option', (os) => os.map((o) => o.textContent ?? ''));
  check(
    options.filter((o) => o !== '全部门店').every((o) => o.startsWith('SH')),
    `rm-sh can pick ${options.join(', ')}`,
  );
  await shot('07-reports-rm-sh');
  check(pageErrors.length === 0, `page errors: ${pageErrors.join('; ')}`);
  console.log(`admin e2e passed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${out}`);
} finally {
  await browser.close();
  await rm(profile, { recursive: true, force: true });
}
