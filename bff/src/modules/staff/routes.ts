import { StaffLoginRequest, StaffLoginResponse, StaffView } from 'shared-types';
import type { RouteRegistry } from '../../http/router';
import type { StaffService } from './service';

export function staffRoutes(routes: RouteRegistry, staff: StaffService): void {
  routes.add({
    method: 'post',
    path: '/api/admin/login',
    summary: 'Staff sign-in: a short-lived token and the staff member’s role and scope',
    tags: ['admin', 'staff'],
    auth: 'public',
    body: StaffLoginRequest,
    response: StaffLoginResponse,
    handler: ({ body }) => staff.login(body.username, body.password),
  });

  routes.add({
    method: 'get',
    path: '/api/admin/me',
    summary: 'The signed-in staff member',
    tags: ['admin', 'staff'],
    auth: 'staff',
    response: StaffView,
    handler: ({ auth }) => staff.me(auth.staff.id),
  });
}
