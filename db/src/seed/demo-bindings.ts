import { createCipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { repoRoot } from '../connect';
import type { Database } from '../schema';
import { upsert } from '../sql-helpers';
import { demoIds, demoStores } from './demo-core';
import { seedId } from './seed-id';

/**
 * The demo stores' platform bindings (to the simulators) and the catalog pitfalls the audit is
 * meant to find in the demo.
 *
 * Bindings: every demo store is bound to the Ele.me simulator (its shopId), and every one but
 * HZ002 to the Meituan simulator with the appAuthToken the simulator issues for that ePoiId
 * (`demoMeituanToken`). HZ002 stays unbound on purpose: sync status shows it "not bound".
 * The token is sealed exactly as the BFF's SecretBox does (AES-256-GCM, `v1.<iv>.<data>`), under
 * the key the BFF will use: DATA_ENCRYPTION_KEY, or outside production the generated
 * `.data/data-key` (the same file the BFF's config reads). That key is only knowable when the seed
 * runs for this machine (`pnpm start`, `pnpm db:seed`: env is the process environment). A caller
 * passing its own env without a key (tests: `seedDemo(db, {})`) gets no bindings; tests bind
 * through the store-map flow or `bindDemoStores` (bff/src/modules/catalog/testing.ts).
 *
 * Pitfalls (documented in docs/architecture.md, catalog):
 * 1. SH002 adjusted S009 夫妻肺片 by +5%: exactly the top of 小吃凉菜's range (price-edges shows it).
 * 2. HZ001 adjusted R012-X 梅菜扣肉饭（加大）by +5 元 while 下饭盖饭 allows −2 … +3 元 (HQ narrowed
 *    the range afterwards): price-edges shows it outside, the audit reports price_out_of_range.
 * 3. SH001 hid T004 芒果布丁, and a hand-made Meituan mapping links T004 to Meituan's T003: a
 *    stale mapping, and after the first publish a conflict (T003 is claimed by two of our SKUs).
 * 4. HZ002 is not bound to Meituan (see above).
 * The drift (a price edited on the platform after the first publish) is the simulator's: see
 * sim/src/meituan/catalog.ts.
 */

export function demoMeituanToken(storeCode: string): string {
  return `sim-mt-token-${storeCode}`;
}

const UNBOUND_ON_MEITUAN = new Set(['HZ002']);

/** The demo stores bound to Meituan, with their tokens: what the simulator must be told (`pnpm start`). */
export function demoMeituanBindings(): { ePoiId: string; appAuthToken: string }[] {
  return demoStores
    .filter((s) => !UNBOUND_ON_MEITUAN.has(s.code))
    .map((s) => ({ ePoiId: s.code, appAuthToken: demoMeituanToken(s.code) }));
}

function sealed(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `v1.${iv.toString('base64url')}.${data.toString('base64url')}`;
}

/** The BFF's data key for this machine, by the rule of bff/src/config.ts; null when it cannot be known. */
export function demoDataKey(env: NodeJS.ProcessEnv): Buffer | null {
  const given = env.DATA_ENCRYPTION_KEY?.trim();
  if (given) return /^[0-9a-fA-F]{64}$/.test(given) ? Buffer.from(given, 'hex') : null;
  if (env !== process.env || env.NODE_ENV === 'production') return null;
  const dir = path.join(repoRoot, '.data');
  const file = path.join(dir, 'data-key');
  try {
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  } catch {
    fs.mkdirSync(dir, { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
    } catch {
      // Another process wrote it first; theirs is read below.
    }
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  }
}

export async function seedDemoBindings(db: Kysely<Database>, env: NodeJS.ProcessEnv, now = Date.now()): Promise<void> {
  const key = demoDataKey(env);
  if (key) {
    for (const s of demoStores) {
      const storeId = demoIds.store(s.code);
      await upsert(
        db,
        'store_channel_binding',
        {
          store_id: storeId,
          platform: 'eleme',
          status: 'bound',
          auth_token_enc: null,
          platform_store_id: s.elemeShopId,
          platform_store_name: s.name,
          bound_at: now,
          unbound_at: null,
          updated_at: now,
        },
        ['store_id', 'platform'],
        [],
      );
      if (UNBOUND_ON_MEITUAN.has(s.code)) continue;
      await upsert(
        db,
        'store_channel_binding',
        {
          store_id: storeId,
          platform: 'meituan',
          status: 'bound',
          auth_token_enc: sealed(key, demoMeituanToken(s.code)),
          platform_store_id: null,
          platform_store_name: s.name,
          bound_at: now,
          unbound_at: null,
          updated_at: now,
        },
        ['store_id', 'platform'],
        [],
      );
    }
  }

  const adjust = (store: string, sku: string, kind: 'percent' | 'amount', value: number) =>
    upsert(
      db,
      'store_price_adjustment',
      { store_id: demoIds.store(store), sku_id: seedId('sku', sku), kind, value, updated_by: null, updated_at: now },
      ['store_id', 'sku_id'],
      [],
    );
  await adjust('SH002', 'S009', 'percent', 500);
  await adjust('HZ001', 'R012-X', 'amount', 500);

  await db
    .updateTable('store_product')
    .set({ hidden: 1, updated_at: now })
    .where('store_id', '=', demoIds.store('SH001'))
    .where('product_id', '=', seedId('product', 'T004'))
    .execute();
  await upsert(
    db,
    'channel_mapping',
    {
      store_id: demoIds.store('SH001'),
      platform: 'meituan',
      sku_id: seedId('sku', 'T004'),
      platform_item_id: 'T003',
      platform_sku_id: 'T003',
      updated_at: now,
    },
    ['store_id', 'platform', 'sku_id'],
    [],
  );
}
