import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Cache, Lock, TokenBucketResult, TokenBucketRule } from './cache';

/** Refill-and-take in one step on the server, using the server's clock so processes agree. */
const TAKE_TOKENS = `
local key = KEYS[1]
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', key, 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil then tokens = capacity; at = now end
local elapsed = math.max(0, now - at) / 1000
tokens = math.min(capacity, tokens + elapsed * rate)
local ok = 0
if tokens >= cost then tokens = tokens - cost; ok = 1 end
redis.call('HSET', key, 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', key, math.ceil(capacity / rate * 1000) + 1000)
local wait = 0
if ok == 0 then wait = math.ceil((cost - tokens) / rate * 1000) end
return {ok, tostring(tokens), wait}
`;

const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const EXTEND_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

const INCR_WITH_TTL = `
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
if v == tonumber(ARGV[1]) and tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return v
`;

/**
 * Redis-backed coordination for any number of BFF processes. Every key and channel is prefixed,
 * so one Redis can serve several deployments (and parallel test runs).
 */
export class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  private readonly client: Redis;
  private subscriber: Redis | null = null;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();

  constructor(
    url: string,
    private readonly prefix = 'heyi:',
  ) {
    this.client = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
    // Connection errors surface on the command that fails (and in /readyz), not as crashes.
    this.client.on('error', () => {});
  }

  private k(key: string): string {
    return this.prefix + key;
  }

  async get(key: string): Promise<string | null> {
    return this.client.get(this.k(key));
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs) await this.client.set(this.k(key), value, 'PX', Math.max(1, Math.round(ttlMs)));
    else await this.client.set(this.k(key), value);
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const result = ttlMs
      ? await this.client.set(this.k(key), value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX')
      : await this.client.set(this.k(key), value, 'NX');
    return result === 'OK';
  }

  async del(...keys: string[]): Promise<void> {
    if (keys.length) await this.client.del(...keys.map((key) => this.k(key)));
  }

  async incr(key: string, by = 1, ttlMs?: number): Promise<number> {
    const v = await this.client.eval(INCR_WITH_TTL, 1, this.k(key), by, ttlMs ? Math.round(ttlMs) : 0);
    return Number(v);
  }

  async takeTokens(bucket: string, rule: TokenBucketRule, cost = 1): Promise<TokenBucketResult> {
    const [ok, tokens, wait] = (await this.client.eval(
      TAKE_TOKENS,
      1,
      this.k(`bucket:${bucket}`),
      rule.capacity,
      rule.refillPerSecond,
      cost,
    )) as [number, string, number];
    return { ok: ok === 1, remaining: Math.floor(Number(tokens)), retryAfterMs: Number(wait) };
  }

  async acquireLock(key: string, ttlMs: number): Promise<Lock | null> {
    const token = randomUUID();
    const full = this.k(key);
    const ok = await this.client.set(full, token, 'PX', Math.max(1, Math.round(ttlMs)), 'NX');
    if (ok !== 'OK') return null;
    return {
      key,
      extend: async (ms) => Number(await this.client.eval(EXTEND_LOCK, 1, full, token, Math.round(ms))) === 1,
      release: async () => {
        await this.client.eval(RELEASE_LOCK, 1, full, token);
      },
    };
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.client.publish(this.k(channel), message);
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    const full = this.k(channel);
    if (!this.subscriber) {
      // A connection in subscriber mode can run no other commands, so it gets its own.
      this.subscriber = this.client.duplicate();
      this.subscriber.on('error', () => {});
      this.subscriber.on('message', (ch: string, message: string) => {
        for (const h of this.handlers.get(ch) ?? []) h(message);
      });
    }
    let set = this.handlers.get(full);
    if (!set) {
      set = new Set();
      this.handlers.set(full, set);
      await this.subscriber.subscribe(full);
    }
    set.add(handler);
    return async () => {
      const current = this.handlers.get(full);
      if (!current) return;
      current.delete(handler);
      if (current.size === 0) {
        this.handlers.delete(full);
        await this.subscriber?.unsubscribe(full);
      }
    };
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.allSettled([this.subscriber?.quit(), this.client.quit()]);
  }
}
