import { sql } from 'kysely';
import { HealthResponse, ReadyResponse } from 'shared-types';
import type { Container } from '../container';
import type { RouteRegistry } from '../http/router';

async function check(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

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
    summary: 'The database and the cache answer; 503 otherwise',
    tags: ['ops'],
    auth: 'public',
    response: ReadyResponse,
    handler: async ({ ctx }) => {
      const [database, cache] = await Promise.all([
        check(() => sql`SELECT 1`.execute(c.db)),
        check(() => c.cache.ping()),
      ]);
      const ok = database.ok && cache.ok;
      if (!ok) {
        ctx.status = 503;
        ctx.body = { status: 'unavailable', checks: { database, cache } };
        ctx.state.responded = true;
      }
      return { status: 'ok' as const, checks: { database, cache } };
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
