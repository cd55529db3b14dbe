import type { Middleware } from 'koa';
import { type Dependency, dependencyOutage, OUTAGE_RETRY_AFTER_SECONDS } from '../lib/dependency-outage';
import { AppError } from '../lib/errors';
import type { Logger } from '../logger';
import { safeUrl } from '../logger';

/**
 * Outermost middleware: logs each request once and writes every error in the one shape.
 * AppErrors are expected and show their message; anything else is a 500 with a generic message,
 * and the details go to the log only.
 */
export function errorHandler(
  logger: Logger,
  metrics?: { unavailable: { inc(labels: { dependency: Dependency }): void } },
): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    const log = logger.child({ reqId: ctx.state.requestId });
    ctx.state.log = log;
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new AppError('NOT_FOUND', 404, `no route for ${ctx.method} ${ctx.path}`);
      }
    } catch (err) {
      const outage = err instanceof AppError ? null : dependencyOutage(err);
      const appError = outage ? unavailable(outage) : toAppError(err);
      if (outage) {
        metrics?.unavailable.inc({ dependency: outage });
        log.warn({ dependency: outage, err: (err as Error)?.message }, 'dependency unavailable');
      } else if (appError.status >= 500) log.error({ err }, 'request failed');
      ctx.status = appError.status;
      for (const [name, value] of Object.entries(appError.headers ?? {})) ctx.set(name, value);
      ctx.body = {
        error: {
          code: appError.code,
          message: appError.message,
          requestId: ctx.state.requestId as string,
          ...(appError.details === undefined ? {} : { details: appError.details }),
        },
      };
    } finally {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const line = { method: ctx.method, url: safeUrl(ctx.originalUrl), status: ctx.status, ms };
      if (ctx.status >= 500) log.warn(line, 'request');
      else log.info(line, 'request');
    }
  };
}

/**
 * A dependency outage (the database unreachable, the cache needed for a lock): every route,
 * webhooks included, answers 503 with Retry-After, which clients and the platforms retry.
 */
function unavailable(dependency: Dependency): AppError {
  const what = dependency === 'database' ? 'the database' : 'the shared cache';
  return new AppError('SERVICE_UNAVAILABLE', 503, `${what} is unavailable; try again shortly`, undefined, {
    'Retry-After': String(OUTAGE_RETRY_AFTER_SECONDS),
  });
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // Koa/router errors carry `status` and `expose`; only client errors with safe messages pass through.
  const e = err as { status?: number; expose?: boolean; message?: string };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
    const code = e.status === 404 ? 'NOT_FOUND' : e.status === 405 ? 'METHOD_NOT_ALLOWED' : 'BAD_REQUEST';
    return new AppError(code, e.status, e.message ?? 'bad request');
  }
  return new AppError('INTERNAL', 500, 'internal error');
}
