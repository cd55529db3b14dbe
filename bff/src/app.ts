import Koa from 'koa';
import type { Container } from './container';
import { createAuthenticator } from './http/auth';
import { errorHandler } from './http/error-handler';
import { buildOpenApi } from './http/openapi';
import { requestId } from './http/request-id';
import { methodNotAllowed, RouteRegistry } from './http/router';
import { healthRoutes } from './modules/health/routes';
import { staffRoutes } from './modules/staff/routes';
import { storeRoutes } from './modules/stores/routes';

/** Builds the Koa app from a container. No listening, no workers: tests start it on a random port. */
export function createApp(container: Container): Koa {
  const app = new Koa({ proxy: true });
  const routes = new RouteRegistry();

  healthRoutes(routes, container, () => openApi);
  staffRoutes(routes, container.services.staff);
  storeRoutes(routes, container.services.stores);
  // ── module routes (catalog, stock, orders, webhooks …) are registered below this line ──

  const openApi = buildOpenApi(routes.defs, { title: 'heyi BFF', version: '0.1.0' });
  const router = routes.build({
    bodyLimitBytes: container.config.bodyLimitBytes,
    authenticator: createAuthenticator({ staff: container.services.staff, tokens: container.tokens }),
    checkResponses: container.config.env !== 'production',
  });

  app.use(requestId());
  app.use(errorHandler(container.logger));
  app.use(container.metrics.middleware());
  app.use(methodNotAllowed(router));
  app.use(router.routes());
  // Errors are answered by errorHandler; Koa's own handler would only log them a second time.
  app.silent = true;
  return app;
}
