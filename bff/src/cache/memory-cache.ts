import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { type Cache, type Lock, refill, type TokenBucketResult, type TokenBucketRule } from './cache';

interface Entry {
  value: string;
  expiresAt: number | null;
}

/**
 * The in-process stand-in for Redis, for the embedded default (one process). Same semantics as
 * the Redis implementation, including TTLs and lock ownership, so code cannot tell them apart.
 */
export class MemoryCache implements Cache {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();
  private readonly bus = new EventEmitter();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.bus.setMaxListeners(0);
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    for (const key of this.entries.keys()) this.live(key);
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: ttlMs ? this.now() + ttlMs : null });
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    if (this.live(key)) return false;
    await this.set(key, value, ttlMs);
    return true;
  }

  async del(...keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }

  async incr(key: string, by = 1, ttlMs?: number): Promise<number> {
    const entry = this.live(key);
    if (entry && !/^-?\d+$/.test(entry.value)) throw new Error(`value at ${key} is not an integer`);
    const next = (entry ? Number(entry.value) : 0) + by;
    this.entries.set(key, {
      value: String(next),
      expiresAt: entry ? entry.expiresAt : ttlMs ? this.now() + ttlMs : null,
    });
    return next;
  }

  async takeTokens(bucket: string, rule: TokenBucketRule, cost = 1): Promise<TokenBucketResult> {
    const now = this.now();
    const state = this.buckets.get(bucket) ?? { tokens: rule.capacity, updatedAt: now };
    const tokens = refill(state, rule, now);
    if (tokens >= cost) {
      this.buckets.set(bucket, { tokens: tokens - cost, updatedAt: now });
      return { ok: true, remaining: Math.floor(tokens - cost), retryAfterMs: 0 };
    }
    this.buckets.set(bucket, { tokens, updatedAt: now });
    const retryAfterMs = Math.ceil(((cost - tokens) / rule.refillPerSecond) * 1000);
    return { ok: false, remaining: Math.floor(tokens), retryAfterMs };
  }

  async acquireLock(key: string, ttlMs: number): Promise<Lock | null> {
    const token = randomUUID();
    if (!(await this.setIfAbsent(key, token, ttlMs))) return null;
    const held = () => this.live(key)?.value === token;
    return {
      key,
      extend: async (ms) => {
        if (!held()) return false;
        this.entries.set(key, { value: token, expiresAt: this.now() + ms });
        return true;
      },
      release: async () => {
        if (held()) this.entries.delete(key);
      },
    };
  }

  async publish(channel: string, message: string): Promise<void> {
    // Delivered asynchronously, as Redis would, so a publisher never runs subscriber code inline.
    setImmediate(() => this.bus.emit(channel, message));
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    const listener = (message: string) => {
      try {
        handler(message);
      } catch {
        // As with Redis: a handler's bug must not escape into the event loop (an uncaught exception).
      }
    };
    this.bus.on(channel, listener);
    return async () => {
      this.bus.off(channel, listener);
    };
  }

  available(): boolean {
    return true;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.bus.removeAllListeners();
    this.entries.clear();
    this.buckets.clear();
  }
}
