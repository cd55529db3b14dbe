import { ReservationCommitRequest, ReservationReleaseRequest, Ulid } from 'shared-types';
import { z } from 'zod';
import type { RouteRegistry } from '../../http/router';
import type { ReservationActions } from './reservation-actions';

const Params = z.object({ storeId: z.string().min(1).max(64), orderId: Ulid });

/** The staff routes for an order's reservation; its store is checked by the registry. */
export function reservationRoutes(routes: RouteRegistry, actions: ReservationActions): void {
  routes.add({
    method: 'post',
    path: '/api/staff/stores/:storeId/reservations/:orderId/commit',
    summary:
      'The order is paid (own channels) or accepted (platforms): its reservation becomes a sale. Any other state needs a manager’s `override` with a reason',
    tags: ['stock'],
    auth: 'staff',
    params: Params,
    storeParam: 'storeId',
    body: ReservationCommitRequest,
    status: 204,
    handler: async ({ params, body, auth }) => {
      await actions.act(params.storeId, params.orderId, auth.staff, 'commit', { override: body.override });
    },
  });

  routes.add({
    method: 'post',
    path: '/api/staff/stores/:storeId/reservations/:orderId/release',
    summary:
      'The order is cancelled, timed out or refunded: held stock goes back (refunds: by the brand’s policy). Any other state needs a manager’s `override` with a reason',
    tags: ['stock'],
    auth: 'staff',
    params: Params,
    storeParam: 'storeId',
    body: ReservationReleaseRequest,
    status: 204,
    handler: async ({ params, body, auth }) => {
      await actions.act(params.storeId, params.orderId, auth.staff, 'release', {
        reason: body.reason,
        override: body.override,
      });
    },
  });
}
