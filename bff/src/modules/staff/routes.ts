import { StaffLoginRequest, StaffLoginResponse, StaffView } from 'shared-types';
import { isAppError, SIGN_IN_RULES, type SignInLimiter } from '../../http/rate-limit';
import type { RouteRegistry } from '../../http/router';
import type { StaffService } from './service';

export function staffRoutes(routes: RouteRegistry, staff: StaffService, limiter: SignInLimiter): void {
  routes.add({
    method: 'post',
    path: '/api/admin/login',
    summary:
      'Staff sign-in: a short-lived token and the staff member’s role and scope. Failed attempts are limited per username and per address (429 RATE_LIMITED with Retry-After)',
    tags: ['admin', 'staff'],
    auth: 'public',
    body: StaffLoginRequest,
    response: StaffLoginResponse,
    handler: ({ body, ctx }) =>
      limiter.guard(
        'staff-sign-in',
        [
          { key: `signin:staff:user:${body.username.toLowerCase()}`, rule: SIGN_IN_RULES.staffUser },
          { key: `signin:staff:ip:${ctx.ip}`, rule: SIGN_IN_RULES.staffIp },
        ],
        () => staff.login(body.username, body.password),
        { on: 'failure', isFailure: isAppError('INVALID_CREDENTIALS') },
      ),
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
