import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type { ChannelMappingSet, MappingProblem, Platform } from 'shared-types';
import type { Clock } from '../../../lib/clock';
import { errors } from '../../../lib/errors';
import type { StoreService } from '../../stores/service';
import { buildEffectiveMenu } from '../pricing/effective-menu';
import { MenuReadRepo } from '../pricing/repo-menu';
import { PLATFORMS } from './publish';
import { MappingRepo } from './repo-mapping';
import { SyncRepo } from './repo-sync';
import type { StoreBindings } from './store-bindings';

/**
 * Channel mapping: our SKU code ↔ a platform's item and spec ids, per store. Meituan keeps our
 * codes (app_food_code / sku_id), so its ids are ours and are recorded when it accepts a dish;
 * Ele.me assigns its own ids (returned by createItem) and keeps our code in `extendCode`. HQ may
 * also link existing platform items by hand. Problems are listed, never dropped silently.
 */
export class MappingService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly stores: StoreService,
    private readonly bindings: StoreBindings,
  ) {}

  async list(brandId: string, storeId: string, platform?: Platform) {
    const store = await this.stores.find(storeId);
    if (store?.brand_id !== brandId) throw errors.notFound('store');
    return (await new MappingRepo(this.db).mappings([storeId], platform)).map((m) => ({
      storeId: m.storeId,
      platform: m.platform,
      skuCode: m.skuCode,
      platformItemId: m.platformItemId,
      platformSkuId: m.platformSkuId,
    }));
  }

  async set(brandId: string, input: ChannelMappingSet) {
    const store = await this.stores.find(input.storeId);
    if (store?.brand_id !== brandId) throw errors.notFound('store');
    const missing = await new MappingRepo(this.db).record(
      brandId,
      input.storeId,
      input.platform,
      [input],
      this.clock.now(),
    );
    if (missing.length) throw errors.unprocessable('UNKNOWN_SKU', `no SKU with code ${input.skuCode}`);
    const all = await this.list(brandId, input.storeId, input.platform);
    return all.find((m) => m.skuCode === input.skuCode) as (typeof all)[number];
  }

  /** SKUs a store sells on a bound platform without a mapping, platform ids claimed twice, and mappings of SKUs no longer sold. */
  async problems(brandId: string, storeIds: string[] | 'all'): Promise<MappingProblem[]> {
    const stores = await this.stores.listInScope(brandId, storeIds);
    const read = new MenuReadRepo(this.db);
    const master = await read.loadMaster(brandId);
    const ids = stores.map((s) => s.id);
    const [allMappings, allRows] = await Promise.all([
      new MappingRepo(this.db).mappings(ids),
      new SyncRepo(this.db).itemsOfStores(ids),
    ]);
    const problems: MappingProblem[] = [];
    for (const store of stores) {
      const carry = await read.loadCarry(store.id);
      for (const platform of PLATFORMS) {
        if (!(await this.bindings.isBound(store.id, platform))) continue;
        const base = { storeId: store.id, storeCode: store.code, platform };
        const menu = buildEffectiveMenu(master, carry, platform);
        const mappings = allMappings.filter((m) => m.storeId === store.id && m.platform === platform);
        const mapped = new Set(mappings.map((m) => m.skuCode));
        const rows = new Map(
          allRows.filter((r) => r.store_id === store.id && r.platform === platform).map((r) => [r.item_key, r]),
        );
        const sold = new Set<string>();
        for (const product of menu.categories.flatMap((c) => c.products)) {
          const row = rows.get(`dish:${product.code}`);
          const why =
            row?.status === 'failed'
              ? `the last upload failed: ${row.last_error ?? 'no reason given'}`
              : row
                ? 'waiting for the platform to accept the dish'
                : 'never published to this platform';
          for (const sku of product.skus) {
            sold.add(sku.code);
            if (mapped.has(sku.code)) continue;
            problems.push({
              ...base,
              kind: 'unmapped',
              skuCodes: [sku.code],
              platformSkuId: null,
              message: `${product.name} ${sku.specText} (${sku.code}) has no ${platform} id: ${why}`,
            });
          }
        }
        const byPlatformSku = new Map<string, string[]>();
        for (const m of mappings)
          byPlatformSku.set(m.platformSkuId, [...(byPlatformSku.get(m.platformSkuId) ?? []), m.skuCode]);
        for (const [platformSkuId, codes] of byPlatformSku) {
          if (codes.length < 2) continue;
          problems.push({
            ...base,
            kind: 'conflict',
            skuCodes: codes,
            platformSkuId,
            message: `${platform} spec ${platformSkuId} is mapped to ${codes.length} of our SKUs: ${codes.join(', ')}`,
          });
        }
        for (const m of mappings) {
          if (sold.has(m.skuCode)) continue;
          problems.push({
            ...base,
            kind: 'stale',
            skuCodes: [m.skuCode],
            platformSkuId: m.platformSkuId,
            message: `${m.skuCode} is mapped to ${platform} spec ${m.platformSkuId} but is no longer on this store’s ${platform} menu`,
          });
        }
      }
    }
    return problems;
  }
}
