import {
  CancelOrderRequest,
  EmptyActionRequest,
  HandoverRequest,
  OrderView,
  QueueQuery,
  QueueResponse,
  RejectRefundRequest,
  Ulid,
} from 'shared-types';
import { z } from 'zod';
import type { RouteRegistry } from '../../http/router';
import type { KitchenActions } from './kitchen-actions';
import type { KitchenQueue } from './queue';
import type { OrderService } from './service';
import type { StaffAction } from './status';

const StoreParams = z.object({ storeId: Ulid });
const OrderParams = z.object({ orderId: Ulid });

const SIMPLE_ACTIONS: { action: Exclude<StaffAction, 'cancel' | 'handover'>; path: string; summary: string }[] = [
  { action: 'accept', path: 'accept', summary: 'Accept the order (接单); confirmed to its platform' },
  { action: 'start', path: 'start', summary: 'The kitchen starts making it' },
  { action: 'ready', path: 'ready', summary: 'Meal ready (出餐完成); reported to its platform' },
  { action: 'delivered', path: 'delivered', summary: 'Self-delivery: the store’s rider delivered it' },
];

/** Staff: the kitchen queue of a store in scope, its live stream, and the kitchen actions. */
export function orderRoutes(
  routes: RouteRegistry,
  orders: OrderService,
  kitchen: KitchenActions,
  queue: KitchenQueue,
): void {
  routes.add({
    method: 'get',
    path: '/api/staff/stores/:storeId/queue',
    summary: 'The kitchen queue, soonest promise first',
    tags: ['staff', 'orders'],
    auth: 'staff',
    params: StoreParams,
    storeParam: 'storeId',
    query: QueueQuery,
    response: QueueResponse,
    handler: async ({ params, query }) => queue.list(params.storeId, query.view),
  });

  routes.add({
    method: 'get',
    path: '/api/staff/stores/:storeId/queue/stream',
    summary: 'The kitchen queue as Server-Sent Events (a `queue` snapshot, then `order` events)',
    tags: ['staff', 'orders'],
    auth: 'staff',
    params: StoreParams,
    storeParam: 'storeId',
    handler: async ({ params, ctx }) => queue.stream(ctx, params.storeId),
  });

  routes.add({
    method: 'get',
    path: '/api/staff/orders/:orderId',
    summary: 'One order of a store in scope',
    tags: ['staff', 'orders'],
    auth: 'staff',
    params: OrderParams,
    response: OrderView,
    handler: async ({ params, auth }) => {
      const order = await orders.get(params.orderId);
      await auth.staff.assertStore(order.store_id);
      return orders.view(order, 'staff');
    },
  });

  for (const a of SIMPLE_ACTIONS) {
    routes.add({
      method: 'post',
      path: `/api/staff/orders/:orderId/${a.path}`,
      summary: a.summary,
      tags: ['staff', 'orders'],
      auth: 'staff',
      params: OrderParams,
      body: EmptyActionRequest,
      response: OrderView,
      handler: async ({ params, auth }) => kitchen.staffAction(params.orderId, a.action, auth.staff),
    });
  }

  routes.add({
    method: 'post',
    path: '/api/staff/orders/:orderId/handover',
    summary: 'Hand the order over (交付): picked up, served, or out for delivery',
    tags: ['staff', 'orders'],
    auth: 'staff',
    params: OrderParams,
    body: HandoverRequest,
    response: OrderView,
    handler: async ({ params, body, auth }) => kitchen.staffAction(params.orderId, 'handover', auth.staff, body),
  });

  routes.add({
    method: 'post',
    path: '/api/staff/orders/:orderId/cancel',
    summary: 'Cancel the order with a reason; cancelled on its platform too',
    tags: ['staff', 'orders'],
    auth: 'staff',
    params: OrderParams,
    body: CancelOrderRequest,
    response: OrderView,
    handler: async ({ params, body, auth }) =>
      kitchen.staffAction(params.orderId, 'cancel', auth.staff, { reason: body.reason, remark: body.remark }),
  });

  routes.add({
    method: 'post',
    path: '/api/staff/orders/:orderId/refund/agree',
    summary: 'Agree to the customer’s refund request',
    tags: ['staff', 'orders'],
    auth: 'staff',
    params: OrderParams,
    body: EmptyActionRequest,
    response: OrderView,
    handler: async ({ params, auth }) => kitchen.decideRefund(params.orderId, 'agree', auth.staff),
  });

  routes.add({
    method: 'post',
    path: '/api/staff/orders/:orderId/refund/reject',
    summary: 'Reject the customer’s refund request with a reason',
    tags: ['staff', 'orders'],
    auth: 'staff',
    params: OrderParams,
    body: RejectRefundRequest,
    response: OrderView,
    handler: async ({ params, body, auth }) => kitchen.decideRefund(params.orderId, 'reject', auth.staff, body.reason),
  });
}
