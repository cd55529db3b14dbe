import type { Metrics } from '../http/metrics';
import type { Clock } from '../lib/clock';

export type PushPlatform = 'meituan' | 'eleme';
export type PushRefusal = 'signature' | 'store' | 'malformed' | 'stale' | 'store_mismatch';

/** A signed clock ahead of ours by more than this is not a clock difference. */
const MAX_AHEAD_MS = 10 * 60_000;

/**
 * The freshness window of signed pushes. Neither platform documents how old a redelivered push
 * may be (specs: delivery-platforms.md §5), and a redelivery keeps its signed timestamp, so the
 * window is generous (`PUSH_MAX_AGE_SECONDS`, a day by default) and every accepted push's age is
 * measured (`heyi_push_timestamp_age_seconds`) so that it can be narrowed from what really arrives.
 * It still refuses a captured push replayed days or years later.
 */
export class PushWindow {
  constructor(
    private readonly maxAgeMs: number,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  /** Null when the timestamp (seconds or milliseconds, told apart by size) is fresh; else why not. */
  check(platform: PushPlatform, timestamp: number): string | null {
    if (!Number.isFinite(timestamp) || timestamp <= 0) return `timestamp ${timestamp} is not a time`;
    const at = timestamp < 1e11 ? timestamp * 1000 : timestamp;
    const age = this.clock.now() - at;
    if (age > this.maxAgeMs) return `timestamp ${timestamp} is older than ${this.maxAgeMs / 1000} s`;
    if (age < -MAX_AHEAD_MS) return `timestamp ${timestamp} is in the future`;
    this.metrics.pushAge.observe({ platform }, Math.max(0, age) / 1000);
    return null;
  }

  refused(platform: PushPlatform, reason: PushRefusal): void {
    this.metrics.pushRefused.inc({ platform, reason });
  }
}
