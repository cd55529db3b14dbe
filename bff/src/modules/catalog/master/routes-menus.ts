import {
  MenuTemplateListResponse,
  MenuTemplatePush,
  MenuTemplatePushResponse,
  MenuTemplateSet,
  MenuTemplateView,
  StoreMenuSettingsSet,
  StoreMenuView,
  StoreProductStateSet,
  Ulid,
} from 'shared-types';
import { z } from 'zod';
import type { RouteRegistry } from '../../../http/router';
import type { CatalogServices } from '../services';
import { HQ, MANAGERS } from './routes-master';

const tags = ['catalog'];
const Store = z.object({ storeId: Ulid }).strict();

/** Store menus: modes, listing and hiding products, and menu templates pushed from HQ. */
export function menuRoutes(routes: RouteRegistry, s: CatalogServices): void {
  routes.add({
    method: 'get',
    path: '/api/admin/catalog/stores/:storeId/menu',
    summary: 'What a store lists and hides, with its menu mode and what it may hide itself',
    tags,
    auth: MANAGERS,
    params: Store,
    storeParam: 'storeId',
    response: StoreMenuView,
    handler: async ({ auth, params }) => s.storeMenus.menu(auth.staff.brandId, params.storeId),
  });
  routes.add({
    method: 'put',
    path: '/api/admin/catalog/stores/:storeId/menu-settings',
    summary: 'Set a store’s menu mode: HQ-managed, store-managed or mixed',
    tags,
    auth: HQ,
    params: Store,
    storeParam: 'storeId',
    body: StoreMenuSettingsSet,
    response: StoreMenuView,
    handler: async ({ auth, params, body }) => s.storeMenus.setMode(auth.staff.brandId, params.storeId, body.mode),
  });
  routes.add({
    method: 'patch',
    path: '/api/admin/catalog/stores/:storeId/products/:productId',
    summary: 'List (HQ) or hide (the store, within its menu mode) one product at a store',
    tags,
    auth: MANAGERS,
    params: z.object({ storeId: Ulid, productId: Ulid }).strict(),
    storeParam: 'storeId',
    body: StoreProductStateSet,
    response: StoreMenuView,
    handler: async ({ auth, params, body }) =>
      s.storeMenus.setProductState(auth.staff, params.storeId, params.productId, body),
  });

  routes.add({
    method: 'get',
    path: '/api/admin/catalog/templates',
    summary: 'Menu templates',
    tags,
    auth: MANAGERS,
    response: MenuTemplateListResponse,
    handler: async ({ auth }) => ({ templates: await s.storeMenus.templates(auth.staff.brandId) }),
  });
  routes.add({
    method: 'post',
    path: '/api/admin/catalog/templates',
    summary: 'Create a menu template (products, and which of them stores in mixed mode may not hide)',
    tags,
    auth: HQ,
    body: MenuTemplateSet,
    response: MenuTemplateView,
    status: 201,
    handler: async ({ auth, body }) => s.storeMenus.saveTemplate(auth.staff.brandId, body),
  });
  routes.add({
    method: 'put',
    path: '/api/admin/catalog/templates/:id',
    summary: 'Replace a menu template',
    tags,
    auth: HQ,
    params: z.object({ id: Ulid }).strict(),
    body: MenuTemplateSet,
    response: MenuTemplateView,
    handler: async ({ auth, params, body }) => s.storeMenus.saveTemplate(auth.staff.brandId, body, params.id),
  });
  routes.add({
    method: 'post',
    path: '/api/admin/catalog/templates/:id/push',
    summary: 'Push a template to every store, a region or some stores: they list exactly its products',
    tags,
    auth: HQ,
    params: z.object({ id: Ulid }).strict(),
    body: MenuTemplatePush,
    response: MenuTemplatePushResponse,
    handler: async ({ auth, params, body }) => ({
      templateId: params.id,
      storeIds: await s.storeMenus.pushTemplate(auth.staff.brandId, params.id, body, auth.staff.id),
    }),
  });
}
