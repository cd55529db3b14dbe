import type { Cache } from './cache';
import { MemoryCache } from './memory-cache';
import { RedisCache } from './redis-cache';

export * from './cache';
export { MemoryCache } from './memory-cache';
export { RedisCache } from './redis-cache';

/** Redis when a URL is given (any number of processes), otherwise the in-process stand-in. */
export function createCache(redisUrl: string | undefined, prefix = 'heyi:'): Cache {
  return redisUrl ? new RedisCache(redisUrl, prefix) : new MemoryCache();
}
