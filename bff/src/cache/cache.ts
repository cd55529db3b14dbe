/**
 * The small coordination interface the BFF needs from Redis. It holds only what may be lost and
 * rebuilt (menu cache, tokens, rate-limit buckets, locks, live fan-out): no fact that matters
 * lives only here. With REDIS_URL unset an in-process implementation stands in, for the embedded
 * default; both pass one shared test suite.
 */
export interface Cache {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  /** Stores a value; with `ttlMs` it disappears after that many milliseconds. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Stores a value only if the key is absent. Answers whether it was stored. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  del(...keys: string[]): Promise<void>;
  /** Adds `by` (default 1) and answers the new value. `ttlMs` is set when the key is created. */
  incr(key: string, by?: number, ttlMs?: number): Promise<number>;
  /**
   * Token bucket shared by every process: `capacity` tokens, refilled at `refillPerSecond`.
   * Takes `cost` tokens if available.
   */
  takeTokens(bucket: string, rule: TokenBucketRule, cost?: number): Promise<TokenBucketResult>;
  /** A lock held for at most `ttlMs`, or null when another holder has it. */
  acquireLock(key: string, ttlMs: number): Promise<Lock | null>;
  publish(channel: string, message: string): Promise<void>;
  /** Calls `handler` for each message on the channel until the returned function is called. */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

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
