import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheTargets } from '../testing';
import type { Cache } from './cache';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(cacheTargets())('cache ($kind)', (target) => {
  let cache: Cache;
  beforeEach(() => {
    cache = target.create();
  });
  afterEach(async () => {
    await cache.close();
  });

  it('stores and forgets values, with a TTL', async () => {
    expect(await cache.get('a')).toBeNull();
    await cache.set('a', '1');
    await cache.set('b', '2', 50);
    expect(await cache.get('a')).toBe('1');
    expect(await cache.get('b')).toBe('2');
    await sleep(80);
    expect(await cache.get('b')).toBeNull();
    await cache.del('a');
    expect(await cache.get('a')).toBeNull();
  });

  it('sets only when absent', async () => {
    expect(await cache.setIfAbsent('k', 'first', 1000)).toBe(true);
    expect(await cache.setIfAbsent('k', 'second', 1000)).toBe(false);
    expect(await cache.get('k')).toBe('first');
  });

  it('increments atomically and keeps the TTL of the first increment', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.incr('n', 1, 60)));
    expect(new Set(results).size).toBe(50);
    expect(Math.max(...results)).toBe(50);
    expect(await cache.incr('n', 5)).toBe(55);
    await sleep(90);
    expect(await cache.get('n')).toBeNull();
  });

  it('hands out at most the bucket capacity, then refills over time', async () => {
    const rule = { capacity: 5, refillPerSecond: 20 };
    const taken = await Promise.all(Array.from({ length: 8 }, () => cache.takeTokens('api', rule)));
    expect(taken.filter((r) => r.ok)).toHaveLength(5);
    const refused = taken.find((r) => !r.ok);
    expect(refused?.retryAfterMs).toBeGreaterThan(0);
    expect(refused?.retryAfterMs).toBeLessThanOrEqual(60);
    await sleep(120);
    expect((await cache.takeTokens('api', rule)).ok).toBe(true);
  });

  it('lets one holder have a lock, and never releases a lock it lost', async () => {
    const first = await cache.acquireLock('sync', 60);
    expect(first).not.toBeNull();
    expect(await cache.acquireLock('sync', 60)).toBeNull();
    await sleep(90);
    const second = await cache.acquireLock('sync', 1000);
    expect(second).not.toBeNull();
    // The first holder's lease ran out; its release and extend must not touch the new holder's lock.
    await first?.release();
    expect(await first?.extend(1000)).toBe(false);
    expect(await cache.acquireLock('sync', 1000)).toBeNull();
    expect(await second?.extend(1000)).toBe(true);
    await second?.release();
    expect(await cache.acquireLock('sync', 1000)).not.toBeNull();
  });

  it('delivers published messages to every subscriber until they unsubscribe', async () => {
    const a: string[] = [];
    const b: string[] = [];
    const offA = await cache.subscribe('kitchen', (m) => a.push(m));
    const offB = await cache.subscribe('kitchen', (m) => b.push(m));
    await cache.publish('kitchen', 'order-1');
    await cache.publish('other', 'x');
    await waitFor(() => a.length === 1 && b.length === 1);
    await offA();
    await cache.publish('kitchen', 'order-2');
    await waitFor(() => b.length === 2);
    expect(a).toEqual(['order-1']);
    expect(b).toEqual(['order-1', 'order-2']);
    await offB();
  });

  it('answers a ping', async () => {
    await expect(cache.ping()).resolves.toBeUndefined();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await sleep(5);
  }
}
