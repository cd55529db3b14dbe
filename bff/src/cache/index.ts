import type { Cache } from './cache';
import { MemoryCache } from './memory-cache';
import { RedisCache, type RedisCacheOptions } from './redis-cache';

export * from './cache';
export { MemoryCache } from './memory-cache';
export { RedisCache, type RedisCacheOptions } from './redis-cache';

/** Redis when a URL is given (any number of processes), otherwise the in-process stand-in. */
export function createCache(redisUrl: string | undefined, options: RedisCacheOptions = {}): Cache {
  return redisUrl ? new RedisCache(redisUrl, options) : new MemoryCache();
}
