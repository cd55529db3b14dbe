import { sql } from 'kysely';
import { HealthResponse, ReadyResponse } from 'shared-types';
import type { Container } from '../container';
import type { RouteRegistry } from '../http/router';
import { OUTAGE_RETRY_AFTER_SECONDS } from '../lib/dependency-outage';
import { probe } from '../lib/probe';

export function healthRoutes(routes: RouteRegistry, c: Container, openApi: () => unknown): void {
  routes.add({
    method: 'get',
    path: '/healthz',
    summary: 'The process is up',
    tags: ['ops'],
    auth: 'public',
    response: HealthResponse,
    handler: async () => ({ status: 'ok' as const }),
  });

  routes.add({
    method: 'get',
    path: '/readyz',
    summary: 'Ready while the database answers (503 otherwise); a Redis outage is reported as degraded',
    tags: ['ops'],
    auth: 'public',
    response: ReadyResponse,
    handler: async ({ ctx }) => {
      const [database, cache] = await Promise.all([
        probe(() => sql`SELECT 1`.execute(c.db)),
        probe(() => c.cache.ping()),
      ]);
      if (!database.ok) {
        const body = { status: 'unavailable' as const, checks: { database, cache } };
        ctx.status = 503;
        ctx.set('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
        ctx.body = body;
        ctx.state.responded = true;
        return body;
      }
      // Redis holds nothing that matters: without it this process still serves, so it stays ready.
      return { status: cache.ok ? ('ok' as const) : ('degraded' as const), checks: { database, cache } };
    },
  });

  routes.add({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    tags: ['ops'],
    auth: 'public',
    handler: async ({ ctx }) => {
      ctx.set('Content-Type', c.metrics.registry.contentType);
      ctx.body = await c.metrics.registry.metrics();
      ctx.state.responded = true;
    },
  });

  routes.add({
    method: 'get',
    path: '/openapi.json',
    summary: 'This API, generated from the zod schemas in shared-types',
    tags: ['ops'],
    auth: 'public',
    handler: async () => openApi(),
  });
}
