// H5 end-to-end: a diner and a clerk, as a person would use the app at 390×844, against the real
// H5 build, a running BFF and the platform simulators. Every page it passes is kept as a
// screenshot in e2e/out/. What it checks, by the points of issue 12:
//   1 kitchen tickets: aligned buttons, cancel reasons on one line, day number, channel, age, a chime
//   2 closed stores: hours on the list, 休息中 with the next opening on the menu, ordering ahead,
//     a greyed 提交订单 that does nothing and one error message
//   3 one price format (¥64.50) on every page, no 配送费 on pickup
//   4 the menu: store header, category sidebar that follows the scroll, photos, cart bar and sheet,
//     a cart that survives a reload
//   5 the order page: store, address, map link, big 取餐号, live status there and in 我的订单
//   6 沽清: by category, search, aligned toggles
//   7 the H5 navigation bar with title and back button
//   8 pickup time and contact phone, cancel before the store accepts, 再来一单, the pay confirmation
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
// From the BFF's demo seed (db seed).
const CLERK = { username: 'clerk-sh001', password: 'heyi-demo' };
const DISH = '红烧牛肉面';
const SPEC = '小碗';
const ADDONS = ['微辣', '加卤蛋'];
const SIDE = '卤蛋';
// 小碗 ¥28.00 + 加卤蛋 ¥2.00 + 打包费 ¥1.00, and a 卤蛋 ¥3.00 without packaging: ¥34.00 (the seed's prices).

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
const taken = [];
const server = await serveH5({ root: distH5, apiTarget: api, simTarget: sim });
const profile = await mkdtemp(path.join(tmpdir(), 'heyi-e2e-chromium-'));
let context;
let page;
let failure = null;
const restore = [];

/** Runs one step; a failure names the step and what the page showed. */
let currentStep = 'setup';
async function step(name, fn) {
  currentStep = name;
  try {
    await fn();
    steps.push(name);
  } catch (err) {
    const shown = page ? ((await page.textContent('body').catch(() => '')) ?? '').replace(/\s+/g, ' ').trim() : '';
    // Playwright appends a multi-line call log; the first line says what went wrong.
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new Error(`${name}: ${reason} (page shows ${JSON.stringify(shown.slice(0, 300))})`);
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
    )
      .replace(/\s+/g, ' ')
      .trim();
    if (pattern.test(text)) return text;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`expected ${pattern} but saw ${JSON.stringify(text)}`);
}

/** Every price on the page is written one way: ¥ and two decimals. */
async function expectOnePriceFormat(p, where) {
  const text = (await p.textContent('body')) ?? '';
  const odd = [...text.matchAll(/¥[\d.]+/g)].map((m) => m[0]).filter((t) => !/^¥\d+\.\d{2}$/.test(t));
  if (odd.length) throw new Error(`${where}: prices not in the ¥64.50 format: ${odd.join(' ')}`);
}

/** The H5 navigation bar shows the page's title, and a back button on pages opened from another. */
async function expectNavBar(p, title, withBack) {
  const bar = p.locator('#taro-navigation-bar');
  await expectText(bar.locator('.taro-navigation-bar-title'), title);
  if (!(await bar.isVisible())) throw new Error('the navigation bar is hidden');
  if (withBack && !(await bar.locator('.taro-navigation-bar-back').isVisible())) {
    throw new Error(`no back button in the navigation bar of ${title}`);
  }
}

async function shot(p, name) {
  await mkdir(shots, { recursive: true });
  // Let slide-ins and toasts settle, so the picture shows the page where it ends up.
  await p.waitForTimeout(600);
  await p.screenshot({ path: path.join(shots, `${name}.png`) });
  taken.push(`${name}.png`);
}

async function staffToken(username) {
  const res = await fetch(`${api}/api/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'heyi-demo' }),
  });
  return (await res.json()).token;
}

async function patchStore(storeId, body) {
  const res = await fetch(`${api}/api/staff/stores/${storeId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await staffToken('hq')}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`could not change store ${storeId}: ${res.status} ${await res.text()}`);
}

/** Hours that exclude now in Shanghai: one hour, starting six hours from now. */
function closedNowHours() {
  const shanghaiHour = (new Date().getUTCHours() + 8) % 24;
  const open = (shanghaiHour + 6) % 24;
  const pad = (n) => String(n).padStart(2, '0');
  return [{ days: [1, 2, 3, 4, 5, 6, 7], open: `${pad(open)}:00`, close: `${pad(open + 1)}:00` }];
}

/** The member's token as the H5 app keeps it (Taro wraps stored values as {data}). */
async function memberToken(p) {
  const raw = await p.evaluate(() => localStorage.getItem('heyi.token'));
  const parsed = JSON.parse(raw ?? 'null');
  return typeof parsed === 'string' ? parsed : parsed?.data;
}

/** Places and pays an order as the signed-in member, outside the page (a second diner's order). */
async function placePaidOrder(token, storeId) {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const res = await fetch(`${api}/api/mp/orders`, {
    method: 'POST',
    headers: { ...headers, 'idempotency-key': `e2e-${Date.now()}` },
    body: JSON.stringify({ storeId, fulfillment: 'pickup', lines: [{ skuCode: 'S005', quantity: 1 }] }),
  });
  const placed = await res.json();
  if (res.status !== 201) throw new Error(`could not place an order: ${res.status} ${JSON.stringify(placed)}`);
  const paid = await fetch(`${sim}/wechatpay/_sim/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(placed.payment),
  });
  if (!paid.ok) throw new Error(`the simulated cashier refused: ${paid.status}`);
  return placed.order.id;
}

const orderIdOf = (p) => new URL(p.url().replace('#/', '')).searchParams.get('id') ?? '';

let orderId = '';
let daySeq = '';
try {
  const { stores } = await fetch(`${api}/api/mp/stores`).then((r) => r.json());
  const byCode = (code) => {
    const s = stores.find((x) => x.code === code);
    if (!s) throw new Error(`the BFF has no store ${code}`);
    return s;
  };
  const [sh1, sh2, hz1] = [byCode('SH001'), byCode('SH002'), byCode('HZ001')];
  // The demo stores open 10:00–22:00 in Shanghai and this may run at any hour: SH001 opens around
  // the clock for the run; SH002 is closed but takes orders a day ahead; HZ001 is closed and takes
  // none. Every change is put back at the end.
  await patchStore(sh1.id, { businessHours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }] });
  restore.push(() => patchStore(sh1.id, { businessHours: sh1.businessHours }));
  await patchStore(sh2.id, { businessHours: closedNowHours(), preorderDays: 1 });
  restore.push(() => patchStore(sh2.id, { businessHours: sh2.businessHours, preorderDays: sh2.preorderDays }));
  await patchStore(hz1.id, { businessHours: closedNowHours() });
  restore.push(() => patchStore(hz1.id, { businessHours: hz1.businessHours }));

  context = await launchPhone(profile);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => pageErrors.push(`${err.message} (during: ${currentStep})`));
  const orderPosts = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/mp/orders') orderPosts.push(req.url());
  });

  await step('the store list says hours, distance and 休息中 with the next opening', async () => {
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    const card = (s) => page.locator('.store-picker__item', { hasText: s.name });
    await expectText(card(sh1).locator('.store-status'), /^营业中$/, 20_000);
    await expectText(card(sh1).locator('.store-hours'), /^营业时间 00:00–24:00$/);
    await expectText(card(sh1).locator('.store-distance'), /^\d+m$/);
    await expectText(card(hz1).locator('.store-status'), /^休息中$/);
    await expectText(card(hz1).locator('.store-hours'), /^(今天|明天) \d{2}:00 营业$/);
    await expectText(card(hz1).locator('.store-distance'), /^\d+km$/);
    await expectText(card(sh2).locator('.store-preorder'), /^可预约自取$/);
    // Nearest first: the diner stands by SH001.
    await expectText(page.locator('.store-name'), new RegExp(`^${sh1.name.replace(/[()（）]/g, '.')}$`));
    await expectNavBar(page, /^选择门店$/, false);
    await shot(page, 'stores');
  });

  await step('a closed store says so on the menu, and takes no cart', async () => {
    await page.locator('.store-picker__item', { hasText: hz1.name }).click();
    await page.waitForSelector('.menu-product', { timeout: 20_000 });
    await expectText(page.locator('.store-header__banner'), /^休息中 · (今天|明天) \d{2}:00 营业，暂不接单$/);
    if ((await page.locator('.menu-product__add, .menu-product__choose').count()) !== 0) {
      throw new Error('a closed store still offers to add dishes');
    }
    await expectText(page.locator('.cart-bar__checkout'), /^休息中$/);
    await expectNavBar(page, /^点餐$/, true);
    await shot(page, 'menu-closed');
    await page.goBack();
  });

  await step('a closed store that takes orders ahead offers pickup times', async () => {
    await page.locator('.store-picker__item', { hasText: sh2.name }).click();
    await page.waitForSelector('.menu-product', { timeout: 20_000 });
    await expectText(page.locator('.store-header__banner'), /，现在可预约自取$/);
    const side = page.locator('.menu-product', { has: page.locator('.menu-product__name', { hasText: SIDE }) });
    await side.locator('.menu-product__add').click();
    await expectText(page.locator('.cart-bar__checkout'), /^去预约$/);
    await shot(page, 'menu-ahead');
    await page.locator('.cart-bar__checkout').click();
    await expectText(page.locator('.checkout__time-value'), /^预约 (今天|明天) \d{2}:\d{2} ›$/);
    await page.waitForSelector('.quote__total', { timeout: 15_000 });
    await expectOnePriceFormat(page, 'checkout (ahead)');
    await shot(page, 'checkout-ahead');
    await page.locator('.checkout__time').click();
    await page.waitForSelector('.time-sheet__option');
    if ((await page.locator('.time-sheet__option', { hasText: '尽快取餐' }).count()) !== 0) {
      throw new Error('a closed store offers 尽快取餐');
    }
    await shot(page, 'pickup-time');
    await page.locator('.time-sheet__close').click();
  });

  await step(`open ${sh1.code}: header, sidebar that follows the scroll, photos`, async () => {
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.locator('.store-picker__item', { hasText: sh1.name }).click({ timeout: 20_000 });
    await page.waitForSelector('.menu-product', { timeout: 20_000 });
    await expectText(page.locator('.store-header__name'), new RegExp(sh1.name.replace(/[()（）]/g, '.')));
    await expectText(page.locator('.store-header__hours'), /^营业时间 00:00–24:00$/);
    // The cart of another store was not carried over.
    await expectText(page.locator('.cart-bar__empty'), /^未选购商品$/);
    // The first dishes' photos arrive (from the BFF's /media), lazily, over the placeholder.
    await page.waitForSelector('.dish-image__img--loaded', { timeout: 15_000 });
    await expectOnePriceFormat(page, 'menu');
    await shot(page, 'menu');
    const navItems = page.locator('.menu-nav__item');
    if ((await navItems.count()) < 5) throw new Error('the category sidebar is missing');
    // Tapping a category brings its dishes up…
    const last = navItems.last();
    const lastName = ((await last.textContent()) ?? '').trim();
    await last.click();
    await expectText(page.locator('.menu-nav__item--active'), new RegExp(`^${lastName}`));
    await page.waitForTimeout(800);
    const heading = page.locator('.menu-category__name', { hasText: lastName });
    if (!(await heading.isVisible())) throw new Error(`the ${lastName} dishes did not scroll into view`);
    // …and scrolling the dishes moves the sidebar along.
    await page.locator('.menu-list').evaluate((el) => el.scrollTo({ top: 0 }));
    await page.waitForTimeout(500);
    const firstName = ((await navItems.first().textContent()) ?? '').trim();
    await expectText(page.locator('.menu-nav__item--active'), new RegExp(`^${firstName}`));
  });

  await step(`choose ${DISH} ${SPEC} with ${ADDONS.join('、')} and a ${SIDE}`, async () => {
    const dish = page.locator('.menu-product', { has: page.locator('.menu-product__name', { hasText: DISH }) });
    await dish.locator('.menu-product__choose').click();
    await page.locator('.picker__option', { hasText: SPEC }).click();
    await expectText(page.locator('.picker__problem'), /请选择辣度/);
    for (const addon of ADDONS) await page.locator('.picker__addon', { hasText: addon }).click();
    await expectOnePriceFormat(page, 'dish picker');
    await shot(page, 'picker');
    await page.locator('.picker__add').click();
    await expectText(page.locator('.cart-bar__count'), /^1$/);
    const side = page.locator('.menu-product', { has: page.locator('.menu-product__name', { hasText: SIDE }) });
    await side.locator('.menu-product__add').click();
    await expectText(page.locator('.cart-bar__count'), /^2$/);
    await expectText(page.locator('.cart-bar__total'), /^¥33\.00$/);
  });

  await step('the cart sheet has a title, line prices and 清空; the cart survives a reload', async () => {
    await page.locator('.cart-bar__summary').click();
    await expectText(page.locator('.cart-sheet__title'), /^已选商品$/);
    await expectText(page.locator('.cart-sheet__clear'), /^清空$/);
    const line = (name) =>
      page.locator('.cart-item', { has: page.locator('.cart-item__name', { hasText: new RegExp(`^${name}$`) }) });
    await expectText(line(DISH).locator('.cart-item__price'), /^¥30\.00$/);
    await expectText(line(SIDE).locator('.cart-item__price'), /^¥3\.00$/);
    await shot(page, 'cart-sheet');
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('.menu-product', { timeout: 20_000 });
    await expectText(page.locator('.cart-bar__count'), /^2$/);
  });

  await step('checkout: pickup time, contact phone, no 配送费 on pickup; a greyed 提交订单 does nothing', async () => {
    await page.locator('.cart-bar__checkout').click();
    await page.waitForSelector('.quote__total', { timeout: 15_000 });
    await expectText(page.locator('.checkout__tab--active'), /^自取$/);
    await expectText(page.locator('.checkout__time-value'), /^尽快取餐（约 \d{2}:\d{2}）( ›)?$/);
    if ((await page.locator('.quote__delivery-fee').count()) !== 0) throw new Error('a pickup order shows 配送费');
    await expectText(page.locator('.quote__packaging'), /^¥1\.00$/);
    await expectText(page.locator('.quote__total'), /^¥34\.00$/);
    await page.locator('.checkout__contact input').fill('13800001234');
    await expectOnePriceFormat(page, 'checkout');
    await expectNavBar(page, /^确认订单$/, true);
    await shot(page, 'checkout');
    // Delivery without an address cannot be quoted: the greyed button must not place anything.
    await page.locator('.checkout__tab', { hasText: '外送' }).click();
    await expectText(page.locator('.checkout__error'), /^请填写收货人$/);
    const before = orderPosts.length;
    await page.locator('.checkout__submit').click();
    await page.waitForTimeout(800);
    if (orderPosts.length !== before) throw new Error('the greyed 提交订单 placed an order');
    if ((await page.getByText('请填写收货人', { exact: true }).count()) !== 1) throw new Error('the error shows twice');
    await shot(page, 'checkout-disabled');
    await page.locator('.checkout__tab', { hasText: '自取' }).click();
    await page.waitForSelector('.quote__total', { timeout: 15_000 });
  });

  await step('place the order and confirm at the simulated WeChat Pay cashier', async () => {
    await page.locator('.checkout__submit').click();
    await expectText(page.locator('.taro-modal__title'), /^微信支付（演示）$/);
    await expectText(page.locator('.taro-modal__text'), /^向 .+ 支付 ¥34\.00$/);
    await shot(page, 'pay-confirm');
    await page.getByText('确认支付', { exact: true }).click();
    await page.waitForURL(/pages\/order\/index\?id=/, { timeout: 20_000 });
    orderId = orderIdOf(page);
    await expectText(page.locator('.order__status'), /^已支付，等待商家接单$/, 20_000);
    daySeq = await expectText(page.locator('.order__seq'), /^\d+$/);
    await expectText(page.locator('.order-store__name'), new RegExp(sh1.name.replace(/[()（）]/g, '.')));
    await expectText(page.locator('.order-store__address'), new RegExp(sh1.address));
    const map = await page.locator('.order-store__map').getAttribute('data-href');
    if (!map?.startsWith('https://uri.amap.com/marker?position=')) throw new Error(`no map link: ${map}`);
    await expectText(page.locator('.order__paid'), /^¥34\.00$/);
    if ((await page.locator('.order__delivery-fee').count()) !== 0) throw new Error('a pickup order shows 配送费');
    await expectOnePriceFormat(page, 'order');
    await expectNavBar(page, /^订单详情$/, false);
    await shot(page, 'order-placed');
  });

  await step('cancel an order before the store accepts it, then 再来一单', async () => {
    const token = await memberToken(page);
    const second = await placePaidOrder(token, sh1.id);
    const other = await context.newPage();
    other.on('pageerror', (err) => pageErrors.push(`${err.message} (during: ${currentStep})`));
    await other.goto(`${server.url}/#/pages/order/index?id=${second}`, { waitUntil: 'load' });
    await expectText(other.locator('.order__status'), /^已支付，等待商家接单$/, 20_000);
    await other.locator('.order__cancel').click();
    await expectText(other.locator('.taro-modal__title'), /^取消订单？$/);
    await other.locator('.taro-model__btn', { hasText: '取消订单' }).click();
    await expectText(other.locator('.order__status'), /^已取消$/);
    await expectText(other.locator('.order__hint'), /原路退回/);
    await shot(other, 'order-cancelled');
    await other.locator('.order__again').click();
    await other.waitForURL(/pages\/menu\/index/, { timeout: 20_000 });
    await other.waitForSelector('.dish-image__img--loaded', { timeout: 15_000 });
    await expectText(other.locator('.cart-bar__count'), /^1$/);
    await shot(other, 'reorder');
    await other.close();
  });

  await step(
    `the kitchen: ticket #${daySeq} at a glance, aligned buttons, the cancel reasons on one line`,
    async () => {
      await page.goto(`${server.url}/`, { waitUntil: 'load' });
      await page.locator('.store-picker__staff').click({ timeout: 20_000 });
      await page.locator('.staff-login__username input').fill(CLERK.username, { timeout: 10_000 });
      await page.locator('.staff-login__password input').fill(CLERK.password);
      await shot(page, 'staff-login');
      await page.locator('.staff-login__submit').click();
      const ticket = page.locator(`.ticket[data-order-id="${orderId}"]`);
      await ticket.waitFor({ timeout: 20_000 });
      await expectText(ticket.locator('.ticket__channel'), /^小程序$/);
      await expectText(ticket.locator('.ticket__seq'), new RegExp(`^#${daySeq}$`));
      await expectText(ticket.locator('.ticket__status'), /^待接单$/);
      await expectText(ticket.locator('.ticket__age'), /^(刚刚|\d+分钟)$/);
      await expectText(ticket.locator('.ticket__line-name'), new RegExp(`${DISH}（${SPEC}）`));
      const cancelBox = await ticket.locator('.ticket__cancel').boundingBox();
      const acceptBox = await ticket.locator('.ticket__action--accept').boundingBox();
      if (
        !cancelBox ||
        !acceptBox ||
        Math.abs(cancelBox.y - acceptBox.y) > 1 ||
        cancelBox.height !== acceptBox.height
      ) {
        throw new Error(`取消 and 接单 are not aligned: ${JSON.stringify([cancelBox, acceptBox])}`);
      }
      await shot(page, 'queue');
      await ticket.locator('.ticket__cancel').click();
      const reasons = ticket.locator('.ticket__reason, .ticket__reason-back');
      const boxes = await Promise.all((await reasons.all()).map((r) => r.boundingBox()));
      const rowTop = boxes[0]?.y;
      if (boxes.some((b) => !b || Math.abs(b.y - rowTop) > 1 || Math.abs(b.height - cancelBox.height) > 1)) {
        throw new Error(`the cancel reasons wrap or sit at different heights: ${JSON.stringify(boxes)}`);
      }
      await shot(page, 'queue-cancel-reasons');
      await ticket.locator('.ticket__reason-back').click();
    },
  );

  await step('a new order chimes on the kitchen screen', async () => {
    const before = Number(await page.locator('.kitchen').getAttribute('data-chimes'));
    const member = await context.newPage();
    await member.goto(`${server.url}/#/pages/orders/index`, { waitUntil: 'load' });
    const token = await memberToken(member);
    await member.close();
    await placePaidOrder(token, sh1.id);
    const until = Date.now() + 15_000;
    while (Number(await page.locator('.kitchen').getAttribute('data-chimes')) <= before) {
      if (Date.now() > until) throw new Error('no chime for the new order');
      await page.waitForTimeout(300);
    }
  });

  await step('accept and mark ready: the order page and 我的订单 follow live', async () => {
    const orderPage = await context.newPage();
    orderPage.on('pageerror', (err) => pageErrors.push(`${err.message} (during: ${currentStep})`));
    await orderPage.goto(`${server.url}/#/pages/order/index?id=${orderId}`, { waitUntil: 'load' });
    await expectText(orderPage.locator('.order__status'), /^已支付，等待商家接单$/, 20_000);
    const listPage = await context.newPage();
    listPage.on('pageerror', (err) => pageErrors.push(`${err.message} (during: ${currentStep})`));
    await listPage.goto(`${server.url}/#/pages/orders/index`, { waitUntil: 'load' });
    const item = listPage.locator(`.my-orders__item[data-order-id="${orderId}"]`);
    await expectText(item.locator('.my-orders__status'), /^已支付，等待商家接单$/, 20_000);

    const ticket = page.locator(`.ticket[data-order-id="${orderId}"]`);
    await ticket.locator('.ticket__action--accept').click();
    await expectText(ticket.locator('.ticket__status'), /^已接单$/);
    await ticket.locator('.ticket__action--ready').click();
    await expectText(ticket.locator('.ticket__status'), /^已出餐$/);
    await shot(page, 'queue-ready');

    await expectText(orderPage.locator('.order__status'), /^已出餐$/, 15_000);
    await expectText(orderPage.locator('.order__hint'), /^餐已备好，请凭取餐号到店取餐$/);
    await shot(orderPage, 'order-ready');
    await expectText(item.locator('.my-orders__status'), /^已出餐$/, 15_000);
    await expectText(item.locator('.my-orders__total'), /^¥34\.00$/);
    await expectOnePriceFormat(listPage, '我的订单');
    await shot(listPage, 'my-orders');
    await orderPage.close();
    await listPage.close();
  });

  await step('沽清: by category, searchable, toggles in one column', async () => {
    await page.locator('.kitchen__link', { hasText: '沽清管理' }).click();
    await page.waitForSelector('.stock-group__name', { timeout: 20_000 });
    const groups = await page.locator('.stock-group__name').allTextContents();
    if (groups.length < 3) throw new Error(`the SKUs are not grouped by category: ${groups.join('、')}`);
    // Measured once the page has settled: during H5's page transition the rows are still sliding in.
    const misaligned = async () => {
      const toggles = await Promise.all(
        (await page.locator('.stock-row__toggle').all()).slice(0, 12).map((t) => t.boundingBox()),
      );
      return toggles.some((b) => !b || Math.abs(b.x - toggles[0].x) > 1 || Math.abs(b.width - toggles[0].width) > 1);
    };
    let attempts = 0;
    while ((await misaligned()) && ++attempts < 30) await page.waitForTimeout(100);
    if (await misaligned()) {
      throw new Error('the 沽清 toggles do not line up');
    }
    await expectNavBar(page, /^沽清管理$/, true);
    await shot(page, 'stock');
    await page.locator('.stock__search input').fill('牛肉');
    await page.waitForTimeout(300);
    const names = await page.locator('.stock-row__name').allTextContents();
    if (names.length === 0 || names.some((n) => !n.includes('牛肉')))
      throw new Error(`search shows ${names.join('、')}`);
    await shot(page, 'stock-search');
  });

  if (pageErrors.length) failure = `page errors: ${pageErrors.join(' | ')}`;
} catch (err) {
  failure = (err instanceof Error ? err.message : String(err)).split('\n')[0];
} finally {
  for (const undo of restore.reverse()) {
    await undo().catch((err) => {
      failure ??= `could not put the demo stores back: ${err.message}`;
    });
  }
  await context?.close().catch(() => {});
  await server.close();
  await rm(profile, { recursive: true, force: true });
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failure) {
  console.error(`h5-order: FAIL in ${seconds}s after [${steps.join(' → ')}]: ${failure}`);
  process.exit(1);
}
console.log(`h5-order: ok in ${seconds}s: ${steps.join(' → ')}; screenshots in e2e/out: ${taken.join(' ')}`);
