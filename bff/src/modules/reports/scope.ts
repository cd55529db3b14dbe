import type { StoreView } from 'shared-types';
import { AppError } from '../../lib/errors';
import type { StaffPrincipal } from '../../lib/principal';

export interface ReportFilter {
  storeId?: string | undefined;
  regionId?: string | undefined;
  brandId?: string | undefined;
}

export interface StoreLister {
  listInScope(brandId: string, ids: string[] | 'all'): Promise<StoreView[]>;
}

/**
 * The one place a report's stores are decided: the caller's scope (HQ all, a region manager their
 * regions' stores, a store manager their store), narrowed by the filters. A filter can only narrow:
 * a store, region or brand outside the scope is 403, never a wider answer. Every report query
 * takes the list this answers, so rows, totals and exports all stay inside it.
 */
export async function reportStores(staff: StaffPrincipal, filter: ReportFilter, stores: StoreLister) {
  if (filter.brandId && filter.brandId !== staff.brandId) {
    throw new AppError('OUT_OF_SCOPE', 403, 'this brand is outside your scope');
  }
  let list = await stores.listInScope(staff.brandId, await staff.storeIds());
  if (filter.storeId) {
    list = list.filter((s) => s.id === filter.storeId);
    if (list.length === 0) throw new AppError('OUT_OF_SCOPE', 403, 'this store is outside your scope');
  }
  if (filter.regionId) {
    list = list.filter((s) => s.regionId === filter.regionId);
    if (list.length === 0) throw new AppError('OUT_OF_SCOPE', 403, 'no store of this region is in your scope');
  }
  return list;
}
