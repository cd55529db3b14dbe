import {
  CheckoutRequest,
  EmptyActionRequest,
  MemberOrderList,
  OrderView,
  PlaceOrderResponse,
  QuoteResponse,
  RequestPaymentParams,
  Ulid,
} from 'shared-types';
import { z } from 'zod';
import type { MemberPrincipal, RouteRegistry } from '../../http/router';
import { AppError } from '../../lib/errors';
import type { Checkout } from '../../modules/checkout/checkout';
import type { OrderService } from '../../modules/orders/service';
import type { PaymentService } from '../../modules/payments/service';

const OrderParams = z.object({ orderId: Ulid });

/** A member reads and acts on their own orders only; anyone else's is "not found". */
async function ownOrder(orders: OrderService, member: MemberPrincipal, orderId: string) {
  const order = await orders.find(orderId);
  if (!order || order.member_id !== member.id) throw new AppError('NOT_FOUND', 404, 'order not found');
  return order;
}

export function miniappOrderRoutes(
  routes: RouteRegistry,
  checkout: Checkout,
  orders: OrderService,
  payments: PaymentService,
): void {
  routes.add({
    method: 'post',
    path: '/api/mp/orders/quote',
    summary: 'Prices a cart for pickup, self-delivery or dine-in, with the promised time',
    tags: ['mini-program', 'orders'],
    auth: 'member',
    body: CheckoutRequest,
    response: QuoteResponse,
    handler: async ({ body, auth }) => checkout.quote(auth.member, body),
  });

  routes.add({
    method: 'post',
    path: '/api/mp/orders',
    summary: 'Places an order (Idempotency-Key header); answers the order and the wx.requestPayment parameters',
    tags: ['mini-program', 'orders'],
    auth: 'member',
    body: CheckoutRequest,
    response: PlaceOrderResponse,
    status: 201,
    handler: async ({ body, auth, ctx }) => checkout.place(auth.member, body, ctx.get('idempotency-key') || undefined),
  });

  routes.add({
    method: 'get',
    path: '/api/mp/orders',
    summary: 'The member’s recent orders',
    tags: ['mini-program', 'orders'],
    auth: 'member',
    response: MemberOrderList,
    handler: async ({ auth }) => {
      const rows = (await orders.forMember(auth.member.id)).filter(
        // An order whose placement failed never existed for the member.
        (o) => !(o.status === 'cancelled' && o.cancel_reason?.startsWith('placement:')),
      );
      return { orders: await orders.viewsOf(rows, 'member') };
    },
  });

  routes.add({
    method: 'get',
    path: '/api/mp/orders/:orderId',
    summary: 'One of the member’s orders, with its status and the rider’s timeline',
    tags: ['mini-program', 'orders'],
    auth: 'member',
    params: OrderParams,
    response: OrderView,
    handler: async ({ params, auth }) => orders.view(await ownOrder(orders, auth.member, params.orderId), 'member'),
  });

  routes.add({
    method: 'post',
    path: '/api/mp/orders/:orderId/payment',
    summary: 'Fresh wx.requestPayment parameters for an unpaid order',
    tags: ['mini-program', 'orders'],
    auth: 'member',
    params: OrderParams,
    body: EmptyActionRequest,
    response: RequestPaymentParams,
    handler: async ({ params, auth }) => {
      const order = await ownOrder(orders, auth.member, params.orderId);
      return payments.resumePayment(order, `${order.day_seq ?? ''} 订单`.trim());
    },
  });

  routes.add({
    method: 'post',
    path: '/api/mp/orders/:orderId/cancel',
    summary: 'Gives up an unpaid order',
    tags: ['mini-program', 'orders'],
    auth: 'member',
    params: OrderParams,
    body: EmptyActionRequest,
    response: OrderView,
    handler: async ({ params, auth }) => {
      const order = await ownOrder(orders, auth.member, params.orderId);
      if (order.status !== 'pending_payment' && order.status !== 'cancelled') {
        throw new AppError('ORDER_STATE', 409, `this order is ${order.status}; ask the store to cancel it`);
      }
      await payments.cancelByMember(order.id, auth.member.id);
      return orders.view(await orders.get(order.id), 'member');
    },
  });
}
