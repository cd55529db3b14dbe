import type { Context } from 'koa';
import { MemberMenuQuery, MemberMenuResponse, Ulid } from 'shared-types';
import { z } from 'zod';
import { readRawBody } from '../../../http/body';
import type { RouteRegistry } from '../../../http/router';
import type { CatalogServices } from '../services';

/** The member-facing menu, and Meituan's store-binding callbacks. */
export function memberAndWebhookRoutes(routes: RouteRegistry, s: CatalogServices, bodyLimit: number): void {
  routes.add({
    method: 'get',
    path: '/api/mp/stores/:storeId/menu',
    summary: 'A store’s menu for the mini-program or dine-in: effective prices, sold-out SKUs, availability',
    tags: ['mini-program'],
    auth: 'public',
    params: z.object({ storeId: Ulid }).strict(),
    query: MemberMenuQuery,
    response: MemberMenuResponse,
    handler: async ({ params, query, ctx }) => {
      // Served as the cached JSON text: no parse and re-serialise per request.
      ctx.type = 'application/json; charset=utf-8';
      ctx.body = await s.memberMenu.menuJson(params.storeId, query.channel);
      ctx.state.responded = true;
      // The body is already sent; `response` documents its shape in /openapi.json.
      return undefined as unknown as MemberMenuResponse;
    },
  });

  const formFields = async (ctx: Context) =>
    Object.fromEntries(new URLSearchParams((await readRawBody(ctx, bodyLimit)).toString('utf8')));

  routes.add({
    method: 'post',
    path: '/webhooks/meituan/bind',
    summary: 'Meituan store-map bind callback (form, signed): keeps the store’s appAuthToken encrypted',
    tags: ['webhooks'],
    auth: 'public',
    handler: async ({ ctx }) => {
      const fields = await formFields(ctx);
      // Meituan probes a callback URL with an empty POST when it is saved in the console.
      if (Object.keys(fields).length > 0) await s.bindings.bindMeituan(fields);
      return { data: 'success' };
    },
  });
  routes.add({
    method: 'post',
    path: '/webhooks/meituan/unbind',
    summary: 'Meituan store-map unbind callback (form, signed)',
    tags: ['webhooks'],
    auth: 'public',
    handler: async ({ ctx }) => {
      const fields = await formFields(ctx);
      if (Object.keys(fields).length > 0) await s.bindings.unbindMeituan(fields);
      return { data: 'success' };
    },
  });
}
