import type { StaffScope } from 'shared-types';
import { AppError } from '../../lib/errors';
import type { StaffRow } from './repo';

/** The scope a staff row grants: HQ sees every store, a region manager their regions, store roles one store. */
export function scopeOf(row: StaffRow, regionIds: string[]): StaffScope {
  switch (row.role) {
    case 'hq_admin':
      return { kind: 'all' };
    case 'region_manager':
      if (regionIds.length === 0) throw new Error(`region manager ${row.username} has no regions`);
      return { kind: 'regions', regionIds };
    default:
      if (!row.store_id) throw new Error(`${row.role} ${row.username} has no store`);
      return { kind: 'store', storeId: row.store_id };
  }
}

/**
 * Store access of one request. Resolves a region scope to store ids once, then answers every
 * check from memory. Every staff store check in the BFF goes through here.
 */
export class StoreAccess {
  private resolved: Promise<string[] | 'all'> | undefined;

  constructor(
    readonly scope: StaffScope,
    private readonly storesInRegions: (regionIds: string[]) => Promise<string[]>,
  ) {}

  storeIds(): Promise<string[] | 'all'> {
    this.resolved ??= (async () => {
      switch (this.scope.kind) {
        case 'all':
          return 'all';
        case 'regions':
          return this.storesInRegions(this.scope.regionIds);
        case 'store':
          return [this.scope.storeId];
      }
    })();
    return this.resolved;
  }

  async allows(storeId: string): Promise<boolean> {
    const ids = await this.storeIds();
    return ids === 'all' || ids.includes(storeId);
  }

  async assert(storeId: string): Promise<void> {
    if (!(await this.allows(storeId))) {
      throw new AppError('OUT_OF_SCOPE', 403, 'this store is outside your scope');
    }
  }
}
