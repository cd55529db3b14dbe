import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type { Platform, SyncStatusResponse } from 'shared-types';
import type { StoreService } from '../../stores/service';
import { PLATFORMS } from './publish';
import { type SyncItemRow, SyncRepo } from './repo-sync';
import type { StoreBindings } from './store-bindings';

type Target = SyncStatusResponse['targets'][number];

function waiting(row: SyncItemRow): Target['items'][number]['waiting'] {
  if (row.status === 'in_step') return null;
  if (row.desired_body_hash === null) return 'delete';
  if (row.accepted_body_hash !== null && row.accepted_body_hash === row.desired_body_hash) return 'price';
  return 'upload';
}

/**
 * `GET /api/admin/catalog/sync-status`: per store, platform and item, whether the platform has
 * what we published (in step), is still to get it (pending, with the retry reason), or refused
 * it (failed, with the platform's reason). A store without a platform binding shows "not bound".
 */
export class SyncStatusService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly stores: StoreService,
    private readonly bindings: StoreBindings,
  ) {}

  async status(
    brandId: string,
    scope: string[] | 'all',
    query: { storeId?: string; platform?: Platform; state?: 'in_step' | 'pending' | 'failed' },
  ): Promise<SyncStatusResponse> {
    let stores = await this.stores.listInScope(brandId, scope);
    if (query.storeId) stores = stores.filter((s) => s.id === query.storeId);
    const rows = await new SyncRepo(this.db).itemsOfStores(
      stores.map((s) => s.id),
      query.platform,
    );
    const targets: Target[] = [];
    for (const store of stores) {
      for (const platform of PLATFORMS) {
        if (query.platform && query.platform !== platform) continue;
        const mine = rows.filter((r) => r.store_id === store.id && r.platform === platform);
        const counts = { in_step: 0, pending: 0, failed: 0 };
        for (const r of mine) counts[r.status]++;
        targets.push({
          storeId: store.id,
          storeCode: store.code,
          platform,
          binding: (await this.bindings.isBound(store.id, platform)) ? 'bound' : 'not_bound',
          counts,
          items: mine
            .filter((r) => !query.state || r.status === query.state)
            .map((r) => ({
              key: r.item_key,
              kind: r.kind,
              name: r.name,
              state: r.status,
              waiting: waiting(r),
              error: r.last_error,
              acceptedAt: r.accepted_at,
              updatedAt: r.updated_at,
            })),
        });
      }
    }
    return { targets };
  }
}
