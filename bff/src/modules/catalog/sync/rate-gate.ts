import type { Platform } from 'shared-types';
import type { Cache, TokenBucketRule } from '../../../cache';
import { DeferDelivery } from '../../../sync/worker';

/**
 * Every menu call to a platform first takes a token from that platform's bucket in the shared
 * cache, so all BFF processes together stay within the platform's rate limit. In the sync worker a
 * refused token defers the outbox message (`'defer'`: try later, no failure counted); an admin
 * request (the audit's read-back) waits for the token instead (`'wait'`).
 */
export interface RateGate {
  take(platform: Platform, mode: 'defer' | 'wait'): Promise<void>;
}

/**
 * Default budgets for menu calls, per platform and app, shared by every process. Neither platform
 * publishes its limits for these APIs (specs: open questions), so these are conservative choices;
 * a platform's own over-frequency answer defers the call too.
 */
export const DEFAULT_MENU_RATE_RULES: Record<Platform, TokenBucketRule> = {
  meituan: { capacity: 100, refillPerSecond: 50 },
  eleme: { capacity: 100, refillPerSecond: 50 },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class CacheRateGate implements RateGate {
  constructor(
    private readonly cache: Cache,
    readonly rules: Record<Platform, TokenBucketRule> = { ...DEFAULT_MENU_RATE_RULES },
    private readonly maxWaitMs = 30_000,
  ) {}

  async take(platform: Platform, mode: 'defer' | 'wait'): Promise<void> {
    let waited = 0;
    for (;;) {
      const result = await this.cache.takeTokens(`ratelimit:menu:${platform}`, this.rules[platform], 1);
      if (result.ok) return;
      if (mode === 'defer' || waited >= this.maxWaitMs) {
        throw new DeferDelivery(Math.max(1, result.retryAfterMs), `waiting for the ${platform} menu rate limit`);
      }
      await sleep(result.retryAfterMs);
      waited += result.retryAfterMs;
    }
  }
}
