import { Counter } from 'prom-client';
import type { Cache, TokenBucketRule } from '../cache';
import { AppError, errors } from '../lib/errors';
import type { Logger } from '../logger';
import type { Metrics } from './metrics';

export interface Bucket {
  /** Cache key of the bucket, e.g. `signin:staff:user:hq`. */
  key: string;
  rule: TokenBucketRule;
}

/** How long the limiter waits for the cache before letting the request through. */
const CACHE_WAIT_MS = 300;

/**
 * Sign-in rate limits, in token buckets kept in the shared cache (Redis, or in-process), so every
 * BFF process counts together. A refusal is `429 RATE_LIMITED` with `Retry-After`.
 *
 * When the cache cannot answer (Redis down or stalled), the limiter fails open: the request goes
 * on, `heyi_rate_limit_unavailable_total` counts it and a warning is logged. Sign-in keeps working
 * through a Redis outage; the per-username slow-down comes back with Redis. Passwords are still
 * scrypt-hashed, so an outage does not make guessing cheap.
 */
export class SignInLimiter {
  private readonly unavailable: Counter<'limiter'>;

  constructor(
    private readonly cache: Cache,
    metrics: Metrics,
    private readonly logger: Logger,
  ) {
    const name = 'heyi_rate_limit_unavailable_total';
    this.unavailable =
      (metrics.registry.getSingleMetric(name) as Counter<'limiter'> | undefined) ??
      new Counter({
        name,
        help: 'Requests let through because the rate-limit store (the cache) did not answer',
        labelNames: ['limiter'],
        registers: [metrics.registry],
      });
  }

  /**
   * Runs `work` unless a bucket is empty. `spendOn: 'failure'` spends one token from every bucket
   * only when `work` throws `INVALID_CREDENTIALS`-like refusals (`isFailure`); `'always'` spends one
   * per attempt, before `work`.
   */
  async guard<T>(
    limiter: string,
    buckets: Bucket[],
    work: () => Promise<T>,
    spend: { on: 'always' } | { on: 'failure'; isFailure: (err: unknown) => boolean },
  ): Promise<T> {
    await this.take(limiter, buckets, spend.on === 'always' ? 1 : 0);
    try {
      return await work();
    } catch (err) {
      if (spend.on === 'failure' && spend.isFailure(err)) await this.take(limiter, buckets, 1, false);
      throw err;
    }
  }

  private async take(limiter: string, buckets: Bucket[], cost: number, refuse = true): Promise<void> {
    let waits: number[];
    try {
      waits = await withDeadline(
        Promise.all(
          buckets.map(async (b) => {
            const result = await this.cache.takeTokens(b.key, b.rule, cost);
            // A peek (cost 0) is refused once less than one token is left.
            if (result.ok && result.remaining >= (cost === 0 ? 1 : 0)) return 0;
            return result.retryAfterMs || ((1 - result.remaining) * 1000) / b.rule.refillPerSecond;
          }),
        ),
        CACHE_WAIT_MS,
      );
    } catch (err) {
      this.unavailable.inc({ limiter });
      this.logger.warn({ err, limiter }, 'rate limit store unavailable; letting the request through');
      return;
    }
    const wait = Math.max(0, ...waits);
    if (refuse && wait > 0) throw errors.rateLimited(wait);
  }
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** The sign-in limits: staff by username and by address (failed attempts), members by address (every attempt). */
export const SIGN_IN_RULES = {
  /** 10 failed sign-ins per username, then one more every 30 s. */
  staffUser: { capacity: 10, refillPerSecond: 1 / 30 },
  /** 30 failed sign-ins per address across usernames, then one more every 10 s. */
  staffIp: { capacity: 30, refillPerSecond: 1 / 10 },
  /**
   * Every member sign-in costs a WeChat code2session call; 60 per address, refilled at one a
   * second, leaves room for many phones behind one carrier NAT.
   */
  memberIp: { capacity: 60, refillPerSecond: 1 },
} satisfies Record<string, TokenBucketRule>;

export const isAppError = (code: string) => (err: unknown) => err instanceof AppError && err.code === code;
