import type { Context } from 'koa';
import { bearerToken, type TokenService } from '../lib/tokens';
import type { StaffService } from '../modules/staff/service';
import type { Authenticator, MemberPrincipal, StaffPrincipal } from './router';

/** Refuses a member token whose member no longer exists or is blocked. */
export type MemberCheck = (memberId: string, brandId: string) => Promise<void>;

/** Turns a request's bearer token into a staff or member principal; caches it on the request. */
export function createAuthenticator(deps: {
  staff: StaffService;
  tokens: TokenService;
  memberCheck?: MemberCheck;
}): Authenticator {
  return {
    async staff(ctx: Context): Promise<StaffPrincipal> {
      const cached = ctx.state.staffPrincipal as StaffPrincipal | undefined;
      if (cached) return cached;
      const principal = await deps.staff.principal(bearerToken(ctx.get('authorization')));
      ctx.state.staffPrincipal = principal;
      return principal;
    },
    async member(ctx: Context): Promise<MemberPrincipal> {
      const cached = ctx.state.memberPrincipal as MemberPrincipal | undefined;
      if (cached) return cached;
      const claims = await deps.tokens.verifyMember(bearerToken(ctx.get('authorization')));
      await deps.memberCheck?.(claims.sub, claims.brandId);
      const principal: MemberPrincipal = { kind: 'member', id: claims.sub, brandId: claims.brandId };
      ctx.state.memberPrincipal = principal;
      return principal;
    },
  };
}
