import Koa from 'koa';
import { dineInRoutes } from './channels/dinein/routes';
import { miniappOrderRoutes } from './channels/miniapp/routes';
import type { Container } from './container';
import { healthRoutes } from './health/routes';
import { adminApp } from './http/admin-app';
import { createAuthenticator } from './http/auth';
import { errorHandler } from './http/error-handler';
import { buildOpenApi } from './http/openapi';
import { SignInLimiter } from './http/rate-limit';
import { requestId } from './http/request-id';
import { methodNotAllowed, RouteRegistry } from './http/router';
import { catalogRoutes } from './modules/catalog/routes';
import { deliveryRoutes } from './modules/delivery/routes';
import { mediaRoutes } from './modules/media/routes';
import { memberRoutes } from './modules/members/routes';
import { orderRoutes } from './modules/orders/routes';
import { reservationRoutes } from './modules/orders/routes-reservations';
import { reportRoutes } from './modules/reports/routes';
import { staffRoutes } from './modules/staff/routes';
import { stockRoutes } from './modules/stock/routes';
import { storeRoutes } from './modules/stores/routes';

/**
 * The route table: every route of the BFF, declared once. `createApp` serves it; tests read it to
 * cover every route (the authorization matrix, the fuzz suite through /openapi.json).
 */
export function registerRoutes(container: Container, openApi: () => unknown): RouteRegistry {
  const routes = new RouteRegistry();

  healthRoutes(routes, container, openApi);
  const signIn = new SignInLimiter(container.cache, container.metrics, container.logger);
  staffRoutes(routes, container.services.staff, signIn);
  storeRoutes(routes, container.services.stores);
  mediaRoutes(routes, container.services.media, container.config.bodyLimitBytes);
  catalogRoutes(routes, container.services.catalog, container.config.bodyLimitBytes);
  stockRoutes(routes, container.services.stock, container.idempotency);
  const { orderFlow: flow, orderChannels } = container.services;
  orderRoutes(routes, flow.orders, flow.kitchen, flow.queue);
  reservationRoutes(routes, flow.reservations);
  deliveryRoutes(routes, container.services.delivery);
  memberRoutes(routes, container.services.members, signIn);
  miniappOrderRoutes(routes, orderChannels.checkout, flow.orders, container.services.payments);
  dineInRoutes(routes, orderChannels.tableCodes, container.services.stores);
  orderChannels.meituan.register(routes);
  orderChannels.eleme.register(routes);
  orderChannels.wechatPay.register(routes);
  reportRoutes(routes, container.services.reports.service);
  return routes;
}

/** Builds the Koa app from a container. No listening, no workers: tests start it on a random port. */
export function createApp(container: Container): Koa {
  // Behind one proxy: the address it appends to X-Forwarded-For is the client's (the sign-in limits
  // key on it); entries before it are whatever the client sent.
  const app = new Koa({ proxy: true, maxIpsCount: 1 });
  // Generated on the first request for it, not at start: it walks every route's schemas.
  let openApi: unknown;
  const routes: RouteRegistry = registerRoutes(
    container,
    () => (openApi ??= buildOpenApi(routes.defs, { title: 'heyi BFF', version: '0.1.0' })),
  );
  const router = routes.build({
    bodyLimitBytes: container.config.bodyLimitBytes,
    authenticator: createAuthenticator({
      staff: container.services.staff,
      tokens: container.tokens,
      memberCheck: (id, brandId) => container.services.members.assertActive(id, brandId),
    }),
    checkResponses: container.config.env !== 'production',
    storeExists: async (id, brandId) => (await container.services.stores.find(id))?.brand_id === brandId,
  });

  app.use(requestId());
  app.use(errorHandler(container.logger, container.metrics));
  app.use(container.metrics.middleware());
  app.use(adminApp(container.config.adminDir));
  app.use(methodNotAllowed(router));
  app.use(router.routes());
  // Errors are answered by errorHandler; Koa's own handler would only log them a second time.
  app.silent = true;
  return app;
}
