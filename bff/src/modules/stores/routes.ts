import { StoreListQuery, StoreListResponse, StoreSettingsPatch, StoreView } from 'shared-types';
import { z } from 'zod';
import type { RouteRegistry } from '../../http/router';
import type { StoreService } from './service';

export function storeRoutes(routes: RouteRegistry, stores: StoreService): void {
  routes.add({
    method: 'get',
    path: '/api/mp/stores',
    summary: 'Stores for members, nearest first when lat/lng are given',
    tags: ['mini-program'],
    auth: 'public',
    query: StoreListQuery,
    response: StoreListResponse,
    handler: async ({ query }) => {
      const from = query.lat !== undefined && query.lng !== undefined ? { lat: query.lat, lng: query.lng } : undefined;
      return { stores: await stores.listForMembers(from) };
    },
  });

  routes.add({
    method: 'get',
    path: '/api/admin/stores',
    summary: 'Stores inside the signed-in staff member’s scope',
    tags: ['admin'],
    auth: 'staff',
    response: StoreListResponse,
    handler: async ({ auth }) => ({
      stores: await stores.listInScope(auth.staff.brandId, await auth.staff.storeIds()),
    }),
  });

  routes.add({
    method: 'get',
    path: '/api/staff/stores/:storeId',
    summary: 'One store, for staff whose scope includes it',
    tags: ['staff'],
    auth: 'staff',
    params: z.object({ storeId: z.string() }),
    storeParam: 'storeId',
    response: StoreView,
    handler: async ({ params }) => stores.toView(await stores.get(params.storeId)),
  });

  routes.add({
    method: 'patch',
    path: '/api/staff/stores/:storeId',
    summary: 'Change a store’s opening hours, phone or address (its managers, its region, HQ)',
    tags: ['staff'],
    auth: ['hq_admin', 'region_manager', 'store_manager'],
    params: z.object({ storeId: z.string() }),
    storeParam: 'storeId',
    body: StoreSettingsPatch,
    response: StoreView,
    handler: async ({ params, body }) => stores.updateSettings(params.storeId, body),
  });
}
