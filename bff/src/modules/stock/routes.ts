import type { Context } from 'koa';
import {
  CapacityResponse,
  CapacitySettings,
  ReservationRequest,
  ReservationResponse,
  StockAlertListResponse,
  StockAlertQuery,
  StockAlertView,
  StockHistoryQuery,
  StockHistoryResponse,
  StockListResponse,
  StockPolicy,
  StockPolicyUpdate,
  StockUpdateRequest,
  StockUpdateResponse,
  Ulid,
} from 'shared-types';
import { z } from 'zod';
import type { RouteRegistry, StaffPrincipal } from '../../http/router';
import type { IdempotencyStore } from '../../lib/idempotency';
import type { StockService } from './service';

const storeParams = z.object({ storeId: z.string().min(1).max(64) });
const managers = ['hq_admin', 'region_manager', 'store_manager'] as const;

export function stockRoutes(routes: RouteRegistry, stock: StockService, idempotency: IdempotencyStore): void {
  routes.add({
    method: 'get',
    path: '/api/staff/stores/:storeId/stock',
    summary: 'What the store can sell now: one entry per SKU it carries (quantity null = unlimited), and product rows',
    tags: ['stock'],
    auth: 'staff',
    params: storeParams,
    storeParam: 'storeId',
    response: StockListResponse,
    handler: async ({ params, auth }) => stock.list(params.storeId, auth.staff.brandId),
  });

  const update =
    (level: 'sku' | 'product') =>
    async ({
      params,
      body,
      auth,
      ctx,
    }: {
      params: { storeId: string; code: string };
      body: StockUpdateRequest;
      auth: { staff: StaffPrincipal };
      ctx: Context;
    }) => {
      const key = ctx.get('idempotency-key');
      const run = (requestKey?: string) =>
        stock.update({
          brandId: auth.staff.brandId,
          storeId: params.storeId,
          level,
          code: params.code,
          change: body,
          staff: { id: auth.staff.id, name: auth.staff.username },
          ...(requestKey ? { requestKey } : {}),
        });
      if (!key) return run();
      const answer = await idempotency.run(
        `stock:${params.storeId}:${auth.staff.id}`,
        key,
        { level, code: params.code, body },
        async () => ({ status: 200, body: await run(key) }),
      );
      return answer.body as StockUpdateResponse;
    };

  routes.add({
    method: 'put',
    path: '/api/staff/stores/:storeId/stock/:skuCode',
    summary:
      'Sets one SKU: exactly one of {quantity} (null = unlimited), {add}, {soldOut, until?}; dailyLimit alone or with quantity. Optional Idempotency-Key',
    tags: ['stock'],
    auth: 'staff',
    params: storeParams.extend({ skuCode: z.string().min(1).max(64) }),
    storeParam: 'storeId',
    body: StockUpdateRequest,
    response: StockUpdateResponse,
    handler: ({ params, body, auth, ctx }) =>
      update('sku')({ params: { storeId: params.storeId, code: params.skuCode }, body, auth, ctx }),
  });

  routes.add({
    method: 'put',
    path: '/api/staff/stores/:storeId/stock/products/:productCode',
    summary: 'Same as the SKU route for a product-level row, which covers every SKU of the product',
    tags: ['stock'],
    auth: 'staff',
    params: storeParams.extend({ productCode: z.string().min(1).max(64) }),
    storeParam: 'storeId',
    body: StockUpdateRequest,
    response: StockUpdateResponse,
    handler: ({ params, body, auth, ctx }) =>
      update('product')({ params: { storeId: params.storeId, code: params.productCode }, body, auth, ctx }),
  });

  routes.add({
    method: 'get',
    path: '/api/staff/stores/:storeId/stock/history',
    summary: 'Who changed what in the store’s stock, newest first',
    tags: ['stock'],
    auth: 'staff',
    params: storeParams,
    storeParam: 'storeId',
    query: StockHistoryQuery,
    response: StockHistoryResponse,
    handler: async ({ params, query }) => stock.history(params.storeId, query),
  });

  routes.add({
    method: 'get',
    path: '/api/staff/stores/:storeId/stock/alerts',
    summary: 'Platform orders that found too little stock or overloaded a kitchen slot',
    tags: ['stock'],
    auth: 'staff',
    params: storeParams,
    storeParam: 'storeId',
    query: StockAlertQuery,
    response: StockAlertListResponse,
    handler: async ({ params, query }) => ({
      alerts: await stock.listAlerts(params.storeId, { open: query.open === 'true', limit: query.limit }),
    }),
  });

  routes.add({
    method: 'post',
    path: '/api/staff/stores/:storeId/stock/alerts/:alertId/ack',
    summary: 'Marks an alert as seen',
    tags: ['stock'],
    auth: 'staff',
    params: storeParams.extend({ alertId: Ulid }),
    storeParam: 'storeId',
    response: StockAlertView,
    handler: async ({ params, auth }) => stock.acknowledgeAlert(params.storeId, params.alertId, auth.staff.id),
  });

  routes.add({
    method: 'get',
    path: '/api/staff/stores/:storeId/capacity',
    summary: 'Kitchen capacity per slot and today’s load',
    tags: ['stock'],
    auth: 'staff',
    params: storeParams,
    storeParam: 'storeId',
    response: CapacityResponse,
    handler: async ({ params }) => stock.capacity(params.storeId),
  });

  routes.add({
    method: 'put',
    path: '/api/staff/stores/:storeId/capacity',
    summary: 'Sets the kitchen capacity: slot length and limits per time of day (local time)',
    tags: ['stock'],
    auth: managers,
    params: storeParams,
    storeParam: 'storeId',
    body: CapacitySettings,
    response: CapacityResponse,
    handler: async ({ params, body, auth }) => stock.saveCapacity(params.storeId, body, auth.staff.id),
  });

  routes.add({
    method: 'get',
    path: '/api/admin/stock-policy',
    summary: 'The brand’s stock policies',
    tags: ['stock'],
    auth: 'staff',
    response: StockPolicy,
    handler: async ({ auth }) => stock.policy(auth.staff.brandId),
  });

  routes.add({
    method: 'put',
    path: '/api/admin/stock-policy',
    summary: 'Sets the brand’s stock policies (HQ): shortage policy, refunded stock, stock shown on platforms',
    tags: ['stock'],
    auth: ['hq_admin'],
    body: StockPolicyUpdate,
    response: StockPolicy,
    handler: async ({ body, auth }) => stock.updatePolicy(auth.staff.brandId, body, auth.staff.id),
  });

  routes.add({
    method: 'post',
    path: '/api/staff/stores/:storeId/reservations',
    summary:
      'Reserves stock and kitchen capacity for an order taken at the store’s own POS / dine-in terminal (idempotent per order and line). Own channels are all-or-nothing; platform orders are recorded, shortages flagged',
    tags: ['stock'],
    auth: 'staff',
    params: storeParams,
    storeParam: 'storeId',
    body: ReservationRequest,
    response: ReservationResponse,
    handler: async ({ params, body, auth }) => {
      const own = body.channel === 'miniapp' || body.channel === 'dinein';
      const result = await stock.reserve({
        brandId: auth.staff.brandId,
        storeId: params.storeId,
        orderId: body.orderId,
        channel: body.channel,
        lines: body.lines,
        mode: own ? 'strict' : 'record',
        ...(body.readyAt ? { readyAt: Date.parse(body.readyAt) } : {}),
      });
      return {
        ok: result.ok,
        shortages: result.shortages,
        slotStart: result.slotStart === null ? null : new Date(result.slotStart).toISOString(),
        overloaded: result.overloaded,
        replayed: result.replayed,
        shortagePolicy: result.shortagePolicy ?? null,
      };
    },
  });
}
