// H5 end-to-end: a member orders and pays and finds the order in 我的订单, then the store's clerk
// accepts it and 我的订单 shows 商家已接单, in headless Chromium against the real H5 build, a
// running BFF and the platform simulators.
// Usage: HEYI_E2E_API=http://127.0.0.1:3000 HEYI_E2E_SIM=http://127.0.0.1:4010 node e2e/h5-order.mjs
//        (after `pnpm build:h5`; the BFF must have the demo data and use that simulator)
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchPhone } from './browser.mjs';
import { serveH5 } from './serve-h5.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const distH5 = path.resolve(here, '../dist-h5');
const shots = path.join(here, 'out');
// From the BFF's demo seed (db seed): store SH001, its clerk, and a dish with a spec and add-ons.
const STORE_CODE = 'SH001';
const CLERK = { username: 'clerk-sh001', password: 'heyi-demo' };
const DISH = '红烧牛肉面';
const SPEC = '小碗';
const ADDONS = ['微辣', '加卤蛋'];
// 小碗 ¥28 + 加卤蛋 ¥2 + 打包费 ¥1 (the seed's prices for the mini-program channel).
const EXPECTED_TOTAL = '¥31';

const api = process.env.HEYI_E2E_API;
const sim = process.env.HEYI_E2E_SIM;
if (!api || !sim) {
  console.error(
    'h5-order: set HEYI_E2E_API (a running BFF with demo data) and HEYI_E2E_SIM (the simulators it uses), e.g. http://127.0.0.1:3000 and http://127.0.0.1:4010',
  );
  process.exit(2);
}
if (!existsSync(path.join(distH5, 'index.html'))) {
  console.error(`h5-order: no H5 build at ${distH5}; run \`pnpm --filter miniapp build:h5\` first`);
  process.exit(2);
}

const started = Date.now();
const steps = [];
const pageErrors = [];
const server = await serveH5({ root: distH5, apiTarget: api, simTarget: sim });
const profile = await mkdtemp(path.join(tmpdir(), 'heyi-e2e-chromium-'));
let context;
let page;
let failure = null;

/** Runs one step; a failure names the step and what the page showed. */
async function step(name, fn) {
  try {
    await fn();
    steps.push(name);
  } catch (err) {
    const shown = page ? ((await page.textContent('body').catch(() => '')) ?? '').replace(/\s+/g, ' ').trim() : '';
    // Playwright appends a multi-line call log; the first line says what went wrong.
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new Error(`${name}: ${reason} (page shows ${JSON.stringify(shown.slice(0, 240))})`);
  }
}

/** Waits for an element's text to match, failing with the text it had. */
async function expectText(locator, pattern, timeout = 15_000) {
  const until = Date.now() + timeout;
  let text = '';
  while (Date.now() < until) {
    text = (
      (await locator
        .first()
        .textContent({ timeout: 1000 })
        .catch(() => '')) ?? ''
    ).trim();
    if (pattern.test(text)) return text;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`expected ${pattern} but saw ${JSON.stringify(text)}`);
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let orderId = '';
let daySeq = '';
let restoreHours = async () => {};

async function setHours(storeId, businessHours) {
  const login = await fetch(`${api}/api/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'hq', password: 'heyi-demo' }),
  }).then((r) => r.json());
  const res = await fetch(`${api}/api/staff/stores/${storeId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
    body: JSON.stringify({ businessHours }),
  });
  if (!res.ok) throw new Error(`could not set the hours of ${STORE_CODE}: ${res.status} ${await res.text()}`);
}
try {
  const { stores } = await fetch(`${api}/api/mp/stores`).then((r) => r.json());
  const store = stores.find((s) => s.code === STORE_CODE);
  if (!store) throw new Error(`the BFF has no store ${STORE_CODE}`);
  // The demo stores open 10:00–22:00 in Shanghai and this may run at any hour: HQ opens the store
  // around the clock for the run (PATCH /api/staff/stores/:id, as a manager would), and the
  // original hours are put back at the end.
  await setHours(store.id, [{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }]);
  restoreHours = () => setHours(store.id, store.businessHours);

  context = await launchPhone(profile);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => pageErrors.push(err.message));

  await step(`pick ${STORE_CODE}`, async () => {
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.locator('.store-picker__item', { hasText: store.name }).click({ timeout: 20_000 });
    await page.waitForSelector('.menu-product', { timeout: 20_000 });
  });

  await step(`choose ${DISH} ${SPEC} with ${ADDONS.join('、')}`, async () => {
    const dish = page.locator('.menu-product', { has: page.locator('.menu-product__name', { hasText: DISH }) });
    await dish.locator('.menu-product__choose').click();
    await page.locator('.picker__option', { hasText: SPEC }).click();
    // The spicy level is required (exactly one): adding is refused until it is chosen.
    await expectText(page.locator('.picker__problem'), /请选择辣度/);
    for (const addon of ADDONS) await page.locator('.picker__addon', { hasText: addon }).click();
    await page.locator('.picker__add').click();
    await expectText(page.locator('.cart-bar__count'), /已选 1 件/);
  });

  await step('check out for pickup and see the quote', async () => {
    await page.locator('.cart-bar__checkout').click();
    await page.waitForSelector('.checkout__tab--active', { timeout: 10_000 });
    await expectText(page.locator('.checkout__tab--active'), /^自取$/);
    // Either the quote or its error ends the wait.
    await page.waitForSelector('.quote__total, .quote__error', { timeout: 15_000 });
    const quoteError = await page
      .locator('.quote__error')
      .textContent({ timeout: 100 })
      .catch(() => null);
    if (quoteError) {
      throw new Error(`the quote was refused: ${quoteError}`);
    }
    await expectText(page.locator('.quote-line__name'), new RegExp(`^${DISH}（${SPEC}）(?=.*微辣)(?=.*加卤蛋).*×1$`));
    await expectText(page.locator('.quote__packaging'), /^¥1$/);
    await expectText(page.locator('.quote__total'), new RegExp(`^${EXPECTED_TOTAL}$`));
  });

  await step('place the order and pay at the simulator cashier', async () => {
    await page.locator('.checkout__submit').click();
    await page.waitForURL(/pages\/order\/index\?id=/, { timeout: 20_000 });
    orderId = new URL(page.url().replace('#/', '')).searchParams.get('id') ?? '';
    if (!orderId) throw new Error(`no order id in ${page.url()}`);
    await expectText(page.locator('.order__status'), /已支付，等待商家接单/, 20_000);
    daySeq = (await expectText(page.locator('.order__seq'), /取餐号 \d+/)).replace(/\D/g, '');
    await expectText(page.locator('.order__paid'), new RegExp(`^${EXPECTED_TOTAL}$`));
    await mkdir(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'order-paid.png'), fullPage: true });
  });

  await step('find the paid order in 我的订单', async () => {
    await page.locator('.order__my-orders').click({ timeout: 10_000 });
    await page.waitForURL(/pages\/orders\/index/, { timeout: 20_000 });
    const item = page.locator(`.my-orders__item[data-order-id="${orderId}"]`);
    await item.waitFor({ timeout: 20_000 });
    // The newest order comes first.
    const first = await page.locator('.my-orders__item').first().getAttribute('data-order-id');
    if (first !== orderId) throw new Error(`the newest order listed first is ${first}, not ${orderId}`);
    await expectText(item.locator('.my-orders__status'), /^已支付，等待商家接单$/);
    await expectText(item.locator('.my-orders__seq'), new RegExp(`^取餐号 ${daySeq}$`));
    await expectText(item.locator('.my-orders__total'), new RegExp(`^${EXPECTED_TOTAL}$`));
    await expectText(item.locator('.my-orders__store'), new RegExp(`^${escapeRegExp(store.name)}$`));
    await expectText(item.locator('.my-orders__time'), /^下单时间 (\d+月\d+日 )?\d{2}:\d{2}$/);
    // Let the page's slide-in finish, so the picture shows the list where it ends up.
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, 'my-orders.png'), fullPage: true });
    // Tapping it opens the order again.
    await item.click();
    await page.waitForURL(new RegExp(`pages/order/index\\?id=${orderId}`), { timeout: 20_000 });
    await expectText(page.locator('.order__seq'), new RegExp(`^取餐号 ${daySeq}$`));
  });

  await step(`sign in as ${CLERK.username} through 门店员工`, async () => {
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.locator('.store-picker__staff').click({ timeout: 20_000 });
    await page.locator('.staff-login__username input').fill(CLERK.username, { timeout: 10_000 });
    await page.locator('.staff-login__password input').fill(CLERK.password);
    await page.locator('.staff-login__submit').click();
    await page.waitForSelector('.ticket, .staff__hint', { timeout: 20_000 });
  });

  await step(`accept order #${daySeq} (接单)`, async () => {
    const ticket = page.locator(`.ticket[data-order-id="${orderId}"]`);
    await ticket.waitFor({ timeout: 10_000 });
    await expectText(ticket.locator('.ticket__channel'), /^小程序$/);
    await expectText(ticket.locator('.ticket__seq'), new RegExp(`^#${daySeq}$`));
    await expectText(ticket.locator('.ticket__status'), /^待接单$/);
    await expectText(ticket.locator('.ticket__line-name'), new RegExp(`${DISH}（${SPEC}）`));
    await expectText(ticket.locator('.ticket__addons'), /^(?=.*微辣)(?=.*加卤蛋)/);
    await ticket.locator('.ticket__action--accept').click();
    await expectText(ticket.locator('.ticket__status'), /^已接单$/);
    await expectText(ticket.locator('.ticket__action'), /^出餐完成$/);
    await page.screenshot({ path: path.join(shots, 'queue-accepted.png'), fullPage: true });
  });

  await step('see 商家已接单 in 我的订单', async () => {
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.locator('.store-picker__my-orders').click({ timeout: 20_000 });
    const item = page.locator(`.my-orders__item[data-order-id="${orderId}"]`);
    await item.waitFor({ timeout: 20_000 });
    await expectText(item.locator('.my-orders__status'), /^商家已接单$/);
  });

  if (pageErrors.length) failure = `page errors: ${pageErrors.join(' | ')}`;
} catch (err) {
  failure = (err instanceof Error ? err.message : String(err)).split('\n')[0];
} finally {
  await restoreHours().catch((err) => {
    failure ??= `could not put the hours of ${STORE_CODE} back: ${err.message}`;
  });
  await context?.close().catch(() => {});
  await server.close();
  await rm(profile, { recursive: true, force: true });
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failure) {
  console.error(`h5-order: FAIL in ${seconds}s after [${steps.join(' → ')}]: ${failure}`);
  process.exit(1);
}
console.log(
  `h5-order: ok in ${seconds}s: ${steps.join(' → ')}; order ${orderId} (#${daySeq}) paid, listed in 我的订单 and accepted`,
);
