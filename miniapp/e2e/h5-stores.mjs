// H5 end-to-end: the real H5 build, served with /api proxied to a running BFF, in headless Chromium.
// Usage: HEYI_E2E_API=http://127.0.0.1:3000 node e2e/h5-stores.mjs   (after `pnpm build:h5`)
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchPhone } from './browser.mjs';
import { serveH5 } from './serve-h5.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const distH5 = path.resolve(here, '../dist-h5');
const screenshot = path.join(here, 'out/stores.png');
// Names from the BFF's demo seed (db seed).
const DEMO_STORES = ['合一小馆（人民广场店）', '合一小馆（静安寺店）', '合一小馆（西湖店）', '合一小馆（滨江店）'];

const api = process.env.HEYI_E2E_API;
if (!api) {
  console.error('h5-stores: set HEYI_E2E_API to the URL of a running BFF with demo data, e.g. http://127.0.0.1:3000');
  process.exit(2);
}
if (!existsSync(path.join(distH5, 'index.html'))) {
  console.error(`h5-stores: no H5 build at ${distH5}; run \`pnpm --filter miniapp build:h5\` first`);
  process.exit(2);
}

const started = Date.now();
const pageErrors = [];
const server = await serveH5({ root: distH5, apiTarget: api });
const profile = await mkdtemp(path.join(tmpdir(), 'heyi-e2e-chromium-'));
let context;
let failure = null;
let names = [];

try {
  context = await launchPhone(profile);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => pageErrors.push(err.message));

  await page.goto(`${server.url}/`, { waitUntil: 'load' });
  // Either outcome of the first load ends the wait: the list, or the page's own error state.
  await page.waitForSelector('.store-card, .store-picker__error', { timeout: 20_000 }).catch(async (err) => {
    const shown = (await page.textContent('body').catch(() => ''))?.trim().slice(0, 200);
    throw new Error(`neither stores nor an error appeared (page shows ${JSON.stringify(shown)}): ${err.message}`);
  });
  const errorShown = await page
    .locator('.store-picker__error-message')
    .textContent({ timeout: 100 })
    .catch(() => null);
  if (errorShown !== null) throw new Error(`the page shows its error state: ${errorShown}`);
  names = (await page.locator('.store-name').allTextContents()).map((name) => name.trim());
  await mkdir(path.dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });

  const missing = DEMO_STORES.filter((name) => !names.includes(name));
  if (missing.length) failure = `missing demo stores ${missing.join('、')}; page shows [${names.join('、')}]`;
  else if (pageErrors.length) failure = `page errors: ${pageErrors.join(' | ')}`;
} catch (err) {
  // Playwright appends a multi-line call log; the first line says what went wrong.
  failure = (err instanceof Error ? err.message : String(err)).split('\n')[0];
} finally {
  await context?.close().catch(() => {});
  await server.close();
  await rm(profile, { recursive: true, force: true });
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failure) {
  console.error(`h5-stores: FAIL in ${seconds}s: ${failure}`);
  process.exit(1);
}
console.log(
  `h5-stores: ok, ${names.length} stores shown (${names.join('、')}) in ${seconds}s; screenshot ${path.relative(process.cwd(), screenshot)}`,
);
