import { type Database, newId, upsert } from 'db';
import type { Kysely } from 'kysely';
import type { SecretBox } from '../../../lib/secret-box';

/** Tuesday 2026-03-10 11:30 in Asia/Shanghai (03:30 UTC): lunch time at every demo store. */
export const LUNCH = Date.parse('2026-03-10T03:30:00Z');

export const MEITUAN_TEST_TOKEN = 'sim-app-auth-token-SH001';

/**
 * Puts a store on both platforms the way catalog sync leaves it: bound on Meituan (storemap token)
 * and Ele.me, with every SKU mapped. Meituan ids are our own codes (ERP-side ids); Ele.me ids are
 * the platform's numeric item/spec ids, derived here from the SKU's position.
 */
export async function putStoreOnPlatforms(
  db: Kysely<Database>,
  secrets: SecretBox,
  storeId: string,
  storeCode: string,
  elemeShopId: string,
): Promise<void> {
  const now = Date.now();
  await upsert(
    db,
    'store_channel_binding',
    [
      {
        store_id: storeId,
        platform: 'meituan',
        status: 'bound',
        auth_token_enc: secrets.seal(`${MEITUAN_TEST_TOKEN.slice(0, -5)}${storeCode}`),
        platform_store_id: `mt-${storeCode}`,
        platform_store_name: storeCode,
        bound_at: now,
        unbound_at: null,
        updated_at: now,
      },
      {
        store_id: storeId,
        platform: 'eleme',
        status: 'bound',
        auth_token_enc: null,
        platform_store_id: elemeShopId,
        platform_store_name: storeCode,
        bound_at: now,
        unbound_at: null,
        updated_at: now,
      },
    ],
    ['store_id', 'platform'],
    ['status', 'auth_token_enc', 'platform_store_id', 'updated_at'],
  );
  const skus = await db
    .selectFrom('sku')
    .innerJoin('product', 'product.id', 'sku.product_id')
    .select(['sku.id as id', 'sku.code as code', 'product.code as productCode'])
    .orderBy('sku.code')
    .execute();
  const rows = skus.flatMap((s, i) => [
    {
      store_id: storeId,
      platform: 'meituan',
      sku_id: s.id,
      platform_item_id: s.productCode,
      platform_sku_id: s.code,
      updated_at: now,
    },
    {
      store_id: storeId,
      platform: 'eleme',
      sku_id: s.id,
      platform_item_id: elemeItemId(s.productCode),
      platform_sku_id: String(720_000_000_000 + i),
      updated_at: now,
    },
  ]);
  await upsert(
    db,
    'channel_mapping',
    rows,
    ['store_id', 'platform', 'sku_id'],
    ['platform_item_id', 'platform_sku_id'],
  );
}

/** A stable numeric Ele.me item id for a product code. */
export function elemeItemId(productCode: string): string {
  let n = 0;
  for (const ch of productCode) n = (n * 131 + ch.charCodeAt(0)) % 1_000_000;
  return String(279_700_000_000 + n);
}

/** Takes a product off a store's menu (the store no longer carries it). */
export async function stopCarrying(db: Kysely<Database>, storeId: string, productCode: string): Promise<void> {
  const product = await db.selectFrom('product').select('id').where('code', '=', productCode).executeTakeFirstOrThrow();
  await db
    .updateTable('store_product')
    .set({ listed: 0, updated_at: Date.now() })
    .where('store_id', '=', storeId)
    .where('product_id', '=', product.id)
    .execute();
}

export const anOrderId = (): string => newId();
