import {
  ChannelPriceRuleListResponse,
  ChannelPriceRuleSet,
  ChannelPriceRuleView,
  PriceEdgeListResponse,
  StorePriceAdjustmentListResponse,
  StorePriceAdjustmentSet,
  StorePriceAdjustmentView,
  Ulid,
} from 'shared-types';
import { z } from 'zod';
import type { RouteRegistry } from '../../../http/router';
import { HQ, MANAGERS } from '../master/routes-master';
import type { CatalogServices } from '../services';

const tags = ['catalog'];
const StoreSku = z.object({ storeId: Ulid, skuId: Ulid }).strict();

/** Channel price overrides (HQ) and store price adjustments (the store's managers, inside HQ's range). */
export function priceRoutes(routes: RouteRegistry, s: CatalogServices): void {
  routes.add({
    method: 'get',
    path: '/api/admin/catalog/channel-prices',
    summary: 'Channel price overrides (whole menu, category or SKU)',
    tags,
    auth: MANAGERS,
    response: ChannelPriceRuleListResponse,
    handler: async ({ auth }) => ({ rules: await s.prices.listRules(auth.staff.brandId) }),
  });
  routes.add({
    method: 'put',
    path: '/api/admin/catalog/channel-prices',
    summary: 'Set a channel override, e.g. delivery platforms +10% on the whole menu',
    tags,
    auth: HQ,
    body: ChannelPriceRuleSet,
    response: ChannelPriceRuleView,
    handler: async ({ auth, body }) => s.prices.setRule(auth.staff.brandId, body),
  });
  routes.add({
    method: 'delete',
    path: '/api/admin/catalog/channel-prices/:id',
    summary: 'Remove a channel override',
    tags,
    auth: HQ,
    params: z.object({ id: Ulid }).strict(),
    status: 204,
    handler: async ({ auth, params }) => {
      await s.prices.deleteRule(auth.staff.brandId, params.id);
    },
  });

  routes.add({
    method: 'get',
    path: '/api/admin/catalog/stores/:storeId/prices',
    summary: 'A store’s own price adjustments with the resulting price per channel',
    tags,
    auth: MANAGERS,
    params: z.object({ storeId: Ulid }).strict(),
    storeParam: 'storeId',
    response: StorePriceAdjustmentListResponse,
    handler: async ({ auth, params }) => {
      await s.storeMenus.storeOf(auth.staff.brandId, params.storeId);
      return { adjustments: await s.prices.listAdjustments(auth.staff.brandId, params.storeId) };
    },
  });
  routes.add({
    method: 'put',
    path: '/api/admin/catalog/stores/:storeId/prices/:skuId',
    summary: 'Adjust one SKU’s price at a store; outside the category’s range: 422 PRICE_OUT_OF_RANGE',
    tags,
    auth: MANAGERS,
    params: StoreSku,
    storeParam: 'storeId',
    body: StorePriceAdjustmentSet,
    response: StorePriceAdjustmentView,
    handler: async ({ auth, params, body }) => {
      await s.storeMenus.storeOf(auth.staff.brandId, params.storeId);
      return s.prices.setAdjustment(auth.staff.brandId, params.storeId, params.skuId, body, auth.staff.id);
    },
  });
  routes.add({
    method: 'delete',
    path: '/api/admin/catalog/stores/:storeId/prices/:skuId',
    summary: 'Remove a store’s price adjustment',
    tags,
    auth: MANAGERS,
    params: StoreSku,
    storeParam: 'storeId',
    status: 204,
    handler: async ({ auth, params }) => {
      await s.storeMenus.storeOf(auth.staff.brandId, params.storeId);
      await s.prices.deleteAdjustment(params.storeId, params.skuId);
    },
  });
  routes.add({
    method: 'get',
    path: '/api/admin/catalog/price-edges',
    summary: 'Every store price adjustment at an edge of its category’s range, or outside it',
    tags,
    auth: ['hq_admin', 'region_manager'],
    response: PriceEdgeListResponse,
    handler: async ({ auth }) => {
      const scope = await auth.staff.storeIds();
      const stores = await s.stores.listInScope(auth.staff.brandId, scope);
      const codeById = new Map(stores.map((st) => [st.id, st.code]));
      const edges = await s.prices.edges(
        auth.staff.brandId,
        stores.map((st) => st.id),
      );
      return {
        edges: edges.map(({ row, view }) => ({
          ...view,
          storeCode: codeById.get(row.storeId) ?? '',
          productName: row.productName,
          categoryCode: row.categoryCode,
        })),
      };
    },
  });
}
