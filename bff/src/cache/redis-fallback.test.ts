import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateServer, startPrivateRedis, waitUntil } from '../testing/private-services';
import { CacheUnavailableError } from './cache';
import { RedisCache } from './redis-cache';

describe('RedisCache while its Redis is down, and after', () => {
  let redis: PrivateServer;
  let cache: RedisCache;
  let other: RedisCache;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    cache = new RedisCache(redis.url, { prefix: 'fallback:', probeIntervalMs: 100 });
    other = new RedisCache(redis.url, { prefix: 'fallback:' });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([cache?.close(), other?.close()]);
    await redis?.destroy();
  });

  it('answers every call by its stated fallback, none by an error the caller did not ask for', async () => {
    await cache.set('menu', 'cached');
    expect(await cache.get('menu')).toBe('cached');
    await redis.stop();

    expect(await cache.get('menu')).toBeNull();
    await expect(cache.set('menu', 'new')).resolves.toBeUndefined();
    await expect(cache.del('menu')).resolves.toBeUndefined();
    await expect(cache.publish('kitchen', 'x')).resolves.toBeUndefined();
    // Nobody can know who holds a lock: refused, so a job skips its turn instead of running twice.
    await expect(cache.acquireLock('job', 1000)).rejects.toBeInstanceOf(CacheUnavailableError);
    await expect(cache.setIfAbsent('once', '1')).rejects.toBeInstanceOf(CacheUnavailableError);
    await expect(cache.incr('ver')).rejects.toBeInstanceOf(CacheUnavailableError);
    await expect(cache.ping()).rejects.toThrow();
    expect(cache.available()).toBe(false);

    // Rate limits still hold, counted in this process.
    const rule = { capacity: 3, refillPerSecond: 0.01 };
    const taken = [];
    for (let i = 0; i < 4; i++) taken.push((await cache.takeTokens('login:x', rule)).ok);
    expect(taken).toEqual([true, true, true, false]);
  });

  it('hears, once Redis is back, the channels it subscribed to while it was down', async () => {
    const heard: string[] = [];
    await cache.subscribe('live', (m) => heard.push(m));
    await redis.start();
    await waitUntil('the cache sees Redis again', () => cache.available());
    await waitUntil('other process sees Redis again', () => other.available());
    await waitUntil('the subscription is renewed', async () => {
      await other.publish('live', 'order-1');
      return heard.includes('order-1');
    });
  });

  it('applies, once Redis is back, the version bumps and deletions it could not write', async () => {
    await other.set('gone', 'stale');
    const before = Number((await other.get('ver')) ?? 0);
    redis.pause();
    try {
      // The first call meets the stall and opens the circuit; the next ones are not sent at all.
      expect(await cache.get('anything')).toBeNull();
      expect(cache.available()).toBe(false);
      await expect(cache.incr('ver')).rejects.toBeInstanceOf(CacheUnavailableError);
      await cache.del('gone');
    } finally {
      redis.resume();
    }
    await waitUntil('the circuit closes', () => cache.available());
    await waitUntil('the replayed deletion lands', async () => (await other.get('gone')) === null);
    expect(Number(await other.get('ver'))).toBe(before + 1);
  });
});
