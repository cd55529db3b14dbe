import { type Cache, CacheUnavailableError } from '../../cache';
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
    await bump(this.cache, catalogVersionKey(brandId));
  }

  async bumpStores(storeIds: Iterable<string>): Promise<void> {
    await Promise.all([...new Set(storeIds)].map((id) => bump(this.cache, menuVersionKey(id))));
  }
}

/**
 * The change is committed; a Redis outage must not turn it into an error. While Redis is down no
 * menu is cached, and the cache applies the bump when it is back, so no stale menu is served.
 */
async function bump(cache: Cache, key: string): Promise<void> {
  try {
    await cache.incr(key);
  } catch (err) {
    if (!(err instanceof CacheUnavailableError)) throw err;
  }
}
