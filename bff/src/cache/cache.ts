/**
 * The small coordination interface the BFF needs from Redis. It holds only what may be lost and
 * rebuilt (menu cache, tokens, rate-limit buckets, locks, live fan-out): no fact that matters
 * lives only here. With REDIS_URL unset an in-process implementation stands in, for the embedded
 * default; both pass one shared test suite.
 *
 * Redis is never a single point of failure. While it is unreachable or stalled, each method
 * answers as its doc says under "Unavailable", quickly, instead of failing the caller.
 */
export interface Cache {
  readonly kind: 'redis' | 'memory';
  /** Unavailable: null (a miss; callers read the database). */
  get(key: string): Promise<string | null>;
  /** Stores a value; with `ttlMs` it disappears after that many milliseconds. Unavailable: dropped. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Stores a value only if the key is absent. Answers whether it was stored. Unavailable: throws CacheUnavailableError. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  /** Unavailable: done again once the cache is back (an invalidation must not be lost). */
  del(...keys: string[]): Promise<void>;
  /**
   * Adds `by` (default 1) and answers the new value. `ttlMs` is set when the key is created.
   * Unavailable: throws CacheUnavailableError, and the increment is applied once the cache is back
   * (counters here are version bumps: one more bump is harmless, a lost one serves a stale menu).
   */
  incr(key: string, by?: number, ttlMs?: number): Promise<number>;
  /**
   * Token bucket shared by every process: `capacity` tokens, refilled at `refillPerSecond`.
   * Takes `cost` tokens if available. Unavailable: a bucket of this process alone answers, so a
   * limit still holds per process (with N processes, up to N times the rate).
   */
  takeTokens(bucket: string, rule: TokenBucketRule, cost?: number): Promise<TokenBucketResult>;
  /**
   * A lock held for at most `ttlMs`, or null when another holder has it. Unavailable: throws
   * CacheUnavailableError: nobody can know who holds it, so the job skips its turn rather than
   * risk running twice.
   */
  acquireLock(key: string, ttlMs: number): Promise<Lock | null>;
  /** Unavailable: dropped (live screens poll the database meanwhile; the outbox polls anyway). */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Calls `handler` for each message on the channel until the returned function is called.
   * Unavailable: the subscription is kept and takes effect when the cache is back.
   */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  /** False while the cache is unreachable: writes are dropped and published messages lost. */
  available(): boolean;
  /** Throws when the cache does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export { CacheUnavailableError } from '../lib/dependency-outage';

export interface TokenBucketRule {
  capacity: number;
  refillPerSecond: number;
}

export interface TokenBucketResult {
  ok: boolean;
  /** Tokens left after this call. */
  remaining: number;
  /** When refused: how long until `cost` tokens are available. */
  retryAfterMs: number;
}

export interface Lock {
  readonly key: string;
  /** Extends the lock if still held. Answers false if it expired and someone else may hold it. */
  extend(ttlMs: number): Promise<boolean>;
  /** Releases the lock if still held by us; never releases a lock someone else took over. */
  release(): Promise<void>;
}

/** Pure token-bucket arithmetic, shared by the in-process implementation and its tests. */
export function refill(state: { tokens: number; updatedAt: number }, rule: TokenBucketRule, now: number): number {
  const elapsed = Math.max(0, now - state.updatedAt) / 1000;
  return Math.min(rule.capacity, state.tokens + elapsed * rule.refillPerSecond);
}
