import { MemberLoginRequest, MemberLoginResponse } from 'shared-types';
import type { RouteRegistry } from '../../http/router';
import type { MemberService } from './service';

export function memberRoutes(routes: RouteRegistry, members: MemberService): void {
  routes.add({
    method: 'post',
    path: '/api/mp/auth/login',
    summary: 'Member sign-in with a wx.login() code; answers our own token',
    tags: ['mini-program'],
    auth: 'public',
    body: MemberLoginRequest,
    response: MemberLoginResponse,
    handler: async ({ body }) => members.login(body.code),
  });
}
