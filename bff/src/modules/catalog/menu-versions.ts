import type { Cache } from '../../cache';
import { menuVersionKey } from '../../lib/live';

/** Brand-wide part of the member menu version: master-menu edits bump it once for every store. */
export function catalogVersionKey(brandId: string): string {
  return `catalog:ver:${brandId}`;
}

/**
 * The member menu cache key is made of two counters in the shared cache: the brand's catalog
 * version (bumped by master-menu edits) and the store's menu version (`menuVersionKey`, bumped by
 * publish, store-level changes and stock changes). Bumping either makes every process rebuild on
 * its next read. Versions are bumped after the change committed, never before.
 */
export class MenuVersions {
  constructor(private readonly cache: Cache) {}

  async current(brandId: string, storeId: string): Promise<string> {
    const [brand, store] = await Promise.all([
      this.cache.get(catalogVersionKey(brandId)),
      this.cache.get(menuVersionKey(storeId)),
    ]);
    return `${brand ?? '0'}.${store ?? '0'}`;
  }

  async bumpBrand(brandId: string): Promise<void> {
    await this.cache.incr(catalogVersionKey(brandId));
  }

  async bumpStores(storeIds: Iterable<string>): Promise<void> {
    await Promise.all([...new Set(storeIds)].map((id) => this.cache.incr(menuVersionKey(id))));
  }
}
