import { DeliverySettings, DeliverySettingsView, Ulid } from 'shared-types';
import { z } from 'zod';
import type { RouteRegistry } from '../../http/router';
import type { DeliveryService } from './service';

const StoreParams = z.object({ storeId: Ulid });

export function deliveryRoutes(routes: RouteRegistry, delivery: DeliveryService): void {
  routes.add({
    method: 'get',
    path: '/api/staff/stores/:storeId/delivery',
    summary: 'The store’s delivery template: self-delivery zones and platform delivery',
    tags: ['staff', 'delivery'],
    auth: 'staff',
    params: StoreParams,
    storeParam: 'storeId',
    response: DeliverySettingsView,
    handler: async ({ params }) => delivery.settings(params.storeId),
  });

  routes.add({
    method: 'put',
    path: '/api/staff/stores/:storeId/delivery',
    summary: 'Replaces the store’s delivery template',
    tags: ['staff', 'delivery'],
    auth: ['hq_admin', 'region_manager', 'store_manager'],
    params: StoreParams,
    storeParam: 'storeId',
    body: DeliverySettings,
    response: DeliverySettingsView,
    handler: async ({ params, body, auth }) => delivery.saveSettings(params.storeId, body, auth.staff.id),
  });
}
