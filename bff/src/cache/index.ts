import type { Cache } from './cache';
import { MemoryCache } from './memory-cache';
import type { RedisCacheOptions } from './redis-cache';

export * from './cache';
export { MemoryCache } from './memory-cache';
export type { RedisCacheOptions } from './redis-cache';

/**
 * Redis when a URL is given (any number of processes), otherwise the in-process stand-in. ioredis
 * is loaded only when it is used (`RedisCache` is imported from `./redis-cache`): the embedded
 * default starts without it.
 */
export async function createCache(redisUrl: string | undefined, options: RedisCacheOptions = {}): Promise<Cache> {
  if (!redisUrl) return new MemoryCache();
  const { RedisCache } = await import('./redis-cache');
  return new RedisCache(redisUrl, options);
}
