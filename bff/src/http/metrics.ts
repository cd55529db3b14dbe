import type { Middleware } from 'koa';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per app instance, so several apps in one test process don't collide. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly outboxDelivered: Counter<'topic' | 'result'>;
  readonly cacheFallbacks: Counter<'operation'>;
  readonly unavailable: Counter<'dependency'>;
  private readonly dependencyChecks = new Map<string, () => Promise<boolean>>();
  readonly pushAge: Histogram<'platform'>;
  readonly pushRefused: Counter<'platform' | 'reason'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'heyi_' });
    this.httpDuration = new Histogram({
      name: 'heyi_http_request_duration_seconds',
      help: 'HTTP request duration by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.outboxDelivered = new Counter({
      name: 'heyi_outbox_deliveries_total',
      help: 'Outbox deliveries by topic and result (done, retry, dead)',
      labelNames: ['topic', 'result'],
      registers: [this.registry],
    });
    this.cacheFallbacks = new Counter({
      name: 'heyi_cache_fallbacks_total',
      help: 'Cache calls answered without Redis (it was down or stalled), by operation',
      labelNames: ['operation'],
      registers: [this.registry],
    });
    this.unavailable = new Counter({
      name: 'heyi_http_unavailable_total',
      help: 'Requests answered 503 because a dependency was unreachable, by dependency',
      labelNames: ['dependency'],
      registers: [this.registry],
    });
    const checks = this.dependencyChecks;
    new Gauge({
      name: 'heyi_dependency_up',
      help: '1 while the dependency answers, 0 while it is down (redis down = degraded, still serving)',
      labelNames: ['dependency'],
      registers: [this.registry],
      async collect() {
        await Promise.all(
          [...checks].map(async ([dependency, check]) => {
            this.set({ dependency }, (await check().catch(() => false)) ? 1 : 0);
          }),
        );
      },
    });
    this.pushAge = new Histogram({
      name: 'heyi_push_timestamp_age_seconds',
      help: 'Age of the signed timestamp of platform pushes when they arrive (to size PUSH_MAX_AGE_SECONDS)',
      labelNames: ['platform'],
      buckets: [1, 5, 30, 60, 300, 1800, 3600, 6 * 3600, 86400, 7 * 86400],
      registers: [this.registry],
    });
    this.pushRefused = new Counter({
      name: 'heyi_push_refused_total',
      help: 'Platform pushes refused, by reason (signature, store, malformed, stale, store_mismatch)',
      labelNames: ['platform', 'reason'],
      registers: [this.registry],
    });
  }

  /** `heyi_dependency_up{dependency}` is read from `check` at each scrape. */
  watchDependency(dependency: string, check: () => Promise<boolean>): void {
    this.dependencyChecks.set(dependency, check);
  }

  /** Labels by the matched route pattern (not the raw path), so ids don't explode the series. */
  middleware(): Middleware {
    return async (ctx, next) => {
      const end = this.httpDuration.startTimer();
      try {
        await next();
      } finally {
        const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
        end({ method: ctx.method, route: String(route), status: String(ctx.status) });
      }
    };
  }
}
