import { MemberLoginRequest, MemberLoginResponse } from 'shared-types';
import { SIGN_IN_RULES, type SignInLimiter } from '../../http/rate-limit';
import type { RouteRegistry } from '../../http/router';
import type { MemberService } from './service';

export function memberRoutes(routes: RouteRegistry, members: MemberService, limiter: SignInLimiter): void {
  routes.add({
    method: 'post',
    path: '/api/mp/auth/login',
    summary:
      'Member sign-in with a wx.login() code; answers our own token. Limited per address (429 RATE_LIMITED with Retry-After)',
    tags: ['mini-program'],
    auth: 'public',
    body: MemberLoginRequest,
    response: MemberLoginResponse,
    handler: async ({ body, ctx }) =>
      limiter.guard(
        'member-sign-in',
        [{ key: `signin:member:ip:${ctx.ip}`, rule: SIGN_IN_RULES.memberIp }],
        () => members.login(body.code),
        { on: 'always' },
      ),
  });
}
