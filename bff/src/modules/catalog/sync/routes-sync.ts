import {
  AuditQuery,
  AuditResponse,
  ChannelMappingListResponse,
  ChannelMappingQuery,
  ChannelMappingSet,
  ChannelMappingView,
  ImportResult,
  MappingProblemListResponse,
  PublishRequest,
  PublishResponse,
  StoreBindingListResponse,
  StoremapUrlResponse,
  SyncStatusQuery,
  SyncStatusResponse,
  Ulid,
} from 'shared-types';
import { z } from 'zod';
import { mediaType, readRawBody } from '../../../http/body';
import type { RouteRegistry } from '../../../http/router';
import { AppError } from '../../../lib/errors';
import { HQ, MANAGERS } from '../master/routes-master';
import type { CatalogServices } from '../services';

const tags = ['catalog'];

/** Publish and sync status, channel mapping, store bindings, the consistency audit and imports. */
export function syncRoutes(routes: RouteRegistry, s: CatalogServices, bodyLimit: number): void {
  routes.add({
    method: 'post',
    path: '/api/admin/catalog/publish',
    summary: 'Publish the menu to Meituan and Ele.me: empty body = whole brand, or {regionId} or {storeId}',
    tags,
    auth: ['hq_admin', 'region_manager'],
    body: PublishRequest,
    response: PublishResponse,
    handler: async ({ auth, body }) => s.publish.publish(auth.staff, body),
  });
  routes.add({
    method: 'get',
    path: '/api/admin/catalog/sync-status',
    summary: 'Per store, platform and item: in step, pending or failed (and why); "not bound" stores',
    tags,
    auth: MANAGERS,
    query: SyncStatusQuery,
    response: SyncStatusResponse,
    handler: async ({ auth, query }) => s.syncStatus.status(auth.staff.brandId, await auth.staff.storeIds(), query),
  });
  routes.add({
    method: 'get',
    path: '/api/admin/catalog/mappings',
    summary: 'Our SKU codes and the platform ids they map to at one store',
    tags,
    auth: MANAGERS,
    query: ChannelMappingQuery,
    response: ChannelMappingListResponse,
    handler: async ({ auth, query }) => {
      await auth.staff.assertStore(query.storeId);
      return { mappings: await s.mapping.list(auth.staff.brandId, query.storeId, query.platform) };
    },
  });
  routes.add({
    method: 'put',
    path: '/api/admin/catalog/mappings',
    summary: 'Link one of our SKU codes to an existing platform item and spec at a store',
    tags,
    auth: HQ,
    body: ChannelMappingSet,
    response: ChannelMappingView,
    handler: async ({ auth, body }) => s.mapping.set(auth.staff.brandId, body),
  });
  routes.add({
    method: 'get',
    path: '/api/admin/catalog/mappings/problems',
    summary: 'Unmapped SKUs, platform ids claimed by two SKUs, and mappings of SKUs no longer sold',
    tags,
    auth: MANAGERS,
    response: MappingProblemListResponse,
    handler: async ({ auth }) => ({
      problems: await s.mapping.problems(auth.staff.brandId, await auth.staff.storeIds()),
    }),
  });
  routes.add({
    method: 'get',
    path: '/api/admin/catalog/audit',
    summary: 'Consistency audit of the master menu against what the platforms have (read back from them)',
    tags,
    auth: MANAGERS,
    query: AuditQuery,
    response: AuditResponse,
    handler: async ({ auth, query }) => s.audit.run(auth.staff.brandId, await auth.staff.storeIds(), query),
  });
  routes.add({
    method: 'post',
    path: '/api/admin/catalog/import',
    summary:
      'Import a catalog export (Content-Type text/csv or application/json, formats in docs/architecture.md); all rows or nothing',
    tags,
    auth: HQ,
    response: ImportResult,
    handler: async ({ auth, ctx }) => {
      const type = mediaType(ctx);
      const format = type === 'text/csv' ? 'csv' : type === 'application/json' ? 'json' : null;
      if (!format)
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          415,
          `expected text/csv or application/json, got ${type || 'none'}`,
        );
      const raw = await readRawBody(ctx, bodyLimit);
      return s.import.importFile(auth.staff.brandId, format, raw, auth.staff.id);
    },
  });

  routes.add({
    method: 'get',
    path: '/api/admin/catalog/bindings',
    summary: 'Which stores are bound to Meituan and Ele.me',
    tags,
    auth: MANAGERS,
    response: StoreBindingListResponse,
    handler: async ({ auth }) => ({ bindings: await s.bindings.list(auth.staff.brandId, await auth.staff.storeIds()) }),
  });
  routes.add({
    method: 'post',
    path: '/api/admin/catalog/stores/:storeId/bindings/eleme',
    summary: 'Bind a store to its Ele.me shop (the app’s OAuth token is used for its calls)',
    tags,
    auth: HQ,
    params: z.object({ storeId: Ulid }).strict(),
    storeParam: 'storeId',
    response: StoreBindingListResponse,
    handler: async ({ auth, params }) => {
      await s.bindings.bindEleme(await s.storeMenus.storeOf(auth.staff.brandId, params.storeId), null);
      return { bindings: await s.bindings.list(auth.staff.brandId, [params.storeId]) };
    },
  });
  routes.add({
    method: 'post',
    path: '/api/admin/catalog/stores/:storeId/bindings/meituan/storemap-url',
    summary: 'The signed link to Meituan’s store-map page (门店映射) that binds this store',
    tags,
    auth: ['hq_admin', 'region_manager', 'store_manager'],
    params: z.object({ storeId: Ulid }).strict(),
    storeParam: 'storeId',
    response: StoremapUrlResponse,
    handler: async ({ auth, params }) => ({
      url: s.bindings.storemapUrl(await s.storeMenus.storeOf(auth.staff.brandId, params.storeId)),
    }),
  });
}
