import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { type Cache, CacheUnavailableError, type Lock, type TokenBucketResult, type TokenBucketRule } from './cache';
import { MemoryCache } from './memory-cache';

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

/** Replies that mean "Redis cannot serve now", as opposed to a wrong command. */
const OUTAGE_REPLY = /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|MISCONF|READONLY|NOREPLICAS)\b/;

/** Invalidations kept for replay while Redis is down; past this, the oldest are dropped. */
const MAX_PENDING = 10_000;

/** Anything but a reply Redis gave to a command it understood: a refused, lost or silent connection. */
function isOutage(err: unknown): boolean {
  const e = err as { name?: string; message?: string };
  if (e?.name === 'ReplyError') return OUTAGE_REPLY.test(e.message ?? '');
  return true;
}

/** Resolves when the connection is ready, fails, or `ms` passed: whichever comes first. */
function firstReady(connection: Redis, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    function done() {
      clearTimeout(timer);
      connection.off('ready', done);
      connection.off('error', done);
      resolve();
    }
    connection.once('ready', done);
    connection.once('error', done);
  });
}

export interface RedisCacheOptions {
  /** Prefix of every key and channel, so one Redis can serve several deployments and test runs. */
  prefix?: string;
  /** A command without an answer by then fails, and Redis counts as down until a probe answers. */
  commandTimeoutMs?: number;
  /** How often a down Redis is probed (a PING) when its connection looks alive (a stall). */
  probeIntervalMs?: number;
  logger?: Pick<Logger, 'warn' | 'info'>;
  /** Counts each call answered by its fallback, by operation (for /metrics). */
  onFallback?: (operation: string) => void;
}

/**
 * Redis-backed coordination for any number of BFF processes, which never makes Redis a single
 * point of failure. Every command has a short timeout and there is no offline queue; the first
 * failure opens a circuit, after which every call answers its fallback (see `Cache`) without
 * touching the network, until Redis is ready again (a reconnect, or a probe after a stall). Then
 * invalidations that could not be written are replayed, and subscriptions are renewed.
 */
export class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  private readonly client: Redis;
  private subscriber: Redis | null = null;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();
  private readonly prefix: string;
  private readonly probeIntervalMs: number;
  private readonly connectTimeoutMs: number;
  /** Localised rate limits while Redis is down. */
  private readonly local = new MemoryCache();
  private readonly pendingDel = new Set<string>();
  private readonly pendingIncr = new Map<string, number>();
  /** `connecting` only until the first connection attempt ends; the circuit is closed while `up`. */
  private state: 'connecting' | 'up' | 'down' = 'connecting';
  private readonly firstAttempt: Promise<void>;
  private probe: NodeJS.Timeout | undefined;
  private probing = false;
  private closed = false;

  constructor(
    url: string,
    private readonly options: RedisCacheOptions = {},
  ) {
    this.prefix = options.prefix ?? 'heyi:';
    this.probeIntervalMs = options.probeIntervalMs ?? 1000;
    const commandTimeout = options.commandTimeoutMs ?? 500;
    this.connectTimeoutMs = Math.max(1000, commandTimeout * 2);
    this.client = new Redis(url, {
      commandTimeout,
      connectTimeout: this.connectTimeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // Reconnect forever, at most every 2 s: Redis coming back must need no restart.
      retryStrategy: (times) => Math.min(100 * times, 2000),
      lazyConnect: false,
    });
    this.client.on('error', (err: Error) => this.markDown(err));
    this.client.on('close', () => this.markDown(new Error('connection closed')));
    this.client.on('ready', () => this.markUp());
    this.firstAttempt = firstReady(this.client, this.connectTimeoutMs).then(() => {
      if (this.state === 'connecting') this.markDown(new Error('no connection yet'));
    });
  }

  private k(key: string): string {
    return this.prefix + key;
  }

  available(): boolean {
    return this.state === 'up' && !this.closed && (this.subscriber === null || this.subscriber.status === 'ready');
  }

  private markDown(err: Error): void {
    if (this.closed) return;
    if (this.state !== 'down') {
      this.state = 'down';
      this.options.logger?.warn(
        { err: err.message },
        'Redis unavailable: running degraded (cache misses go to the database, locks are refused, rate limits are per process, live screens poll) until it answers again',
      );
    }
    if (!this.probe) {
      this.probe = setInterval(() => this.probeOnce(), this.probeIntervalMs);
      this.probe.unref();
    }
  }

  private markUp(): void {
    if (this.closed || this.state === 'up') return;
    if (this.state === 'down') this.options.logger?.info('Redis available again');
    this.state = 'up';
    clearInterval(this.probe);
    this.probe = undefined;
    this.replay();
  }

  /** A stalled Redis keeps its connection: only an answered PING says it is back. */
  private probeOnce(): void {
    if (this.probing || this.client.status !== 'ready') return;
    this.probing = true;
    this.client
      .ping()
      .then(
        () => this.markUp(),
        () => undefined,
      )
      .finally(() => {
        this.probing = false;
      });
  }

  /** Invalidations that failed while down are done now, so no process serves a stale menu. */
  private replay(): void {
    const dels = [...this.pendingDel];
    const incrs = [...this.pendingIncr];
    this.pendingDel.clear();
    this.pendingIncr.clear();
    const work = [
      ...(dels.length ? [this.client.del(...dels)] : []),
      ...incrs.map(([key, by]) => this.client.incrby(key, by)),
    ];
    Promise.all(work).catch((err: Error) => {
      for (const key of dels) this.remember(this.pendingDel, key);
      for (const [key, by] of incrs) this.pendingIncr.set(key, by);
      this.markDown(err);
    });
  }

  private remember(set: Set<string>, key: string): void {
    if (set.size >= MAX_PENDING) set.delete(set.values().next().value as string);
    set.add(key);
  }

  /** Runs a command, or the fallback when Redis is down (without trying) or fails now. */
  private async run<T>(operation: string, command: () => Promise<T>, fallback: () => T | Promise<T>): Promise<T> {
    if (this.state === 'connecting') await this.firstAttempt;
    if (this.state === 'up') {
      try {
        return await command();
      } catch (err) {
        if (!isOutage(err)) throw err;
        this.markDown(err as Error);
      }
    }
    this.options.onFallback?.(operation);
    return fallback();
  }

  async get(key: string): Promise<string | null> {
    return this.run(
      'get',
      () => this.client.get(this.k(key)),
      () => null,
    );
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    await this.run(
      'set',
      async () => {
        if (ttlMs) await this.client.set(this.k(key), value, 'PX', Math.max(1, Math.round(ttlMs)));
        else await this.client.set(this.k(key), value);
      },
      () => undefined,
    );
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const result = await this.run(
      'setIfAbsent',
      () =>
        ttlMs
          ? this.client.set(this.k(key), value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX')
          : this.client.set(this.k(key), value, 'NX'),
      () => {
        throw new CacheUnavailableError();
      },
    );
    return result === 'OK';
  }

  async del(...keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const full = keys.map((key) => this.k(key));
    await this.run(
      'del',
      async () => {
        await this.client.del(...full);
      },
      () => {
        for (const key of full) this.remember(this.pendingDel, key);
      },
    );
  }

  async incr(key: string, by = 1, ttlMs?: number): Promise<number> {
    const full = this.k(key);
    const v = await this.run(
      'incr',
      () => this.client.eval(INCR_WITH_TTL, 1, full, by, ttlMs ? Math.round(ttlMs) : 0),
      () => {
        if (this.pendingIncr.size < MAX_PENDING || this.pendingIncr.has(full)) {
          this.pendingIncr.set(full, (this.pendingIncr.get(full) ?? 0) + by);
        }
        throw new CacheUnavailableError();
      },
    );
    return Number(v);
  }

  async takeTokens(bucket: string, rule: TokenBucketRule, cost = 1): Promise<TokenBucketResult> {
    return this.run(
      'takeTokens',
      async () => {
        const [ok, tokens, wait] = (await this.client.eval(
          TAKE_TOKENS,
          1,
          this.k(`bucket:${bucket}`),
          rule.capacity,
          rule.refillPerSecond,
          cost,
        )) as [number, string, number];
        return { ok: ok === 1, remaining: Math.floor(Number(tokens)), retryAfterMs: Number(wait) };
      },
      () => this.local.takeTokens(bucket, rule, cost),
    );
  }

  async acquireLock(key: string, ttlMs: number): Promise<Lock | null> {
    const token = randomUUID();
    const full = this.k(key);
    const ok = await this.run(
      'acquireLock',
      () => this.client.set(full, token, 'PX', Math.max(1, Math.round(ttlMs)), 'NX'),
      () => {
        throw new CacheUnavailableError();
      },
    );
    if (ok !== 'OK') return null;
    return {
      key,
      // Unanswered: the lease may have run out meanwhile, so the holder must assume it lost the lock.
      extend: (ms) =>
        this.run(
          'extendLock',
          async () => Number(await this.client.eval(EXTEND_LOCK, 1, full, token, Math.round(ms))) === 1,
          () => false,
        ),
      // Unanswered: the lease runs out by itself.
      release: () =>
        this.run(
          'releaseLock',
          async () => {
            await this.client.eval(RELEASE_LOCK, 1, full, token);
          },
          () => undefined,
        ),
    };
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.run(
      'publish',
      async () => {
        await this.client.publish(this.k(channel), message);
      },
      () => undefined,
    );
  }

  private subscriberConnection(): Redis {
    if (!this.subscriber) {
      // A connection in subscriber mode can run no other commands, so it gets its own. It
      // subscribes to every channel with handlers each time it is ready, so a subscription made
      // while Redis was down, or lost with a reconnect, takes effect when Redis is back.
      const subscriber = this.client.duplicate({ autoResubscribe: false });
      subscriber.on('error', () => {});
      subscriber.on('ready', () => {
        const channels = [...this.handlers.keys()];
        if (channels.length) subscriber.subscribe(...channels).catch(() => undefined);
      });
      subscriber.on('message', (ch: string, message: string) => {
        for (const h of this.handlers.get(ch) ?? []) {
          try {
            h(message);
          } catch {
            // A handler's bug must not reach the connection's event loop (an uncaught exception).
          }
        }
      });
      this.subscriber = subscriber;
    }
    return this.subscriber;
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    const full = this.k(channel);
    const subscriber = this.subscriberConnection();
    let set = this.handlers.get(full);
    if (!set) {
      set = new Set();
      this.handlers.set(full, set);
      // A new subscriber connection is given the time of a first connection, so that a message
      // published right after `subscribe` resolves is heard (while Redis is up).
      if (subscriber.status !== 'ready' && this.state !== 'down') await firstReady(subscriber, this.connectTimeoutMs);
      if (subscriber.status === 'ready') {
        await subscriber.subscribe(full).catch((err) => {
          if (!isOutage(err)) throw err;
        });
      }
    }
    set.add(handler);
    return async () => {
      const current = this.handlers.get(full);
      if (!current) return;
      current.delete(handler);
      if (current.size === 0) {
        this.handlers.delete(full);
        if (this.subscriber?.status === 'ready') await this.subscriber.unsubscribe(full).catch(() => undefined);
      }
    };
  }

  async ping(): Promise<void> {
    if (this.state === 'connecting') await this.firstAttempt;
    if (this.state !== 'up' && this.client.status !== 'ready')
      throw new CacheUnavailableError(`Redis is ${this.client.status}`);
    await this.client.ping();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.probe);
    this.handlers.clear();
    await this.local.close();
    await Promise.allSettled([this.subscriber?.quit(), this.client.quit()]);
    this.subscriber?.disconnect();
    this.client.disconnect();
  }
}
